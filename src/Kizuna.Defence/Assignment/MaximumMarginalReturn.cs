namespace Kizuna.Defence.Assignment;

/// <summary>Maximum-marginal-return (MMR) greedy weapon–target assignment.</summary>
/// <remarks>
/// Repeatedly give one round to the pair (i, j) with the largest marginal return
/// Δ_ij = V_j S_j p_ij − c, then update S_j ← S_j (1 − p_ij), where S_j is target j's current survival
/// probability; stop when no pair with rounds left has Δ &gt; 0 (research/c2-anchors.md §3.2 item 1).
/// Optimal when all weapons are identical per target (den Broeder, Ellison &amp; Emerling, Operations
/// Research 7(3), 1959); for heterogeneous weapons a baseline, improved by <see cref="LocalSearch"/>.
/// O(R · W · T) for R rounds placed.
/// </remarks>
public static class MaximumMarginalReturn
{
    /// <summary>Greedy solution of <paramref name="instance"/>.</summary>
    public static WtaSolution Solve(WtaInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var w = instance.Weapons;
        var t = instance.Targets;
        var counts = new int[w * t];
        var survival = new double[t];
        Array.Fill(survival, 1.0);
        var left = new int[w];
        for (var i = 0; i < w; i++)
        {
            left[i] = instance.Capacity(i);
        }

        while (true)
        {
            var best = 0.0;
            var bi = -1;
            var bj = -1;
            for (var i = 0; i < w; i++)
            {
                if (left[i] == 0)
                {
                    continue;
                }

                for (var j = 0; j < t; j++)
                {
                    var p = instance.Pk(i, j);
                    if (p <= 0 || counts[(i * t) + j] >= instance.MaxPerPair)
                    {
                        continue;
                    }

                    var gain = (instance.Value(j) * survival[j] * p) - instance.RoundCost;
                    if (gain > best)
                    {
                        best = gain;
                        bi = i;
                        bj = j;
                    }
                }
            }

            if (bi < 0)
            {
                break;
            }

            counts[(bi * t) + bj]++;
            left[bi]--;
            survival[bj] *= 1 - instance.Pk(bi, bj);
        }

        return new WtaSolution(counts, instance.Evaluate(counts), "mmr");
    }
}
