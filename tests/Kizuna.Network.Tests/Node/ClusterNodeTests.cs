using Kizuna.Core;
using Kizuna.Network.Messages;
using Kizuna.Network.Node;
using static Kizuna.Network.Tests.Node.NodeHarness;

namespace Kizuna.Network.Tests.Node;

public sealed class ClusterNodeTests
{
    private static readonly Nation[] Nations = [Nation.Usa, Nation.Japan, Nation.Australia];

    /// <summary>
    /// Three nodes sharing all measurements; each receives its own plots and its partners' batches in a
    /// node-specific shuffled order. <paramref name="skip"/> withholds one batch from JPN at that step.
    /// </summary>
    private static List<NodeCycle[]> Run(int steps, int skip = -1)
    {
        var nodes = Nations.Select(n => NewNode(n, Nations)).ToArray();
        var plotRng = new Random(42);
        var orderRng = new Random(7);
        var cycles = new List<NodeCycle[]>();
        for (var s = 0; s < steps; s++)
        {
            var batches = Nations.Select((n, i) => new DetectionBatch(n, T0.AddSeconds(s), s,
                [.. Enumerable.Range(0, 5).Where(k => s < 25 || k != i).Select(k => Plot(s + (0.1 * i), $"{n}-R1", n, Position(k, s), 80 + (20 * i), plotRng, k + 1))],
                Marking.RelTo(n, Classification.Secret, Nations))).ToArray();
            for (var j = 0; j < nodes.Length; j++)
            {
                foreach (var b in batches.OrderBy(_ => orderRng.Next()))
                {
                    if (j == 1 && s == skip && b.Source == Nation.Usa)
                    {
                        continue;
                    }

                    if (b.Source == Nations[j])
                    {
                        node(j).ReceiveDetections([.. b.Detections.OrderBy(_ => orderRng.Next())]);
                    }
                    else
                    {
                        node(j).Receive(b with { Detections = [.. b.Detections.OrderBy(_ => orderRng.Next())] });
                    }
                }
            }

            cycles.Add([.. nodes.Select(n => n.Step(T0.AddSeconds(s + 0.5)))]);
        }

        return cycles;

        NationalNode node(int j) => nodes[j];
    }

    [Fact]
    public void Cluster_SameMeasurementsDifferentArrivalOrder_IdenticalTrackTableEveryCycle()
    {
        var cycles = Run(40);
        foreach (var c in cycles)
        {
            Assert.Equal(c[0].TrackTableHash, c[1].TrackTableHash);
            Assert.Equal(c[0].TrackTableHash, c[2].TrackTableHash);
            Assert.Equal(c[0].Picture.Select(p => p.Number), c[1].Picture.Select(p => p.Number));
            Assert.Equal(c[0].Picture.Select(p => p.Number), c[2].Picture.Select(p => p.Number));
        }

        // Five objects, five numbers from the cluster lead's (AUS) block, reported by AUS only.
        var last = cycles[^1];
        Assert.Equal(5, last[0].Picture.Length);
        Assert.All(last[0].Picture, p => Assert.InRange(p.Number.Value, 20_000, 27_999));
        Assert.All(last[0].Picture, p => Assert.Equal(Nation.Australia, p.ReportingNation));
        Assert.Equal(5, last[2].Reports.Length);
        Assert.Empty(last[0].Reports);
        Assert.Empty(last[1].Reports);
    }

    [Fact]
    public void Cluster_OneNodeMissesABatch_TrackTableHashDiffers()
    {
        var cycles = Run(12, skip: 8);
        Assert.Equal(cycles[7][0].TrackTableHash, cycles[7][1].TrackTableHash);
        Assert.NotEqual(cycles[8][0].TrackTableHash, cycles[8][1].TrackTableHash);
    }
}
