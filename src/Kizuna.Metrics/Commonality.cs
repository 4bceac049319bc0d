namespace Kizuna.Metrics;

/// <summary>One node's (participant's) track picture.</summary>
/// <param name="Node">Node name, e.g. "JPN".</param>
/// <param name="Tracks">The node's track samples.</param>
public sealed record NodePicture(string Node, IReadOnlyList<TrackSample> Tracks);

/// <summary>Commonality of one truth at one time.</summary>
/// <param name="Time">t (s).</param>
/// <param name="TruthId">Truth id.</param>
/// <param name="NodesHolding">Nodes with ≥ 1 track associated with the truth at t.</param>
/// <param name="Pairs">Pairs of those nodes scored: k(k − 1)/2, or those a pair filter accepted.</param>
/// <param name="AgreeingPairs">Pairs whose associated track numbers agree.</param>
public readonly record struct CommonalityStep(double Time, int TruthId, int NodesHolding, int Pairs, int AgreeingPairs)
{
    /// <summary>AgreeingPairs / Pairs (1 when no pair).</summary>
    public double Value => Pairs != 0 ? (double)AgreeingPairs / Pairs : 1;
}

/// <summary>Commonality over a run.</summary>
/// <param name="Value">Pooled Σ agreeing pairs / Σ pairs over all truths and times (0 if no pairs).</param>
/// <param name="TotalPairs">Σ pairs.</param>
/// <param name="TotalAgreeingPairs">Σ agreeing pairs.</param>
/// <param name="Steps">Per truth and time, only where ≥ 2 nodes hold the truth; ordered by time then truth.</param>
public sealed record CommonalityResult(double Value, int TotalPairs, int TotalAgreeingPairs, IReadOnlyList<CommonalityStep> Steps);

/// <summary>
/// Decides whether a pair of nodes holding one truth at one time is scored (e.g. only pairs between
/// which the object's track may be released).
/// </summary>
/// <param name="nodeA">First node's name.</param>
/// <param name="numbersA">Track numbers the first node associates with the truth at <paramref name="time"/>.</param>
/// <param name="nodeB">Second node's name.</param>
/// <param name="numbersB">Track numbers the second node associates with the truth.</param>
/// <param name="time">Truth time (s).</param>
/// <returns>True when the pair counts.</returns>
public delegate bool CommonalityPairFilter(string nodeA, IReadOnlySet<long> numbersA, string nodeB, IReadOnlySet<long> numbersB, double time);

/// <summary>
/// Picture commonality across several nodes — a Kizuna addition (Stone Soup's SIAP uses no
/// participant index). It measures whether the participants of a network report the same object
/// under the same track number.
/// </summary>
/// <remarks>
/// <para>Each node's tracks are associated with the truth by the same
/// <see cref="TrackToTruthAssociator"/>. For truth j at truth time t, let H be the nodes holding j
/// (≥ 1 association with j active at t) and TN_k the set of track numbers node k associates with j
/// at t. A pair (k, l) of H agrees when TN_k ∩ TN_l ≠ ∅. Commonality at (j, t) = agreeing pairs /
/// (|H|(|H| − 1)/2); over the run the pooled ratio Σ agreeing / Σ pairs. Truths held by fewer than
/// two nodes contribute no pairs. This follows the intent of the SIAP "commonality" attribute
/// (Votruba et al. 2001: the same object carries the same track number in every participant's
/// picture), in a form defined here.</para>
/// </remarks>
public static class CommonalityCalculator
{
    /// <summary>Computes commonality of <paramref name="pictures"/> against <paramref name="truths"/>.</summary>
    public static CommonalityResult Compute(IReadOnlyList<NodePicture> pictures, IReadOnlyCollection<TruthSample> truths, TrackToTruthAssociator associator) =>
        Compute(pictures, truths, associator, null);

    /// <summary>
    /// Computes commonality over the pairs <paramref name="countsPair"/> accepts (null: every pair of
    /// nodes holding the truth). A released-pair commonality passes a filter that accepts a pair only
    /// when the agreements let the object's track flow between the two nodes; the truth's steps then
    /// count only those pairs (<see cref="CommonalityStep.NodesHolding"/> still counts every holder).
    /// </summary>
    public static CommonalityResult Compute(IReadOnlyList<NodePicture> pictures, IReadOnlyCollection<TruthSample> truths, TrackToTruthAssociator associator, CommonalityPairFilter? countsPair)
    {
        ArgumentNullException.ThrowIfNull(pictures);
        ArgumentNullException.ThrowIfNull(associator);
        var perNode = pictures.Select(p => associator.Associate(p.Tracks, truths)).ToList();
        var truthPaths = SampleSets.TruthsById(truths);
        var steps = new List<CommonalityStep>();
        var times = new SortedSet<double>(truthPaths.Values.SelectMany(p => p.Select(s => s.Time)));
        var sets = new List<HashSet<long>>();
        var names = new List<string>();
        int totalPairs = 0, totalAgree = 0;
        foreach (var t in times)
        {
            foreach (var (truthId, path) in truthPaths)
            {
                if (SampleSets.IndexAt(path, t, s => s.Time) < 0)
                {
                    continue;
                }

                sets.Clear();
                names.Clear();
                for (var k = 0; k < perNode.Count; k++)
                {
                    var numbers = perNode[k].Where(a => a.TruthId == truthId && a.IsActiveAt(t)).Select(a => a.TrackId).ToHashSet();
                    if (numbers.Count > 0)
                    {
                        sets.Add(numbers);
                        names.Add(pictures[k].Node);
                    }
                }

                if (sets.Count < 2)
                {
                    continue;
                }

                var pairs = 0;
                var agree = 0;
                for (var a = 0; a < sets.Count; a++)
                {
                    for (var b = a + 1; b < sets.Count; b++)
                    {
                        if (countsPair is not null && !countsPair(names[a], sets[a], names[b], sets[b], t))
                        {
                            continue;
                        }

                        pairs++;
                        if (sets[a].Overlaps(sets[b]))
                        {
                            agree++;
                        }
                    }
                }

                if (pairs == 0)
                {
                    continue;
                }

                steps.Add(new CommonalityStep(t, truthId, sets.Count, pairs, agree));
                totalPairs += pairs;
                totalAgree += agree;
            }
        }

        return new CommonalityResult(totalPairs != 0 ? (double)totalAgree / totalPairs : 0, totalPairs, totalAgree, steps);
    }
}
