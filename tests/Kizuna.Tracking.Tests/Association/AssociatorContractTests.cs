using Kizuna.Tracking.Association;

namespace Kizuna.Tracking.Tests.Association;

/// <summary>The data-associator contract, run over every implementation (STYLE.md: one contract test per role).</summary>
public class AssociatorContractTests
{
    private static readonly AssociationParameters Parameters = new(0.9, 0.99, 1e-3);

    public static TheoryData<string> Implementations => ["GNN", "JPDA", "JPDA-cheap"];

    internal static IDataAssociator Create(string name) => name switch
    {
        "GNN" => new GlobalNearestNeighbourAssociator(Parameters),
        "JPDA" => new JointProbabilisticDataAssociator(Parameters),
        "JPDA-cheap" => new JointProbabilisticDataAssociator(Parameters, maxEvents: 1),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Associate_RandomProblems_WeightsAreProbabilities(string name)
    {
        var associator = Create(name);
        var random = new Random(11);
        var result = new AssociationResult();
        for (var trial = 0; trial < 200; trial++)
        {
            var problem = ProblemBuilder.Random(random, random.Next(0, 8), random.Next(0, 8), 0.35);
            associator.Associate(problem, result);
            var perDetection = new double[problem.DetectionCount];
            for (var t = 0; t < problem.TrackCount; t++)
            {
                var sum = result.MissedWeight(t);
                Assert.InRange(sum, 0, 1);
                for (var pi = problem.FirstPair(t); pi < problem.FirstPair(t) + problem.PairCount(t); pi++)
                {
                    var w = result.PairWeights[pi];
                    Assert.InRange(w, 0, 1);
                    sum += w;
                    perDetection[problem.Pairs[pi].Detection] += w;
                }

                Assert.Equal(1, sum, 1e-9);
            }

            // No detection is given away more than once in total (exact for GNN and exact JPDA; the
            // cheap approximation keeps it within its normalisation).
            if (name != "JPDA-cheap")
            {
                Assert.All(perDetection, s => Assert.True(s <= 1 + 1e-9));
            }

            for (var d = 0; d < problem.DetectionCount; d++)
            {
                if (perDetection[d] > 0)
                {
                    Assert.True(result.IsClaimed(d));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Associate_IsolatedTrackWithCloseDetection_FavoursDetection(string name)
    {
        var associator = Create(name);
        var result = new AssociationResult();
        var problem = ProblemBuilder.Build(1, 2, (0, 1, -3.0));
        associator.Associate(problem, result);
        Assert.True(result.PairWeights[0] > 0.5);
        Assert.True(result.IsClaimed(1));
        Assert.False(result.IsClaimed(0));
        Assert.Equal(1, result.ClusterCount);
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Associate_NoPairs_AllTracksMissedNoDetectionClaimed(string name)
    {
        var associator = Create(name);
        var result = new AssociationResult();
        associator.Associate(ProblemBuilder.Build(3, 4), result);
        for (var t = 0; t < 3; t++)
        {
            Assert.Equal(1, result.MissedWeight(t));
        }

        for (var d = 0; d < 4; d++)
        {
            Assert.False(result.IsClaimed(d));
        }

        Assert.Equal(0, result.ClusterCount);
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Associate_SameProblemTwice_SameWeights(string name)
    {
        var associator = Create(name);
        var problem = ProblemBuilder.Random(new Random(3), 6, 6, 0.5);
        var a = new AssociationResult();
        var b = new AssociationResult();
        associator.Associate(problem, a);
        associator.Associate(problem, b);
        Assert.Equal(a.PairWeights.ToArray(), b.PairWeights.ToArray());
    }
}
