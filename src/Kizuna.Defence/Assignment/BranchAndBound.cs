namespace Kizuna.Defence.Assignment;

/// <summary>Exact weapon–target assignment by depth-first branch and bound (oracle and small cases).</summary>
/// <remarks>
/// Rounds are branched one at a time in weapon order; the rounds of one weapon are
/// interchangeable, so their targets are enumerated in non-decreasing order (no symmetric
/// duplicates), and "leave this round unused" also leaves the weapon's later rounds unused.
/// Bound: because F is submodular, the gain of any further round is at most its marginal gain
/// V_j S_j p_ij − c at the current survivals S_j, so
/// <code>UB = F(x) + Σ_{remaining rounds u} max(0, max_j (V_j S_j p_{i(u) j} − c))</code>
/// is a valid upper bound (the classical greedy bound for submodular maximisation; Nemhauser, Wolsey
/// &amp; Fisher, Math. Programming 14, 1978). A node is pruned when UB ≤ incumbent. Exact when it
/// finishes within the node limit (<see cref="BranchAndBoundResult.Proven"/>).
/// </remarks>
public static class BranchAndBound
{
    /// <summary>Solves <paramref name="instance"/> exactly, starting from an optional incumbent.</summary>
    public static BranchAndBoundResult Solve(WtaInstance instance, WtaSolution? incumbent = null, long nodeLimit = 20_000_000)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var search = new Search(instance, incumbent, nodeLimit);
        search.Run(0, 0);
        var solution = new WtaSolution(search.Best, instance.Evaluate(search.Best), "branch-and-bound");
        return new BranchAndBoundResult(solution, !search.Aborted, search.Nodes);
    }

    private sealed class Search
    {
        private readonly WtaInstance _inst;
        private readonly int[] _unitWeapon;
        private readonly int[] _nextWeaponStart;
        private readonly int[] _x;
        private readonly double[] _s;
        private readonly long _nodeLimit;
        private double _current;
        private double _bestValue;

        public Search(WtaInstance instance, WtaSolution? incumbent, long nodeLimit)
        {
            _inst = instance;
            _nodeLimit = nodeLimit;
            var t = instance.Targets;
            var units = new List<int>();
            for (var i = 0; i < instance.Weapons; i++)
            {
                var feasibleTargets = 0;
                for (var j = 0; j < t; j++)
                {
                    feasibleTargets += instance.Pk(i, j) > 0 ? 1 : 0;
                }

                var n = Math.Min(instance.Capacity(i), feasibleTargets * instance.MaxPerPair);
                for (var r = 0; r < n; r++)
                {
                    units.Add(i);
                }
            }

            _unitWeapon = [.. units];
            _nextWeaponStart = new int[_unitWeapon.Length];
            for (var u = _unitWeapon.Length - 1; u >= 0; u--)
            {
                _nextWeaponStart[u] = u + 1 < _unitWeapon.Length && _unitWeapon[u + 1] == _unitWeapon[u]
                    ? _nextWeaponStart[u + 1]
                    : u + 1;
            }

            _x = new int[instance.Weapons * t];
            _s = new double[t];
            Array.Fill(_s, 1.0);
            Best = new int[_x.Length];
            _bestValue = 0;
            if (incumbent is not null && instance.IsFeasible(incumbent.Counts) && incumbent.Value > 0)
            {
                Best = (int[])incumbent.Counts.Clone();
                _bestValue = instance.Evaluate(Best);
            }
        }

        public int[] Best { get; private set; }

        public long Nodes { get; private set; }

        public bool Aborted { get; private set; }

        public void Run(int u, int minTarget)
        {
            if (Aborted)
            {
                return;
            }

            if (++Nodes > _nodeLimit)
            {
                Aborted = true;
                return;
            }

            if (_current > _bestValue + 1e-12)
            {
                _bestValue = _current;
                Best = (int[])_x.Clone();
            }

            if (u >= _unitWeapon.Length || Bound(u) <= _bestValue + 1e-12)
            {
                return;
            }

            var t = _inst.Targets;
            var i = _unitWeapon[u];
            var start = u > 0 && _unitWeapon[u - 1] == i ? minTarget : 0;
            var c = _inst.RoundCost;
            for (var j = start; j < t; j++)
            {
                var p = _inst.Pk(i, j);
                var idx = (i * t) + j;
                if (p <= 0 || _x[idx] >= _inst.MaxPerPair)
                {
                    continue;
                }

                var gain = (_inst.Value(j) * _s[j] * p) - c;
                var saved = _s[j];
                _x[idx]++;
                _s[j] = saved * (1 - p);
                _current += gain;
                Run(u + 1, j);
                _current -= gain;
                _s[j] = saved;
                _x[idx]--;
            }

            Run(_nextWeaponStart[u], 0);
        }

        private double Bound(int u)
        {
            var t = _inst.Targets;
            var c = _inst.RoundCost;
            var bound = _current;
            var cachedWeapon = -1;
            var cachedGain = 0.0;
            for (var v = u; v < _unitWeapon.Length; v++)
            {
                var i = _unitWeapon[v];
                if (i != cachedWeapon)
                {
                    cachedWeapon = i;
                    cachedGain = 0;
                    for (var j = 0; j < t; j++)
                    {
                        var g = (_inst.Value(j) * _s[j] * _inst.Pk(i, j)) - c;
                        if (g > cachedGain)
                        {
                            cachedGain = g;
                        }
                    }
                }

                bound += cachedGain;
            }

            return bound;
        }
    }
}

