using Kizuna.Tracking.Association;

namespace Kizuna.Tracking.Tests.Association;

public class ClusterBuilderTests
{
    /// <summary>Tracks 0–1–2 are chained through shared detections; track 3 is alone; track 4 gates nothing.</summary>
    [Fact]
    public void Build_ChainedAndSeparateTracks_GroupsByConnectivity()
    {
        var problem = ProblemBuilder.Build(5, 5, (0, 0, -1.0), (1, 0, -1.0), (1, 1, -1.0), (2, 1, -1.0), (3, 4, -1.0));
        var clusters = new ClusterBuilder();
        clusters.Build(problem);
        Assert.Equal(2, clusters.Count);
        Assert.Equal([0, 1, 2], clusters.Tracks(0).ToArray());
        Assert.Equal([0, 1], clusters.Detections(0).ToArray());
        Assert.Equal(4, clusters.Pairs(0).Length);
        Assert.Equal([3], clusters.Tracks(1).ToArray());
        Assert.Equal([4], clusters.Detections(1).ToArray());
        Assert.Equal(0, clusters.LocalDetection(4));
        Assert.Equal(2, clusters.LocalTrack(2));
    }

    /// <summary>Every pair lands in exactly one cluster, and no detection appears in two clusters.</summary>
    [Fact]
    public void Build_RandomProblems_PartitionsPairsAndDetections()
    {
        var random = new Random(9);
        var clusters = new ClusterBuilder();
        for (var trial = 0; trial < 100; trial++)
        {
            var problem = ProblemBuilder.Random(random, random.Next(0, 30), random.Next(0, 30), 0.05);
            clusters.Build(problem);
            var pairs = new List<int>();
            var detections = new List<int>();
            for (var k = 0; k < clusters.Count; k++)
            {
                pairs.AddRange(clusters.Pairs(k).ToArray());
                detections.AddRange(clusters.Detections(k).ToArray());
            }

            Assert.Equal(Enumerable.Range(0, problem.Pairs.Length), pairs.Order());
            Assert.Equal(detections.Count, detections.Distinct().Count());
        }
    }
}
