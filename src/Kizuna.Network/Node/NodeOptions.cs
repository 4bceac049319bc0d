using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Network.Picture;
using Kizuna.Network.Sharing;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Network.Node;

/// <summary>
/// Thresholds of the picture-management rules (docs/network.md). Every value is a Kizuna project
/// default, not a value of any military standard.
/// </summary>
public sealed record PictureRules
{
    /// <summary>The project defaults.</summary>
    public static PictureRules Default { get; } = new();

    /// <summary>R2-3: the local quality must beat the holder's by at least this many TQ steps.</summary>
    public int TakeoverMargin { get; init; } = 2;

    /// <summary>R2-3: … on this many consecutive local updates.</summary>
    public int TakeoverUpdates { get; init; } = 3;

    /// <summary>Nominal interval between two reports of one track by its R2 holder.</summary>
    public TimeSpan ReportInterval { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>R2-3: a holder silent this long may be replaced by any unit with quality &gt; 0.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>R2-7: a number nobody updated for this long is dropped.</summary>
    public TimeSpan DropAfter { get; init; } = TimeSpan.FromSeconds(24);

    /// <summary>C-1: consecutive passing tests before two tracks are correlated (k).</summary>
    public int CorrelateAfter { get; init; } = 3;

    /// <summary>C-3: consecutive failing tests before correlated tracks are split (m).</summary>
    public int DecorrelateAfter { get; init; } = 3;

    /// <summary>Gate probability of the 6-degree-of-freedom χ² correlation test.</summary>
    public double CorrelationGateProbability { get; init; } = 0.99;

    /// <summary>Process noise (m²/s³) used to predict a remote state to the local time.</summary>
    public double ProcessNoise { get; init; } = 20;

    /// <summary>How long a retired or dropped number stays unusable.</summary>
    public TimeSpan NumberQuarantine { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>R2-2: a new local track that gates with a remote track waits this long to adopt its number before it gets its own.</summary>
    public TimeSpan OriginationHold { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="ArgumentException"/> for out-of-range values.</summary>
    public void Validate()
    {
        if (TakeoverMargin < 1 || TakeoverUpdates < 1 || CorrelateAfter < 1 || DecorrelateAfter < 1)
        {
            throw new ArgumentException("Margins and hysteresis counts must be at least 1.");
        }

        if (ReportInterval < TimeSpan.Zero || StaleAfter <= TimeSpan.Zero || DropAfter < StaleAfter || NumberQuarantine < TimeSpan.Zero || OriginationHold < TimeSpan.Zero)
        {
            throw new ArgumentException("Times must be positive and DropAfter >= StaleAfter.");
        }

        if (!(CorrelationGateProbability is > 0 and < 1) || !(ProcessNoise >= 0))
        {
            throw new ArgumentException("Gate probability must be in (0, 1) and process noise >= 0.");
        }
    }
}

/// <summary>Configuration of one <see cref="NationalNode"/>.</summary>
public sealed record NodeOptions
{
    /// <summary>The node's nation.</summary>
    public required Nation Nation { get; init; }

    /// <summary>
    /// The tracker (must use the ECEF frame). Every node of a measurement-sharing cluster must use
    /// the same settings, or their pictures differ.
    /// </summary>
    public TrackerSettings Tracker { get; init; } = new();

    /// <summary>The coalition's track-number plan.</summary>
    public TrackNumberPlan NumberPlan { get; init; } = TrackNumberPlan.Default;

    /// <summary>
    /// The nations that share all their measurements with this node and receive all of its own
    /// (the CEC-like cluster); may include or omit this node's nation. Empty: the node is alone.
    /// </summary>
    public ImmutableSortedSet<Nation> MeasurementCluster { get; init; } = [];

    /// <summary>Picture-management thresholds.</summary>
    public PictureRules Rules { get; init; } = PictureRules.Default;

    /// <summary>
    /// Nations the node's own data (reports and notices) is marked releasable to (the bus still
    /// applies the agreements). Data derived from partners' contributions is narrowed further
    /// (<see cref="DerivedDataMarking"/>).
    /// </summary>
    public ImmutableSortedSet<Nation> ReleasableTo { get; init; } = [];

    /// <summary>
    /// The sharing agreements in force: their <c>forward_to</c> lists decide where data derived from
    /// a partner's measurements or reports may go, and the node's nation's
    /// <see cref="ClassificationGuide"/> classifies what it publishes by content (track reports at
    /// <see cref="ClassificationGuide.Tracks"/>, notices at <see cref="ClassificationGuide.TrackNumbers"/>).
    /// <see cref="SharingAgreements.None"/> (the default): a partner's contribution goes back to that
    /// partner only, and everything is SECRET.
    /// </summary>
    public SharingAgreements Agreements { get; init; } = SharingAgreements.None;
}

/// <summary>
/// The out-of-sequence lag a national node's tracker runs with, so that its own late plots (ADS-B,
/// reported after a latency) and its measurement partners' plots are processed in time order
/// instead of being rejected behind the tracker's watermark.
/// </summary>
/// <remarks>
/// <para><b>Rule.</b> L = λ_max + Δ, with λ_max the longest reporting latency (measurement time to
/// delivery) of the position sensors whose plots reach the node, and Δ the node's cycle interval.</para>
/// <para><b>Why it suffices.</b> At cycle T − Δ the tracker processed every plot up to T − Δ − L, so
/// its watermark (time of the last processed frame) is at most T − Δ − L. A plot measured at t_m
/// with latency λ is delivered at the first cycle at or after t_m + λ; one delivered at cycle T was
/// not yet there at T − Δ, so t_m &gt; T − Δ − λ. A partner's plot forwarded one cycle late (a node
/// process waiting for a late partner, docs/network.md "Processes") has t_m &gt; T − 2Δ − λ. Both
/// are at or after the watermark when L ≥ λ + Δ, so the tracker's reorder buffer
/// (<see cref="MultiTargetTracker"/>, <c>OutOfSequenceLag</c>) sorts them in; a plot later than
/// that is rejected and counted (<see cref="TrackerStatistics.RejectedLate"/>) unless the out-of-sequence update takes it.</para>
/// <para><b>Cost.</b> Every plot waits L before the tracker uses it: the picture, still stamped with
/// the cycle time, is a prediction over L from the newest processed data (about 1.5 s for the
/// scenarios' 0.5 s ADS-B latency and 1 s cycles). Angles-only space infrared, with its 10 s
/// latency, is deliberately not covered: a 10 s lag would delay every track by 10 s; its late
/// plots are not held for the lag but take the tracker's out-of-sequence update by retrodiction
/// (<see cref="TrackerOptions.MaxOutOfSequenceAge"/>, set by the CLI's <c>ScenarioTrackerLag</c>; docs/network.md).</para>
/// <para>Nodes of a measurement-sharing cluster must use the same lag, or their track tables differ.</para>
/// </remarks>
public static class NodeTrackerLag
{
    /// <summary>L = <paramref name="longestReportingLatency"/> + <paramref name="cycleInterval"/>.</summary>
    /// <param name="longestReportingLatency">Longest latency (measurement to delivery) of the position sensors feeding the node; ≥ 0.</param>
    /// <param name="cycleInterval">The interval between the node's cycles; &gt; 0.</param>
    public static TimeSpan For(TimeSpan longestReportingLatency, TimeSpan cycleInterval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(longestReportingLatency, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(cycleInterval, TimeSpan.Zero);
        return longestReportingLatency + cycleInterval;
    }

    /// <summary>
    /// <paramref name="tracker"/> with its out-of-sequence lag raised to <paramref name="lag"/>; a
    /// configured lag that is already longer is kept (never lowered).
    /// </summary>
    public static TrackerSettings Covering(TrackerSettings tracker, TimeSpan lag)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        return tracker.OutOfSequenceLagSeconds >= lag.TotalSeconds ? tracker : tracker with { OutOfSequenceLagSeconds = lag.TotalSeconds };
    }
}
