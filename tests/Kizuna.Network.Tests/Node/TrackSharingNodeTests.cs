using Kizuna.Core;
using Kizuna.Network.Messages;
using Kizuna.Network.Node;
using static Kizuna.Network.Tests.Node.NodeHarness;

namespace Kizuna.Network.Tests.Node;

public sealed class TrackSharingNodeTests
{
    [Fact]
    public void TwoNodesSharingTracks_SixObjects_OneNumberPerObjectAtBothNodesAndNoDuplicatesEver()
    {
        var usa = NewNode(Nation.Usa);
        var jpn = NewNode(Nation.Japan);
        var rng = new Random(99);
        NodeCycle? lastUsa = null, lastJpn = null;
        for (var s = 0; s < 60; s++)
        {
            for (var k = 0; k < 6; k++)
            {
                usa.ReceiveDetections([Plot(s, "USA-R1", Nation.Usa, Position(k, s), 50, rng, k + 1)]);
                jpn.ReceiveDetections([Plot(s, "JPN-R1", Nation.Japan, Position(k, s), 150, rng, k + 1)]);
            }

            // Last cycle's outputs arrive this cycle (one cycle of latency), notices first.
            Deliver(lastUsa, jpn);
            Deliver(lastJpn, usa);
            lastUsa = usa.Step(T0.AddSeconds(s));
            lastJpn = jpn.Step(T0.AddSeconds(s));
            Assert.Equal(lastUsa.Picture.Length, lastUsa.Picture.Select(p => p.Number).Distinct().Count());
            Assert.Equal(lastJpn.Picture.Length, lastJpn.Picture.Select(p => p.Number).Distinct().Count());
        }

        Assert.Equal(6, lastUsa!.Picture.Length);
        Assert.Equal(lastUsa.Picture.Select(p => p.Number), lastJpn!.Picture.Select(p => p.Number));
        Assert.All(lastJpn.Picture, p => Assert.Equal(Nation.Usa, p.ReportingNation)); // the better sensor reports
    }

    private static void Deliver(NodeCycle? cycle, NationalNode to)
    {
        if (cycle is null)
        {
            return;
        }

        foreach (var n in cycle.Notices)
        {
            to.Receive(n);
        }

        foreach (var r in cycle.Reports)
        {
            to.Receive(r);
        }
    }
}
