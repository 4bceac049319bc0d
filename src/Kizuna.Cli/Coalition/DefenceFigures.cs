using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Defence;
using Kizuna.Defence.Command;
using Kizuna.Defence.ThreatEvaluation;

namespace Kizuna.Cli.Coalition;

/// <summary>Warning time statistics of one nation over a set of threats (s).</summary>
/// <param name="Nation">Warned nation.</param>
/// <param name="ThreatsWarned">Red objects the nation was warned about.</param>
/// <param name="MinS">Shortest warning time (latest predicted impact − first alert received or issued).</param>
/// <param name="MedianS">Median warning time.</param>
/// <param name="BeforeActualEndS">Shortest time from first alert to the object's actual end (impact or intercept); NaN when none ended.</param>
internal sealed record NationWarning(Nation Nation, int ThreatsWarned, double MinS, double MedianS, double BeforeActualEndS);

/// <summary>Figures of one raid.</summary>
/// <param name="Raid">Raid id.</param>
/// <param name="Threats">Red missiles launched in the run.</param>
/// <param name="Engaged">Of which had at least one interceptor launched at them.</param>
/// <param name="InterceptorsUsed">Rounds launched at the raid's objects.</param>
/// <param name="Destroyed">Red objects destroyed.</param>
/// <param name="Leakers">Missiles that reached the ground.</param>
/// <param name="DefendedValueLost">Σ asset value over assets whose footprint (radius max(R, 1 km)) holds a leaker's impact.</param>
/// <param name="Warning">Warning time per threatened nation.</param>
/// <param name="DecisionLatencyMedianS">Median recommended→decided time of commander decisions (NaN when none).</param>
/// <param name="DecisionLatencyMaxS">Largest recommended→decided time (NaN when none).</param>
/// <param name="Decisions">Commander decisions (pre-delegated approvals excluded).</param>
internal sealed record RaidFigures(string Raid, int Threats, int Engaged, int InterceptorsUsed, int Destroyed, int Leakers, double DefendedValueLost,
    ImmutableArray<NationWarning> Warning, double DecisionLatencyMedianS, double DecisionLatencyMaxS, int Decisions);

/// <summary>Figures of one nation.</summary>
/// <param name="Nation">Nation.</param>
/// <param name="AlertsIssued">Alerts its warning service issued (any warned nation).</param>
/// <param name="Warning">Warning time as the warned nation, all raids.</param>
/// <param name="InterceptorsUsed">Rounds its batteries launched.</param>
/// <param name="InterceptorsLeft">Rounds left in its batteries.</param>
/// <param name="Approved">Engagements of its weapons approved (by its commander or its pre-delegation).</param>
/// <param name="PreDelegated">Of which by pre-delegation.</param>
/// <param name="DecisionLatencyMedianS">Median recommended→decided time of its commander (NaN when none).</param>
/// <param name="ValueLost">Value of its assets lost to leakers.</param>
internal sealed record NationFigures(Nation Nation, int AlertsIssued, NationWarning Warning, int InterceptorsUsed, int InterceptorsLeft, int Approved, int PreDelegated,
    double DecisionLatencyMedianS, double ValueLost);

