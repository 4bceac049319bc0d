using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Network.Messages;
using Kizuna.Network.Node;
using Kizuna.Network.Sharing;
using static Kizuna.Network.Tests.Node.NodeHarness;

namespace Kizuna.Network.Tests.Node;

/// <summary>Derived-data markings: a node's products are releasable only where every contributor allows.</summary>
public sealed class DerivedMarkingNodeTests
{
    private static readonly Nation Usa = Nation.Usa;
    private static readonly Nation Jpn = Nation.Japan;
    private static readonly Nation Aus = Nation.Australia;
    private static readonly Nation Gbr = Nation.UnitedKingdom;

    private static NationalNode Node(Nation nation, SharingAgreements agreements) => new(new NodeOptions
    {
        Nation = nation,
        Rules = FastRules,
        ReleasableTo = [Usa, Jpn, Aus, Gbr],
        Agreements = agreements,
    });

    /// <summary>Runs the USA node 20 s on one target; JPN plots (shared as batches) join when <paramref name="withJpnPlots"/>.</summary>
    private static (NationalNode Node, NodeCycle Last) RunUsa(SharingAgreements agreements, bool withJpnPlots)
    {
        var usa = Node(Usa, agreements);
        var rng = new Random(11);
        NodeCycle? last = null;
        for (var s = 0; s < 20; s++)
        {
            usa.ReceiveDetections([Plot(s, "USA-R1", Usa, Position(0, s), 60, rng)]);
            if (withJpnPlots && s >= 5)
            {
                var plot = Plot(s, "JPN-R1", Jpn, Position(0, s), 60, rng);
                usa.Receive(new DetectionBatch(Jpn, plot.Time, s, [plot], Marking.RelTo(Jpn, Classification.Secret, Usa, Aus, Gbr)));
            }

            last = usa.Step(T0.AddSeconds(s));
        }

        return (usa, last!);
    }

    private static ReleaseDecision Decide(SharingAgreements agreements, Nation to, ICoalitionMessage message) =>
        new ReleasePolicy(agreements, new InMemoryReleaseAuditLog(), TimeProvider.System).Decide(Usa, to, message);

    private static SharingAgreements WithJpnForwarding(SharingAgreements agreements, params Nation[] forwardTo) =>
        SharingAgreements.Create(agreements.All.Select(a => a.From == Jpn && a.To == Usa
            ? SharingAgreement.Create(Jpn, Usa, a.Share, a.PositionRoundingM, a.MaxClassification, forwardTo)
            : a), agreements.Guides, agreements.GatewaySettings);

    [Fact]
    public void UsaTrack_UpdatedByJpnPlots_NotReleasedToAusOrGbr()
    {
        var agreements = TestData.Trilateral();
        var (usa, last) = RunUsa(agreements, withJpnPlots: true);

        var report = Assert.Single(last.Reports);
        Assert.Equal([Jpn, Usa], usa.ContributorsOfLocalTrack(report.LocalTrackId));
        Assert.Equal([Jpn], report.Marking.ReleasableTo);
        Assert.True(Decide(agreements, Jpn, report).IsAllowed);
        foreach (var third in new[] { Aus, Gbr })
        {
            var d = Decide(agreements, third, report);
            Assert.False(d.IsAllowed);
            Assert.Contains("does not release to " + third.Code, d.Reason, StringComparison.Ordinal);
        }

        var picture = Assert.Single(last.Picture);
        Assert.Equal([Jpn], picture.Marking.ReleasableTo);
        Assert.Equal([Jpn, Usa], usa.ContributorsOf(picture.Number));
    }

    [Fact]
    public void UsaTrack_UpdatedByJpnPlots_ReleasedToAusOnlyWhenJpnForwardToNamesIt()
    {
        var agreements = WithJpnForwarding(TestData.Trilateral(), Aus);
        var (_, last) = RunUsa(agreements, withJpnPlots: true);

        var report = Assert.Single(last.Reports);
        Assert.Equal([Aus, Jpn], report.Marking.ReleasableTo);
        Assert.True(Decide(agreements, Aus, report).IsAllowed);
        Assert.False(Decide(agreements, Gbr, report).IsAllowed);
    }

    [Fact]
    public void UsaTrack_JpnBatchMarkingExcludesAus_NotReleasedToAusEvenWhenForwardToNamesIt()
    {
        var agreements = WithJpnForwarding(TestData.Trilateral(), Aus, Gbr);
        var usa = Node(Usa, agreements);
        var rng = new Random(5);
        NodeCycle? last = null;
        for (var s = 0; s < 20; s++)
        {
            usa.ReceiveDetections([Plot(s, "USA-R1", Usa, Position(0, s), 60, rng)]);
            var plot = Plot(s, "JPN-R1", Jpn, Position(0, s), 60, rng);
            usa.Receive(new DetectionBatch(Jpn, plot.Time, s, [plot], Marking.RelTo(Jpn, Classification.Secret, Usa, Gbr)));
            last = usa.Step(T0.AddSeconds(s));
        }

        Assert.Equal([Gbr, Jpn], Assert.Single(last!.Reports).Marking.ReleasableTo);
    }

    [Fact]
    public void UsaOnlyTrack_ReleasedPerUsaAgreements()
    {
        var agreements = TestData.Trilateral();
        var (usa, last) = RunUsa(agreements, withJpnPlots: false);

        var report = Assert.Single(last.Reports);
        Assert.Equal([Usa], usa.ContributorsOfLocalTrack(report.LocalTrackId));
        Assert.Equal([Aus, Gbr, Jpn], report.Marking.ReleasableTo);
        Assert.All([Jpn, Aus, Gbr], n => Assert.True(Decide(agreements, n, report).IsAllowed));
    }

    [Fact]
    public void AusPictureEntry_FusedWithJpnReport_ReleasableOnlyToJpn()
    {
        var agreements = TestData.Trilateral();
        var aus = Node(Aus, agreements);
        var rng = new Random(3);
        NodeCycle? last = null;
        for (var s = 0; s < 20; s++)
        {
            aus.ReceiveDetections([Plot(s, "AUS-R1", Aus, Position(0, s), 60, rng)]);
            aus.Receive(Report(Jpn, 10_001, s, Position(0, s), Velocity(0), 10) with
            {
                Marking = Marking.RelTo(Jpn, Classification.Confidential, Usa, Aus),
            });
            last = aus.Step(T0.AddSeconds(s));
        }

        var entry = Assert.Single(last!.Picture);
        Assert.Equal([Aus, Jpn], aus.ContributorsOf(entry.Number));
        Assert.Equal(ImmutableSortedSet.Create(Jpn), entry.Marking.ReleasableTo);
        Assert.False(entry.Marking.IsReleasableTo(Usa)); // JPN -> AUS names no forward_to, although JPN's marking lists USA
    }
}
