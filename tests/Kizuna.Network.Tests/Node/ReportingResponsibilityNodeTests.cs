using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Network.Messages;
using Kizuna.Network.Node;
using static Kizuna.Network.Tests.Node.NodeHarness;

namespace Kizuna.Network.Tests.Node;

public sealed class ReportingResponsibilityNodeTests
{
    private const int Steps = 30;
    private const double Sigma = 60;
    private const int Seed = 11;
    private const int UsaNumber = 1_000;

    /// <summary>JPN sees target 0 itself; USA reports it as 01000 with quality <paramref name="remoteQuality"/>(step).</summary>
    private static List<NodeCycle> Run(Func<int, int, int> remoteQuality, Nation remote, int steps = Steps, int number = UsaNumber, int remoteFrom = 0)
    {
        var local = LocalQualities(steps, Sigma, Seed);
        var node = NewNode(Nation.Japan);
        var rng = new Random(Seed);
        var cycles = new List<NodeCycle>();
        for (var s = 0; s < steps; s++)
        {
            node.ReceiveDetections([Plot(s, "JPN-R1", Nation.Japan, Position(0, s), Sigma, rng)]);
            var q = remoteQuality(s, local[s]);
            if (s >= remoteFrom && q >= 0)
            {
                node.Receive(Report(remote, number, s, Position(0, s), Velocity(0), q));
            }

            cycles.Add(node.Step(T0.AddSeconds(s)));
        }

        return cycles;
    }

    [Fact]
    public void Takeover_LocalBetterByMarginOnNUpdates_TakesOverWithNoticeAndReports()
    {
        var cycles = Run((_, q) => Math.Max(0, q - 2), Nation.Usa);
        var takeovers = Notices(cycles, TrackNumberNoticeKind.Takeover);
        var notice = Assert.Single(takeovers);
        Assert.Equal(new TrackNumber(UsaNumber), notice.Kept);
        Assert.Equal(Nation.Japan, notice.Issuer);

        // Adopted after k = 3 passing tests; takeover on the N = 3rd consecutive clearly-better update (the adoption cycle counts).
        var adopted = cycles.FindIndex(c => c.Picture.Any(p => p.Number.Value == UsaNumber && p.Sensors.Contains("JPN-R1")));
        var taken = cycles.FindIndex(c => c.Notices.Any(n => n.Kind == TrackNumberNoticeKind.Takeover));
        Assert.True(adopted > 0);
        Assert.Equal(adopted + 2, taken);
        Assert.All(cycles.Take(taken), c => Assert.Empty(c.Reports));
        Assert.All(cycles.Skip(taken), c => Assert.Equal(UsaNumber, Assert.Single(c.Reports).Number.Value));
    }

    [Fact]
    public void Takeover_LocalBetterByLessThanMargin_NeverTakesOver()
    {
        var cycles = Run((_, q) => Math.Max(0, q - 1), Nation.Usa);
        Assert.Empty(Notices(cycles, TrackNumberNoticeKind.Takeover));
        Assert.All(cycles, c => Assert.Empty(c.Reports));
        Assert.Contains(cycles[^1].Picture, p => p.Number.Value == UsaNumber && p.ReportingNation == Nation.Usa);
    }

    [Fact]
    public void HandBack_HolderSeesClearlyBetterReport_YieldsAndFallsSilent()
    {
        // USA poor until step 15 (JPN takes over), then clearly better: JPN hands back.
        var cycles = Run((s, q) => s < 15 ? 0 : Math.Min(15, q + 2), Nation.Usa);
        Assert.Single(Notices(cycles.Take(15), TrackNumberNoticeKind.Takeover));
        Assert.NotEmpty(cycles[14].Reports);
        Assert.All(cycles.Skip(15), c => Assert.Empty(c.Reports));
        Assert.Equal(Nation.Usa, Assert.Single(cycles[^1].Picture).ReportingNation);
    }

