using System.Globalization;
using Kizuna.Defence.Assignment;

namespace Kizuna.Defence.Tests.Assignment;

public class WtaOptimalityTests
{
    private const int Instances = 240;

    [Fact]
    public void Planner_RandomSmallInstances_OptimalOn95PercentAndWithin1PercentOnAll()
    {
        var rng = new Random(20260301);
        int plannerOptimal = 0, heuristicOptimal = 0, exactOptimal = 0;
        double plannerWorstGap = 0, heuristicWorstGap = 0;
        for (var n = 0; n < Instances; n++)
        {
            var instance = RandomInstance(rng);
            var optimum = BruteForce(instance);

            var planner = WtaSolver.Solve(instance);
            var heuristic = LocalSearch.Improve(instance, MaximumMarginalReturn.Solve(instance));
            var exact = BranchAndBound.Solve(instance);

            Assert.True(instance.IsFeasible(planner.Counts));
            Assert.True(instance.IsFeasible(heuristic.Counts));
            Assert.True(exact.Proven);
            plannerOptimal += IsOptimal(planner.Value, optimum) ? 1 : 0;
            heuristicOptimal += IsOptimal(heuristic.Value, optimum) ? 1 : 0;
            exactOptimal += IsOptimal(exact.Solution.Value, optimum) ? 1 : 0;
            plannerWorstGap = Math.Max(plannerWorstGap, Gap(planner.Value, optimum));
            heuristicWorstGap = Math.Max(heuristicWorstGap, Gap(heuristic.Value, optimum));
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"instances {Instances}: planner optimal {plannerOptimal} (worst gap {plannerWorstGap:P3}); " +
            $"MMR+local alone optimal {heuristicOptimal} (worst gap {heuristicWorstGap:P3}); B&B optimal {exactOptimal}"));
        Assert.Equal(Instances, exactOptimal);
        Assert.True(plannerOptimal >= 0.95 * Instances, $"planner optimal on {plannerOptimal}/{Instances}");
        Assert.True(plannerWorstGap <= 0.01, $"planner worst gap {plannerWorstGap:P3}");
    }

    [Fact]
    public void GreedyWithLocalSearch_RandomSmallInstances_OptimalOn95PercentAndWithin1PercentOnAll()
    {
        // The heuristic alone (what runs on instances too large for the exact search) on the same kind of instances.
        var rng = new Random(77);
        int optimal = 0;
        double worst = 0;
        for (var n = 0; n < Instances; n++)
        {
            var instance = RandomInstance(rng);
            var optimum = BruteForce(instance);
            var heuristic = LocalSearch.Improve(instance, MaximumMarginalReturn.Solve(instance));
            optimal += IsOptimal(heuristic.Value, optimum) ? 1 : 0;
            worst = Math.Max(worst, Gap(heuristic.Value, optimum));
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"MMR+local: optimal {optimal}/{Instances}, worst gap {worst:P3}"));
        Assert.True(optimal >= 0.95 * Instances, $"MMR+local optimal on {optimal}/{Instances}");
        Assert.True(worst <= 0.01, $"MMR+local worst gap {worst:P3}");
    }

    [Fact]
    public void Greedy_IdenticalWeapons_IsOptimal()
    {
        // den Broeder et al. (1959): MMR is optimal when all weapons are identical per target.
        var rng = new Random(5);
        for (var n = 0; n < 50; n++)
        {
            var w = rng.Next(1, 4);
            var t = rng.Next(1, 4);
            var pkPerTarget = Enumerable.Range(0, t).Select(_ => 0.2 + (0.7 * rng.NextDouble())).ToArray();
            var pk = new double[w * t];
            for (var i = 0; i < w; i++)
            {
                for (var j = 0; j < t; j++)
                {
                    pk[(i * t) + j] = pkPerTarget[j];
                }
            }

            var instance = new WtaInstance(
                Enumerable.Range(0, t).Select(_ => 1 + (9 * rng.NextDouble())).ToArray(),
                Enumerable.Range(0, w).Select(_ => rng.Next(0, 3)).ToArray(), pk, maxPerPair: 3);
            Assert.True(IsOptimal(MaximumMarginalReturn.Solve(instance).Value, BruteForce(instance)));
        }
    }

    [Fact]
    public void Solver_InfeasiblePairs_NeverAssigned()
    {
        var instance = new WtaInstance([10, 5], [3, 3], [0, 0.5, 0.9, 0], maxPerPair: 2);
        var s = WtaSolver.Solve(instance);

        Assert.Equal(0, s.Counts[0]);
        Assert.Equal(0, s.Counts[3]);
        Assert.Equal(2, s.Counts[1]);
        Assert.Equal(2, s.Counts[2]);
    }

    [Fact]
    public void Solver_RoundCostAboveMarginalValue_HoldsFire()
    {
        var instance = new WtaInstance([1.0], [4], [0.5], maxPerPair: 4, roundCost: 0.3);
        var s = WtaSolver.Solve(instance);

        // Gains 0.5, 0.25, … minus cost 0.3: only the first round pays.
        Assert.Equal(1, s.Counts[0]);
        Assert.Equal(0.2, s.Value, 12);
    }

    private static bool IsOptimal(double value, double optimum) => value >= optimum - 1e-9;

    private static double Gap(double value, double optimum) => optimum <= 0 ? 0 : Math.Max(0, (optimum - value) / optimum);

    private static WtaInstance RandomInstance(Random rng)
    {
        while (true)
        {
            var w = rng.Next(1, 5);
            var t = rng.Next(1, 5);
            var maxPerPair = rng.Next(1, 3);
            var values = Enumerable.Range(0, t).Select(_ => Math.Round(1 + (9 * rng.NextDouble()), 1)).ToArray();
            var capacity = Enumerable.Range(0, w).Select(_ => rng.Next(0, 4)).ToArray();
            var pk = new double[w * t];
            for (var k = 0; k < pk.Length; k++)
            {
                pk[k] = rng.NextDouble() < 0.7 ? 0.2 + (0.75 * rng.NextDouble()) : 0;
            }

            var cost = rng.NextDouble() < 0.8 ? 0 : 0.5 * rng.NextDouble();
            var instance = new WtaInstance(values, capacity, pk, maxPerPair, cost);
            double space = 1;
            for (var i = 0; i < w; i++)
            {
                space *= WeaponVectors(instance, i).Count;
            }

            if (space <= 100_000)
            {
                return instance;
            }
        }
    }

    /// <summary>Exhaustive enumeration of every feasible count matrix.</summary>
    private static double BruteForce(WtaInstance instance)
    {
        var perWeapon = Enumerable.Range(0, instance.Weapons).Select(i => WeaponVectors(instance, i)).ToArray();
        var counts = new int[instance.Weapons * instance.Targets];
        var best = double.NegativeInfinity;
        void Recurse(int i)
        {
            if (i == instance.Weapons)
            {
                best = Math.Max(best, instance.Evaluate(counts));
                return;
            }

            foreach (var v in perWeapon[i])
            {
                Array.Copy(v, 0, counts, i * instance.Targets, instance.Targets);
                Recurse(i + 1);
            }
        }

        Recurse(0);
        return best;
    }

    private static List<int[]> WeaponVectors(WtaInstance instance, int i)
    {
        var t = instance.Targets;
        var result = new List<int[]>();
        var v = new int[t];
        void Recurse(int j, int used)
        {
            if (j == t)
            {
                result.Add((int[])v.Clone());
                return;
            }

            var limit = instance.Pk(i, j) > 0 ? Math.Min(instance.MaxPerPair, instance.Capacity(i) - used) : 0;
            for (var x = 0; x <= limit; x++)
            {
                v[j] = x;
                Recurse(j + 1, used + x);
            }

            v[j] = 0;
        }

        Recurse(0, 0);
        return result;
    }
}
