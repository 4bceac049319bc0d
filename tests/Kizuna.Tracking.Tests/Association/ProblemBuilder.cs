using Kizuna.Tracking.Association;

namespace Kizuna.Tracking.Tests.Association;

/// <summary>Builds association problems from (track, detection, log-likelihood) triples.</summary>
internal static class ProblemBuilder
{
    public static AssociationProblem Build(int tracks, int detections, params (int T, int D, double LogLikelihood)[] pairs)
    {
        var problem = new AssociationProblem();
        problem.Reset(tracks, detections);
        foreach (var (t, d, ll) in pairs.OrderBy(p => p.T))
        {
            problem.Add(new GatedPair(t, d, -2 * ll, ll));
        }

        return problem;
    }

    /// <summary>A random problem: each track gates each detection with probability <paramref name="density"/>.</summary>
    public static AssociationProblem Random(Random random, int tracks, int detections, double density)
    {
        var list = new List<(int, int, double)>();
        for (var t = 0; t < tracks; t++)
        {
            for (var d = 0; d < detections; d++)
            {
                if (random.NextDouble() < density)
                {
                    list.Add((t, d, -(random.NextDouble() * 6) - 1));
                }
            }
        }

        return Build(tracks, detections, [.. list]);
    }
}
