using Kizuna.Tracking.Association;

namespace Kizuna.Tracking.Tests.Association;

public class GnnTests
{
    private static readonly AssociationParameters Parameters = new(0.9, 0.99, 1e-3);

    /// <summary>
    /// Greedy nearest neighbour would give detection 0 to track 0 (its best) and leave track 1 with
    /// nothing; the global optimum gives detection 1 to track 0 and detection 0 to track 1.
    /// </summary>
    [Fact]
    public void Associate_GreedyTrap_FindsGlobalOptimum()
    {
        var problem = ProblemBuilder.Build(2, 2, (0, 0, -1.0), (0, 1, -1.5), (1, 0, -1.2));
        var result = new AssociationResult();
        new GlobalNearestNeighbourAssociator(Parameters).Associate(problem, result);
        Assert.Equal([0.0, 1.0, 1.0], result.PairWeights.ToArray());
        Assert.Equal(0, result.MissedWeight(0));
        Assert.Equal(0, result.MissedWeight(1));
    }

    /// <summary>Over random clusters, the assignment's cost equals the brute-force minimum over all feasible joint events.</summary>
    [Fact]
    public void Associate_RandomProblems_MatchesBruteForceMinimum()
    {
        var random = new Random(5);
        var gnn = new GlobalNearestNeighbourAssociator(Parameters);
        var result = new AssociationResult();
        var miss = -Parameters.LogMissWeight;
        for (var trial = 0; trial < 300; trial++)
        {
            var problem = ProblemBuilder.Random(random, random.Next(1, 6), random.Next(1, 6), 0.5);
            gnn.Associate(problem, result);
            var pairs = problem.Pairs.ToArray();
            double Cost(int pi) => -(Parameters.LogDetectionWeight + pairs[pi].LogLikelihood);
            var got = 0.0;
            for (var t = 0; t < problem.TrackCount; t++)
            {
                got += result.MissedWeight(t) == 1 ? miss : 0;
            }

            for (var pi = 0; pi < pairs.Length; pi++)
            {
                got += result.PairWeights[pi] == 1 ? Cost(pi) : 0;
            }

            var best = double.PositiveInfinity;
            void Search(int t, double acc, HashSet<int> used)
            {
                if (t == problem.TrackCount)
                {
                    best = Math.Min(best, acc);
                    return;
                }

                Search(t + 1, acc + miss, used);
                for (var pi = problem.FirstPair(t); pi < problem.FirstPair(t) + problem.PairCount(t); pi++)
                {
                    if (used.Add(pairs[pi].Detection))
                    {
                        Search(t + 1, acc + Cost(pi), used);
                        used.Remove(pairs[pi].Detection);
                    }
                }
            }

            Search(0, 0, []);
            Assert.Equal(best, got, 1e-9);
        }
    }

    /// <summary>A detection far in the tail of the gate (costlier than a miss) is left for initiation.</summary>
    [Fact]
    public void Associate_DetectionLessLikelyThanMiss_TrackMissed()
    {
        // Cost = −ln(P_D/λ) − ll = −6.8 − ll; the miss cost is −ln(1 − 0.891) = 2.2, so ll = −10 loses.
        var problem = ProblemBuilder.Build(1, 1, (0, 0, -10.0));
        var result = new AssociationResult();
        new GlobalNearestNeighbourAssociator(Parameters).Associate(problem, result);
        Assert.Equal(1, result.MissedWeight(0));
        Assert.False(result.IsClaimed(0));
    }
}
