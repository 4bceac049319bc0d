using Kizuna.Core;
using Kizuna.Network.Messages;
using Kizuna.Network.Node;
using static Kizuna.Network.Tests.Node.NodeHarness;

namespace Kizuna.Network.Tests.Node;

public sealed class CorrelationNodeTests
{
    private const double Sigma = 60;

    /// <summary>JPN sees target 0; USA reports it as 01000 from <paramref name="from"/> with the given position offset(step).</summary>
    private static List<NodeCycle> Run(int steps, int from, Func<int, Vec3> offset, int usaQuality = 15)
    {
        var node = NewNode(Nation.Japan);
        var rng = new Random(5);
        var cycles = new List<NodeCycle>();
        for (var s = 0; s < steps; s++)
        {
            node.ReceiveDetections([Plot(s, "JPN-R1", Nation.Japan, Position(0, s), Sigma, rng)]);
            if (s >= from)
            {
                node.Receive(Report(Nation.Usa, 1_000, s, Position(0, s) + offset(s), Velocity(0), usaQuality));
            }

            cycles.Add(node.Step(T0.AddSeconds(s)));
        }

        return cycles;
    }

    [Fact]
    public void Correlate_AfterKConsistentReports_KeepsLowerNumberAndRetiresOtherWithNotice()
    {
        var cycles = Run(20, 8, _ => Vec3.Zero);
        Assert.Equal(10_000, Assert.Single(cycles[7].Picture).Number.Value); // JPN originated alone

        // k = 3: reports at 8, 9 pass; the 3rd (10) correlates.
        Assert.Equal(2, cycles[9].Picture.Length);
        var notice = Assert.Single(Notices(cycles, TrackNumberNoticeKind.Correlate));
        Assert.Equal(T0.AddSeconds(10), notice.Time);
        Assert.Equal(1_000, notice.Kept.Value);
        Assert.Equal(10_000, notice.Retired.Value);
        Assert.All(cycles.Skip(10), c => Assert.Equal(1_000, Assert.Single(c.Picture).Number.Value));
    }

    [Fact]
    public void Correlate_ReportsTwentyKilometresAway_NeverCorrelate()
    {
        var cycles = Run(20, 8, _ => new Vec3(20_000, 0, 0));
        Assert.Empty(Notices(cycles, TrackNumberNoticeKind.Correlate));
        Assert.Equal([1_000, 10_000], cycles[^1].Picture.Select(p => p.Number.Value).Order());
    }

    [Fact]
    public void Decorrelate_AfterMFailingReports_LocalTrackGetsNewNumberWithNotice()
    {
        // USA reports consistently from the start (JPN adopts 01000), then from step 15 its track drifts 8 km away.
        var cycles = Run(30, 0, s => s < 15 ? Vec3.Zero : new Vec3(8_000, 0, 0));
        Assert.Equal(1_000, Assert.Single(cycles[14].Picture).Number.Value);
        var notice = Assert.Single(Notices(cycles, TrackNumberNoticeKind.Decorrelate));
        Assert.Equal(T0.AddSeconds(17), notice.Time); // m = 3 failing reports: 15, 16, 17
        Assert.Equal(1_000, notice.Kept.Value);        // the USA-owned number stays with USA
        Assert.Equal(10_000, notice.Retired.Value);    // new number from the JPN block
        Assert.Equal([1_000, 10_000], cycles[^1].Picture.Select(p => p.Number.Value).Order());
        Assert.Contains(cycles[17].Reports, r => r.Number.Value == 10_000);
    }
}