    [Theory]
    [InlineData("AUS", "AUS")]
    [InlineData("USA", "JPN")]
    public void TieBreak_EqualQualityClaims_LowerNationCodeHolds(string other, string expected)
    {
        // JPN originates 10000 alone; from step 12 the other nation reports 10000 with JPN's exact quality.
        var cycles = Run((_, q) => q, Nation.Parse(other), number: 10_000, remoteFrom: 12);
        Assert.Equal(10_000, cycles[11].Picture.Single().Number.Value);
        var last = Assert.Single(cycles[^1].Picture);
        Assert.Equal(Nation.Parse(expected), last.ReportingNation);
        Assert.Equal(expected == "JPN", cycles[^1].Reports.Length == 1);
    }

    [Fact]
    public void Drop_HolderSilentAndNoLocalTrack_RemovesNumberAfterDropTime()
    {
        var node = NewNode(Nation.Japan);
        for (var s = 0; s < 5; s++)
        {
            node.Receive(Report(Nation.Usa, UsaNumber, s, Position(0, s), Velocity(0), 12));
            node.Step(T0.AddSeconds(s));
        }

        var lastHeard = 4.0;
        var rules = FastRules;
        NodeCycle c;
        var s2 = 5;
        do
        {
            c = node.Step(T0.AddSeconds(s2++));
        }
        while (c.Picture.Length > 0 && s2 < 100);

        Assert.Equal(lastHeard + rules.DropAfter.TotalSeconds + 1, s2 - 1); // first cycle strictly past DropAfter
        Assert.Empty(c.Notices); // a USA number: only its owner announces the drop
    }

    [Fact]
    public void Drop_OwnNumberAfterLocalTrackLost_OwnerIssuesDropNotice()
    {
        var node = NewNode(Nation.Japan);
        var rng = new Random(3);
        var cycles = new List<NodeCycle>();
        for (var s = 0; s < 100; s++)
        {
            if (s < 10)
            {
                node.ReceiveDetections([Plot(s, "JPN-R1", Nation.Japan, Position(0, s), Sigma, rng)]);
            }

            cycles.Add(node.Step(T0.AddSeconds(s)));
        }

        var drop = Assert.Single(Notices(cycles, TrackNumberNoticeKind.Drop));
        Assert.Equal(10_000, drop.Kept.Value);
        Assert.Empty(cycles[^1].Picture);
        Assert.True(drop.Time > T0.AddSeconds(9 + 24));
    }
    [Fact]
    public void Takeover_NoticeArrivesAsHoldersLocalTrackIsDeleted_TakeoverAppliedWithoutFailure()
    {
        // Found by the partition process test: JPN holds 10000 from its own track; the track is deleted
        // (plots stop) while USA, which also reports 10000, announces a takeover every cycle. A deleted
        // local track defends nothing: the takeover must be applied, not crash the node.
        var node = NewNode(Nation.Japan);
        var rng = new Random(5);
        var marking = Report(Nation.Usa, 10_000, 0, Position(0, 0), Velocity(0), 1).Marking;
        for (var s = 0; s < 80; s++)
        {
            if (s < 10)
            {
                node.ReceiveDetections([Plot(s, "JPN-R1", Nation.Japan, Position(0, s), Sigma, rng)]);
            }

            if (s >= 3)
            {
                node.Receive(Report(Nation.Usa, 10_000, s, Position(0, s), Velocity(0), 1));
                node.Receive(new TrackNumberNotice(TrackNumberNoticeKind.Takeover, Nation.Usa, T0.AddSeconds(s),
                    new TrackNumber(10_000), TrackNumber.None, marking));
            }

            node.Step(T0.AddSeconds(s));
        }

        var last = Assert.Single(node.Step(T0.AddSeconds(80)).Picture);
        Assert.Equal(10_000, last.Number.Value);
        Assert.Equal(Nation.Usa, last.ReportingNation);
    }
}