/// <summary>Result of <see cref="BranchAndBound.Solve"/>.</summary>
/// <param name="Solution">Best solution found.</param>
/// <param name="Proven">True when the search completed (the solution is optimal).</param>
/// <param name="Nodes">Nodes explored.</param>
public sealed record BranchAndBoundResult(WtaSolution Solution, bool Proven, long Nodes);

/// <summary>Options of <see cref="WtaSolver"/>.</summary>
/// <param name="ExactRoundLimit">Run the exact branch and bound when the instance has at most this many usable rounds.</param>
/// <param name="ExactNodeLimit">Node limit of the exact search.</param>
/// <param name="LocalSearchPasses">Passes of local improvement after the greedy.</param>
public sealed record WtaSolverOptions(int ExactRoundLimit = 14, long ExactNodeLimit = 2_000_000, int LocalSearchPasses = 50)
{
    /// <summary>Default options.</summary>
    public static WtaSolverOptions Default { get; } = new();
}

/// <summary>The planner's WTA solver: MMR greedy, then local improvement, then (small instances) exact branch and bound.</summary>
public static class WtaSolver
{
    /// <summary>Solves <paramref name="instance"/>.</summary>
    public static WtaSolution Solve(WtaInstance instance, WtaSolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        options ??= WtaSolverOptions.Default;
        var solution = LocalSearch.Improve(instance, MaximumMarginalReturn.Solve(instance), options.LocalSearchPasses);
        if (UsableRounds(instance) <= options.ExactRoundLimit)
        {
            var exact = BranchAndBound.Solve(instance, solution, options.ExactNodeLimit);
            if (exact.Solution.Value >= solution.Value)
            {
                solution = exact.Solution;
            }
        }

        return solution;
    }

    /// <summary>Rounds that could be used: Σ_i min(w_i, T · s_max) over weapons with at least one feasible target.</summary>
    public static int UsableRounds(WtaInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var total = 0;
        for (var i = 0; i < instance.Weapons; i++)
        {
            var feasibleTargets = 0;
            for (var j = 0; j < instance.Targets; j++)
            {
                feasibleTargets += instance.Pk(i, j) > 0 ? 1 : 0;
            }

            total += Math.Min(instance.Capacity(i), feasibleTargets * instance.MaxPerPair);
        }

        return total;
    }
}
