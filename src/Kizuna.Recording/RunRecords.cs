using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Recording;

/// <summary>What a run was: one row of the <c>run</c> table.</summary>
/// <param name="Scenario">Scenario name or file.</param>
/// <param name="Seed">Random seed of the run.</param>
/// <param name="Start">UTC start of the run (the epoch of run-relative times in reports).</param>
/// <param name="Nations">Participating nations (each has a picture recorded).</param>
/// <param name="Versions">Software and format versions, free text (e.g. "kizuna 0.1.0; scenario v1").</param>
/// <param name="Description">Free text.</param>
public sealed record RunMetadata(string Scenario, long Seed, DateTime Start, ImmutableArray<Nation> Nations, string Versions, string Description = "");

/// <summary>A defended asset drawn on the picture plots.</summary>
/// <param name="Name">Asset name (unique).</param>
/// <param name="Nation">Owning nation.</param>
/// <param name="Position">Geodetic position.</param>
public sealed record DefendedAssetRecord(string Name, Nation Nation, Geodetic Position);

/// <summary>A true object of a simulated run (its samples are <see cref="TruthState"/> rows).</summary>
/// <param name="TruthId">Truth id, as in <see cref="Detection.TruthId"/>.</param>
/// <param name="Name">Object name.</param>
/// <param name="Kind">Object kind, free text (e.g. "BallisticMissile", "Aircraft").</param>
/// <param name="IsThreat">True for hostile weapons (ballistic and cruise missiles): counted as leakers when they impact.</param>
public sealed record TruthObjectRecord(int TruthId, string Name, string Kind, bool IsThreat);

/// <summary>One true state: ECEF position and velocity of one object at one time.</summary>
/// <param name="Time">UTC time.</param>
/// <param name="TruthId">Truth id.</param>
/// <param name="PositionEcef">ECEF position (m).</param>
/// <param name="VelocityEcef">ECEF velocity (m/s).</param>
/// <param name="Identity">True cooperative identity (ICAO address), 0 when none.</param>
public readonly record struct TruthState(DateTime Time, int TruthId, Vec3 PositionEcef, Vec3 VelocityEcef, uint Identity = 0);

/// <summary>A human or delegated decision: who (actor, role, nation) did what to which subject, and why.</summary>
/// <param name="Time">UTC time.</param>
/// <param name="Actor">Who (user name or "auto" for a pre-delegation).</param>
/// <param name="Role">Role (commander, operator, observer).</param>
/// <param name="Nation">The actor's nation.</param>
/// <param name="Action">What (e.g. "approve", "deny", "identify").</param>
/// <param name="Subject">On what (engagement id, track number).</param>
/// <param name="Reason">Why (free text).</param>
public sealed record DecisionRecord(DateTime Time, string Actor, string Role, Nation Nation, string Action, string Subject, string Reason);

/// <summary>One release decision of a sharing agreement (default deny; every decision is logged).</summary>
/// <param name="Time">UTC time.</param>
/// <param name="From">Releasing nation.</param>
/// <param name="To">Receiving nation.</param>
/// <param name="ItemKind">What kind of item (measurement, track, identity, engagement …).</param>
/// <param name="ItemId">Which item.</param>
/// <param name="Released">True when released, false when withheld.</param>
/// <param name="Rule">The agreement rule that decided.</param>
public sealed record ReleaseDecisionRecord(DateTime Time, Nation From, Nation To, string ItemKind, string ItemId, bool Released, string Rule);

/// <summary>An exercise event. Kinds the report understands are in <see cref="RunEventKinds"/>.</summary>
/// <param name="Time">UTC time.</param>
/// <param name="Kind">Event kind.</param>
/// <param name="Subject">Subject (sensor, raid or object name).</param>
/// <param name="TruthId">The true object concerned, 0 when none.</param>
/// <param name="Detail">Free text.</param>
public sealed record RunEventRecord(DateTime Time, string Kind, string Subject, int TruthId = 0, string Detail = "");

/// <summary>Event kinds with a meaning for the after-action report.</summary>
public static class RunEventKinds
{
    /// <summary>A threat reached the ground (truth): a leaker unless it was intercepted first.</summary>
    public const string Impact = "impact";

    /// <summary>A threat was destroyed by an interceptor (truth).</summary>
    public const string Intercept = "intercept";

    /// <summary>A threat was launched.</summary>
    public const string Launch = "launch";
}
