using Kizuna.Core;
using Kizuna.Network.Messages;
using Kizuna.Network.Node;
using Kizuna.Tracking.Trackers;
using static Kizuna.Network.Tests.Node.NodeHarness;

namespace Kizuna.Network.Tests.Node;

/// <summary>
/// Issue 3 at the node: plots reported late (ADS-B, 0.5 s) must be used by the node's own tracker,
/// not rejected behind the watermark its radar pushed forward in the previous cycle.
/// </summary>
public sealed class LateDetectionNodeTests
{
    private static readonly TimeSpan AdsbLatency = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan Cycle = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A two-sensor slice as the exercise engine delivers it, 1 s cycles: a radar (no latency) measures
    /// targets 0 and 1 at k + 0.9 s, delivered at cycle k + 1; an ADS-B receiver (0.5 s latency) measures
    /// targets 1 and 2 at k + 0.7 s, available at k + 1.2 s, so delivered at cycle k + 2 — older than the
    /// radar plots the tracker processed a cycle earlier. Target 2 is seen by ADS-B only (as truth 164 in
    /// the trilateral scenario). Returns the node after <paramref name="cycles"/> cycles.
    /// </summary>
    private static (NationalNode Node, List<NodeCycle> Cycles) RunSlice(TimeSpan lag, int cycles, Nation nation = default, NationalNode? partner = null, List<NodeCycle>? partnerCycles = null)
    {
        nation = nation.IsUnset ? Nation.Japan : nation;
        var node = NewNodeWithLag(nation, lag, partner is null ? [] : [nation, partner.Nation]);
        var rng = new Random(11);
        var out1 = new List<NodeCycle>();
        for (var c = 1; c <= cycles; c++)
        {
            var radarTime = c - 1 + 0.9;
            List<Detection> plots = [Plot(radarTime, "JPN-R1", nation, Position(0, radarTime), 80, rng, 1), Plot(radarTime, "JPN-R1", nation, Position(1, radarTime), 80, rng, 2)];
            if (c >= 2)
            {
                var adsbTime = c - 2 + 0.7;
                plots.Add(Plot(adsbTime, "JPN-ADSB", nation, Position(1, adsbTime), 10, rng, 2));
                plots.Add(Plot(adsbTime, "JPN-ADSB", nation, Position(2, adsbTime), 10, rng, 3));
            }

            node.ReceiveDetections([.. plots]);
            if (partner is not null)
            {
                partner.Receive(new DetectionBatch(nation, T0.AddSeconds(c), c, [.. plots], Marking.RelTo(nation, Classification.Secret, partner.Nation)));
            }

            out1.Add(node.Step(T0.AddSeconds(c)));
            partnerCycles?.Add(partner!.Step(T0.AddSeconds(c)));
        }

        return (node, out1);
    }

    private static NationalNode NewNodeWithLag(Nation nation, TimeSpan lag, Nation[] cluster) => new(new NodeOptions
    {
        Nation = nation,
        Tracker = NodeTrackerLag.Covering(new TrackerSettings(), lag),
        MeasurementCluster = [.. cluster],
        Rules = FastRules,
    });

    private static bool Holds(NationalNode node, int target, double t) =>
        node.Picture.Any(p => (p.Position.ToEcef() - Position(target, t)).Norm < 300);

    [Fact]
    public void Node_LagCoversAdsbLatency_OwnLateAdsbPlotsUsedNoneRejected()
    {
        var lag = NodeTrackerLag.For(AdsbLatency, Cycle);
        var (node, _) = RunSlice(lag, 40);

        var stats = node.Tracker.Statistics;
        Assert.Equal(0, stats.RejectedLate);
        Assert.Equal(stats.DetectionsReceived, stats.DetectionsProcessed + node.Tracker.PendingDetections);
        Assert.True(Holds(node, 2, 40), "the ADS-B-only target is not in the picture");
        Assert.Equal(3, node.Picture.Length);
    }

    [Fact]
    public void Node_NoLag_LateAdsbPlotsRejectedAndAdsbOnlyTargetLost()
    {
        // The control: the behaviour before issue 3's node fix (and a proof the test above can fail).
        var (node, _) = RunSlice(TimeSpan.Zero, 40);

        var stats = node.Tracker.Statistics;
        Assert.True(stats.RejectedLate >= 70, $"only {stats.RejectedLate} late plots rejected");
        Assert.False(Holds(node, 2, 40), "the ADS-B-only target is held without the lag");
    }

    [Fact]
    public void Node_WithLag_PictureStampedAtCycleTimeAndPredictedOverTheLag()
    {
        var lag = NodeTrackerLag.For(AdsbLatency, Cycle);
        var (node, cycles) = RunSlice(lag, 40);

        var last = cycles[^1];
        Assert.All(last.Picture, p => Assert.Equal(T0.AddSeconds(40), p.Time));
        Assert.All(node.Tracker.Tracks.ToArray(), t => Assert.True(t.Time <= T0.AddSeconds(40) - lag, $"track {t.Id} at {t.Time:O} is past the release time"));

        // Predicted to the cycle time: within 100 m of the truth then (220 m/s, so a picture left at
        // the track's own time would be ≥ 0.2 × 220 = 44 m plus the lag's 1.5 × 220 = 330 m behind).
        foreach (var k in new[] { 0, 1, 2 })
        {
            var d = node.Picture.Min(p => (p.Position.ToEcef() - Position(k, 40)).Norm);
            Assert.True(d < 100, $"target {k}: nearest picture track {d:0} m from the truth at the cycle time");
        }
    }

    [Fact]
    public void Cluster_WithLag_OwnLatePlotsSharedAsBatch_IdenticalTrackTableEveryCycle()
    {
        var lag = NodeTrackerLag.For(AdsbLatency, Cycle);
        var usa = NewNodeWithLag(Nation.Usa, lag, [Nation.Usa, Nation.Japan]);
        var usaCycles = new List<NodeCycle>();
        var (jpn, jpnCycles) = RunSlice(lag, 30, Nation.Japan, usa, usaCycles);

        Assert.Equal(0, jpn.Tracker.Statistics.RejectedLate);
        Assert.Equal(0, usa.Tracker.Statistics.RejectedLate);
        for (var i = 0; i < jpnCycles.Count; i++)
        {
            Assert.Equal(jpnCycles[i].TrackTableHash, usaCycles[i].TrackTableHash);
        }

        Assert.Equal(3, usa.Picture.Length);
    }

    [Fact]
    public void NodeTrackerLag_For_IsLatencyPlusOneCycle()
    {
        Assert.Equal(TimeSpan.FromSeconds(1.5), NodeTrackerLag.For(AdsbLatency, Cycle));
        Assert.Equal(TimeSpan.FromSeconds(2), NodeTrackerLag.For(TimeSpan.Zero, TimeSpan.FromSeconds(2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => NodeTrackerLag.For(TimeSpan.FromSeconds(-1), Cycle));
        Assert.Throws<ArgumentOutOfRangeException>(() => NodeTrackerLag.For(AdsbLatency, TimeSpan.Zero));
    }

    [Fact]
    public void NodeTrackerLag_Covering_RaisesButNeverLowersTheConfiguredLag()
    {
        var raised = NodeTrackerLag.Covering(new TrackerSettings(), TimeSpan.FromSeconds(1.5));
        Assert.Equal(1.5, raised.OutOfSequenceLagSeconds);
        var kept = NodeTrackerLag.Covering(new TrackerSettings { OutOfSequenceLagSeconds = 2 }, TimeSpan.FromSeconds(1.5));
        Assert.Equal(2, kept.OutOfSequenceLagSeconds);
    }
}