/// <summary>The defence figures of a run: per raid, per nation, and totals.</summary>
/// <remarks>
/// Attribution to raids uses the simulation oracle of <see cref="DefenceStage"/> (track → nearest Red
/// truth object). Warning time for (nation, object) = latest predicted impact of the alerts the nation
/// held about it − first time it held one (issued by itself or received from a partner); docs/defence.md "In the run".
/// </remarks>
internal sealed record DefenceFigures(
    Nation JointCommander,
    double DecisionDelayS,
    ImmutableArray<RaidFigures> Raids,
    ImmutableArray<NationFigures> Nations,
    int Threats,
    int Engaged,
    int InterceptorsUsed,
    int Leakers,
    double DefendedValueLost,
    int Recommended,
    int AuditEntries,
    int RefusedActions)
{
    /// <summary>
    /// Resolved rounds that met no live Red missile (simulation oracle): the target track stood for no
    /// Red object, or its object had already ended (impact) or been destroyed before the intercept time.
    /// A same-instant salvo partner of a killing round is counted in <see cref="InterceptorsOverkill"/> instead.
    /// </summary>
    public int InterceptorsWasted { get; init; }

    /// <summary>Resolved rounds whose target track was destroyed by another round at the same intercept (salvo partners).</summary>
    public int InterceptorsOverkill { get; init; }

    /// <summary>Red missiles destroyed.</summary>
    public int Destroyed { get; init; }

    /// <summary>Tracks the threat screen kept out of planning, per reason (killed, ended, duplicate).</summary>
    public ImmutableSortedDictionary<string, int> Suppressed { get; init; } = ImmutableSortedDictionary<string, int>.Empty;

    /// <summary>Diagnosis (oracle): every engaged track with its nearest truth object at first launch and its kind history.</summary>
    public ImmutableArray<EngagedTrackTrace> EngagedTracks { get; init; } = [];

    internal static DefenceFigures Compute(DefenceStage stage)
    {
        var scenario = stage.Scenario;
        var coordinator = stage.Coordinator;
        var audit = coordinator?.Audit ?? [];
        var assets = DefenceSetup.Assets(scenario);
        var missiles = stage.RedObjects.Where(r => r.Object.Kind is Simulation.Motion.ObjectKind.BallisticMissile or Simulation.Motion.ObjectKind.CruiseMissile).ToList();

        // Decisions: recommend → approve/deny by a commander (pre-delegation excluded).
        var recommended = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        var decisions = new List<(string Id, Nation Owner, double LatencyS, bool Delegated)>();
        foreach (var a in audit.Where(a => a.Accepted))
        {
            if (a.Action == CommandAction.Recommend)
            {
                recommended[a.EngagementId] = a.Time;
            }
            else if (a.Action is CommandAction.Approve or CommandAction.Deny && recommended.TryGetValue(a.EngagementId, out var at))
            {
                decisions.Add((a.EngagementId, a.Actor.Nation, (a.Time - at).TotalSeconds, a.Reason == "pre-delegation"));
            }
        }

        var truthOf = stage.EngagementTruth;
        double ValueLost(RedObject r, Nation? owner = null) => assets
            .Where(a => owner is null || a.Owner == owner)
            .Where(a => (Wgs84Distance(a, r.LastPosition)) <= Math.Max(a.RadiusM, 1_000))
            .Sum(a => a.Value);

        NationWarning Warn(Nation n, IEnumerable<RedObject> objects)
        {
            var ids = objects.Select(o => o.Object.Id).ToHashSet();
            var list = stage.Warnings.Values.Where(w => w.Warned == n && ids.Contains(w.Truth)).ToList();
            var times = list.Select(w => (w.LatestPredictedImpact - w.FirstIssued).TotalSeconds).Order().ToList();
            var red = stage.RedObjects.ToDictionary(r => r.Object.Id);
            var ended = list.Where(w => red[w.Truth].Ended || red[w.Truth].Destroyed)
                .Select(w => red[w.Truth].EndTime - (w.FirstIssued - scenario.Epoch).TotalSeconds).ToList();
            return new NationWarning(n, list.Count, times.Count > 0 ? times[0] : double.NaN, Median(times),
                ended.Count > 0 ? ended.Min() : double.NaN);
        }

        var raids = ImmutableArray.CreateBuilder<RaidFigures>();
        foreach (var raid in scenario.Raids)
        {
            var objs = missiles.Where(m => m.Raid == raid.Id).ToList();
            if (objs.Count == 0)
            {
                continue;
            }

            var ids = objs.Select(o => o.Object.Id).ToHashSet();
            var launches = stage.Launches.Where(l => truthOf.TryGetValue(l.EngagementId, out var t) && ids.Contains(t)).ToList();
            var raidDecisions = decisions.Where(d => !d.Delegated && truthOf.TryGetValue(d.Id, out var t) && ids.Contains(t)).Select(d => d.LatencyS).Order().ToList();
            var warned = stage.Warnings.Values.Where(w => ids.Contains(w.Truth)).Select(w => w.Warned).Distinct().Order();
            raids.Add(new RaidFigures(raid.Id, objs.Count,
                launches.Select(l => truthOf[l.EngagementId]).Distinct().Count(), launches.Count,
                objs.Count(o => o.Destroyed), objs.Count(o => o.Leaked), objs.Where(o => o.Leaked).Sum(o => ValueLost(o)),
                [.. warned.Select(n => Warn(n, objs))],
                Median(raidDecisions), raidDecisions.Count > 0 ? raidDecisions[^1] : double.NaN, raidDecisions.Count));
        }

        var batteries = stage.Simulator?.Batteries ?? [];
        var nations = ImmutableArray.CreateBuilder<NationFigures>();
        foreach (var n in stage.Nations)
        {
            var own = decisions.Where(d => d.Owner == n).ToList();
            var latencies = own.Where(d => !d.Delegated).Select(d => d.LatencyS).Order().ToList();
            nations.Add(new NationFigures(n, stage.AlertsIssuedBy(n), Warn(n, missiles),
                stage.Launches.Count(l => l.Owner == n), batteries.Where(b => b.Nation == n).Sum(b => b.Inventory),
                own.Count, own.Count(d => d.Delegated), Median(latencies),
                missiles.Where(m => m.Leaked).Sum(m => ValueLost(m, n))));
        }

        var red = stage.RedObjects.ToDictionary(r => r.Object.Id);
        var wasted = 0;
        var overkill = 0;
        foreach (var i in stage.Intercepts)
        {
            if (i.Killed)
            {
                continue;
            }

            if (i.Reason == "target already destroyed")
            {
                overkill++;
                continue;
            }

            // Alive just before the intercept instant: the object's trajectory is cut at impact and at destruction.
            var t = (i.Time - scenario.Epoch).TotalSeconds - 1e-3;
            if (i.Truth == 0 || !red.TryGetValue(i.Truth, out var r) || !r.Object.Trajectory.TryGetState(t, out _))
            {
                wasted++;
            }
        }

        var suppressed = stage.Suppressed.Values.GroupBy(v => v.ToString().ToLowerInvariant())
            .ToImmutableSortedDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var allIds = missiles.Select(m => m.Object.Id).ToHashSet();
        return new DefenceFigures(stage.Options.JointCommander, stage.Options.DecisionDelay?.TotalSeconds ?? double.NaN,
            raids.ToImmutable(), nations.ToImmutable(), missiles.Count,
            stage.Launches.Where(l => truthOf.TryGetValue(l.EngagementId, out var t) && allIds.Contains(t)).Select(l => truthOf[l.EngagementId]).Distinct().Count(),
            stage.Launches.Count, missiles.Count(m => m.Leaked), missiles.Where(m => m.Leaked).Sum(m => ValueLost(m)),
            audit.Count(a => a.Action == CommandAction.Recommend && a.Accepted), audit.Count, audit.Count(a => !a.Accepted))
        {
            InterceptorsWasted = wasted,
            InterceptorsOverkill = overkill,
            Destroyed = missiles.Count(m => m.Destroyed),
            Suppressed = suppressed,
            EngagedTracks = [.. stage.EngagedTraces.Values.OrderBy(t => t.Track.ToString(), StringComparer.Ordinal)],
        };
    }

    private static double Wgs84Distance(DefendedAsset a, Vec3 ecef) =>
        Spherical.Distance(a.Position, Core.Geodesy.Wgs84.EcefToGeodetic(ecef));

    private static double Median(List<double> sorted) =>
        sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : 0.5 * (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]);
}
