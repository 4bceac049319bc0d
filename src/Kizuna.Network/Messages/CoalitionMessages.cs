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
public sealed record TrackNumberNotice(
    TrackNumberNoticeKind Kind,
    Nation Issuer,
    DateTime Time,
    TrackNumber Kept,
    TrackNumber Retired,
    Marking Marking) : ICoalitionMessage;

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
