using Kizuna.Core;
using Kizuna.Metrics;

namespace Kizuna.Metrics.Tests;

public class CommonalityTests
{
    [Fact]
    public void Compute_ThreeNodesTwoAgree_IsOneThird()
    {
        // One truth at the origin, t = 0..4. Nodes A and B report it as track 5, node C as track 8.
        // Each time: 3 nodes hold it → 3 pairs, 1 agreeing (A,B). Run: 5/15 = 1/3.
        var truths = Enumerable.Range(0, 5).Select(t => new TruthSample(t, 1, Vec3.Zero, Vec3.Zero)).ToList();
        List<TrackSample> Track(long id) => [.. Enumerable.Range(0, 5).Select(t => new TrackSample(t, id, new Vec3(2, 0, 0), Vec3.Zero))];
        var result = CommonalityCalculator.Compute(
            [new NodePicture("USA", Track(5)), new NodePicture("JPN", Track(5)), new NodePicture("AUS", Track(8))],
            truths,
            new TrackToTruthAssociator(50));
        Assert.Equal(1.0 / 3, result.Value, 12);
        Assert.Equal((15, 5), (result.TotalPairs, result.TotalAgreeingPairs));
        Assert.Equal(5, result.Steps.Count);
        Assert.All(result.Steps, s => Assert.Equal(3, s.NodesHolding));
    }

    [Fact]
    public void Compute_SingleNode_HasNoPairs()
    {
        var truths = Enumerable.Range(0, 3).Select(t => new TruthSample(t, 1, Vec3.Zero, Vec3.Zero)).ToList();
        var tracks = Enumerable.Range(0, 3).Select(t => new TrackSample(t, 5, Vec3.Zero, Vec3.Zero)).ToList();
        var result = CommonalityCalculator.Compute([new NodePicture("USA", tracks)], truths, new TrackToTruthAssociator(50));
        Assert.Equal(0, result.TotalPairs);
        Assert.Empty(result.Steps);
    }
}
