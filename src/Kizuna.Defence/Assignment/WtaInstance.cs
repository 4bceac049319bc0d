namespace Kizuna.Defence.Assignment;

/// <summary>
/// A static weapon–target assignment instance: weapons (batteries) i with an inventory, targets j
/// with a value, and a single-shot kill probability per pair (0 when the pair is infeasible: no
/// engagement window, or the rules of engagement forbid it).
/// </summary>
/// <remarks>
/// Objective (target-based static WTA, Manne 1958; den Broeder, Ellison &amp; Emerling, "On optimum
/// target assignments", Operations Research 7(3), 1959; research/c2-anchors.md §3.1), maximised:
/// <code>
/// F(x) = Σ_j V_j (1 − Π_i (1 − p_ij)^{x_ij}) − c Σ_ij x_ij
/// s.t.  Σ_j x_ij ≤ w_i,   0 ≤ x_ij ≤ s_max,   x_ij = 0 where p_ij = 0,   x_ij ∈ ℕ
/// </code>
/// V_j value at stake, w_i inventory, s_max the largest salvo per pair, c an optional cost per round
/// (0 by default: pure expected value saved). F is monotone submodular in the multiset of rounds,
/// which is what the greedy's guarantee and the branch-and-bound bound rely on.
/// </remarks>
public sealed class WtaInstance
{
    private readonly double[] _pk;
    private readonly double[] _values;
    private readonly int[] _capacity;

    /// <summary>Creates an instance; <paramref name="killProbability"/> is row-major [weapon, target].</summary>
    public WtaInstance(double[] values, int[] capacity, double[] killProbability, int maxPerPair = 2, double roundCost = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(capacity);
        ArgumentNullException.ThrowIfNull(killProbability);
        if (killProbability.Length != values.Length * capacity.Length)
        {
            throw new ArgumentException("Kill probability matrix must be weapons × targets.", nameof(killProbability));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerPair, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(roundCost);
        foreach (var p in killProbability)
        {
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentException($"Kill probability {p} is outside [0, 1].", nameof(killProbability));
            }
        }

        _values = values;
        _capacity = capacity;
        _pk = killProbability;
        MaxPerPair = maxPerPair;
        RoundCost = roundCost;
    }

    /// <summary>Number of weapons (batteries).</summary>
    public int Weapons => _capacity.Length;

    /// <summary>Number of targets.</summary>
    public int Targets => _values.Length;

    /// <summary>Largest salvo one weapon may fire at one target.</summary>
    public int MaxPerPair { get; }

    /// <summary>Cost charged per round (in value units).</summary>
    public double RoundCost { get; }

    /// <summary>Value of target <paramref name="j"/>.</summary>
    public double Value(int j) => _values[j];

    /// <summary>Rounds available at weapon <paramref name="i"/>.</summary>
    public int Capacity(int i) => _capacity[i];

    /// <summary>Single-shot kill probability of weapon <paramref name="i"/> against target <paramref name="j"/>.</summary>
    public double Pk(int i, int j) => _pk[(i * _values.Length) + j];

    /// <summary>Objective F(x) for a row-major count matrix.</summary>
    public double Evaluate(ReadOnlySpan<int> counts)
    {
        var t = Targets;
        var total = 0.0;
        var rounds = 0;
        for (var j = 0; j < t; j++)
        {
            var s = 1.0;
            for (var i = 0; i < Weapons; i++)
            {
                var x = counts[(i * t) + j];
                if (x > 0)
                {
                    rounds += x;
                    s *= Math.Pow(1 - Pk(i, j), x);
                }
            }

            total += _values[j] * (1 - s);
        }

        return total - (RoundCost * rounds);
    }

    /// <summary>True when the counts respect inventories, salvo limits and infeasible pairs.</summary>
    public bool IsFeasible(ReadOnlySpan<int> counts)
    {
        var t = Targets;
        for (var i = 0; i < Weapons; i++)
        {
            var used = 0;
            for (var j = 0; j < t; j++)
            {
                var x = counts[(i * t) + j];
                if (x < 0 || x > MaxPerPair || (x > 0 && Pk(i, j) <= 0))
                {
                    return false;
                }

                used += x;
            }

            if (used > _capacity[i])
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A solution: rounds per (weapon, target), row-major, and its objective value.</summary>
/// <param name="Counts">x_ij, row-major [weapon, target].</param>
/// <param name="Value">F(x).</param>
/// <param name="Method">Which solver produced it ("mmr", "mmr+local", "branch-and-bound").</param>
public sealed record WtaSolution(int[] Counts, double Value, string Method);
