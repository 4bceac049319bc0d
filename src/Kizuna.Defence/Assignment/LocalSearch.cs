namespace Kizuna.Defence.Assignment;

/// <summary>Local improvement of a weapon–target assignment by single-round moves and pairwise swaps.</summary>
/// <remarks>
/// Neighbourhood (a small instance of the neighbourhood search of Ahuja, Kumar, Jha &amp; Orlin,
/// "Exact and heuristic algorithms for the weapon-target assignment problem", MIT Sloan WP 4464-03,
/// 2003; research/c2-anchors.md §3.2 item 2): (a) move one round of weapon i from target j to target
/// j′ (or drop it, or place an unused round); (b) swap the targets of one round of weapon i on j and
/// one round of weapon k on j′; (c) on small instances (W·T ≤ <see cref="ChainSizeLimit"/>), two-step
/// ejection chains: i moves from j to j′ (or drops), then another weapon k covers j with an unused
/// round or a round taken from a third target. First improvement, repeated until a local optimum or
/// <c>maxPasses</c>. Survival products are updated by division S_j ← S_j q_kj / q_ij when
/// q_ij ≥ 10⁻⁶ and recomputed otherwise.
/// </remarks>
public static class LocalSearch
{
    private const double Epsilon = 1e-12;

    /// <summary>Ejection chains cost O(R·T·W·T) per pass; they run only when W·T is at most this.</summary>
    public const int ChainSizeLimit = 400;

    /// <summary>Improves <paramref name="start"/>; never returns a worse solution.</summary>
    public static WtaSolution Improve(WtaInstance instance, WtaSolution start, int maxPasses = 50)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(start);
        var w = instance.Weapons;
        var t = instance.Targets;
        var x = (int[])start.Counts.Clone();
        var s = new double[t];
        var left = new int[w];
        for (var j = 0; j < t; j++)
        {
            s[j] = Survival(instance, x, j, -1, 0, -1, 0);
        }

        for (var i = 0; i < w; i++)
        {
            var used = 0;
            for (var j = 0; j < t; j++)
            {
                used += x[(i * t) + j];
            }

            left[i] = instance.Capacity(i) - used;
        }

        var c = instance.RoundCost;
        var max = instance.MaxPerPair;
        for (var pass = 0; pass < maxPasses; pass++)
        {
            var improved = false;

            // (a) place unused rounds, drop or move single rounds.
            for (var i = 0; i < w; i++)
            {
                for (var j = -1; j < t; j++)
                {
                    if (j >= 0 && x[(i * t) + j] == 0)
                    {
                        continue;
                    }

                    if (j < 0 && left[i] == 0)
                    {
                        continue;
                    }

                    // Removing a round from j (or taking an unused one when j < 0).
                    var sWithout = j >= 0 ? Without(instance, x, s, i, j) : 0;
                    var removeDelta = j >= 0 ? (-instance.Value(j) * (sWithout - s[j])) + c : 0;
                    var bestDelta = j >= 0 ? removeDelta : 0;
                    var bestJ = -1;
                    for (var k = 0; k < t; k++)
                    {
                        if (k == j)
                        {
                            continue;
                        }

                        var p = instance.Pk(i, k);
                        if (p <= 0 || x[(i * t) + k] >= max)
                        {
                            continue;
                        }

                        var d = removeDelta + (instance.Value(k) * s[k] * p) - c;
                        if (d > bestDelta)
                        {
                            bestDelta = d;
                            bestJ = k;
                        }
                    }

                    if (bestDelta <= Epsilon)
                    {
                        continue;
                    }

                    if (j >= 0)
                    {
                        x[(i * t) + j]--;
                        s[j] = sWithout;
                    }
                    else
                    {
                        left[i]--;
                    }

                    if (bestJ >= 0)
                    {
                        x[(i * t) + bestJ]++;
                        s[bestJ] *= 1 - instance.Pk(i, bestJ);
                    }
                    else
                    {
                        left[i]++;
                    }

                    improved = true;
                }
            }

            // (b) swaps of one round of i on j with one round of k on jj.
            for (var i = 0; i < w; i++)
            {
                for (var j = 0; j < t; j++)
                {
                    if (x[(i * t) + j] == 0)
                    {
                        continue;
                    }

                    for (var k = i + 1; k < w; k++)
                    {
                        var pkj = instance.Pk(k, j);
                        if (pkj <= 0 || x[(k * t) + j] >= max)
                        {
                            continue;
                        }

                        for (var jj = 0; jj < t; jj++)
                        {
                            if (jj == j || x[(k * t) + jj] == 0)
                            {
                                continue;
                            }

                            var pijj = instance.Pk(i, jj);
                            if (pijj <= 0 || x[(i * t) + jj] >= max)
                            {
                                continue;
                            }

                            var sj = Replace(instance, x, s, j, i, k);
                            var sjj = Replace(instance, x, s, jj, k, i);
                            var d = (instance.Value(j) * (s[j] - sj)) + (instance.Value(jj) * (s[jj] - sjj));
                            if (d > Epsilon)
                            {
                                x[(i * t) + j]--;
                                x[(k * t) + j]++;
                                x[(k * t) + jj]--;
                                x[(i * t) + jj]++;
                                s[j] = sj;
                                s[jj] = sjj;
                                improved = true;
                                if (x[(i * t) + j] == 0)
                                {
                                    break;
                                }
                            }
                        }

                        if (x[(i * t) + j] == 0)
                        {
                            break;
                        }
                    }
                }
            }

            // (c) ejection chains on small instances: move (or drop) a round of i from j to jj, then let
            // another weapon k cover j with an unused round or a round taken from jk.
            if (!improved && w * t <= ChainSizeLimit)
            {
                improved = Chain(instance, x, s, left);
            }

            if (!improved)
            {
                break;
            }
        }

