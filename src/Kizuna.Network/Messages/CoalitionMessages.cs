using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Picture;

namespace Kizuna.Network.Messages;

/// <summary>
/// Domain form of the messages nodes exchange on the coalition bus. The wire form (versioned,
/// MessagePack) lives in <c>Kizuna.Network.Messages.Wire</c>; every message carries a
/// <see cref="Marking"/> and is released only through the sharing policy.
/// </summary>
public interface ICoalitionMessage
{
    /// <summary>Classification, originator and releasable-to nations.</summary>
    Marking Marking { get; }

    /// <summary>UTC time the message describes.</summary>
    DateTime Time { get; }
}

/// <summary>
/// Measurement sharing (CEC-like): a batch of one nation's detections for one scan interval.
/// </summary>
/// <param name="Source">Nation whose sensors produced the detections.</param>
/// <param name="Time">End of the interval the batch covers (UTC).</param>
/// <param name="Sequence">Per-source sequence number (gap detection, catch-up).</param>
/// <param name="Detections">The detections, in time order.</param>
/// <param name="Marking">Release marking.</param>
public sealed record DetectionBatch(
    Nation Source,
    DateTime Time,
    long Sequence,
    ImmutableArray<Detection> Detections,
    Marking Marking) : ICoalitionMessage;

/// <summary>
/// Track sharing (Link 16-like): one node's report of one track it holds reporting responsibility
/// for (or a local track it offers for correlation).
/// </summary>
/// <param name="Reporter">Reporting nation (node).</param>
/// <param name="Number">Coalition track number (None until one is assigned).</param>
/// <param name="LocalTrackId">The reporter's local track id (stable while the track lives).</param>
/// <param name="Time">UTC time of the state.</param>
/// <param name="PositionEcef">Position, ECEF (m).</param>
/// <param name="VelocityEcef">Velocity, ECEF (m/s).</param>
/// <param name="PositionCovariance">Position covariance, ECEF axes (m²).</param>
/// <param name="VelocityCovariance">Velocity covariance, ECEF axes (m²/s²).</param>
/// <param name="Quality">Track quality 0–15.</param>
/// <param name="Kind">Classified kind.</param>
/// <param name="Affiliation">Standard identity.</param>
/// <param name="Identity">ICAO 24-bit address, 0 when none (withheld when identities are not released).</param>
/// <param name="Sensors">Contributing sensor ids (empty when sensor identities are hidden).</param>
/// <param name="Marking">Release marking.</param>
public sealed record TrackReport(
    Nation Reporter,
    TrackNumber Number,
    long LocalTrackId,
    DateTime Time,
    Vec3 PositionEcef,
    Vec3 VelocityEcef,
    Mat3 PositionCovariance,
    Mat3 VelocityCovariance,
    int Quality,
    TrackKind Kind,
    Affiliation Affiliation,
    uint Identity,
    ImmutableArray<string> Sensors,
    Marking Marking) : ICoalitionMessage;

/// <summary>What a track-number notice announces.</summary>
public enum TrackNumberNoticeKind : byte
{
    /// <summary>Two numbers were found to be one object: <c>Kept</c> stays, <c>Retired</c> is withdrawn.</summary>
    Correlate = 0,

    /// <summary>A number's sources diverged; <c>Retired</c> here is the new number issued for the split-off object.</summary>
    Decorrelate = 1,

    /// <summary>A number is dropped after silence.</summary>
    Drop = 2,

    /// <summary>Reporting responsibility for <c>Kept</c> moves to the issuer.</summary>
    Takeover = 3,
}

/// <summary>A track-number management notice (correlation, decorrelation, drop, R2 takeover).</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Issuer">Node issuing the notice.</param>
/// <param name="Time">UTC time.</param>
/// <param name="Kept">The number that stays (or the affected number).</param>
/// <param name="Retired">The number withdrawn (or newly issued on decorrelation); None when not applicable.</param>
/// <param name="Marking">Release marking.</param>
/// <remarks>
/// A notice of kind <see cref="TrackNumberNoticeKind.Takeover"/> with no number (kept and retired
/// <see cref="TrackNumber.None"/>) is a node process's end-of-cycle mark; with a <see cref="Control"/> it
/// is a lock-step control message (re-join agreement, docs/network.md "Re-join cycle") and carries the
/// time of the issuer's last completed cycle, so a reader of the previous payload (which skips the
/// appended field) takes it for a repeated mark and ignores it.
/// </remarks>
public sealed record TrackNumberNotice(
    TrackNumberNoticeKind Kind,
    Nation Issuer,
    DateTime Time,
    TrackNumber Kept,
    TrackNumber Retired,
    Marking Marking) : ICoalitionMessage
{
    /// <summary>Lock-step control carried by a mark-shaped notice (payload index 5); null for every other notice.</summary>
    public LockStepControl? Control { get; init; }
}

/// <summary>What a lock-step control message says about <see cref="LockStepControl.Node"/>.</summary>
public enum LockStepControlKind : byte
{
    /// <summary>
    /// The issuer holds <c>Node</c> absent and re-admits it at cycle <c>Cycle</c> (the re-join slot): from
    /// that cycle on, and not before, the node's batch of the cycle and its messages up to its end-of-cycle
    /// mark of the cycle before count again. Every holder takes the largest slot it has received.
    /// </summary>
    Hold = 1,

    /// <summary>
    /// The issuer (<c>Node</c> = issuer) restarted from its journal: its publications up to this message are
    /// what it published before the crash; <c>Cycle</c> is the first cycle it re-executes.
    /// </summary>
    Resume = 2,
}

/// <summary>A lock-step control message between node processes (re-join agreement).</summary>
/// <param name="Kind">What is announced.</param>
/// <param name="Node">The node concerned (the held partner, or the restarted issuer itself).</param>
/// <param name="Cycle">The re-join slot (<see cref="LockStepControlKind.Hold"/>) or the first re-executed cycle (<see cref="LockStepControlKind.Resume"/>); ≥ 1.</param>
public readonly record struct LockStepControl(LockStepControlKind Kind, Nation Node, long Cycle)
{
    /// <summary>A hold of <paramref name="node"/> until its re-join slot <paramref name="slot"/>.</summary>
    public static LockStepControl Hold(Nation node, long slot) => new(LockStepControlKind.Hold, node, slot);

    /// <summary>The restart announcement of <paramref name="node"/>, re-executing from cycle <paramref name="firstCycle"/>.</summary>
    public static LockStepControl Resume(Nation node, long firstCycle) => new(LockStepControlKind.Resume, node, firstCycle);
}

/// <summary>An early-warning alert on the bus.</summary>
public sealed record AlertMessage(Alert Alert) : ICoalitionMessage
{
    /// <inheritdoc />
    public Marking Marking => Alert.Marking;

    /// <inheritdoc />
    public DateTime Time => Alert.Time;
}

/// <summary>An engagement status change on the bus.</summary>
public sealed record EngagementMessage(Engagement Engagement) : ICoalitionMessage
{
    /// <inheritdoc />
    public Marking Marking => Engagement.Marking;

    /// <inheritdoc />
    public DateTime Time => Engagement.Time;
}
