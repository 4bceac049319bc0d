using Kizuna.Core;
using Kizuna.Core.Algorithms;

namespace Kizuna.Metrics;

/// <summary>
/// GOSPA (α = 2) at one time, split into its components in the same way as Stone Soup's
/// <c>GOSPAMetric</c>: <see cref="Localisation"/>, <see cref="Missed"/> and <see cref="False"/> are
/// in "p-th power" units and <see cref="Total"/> = (Localisation + Missed + False)^(1/p).
/// </summary>
/// <param name="Total">The GOSPA distance d_p^(c,2) (metres).</param>
/// <param name="Localisation">Σ d(x_i, y_j)^p over assigned pairs closer than c (m^p).</param>
/// <param name="Missed">(c^p / 2) × number of missed truths (m^p).</param>
/// <param name="False">(c^p / 2) × number of false tracks (m^p).</param>
/// <param name="AssignedCount">Number of track–truth pairs closer than c.</param>
/// <param name="MissedCount">Truths left without a track.</param>
/// <param name="FalseCount">Tracks left without a truth.</param>
public readonly record struct GospaResult(
    double Total, double Localisation, double Missed, double False, int AssignedCount, int MissedCount, int FalseCount);

/// <summary>
/// OSPA and GOSPA distances between a set of estimated points (tracks) and a set of true points,
/// using the Euclidean distance between positions, with cut-off c and order p.
/// </summary>
/// <remarks>
/// <para>OSPA — D. Schuhmacher, B.-T. Vo and B.-N. Vo, "A consistent metric for performance
/// evaluation of multi-object filters", IEEE Trans. Signal Processing 56(8):3447–3457, 2008, eq. (3):
/// for X with m points and Y with n points, m ≤ n, d^(c)(x,y) = min(c, d(x,y)),
/// d̄_p^(c)(X,Y) = ( (1/n) ( min_π Σ_{i=1..m} d^(c)(x_i, y_π(i))^p + c^p (n − m) ) )^(1/p);
/// 0 when both sets are empty.</para>
/// <para>GOSPA — A. S. Rahmathullah, Á. F. García-Fernández and L. Svensson, "Generalized optimal
/// sub-pattern assignment metric", FUSION 2017 (arXiv:1601.05585, 2016), Proposition 1 with α = 2:
/// d_p^(c,2)(X,Y) = ( min_γ Σ_{(i,j)∈γ} d(x_i,y_j)^p + (c^p/2)(|X| + |Y| − 2|γ|) )^(1/p), where γ
/// ranges over partial assignments of pairs with d &lt; c. It is computed as a full assignment of
/// the smaller set on costs min(d, c)^p: a pair at or beyond c costs c^p, which equals leaving
/// both points unassigned (c^p/2 each), so such pairs are reported as one missed and one false.</para>
/// <para>Both minimisations are solved exactly with <see cref="LinearAssignmentSolver"/> on costs
/// min(d,c)^p. Stone Soup's <c>OSPAMetric</c> instead assigns on min(d,c) and then raises to p,
/// which can differ for p &gt; 1; its GOSPA uses an auction algorithm (ε-optimal). Order p is
/// restricted to 1 ≤ p &lt; ∞ here.</para>
/// <para>Allocation-free after the first call of a given size; not thread-safe.</para>
/// </remarks>
public sealed class SetDistanceCalculator
{
    private readonly LinearAssignmentSolver _solver = new();
    private double[] _costs = [];
    private int[] _assignment = [];

    /// <summary>Creates a calculator with cut-off <paramref name="cutoff"/> (m) and order <paramref name="order"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">c ≤ 0 or not finite, or p &lt; 1 or not finite.</exception>
    public SetDistanceCalculator(double cutoff, double order)
    {
        if (!(cutoff > 0) || !double.IsFinite(cutoff))
        {
            throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, "Cut-off c must be finite and > 0.");
        }

        if (!(order >= 1) || !double.IsFinite(order))
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, "Order p must be finite and ≥ 1.");
        }

        Cutoff = cutoff;
        Order = order;
    }

    /// <summary>Cut-off distance c (m).</summary>
    public double Cutoff { get; }

    /// <summary>Order p.</summary>
    public double Order { get; }

    /// <summary>OSPA distance d̄_p^(c) between <paramref name="estimates"/> and <paramref name="truths"/>.</summary>
    public double Ospa(ReadOnlySpan<Vec3> estimates, ReadOnlySpan<Vec3> truths)
    {
        var m = estimates.Length;
        var n = truths.Length;
        var larger = Math.Max(m, n);
        if (larger == 0)
        {
            return 0;
        }

        var cp = Math.Pow(Cutoff, Order);
        var assigned = AssignCutoffCosts(estimates, truths, out _, out _);
        var sum = assigned + (cp * Math.Abs(m - n));
        return Math.Pow(sum / larger, 1 / Order);
    }

    /// <summary>GOSPA (α = 2) between <paramref name="estimates"/> and <paramref name="truths"/>, with components.</summary>
    public GospaResult Gospa(ReadOnlySpan<Vec3> estimates, ReadOnlySpan<Vec3> truths)
    {
        var m = estimates.Length;
        var n = truths.Length;
        var half = Math.Pow(Cutoff, Order) / 2;
        AssignCutoffCosts(estimates, truths, out var localisation, out var assignedCount);
        var missedCount = n - assignedCount;
        var falseCount = m - assignedCount;
        var missed = half * missedCount;
        var falseTerm = half * falseCount;
        var total = Math.Pow(localisation + missed + falseTerm, 1 / Order);
        return new GospaResult(total, localisation, missed, falseTerm, assignedCount, missedCount, falseCount);
    }

    /// <summary>
    /// Optimal assignment on min(d,c)^p; returns its total, the sum over pairs with d &lt; c and
    /// their number.
    /// </summary>
    private double AssignCutoffCosts(ReadOnlySpan<Vec3> estimates, ReadOnlySpan<Vec3> truths, out double within, out int withinCount)
    {
        within = 0;
        withinCount = 0;
        var m = estimates.Length;
        var n = truths.Length;
        if (m == 0 || n == 0)
        {
            return 0;
        }

        var size = m * n;
        if (_costs.Length < size)
        {
            _costs = new double[Math.Max(size, _costs.Length * 2)];
        }

        if (_assignment.Length < m)
        {
            _assignment = new int[Math.Max(m, _assignment.Length * 2)];
        }

        var cp = Math.Pow(Cutoff, Order);
        var costs = _costs.AsSpan(0, size);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var d = (estimates[i] - truths[j]).Norm;
                costs[(i * n) + j] = d < Cutoff ? Math.Pow(d, Order) : cp;
            }
        }

        var assignment = _assignment.AsSpan(0, m);
        _solver.Solve(costs, m, n, assignment, out var total);
        for (var i = 0; i < m; i++)
        {
            var j = assignment[i];
            if (j >= 0 && (estimates[i] - truths[j]).Norm < Cutoff)
            {
                within += costs[(i * n) + j];
                withinCount++;
            }
        }

        return total;
    }
}