        var value = instance.Evaluate(x);
        return value >= start.Value - Epsilon
            ? new WtaSolution(x, value, start.Method + "+local")
            : start;
    }

    private static bool Chain(WtaInstance instance, int[] x, double[] s, int[] left)
    {
        var w = instance.Weapons;
        var t = instance.Targets;
        var c = instance.RoundCost;
        var max = instance.MaxPerPair;
        var sAfter = new double[t];
        for (var i = 0; i < w; i++)
        {
            for (var j = 0; j < t; j++)
            {
                if (x[(i * t) + j] == 0)
                {
                    continue;
                }

                for (var jj = -1; jj < t; jj++)
                {
                    if (jj == j || (jj >= 0 && (instance.Pk(i, jj) <= 0 || x[(i * t) + jj] >= max)))
                    {
                        continue;
                    }

                    // First move: i leaves j (to jj, or drops the round).
                    Array.Copy(s, sAfter, t);
                    x[(i * t) + j]--;
                    sAfter[j] = Survival(instance, x, j, -1, 0, -1, 0);
                    var d1 = instance.Value(j) * (s[j] - sAfter[j]) + c;
                    if (jj >= 0)
                    {
                        x[(i * t) + jj]++;
                        sAfter[jj] = s[jj] * (1 - instance.Pk(i, jj));
                        d1 += (instance.Value(jj) * (s[jj] - sAfter[jj])) - c;
                    }

                    // Second move: k ≠ i covers j from an unused round (jk = −1) or from target jk.
                    var best = Epsilon;
                    var bk = -1;
                    var bjk = -2;
                    for (var k = 0; k < w; k++)
                    {
                        var pkj = instance.Pk(k, j);
                        if (k == i || pkj <= 0 || x[(k * t) + j] >= max)
                        {
                            continue;
                        }

                        var gain = (instance.Value(j) * sAfter[j] * pkj) - c;
                        for (var jk = -1; jk < t; jk++)
                        {
                            if (jk == j || (jk < 0 && left[k] == 0) || (jk >= 0 && x[(k * t) + jk] == 0))
                            {
                                continue;
                            }

                            var loss = 0.0;
                            if (jk >= 0)
                            {
                                x[(k * t) + jk]--;
                                loss = (instance.Value(jk) * (Survival(instance, x, jk, -1, 0, -1, 0) - sAfter[jk])) - c;
                                x[(k * t) + jk]++;
                            }

                            var d = d1 + gain - loss;
                            if (d > best)
                            {
                                best = d;
                                bk = k;
                                bjk = jk;
                            }
                        }
                    }

                    if (bk >= 0)
                    {
                        if (jj < 0)
                        {
                            left[i]++;
                        }

                        x[(bk * t) + j]++;
                        if (bjk >= 0)
                        {
                            x[(bk * t) + bjk]--;
                        }
                        else
                        {
                            left[bk]--;
                        }

                        for (var q = 0; q < t; q++)
                        {
                            s[q] = Survival(instance, x, q, -1, 0, -1, 0);
                        }

                        return true;
                    }

                    if (jj >= 0)
                    {
                        x[(i * t) + jj]--;
                    }

                    x[(i * t) + j]++;
                }
            }
        }

        return false;
    }

    private static double Without(WtaInstance instance, int[] x, double[] s, int i, int j)
    {
        var q = 1 - instance.Pk(i, j);
        return q >= 1e-6 ? s[j] / q : Survival(instance, x, j, i, -1, -1, 0);
    }

    private static double Replace(WtaInstance instance, int[] x, double[] s, int j, int removed, int added)
    {
        var q = 1 - instance.Pk(removed, j);
        return q >= 1e-6
            ? s[j] / q * (1 - instance.Pk(added, j))
            : Survival(instance, x, j, removed, -1, added, 1);
    }

    private static double Survival(WtaInstance instance, int[] x, int j, int i1, int d1, int i2, int d2)
    {
        var t = instance.Targets;
        var s = 1.0;
        for (var i = 0; i < instance.Weapons; i++)
        {
            var n = x[(i * t) + j] + (i == i1 ? d1 : 0) + (i == i2 ? d2 : 0);
            for (var r = 0; r < n; r++)
            {
                s *= 1 - instance.Pk(i, j);
            }
        }

        return s;
    }
}
