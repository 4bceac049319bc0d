using Kizuna.Core.Algorithms;

namespace Kizuna.Core.Tests.Algorithms;

public class LinearAssignmentSolverTests
{
    private const double Inf = double.PositiveInfinity;

    /// <summary>Exhaustive optimum over every injective map of the smaller side (∞ when infeasible).</summary>
    private static double BruteForce(double[] costs, int rows, int cols)
    {
        var transposed = rows > cols;
        var n = transposed ? cols : rows;
        var m = transposed ? rows : cols;
        var used = new bool[m];
        var best = Inf;

        void Recurse(int r, double acc)
        {
            if (r == n)
            {
                best = Math.Min(best, acc);
                return;
            }

            for (var j = 0; j < m; j++)
            {
                if (used[j])
                {
                    continue;
                }

                var c = transposed ? costs[(j * cols) + r] : costs[(r * cols) + j];
                if (double.IsPositiveInfinity(c))
                {
                    continue;
                }

                used[j] = true;
                Recurse(r + 1, acc + c);
                used[j] = false;
            }
        }

        Recurse(0, 0);
        return best;
    }

    private static void AssertValidAssignment(int[] colForRow, int rows, int cols, double[] costs, double total)
    {
        var used = new bool[cols];
        var assigned = 0;
        var sum = 0.0;
        for (var r = 0; r < rows; r++)
        {
            var c = colForRow[r];
            if (c < 0)
            {
                continue;
            }

            Assert.False(used[c], $"column {c} used twice");
            used[c] = true;
            assigned++;
            Assert.False(double.IsPositiveInfinity(costs[(r * cols) + c]), "forbidden pair assigned");
            sum += costs[(r * cols) + c];
        }

        Assert.Equal(Math.Min(rows, cols), assigned);
        Assert.Equal(sum, total, 1e-9);
    }

    [Fact]
    public void Solve_ThousandsOfRandomMatrices_MatchesBruteForce()
    {
        var rng = new Random(20160801);
        var solver = new LinearAssignmentSolver();
        var output = new int[8];
        var infeasibleSeen = 0;
        for (var trial = 0; trial < 4000; trial++)
        {
            var rows = rng.Next(1, 7);
            var cols = rng.Next(1, 7);
            var costs = new double[rows * cols];
            var forbiddenRate = trial % 4 == 0 ? 0.4 : 0.0;
            var integer = trial % 3 == 0; // small integers: many ties
            for (var k = 0; k < costs.Length; k++)
            {
                costs[k] = rng.NextDouble() < forbiddenRate ? Inf
                    : integer ? rng.Next(-3, 4) : (rng.NextDouble() * 200) - 50;
            }

            var expected = BruteForce(costs, rows, cols);
            var ok = solver.Solve(costs, rows, cols, output, out var total);
            if (double.IsPositiveInfinity(expected))
            {
                infeasibleSeen++;
                Assert.False(ok, $"trial {trial}: brute force says infeasible");
                Assert.True(double.IsPositiveInfinity(total));
                Assert.All(output.Take(rows), c => Assert.Equal(-1, c));
            }
            else
            {
                Assert.True(ok, $"trial {trial}: solver says infeasible");
                Assert.Equal(expected, total, 1e-9);
                AssertValidAssignment(output, rows, cols, costs, total);
            }
        }

        Assert.True(infeasibleSeen > 20, "the random set must exercise infeasible problems");
    }

    [Fact]
    public void Solve_MoreColumnsThanRows_AssignsEveryRowToCheapestColumns()
    {
        // 2 × 4; row 0 best at col 3 (1), row 1 best at col 3 too (0) → optimum 2 + 0 = 2
        // (row 0 → col 1 cost 2, row 1 → col 3 cost 0) beats 1 + 5 (row 1 → col 0).
        double[] costs =
        [
            9, 2, 7, 1,
            5, 8, 6, 0,
        ];
        var solver = new LinearAssignmentSolver();
        var output = new int[2];
        Assert.True(solver.Solve(costs, 2, 4, output, out var total));
        Assert.Equal(2.0, total);
        Assert.Equal([1, 3], output);
    }

    [Fact]
    public void Solve_MoreRowsThanColumns_LeavesExtraRowsUnassigned()
    {
        // 4 × 2 (transpose of the case above): rows 1 and 3 take the two columns.
        double[] costs =
        [
            9, 5,
            2, 8,
            7, 6,
            1, 0,
        ];
        var solver = new LinearAssignmentSolver();
        var output = new int[4];
        Assert.True(solver.Solve(costs, 4, 2, output, out var total));
        Assert.Equal(2.0, total);
        Assert.Equal([-1, 0, -1, 1], output);
    }

    [Fact]
    public void Solve_ForbiddenPairsForceSecondBest_FindsFeasibleOptimum()
    {
        // Diagonal is cheap but (0,0) is forbidden: 0→1 (3) + 1→0 (4) = 7.
        double[] costs =
        [
            Inf, 3,
            4, 1,
        ];
        var output = new int[2];
        Assert.True(new LinearAssignmentSolver().Solve(costs, 2, 2, output, out var total));
        Assert.Equal(7.0, total);
        Assert.Equal([1, 0], output);
    }

    [Fact]
    public void Solve_RowWithOnlyForbiddenEntries_ReturnsInfeasible()
    {
        double[] costs =
        [
            1, 2,
            Inf, Inf,
        ];
        var output = new int[2];
        Assert.False(new LinearAssignmentSolver().Solve(costs, 2, 2, output, out var total));
        Assert.True(double.IsPositiveInfinity(total));
        Assert.Equal([-1, -1], output);
    }

    [Fact]
    public void Solve_AllCostsEqual_ReturnsAPermutationWithThatTotal()
    {
        var costs = Enumerable.Repeat(5.0, 9).ToArray();
        var output = new int[3];
        Assert.True(new LinearAssignmentSolver().Solve(costs, 3, 3, output, out var total));
        Assert.Equal(15.0, total);
        Assert.Equal([0, 1, 2], output.Order().ToArray());
    }

    [Fact]
    public void Solve_EmptyProblem_IsFeasibleWithZeroCost()
    {
        var output = new int[3];
        Assert.True(new LinearAssignmentSolver().Solve([], 3, 0, output, out var total));
        Assert.Equal(0.0, total);
        Assert.Equal([-1, -1, -1], output);
    }

    [Fact]
    public void Solve_NaNCost_Throws()
    {
        double[] costs = [1, double.NaN, 2, 3];
        Assert.Throws<ArgumentException>(() => new LinearAssignmentSolver().Solve(costs, 2, 2, new int[2], out _));
    }

    [Fact]
    public void Solve_WrongSpanLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => new LinearAssignmentSolver().Solve(new double[5], 2, 3, new int[2], out _));
    }

    [Fact]
    public void Solve_RepeatedCallsOfSameSize_DoNotAllocate()
    {
        var rng = new Random(7);
        var costs = new double[20 * 30];
        for (var k = 0; k < costs.Length; k++)
        {
            costs[k] = rng.NextDouble();
        }

        var solver = new LinearAssignmentSolver();
        var output = new int[20];
        solver.Solve(costs, 20, 30, output, out _); // grows the buffers
        solver.Solve(costs, 30, 20, new int[30], out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var k = 0; k < 100; k++)
        {
            solver.Solve(costs, 20, 30, output, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
