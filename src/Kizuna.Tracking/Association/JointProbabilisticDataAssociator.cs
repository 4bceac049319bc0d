namespace Kizuna.Tracking.Association;

/// <summary>
/// Joint probabilistic data association: per independent cluster, the posterior probability β_td
/// that detection d originated from track t, marginalised over all feasible joint association
/// events; exact by enumeration for small clusters, Fitzgerald's "cheap JPDA" beyond a bound.
/// </summary>
/// <remarks>
/// <para><b>Exact.</b> T. E. Fortmann, Y. Bar-Shalom &amp; M. Scheffe, "Sonar tracking of multiple
/// targets using joint probabilistic data association", IEEE J. Oceanic Eng. 8(3):173–184, 1983;
/// Bar-Shalom, Daum &amp; Huang, "The probabilistic data association filter", IEEE CSM 29(6), 2009,
/// §"JPDAF", parametric form. A feasible joint event θ assigns each track of the cluster either no
/// detection or one of its gated detections, with no detection used twice. With Poisson clutter
/// of density λ its probability is</para>
/// <code>
/// P(θ | Z) ∝ Π_{(t,d) ∈ θ} P_D N(ν_td; 0, S_td) / λ  ·  Π_{t missed in θ} (1 − P_D P_G)
/// β_td = Σ_{θ ∋ (t,d)} P(θ | Z),    β_t0 = Σ_{θ: t missed} P(θ | Z)
/// </code>
/// <para>Events are enumerated depth-first over the cluster's tracks (allocation-free, weights
/// scaled by an upper bound of any event's log-weight so that nothing overflows).</para>
/// <para><b>Bound.</b> A cluster whose event count exceeds <see cref="MaxEvents"/> (clusters whose
/// bound Π_t (1 + gated_t) exceeds 64 × MaxEvents skip enumeration; otherwise enumeration stops as
/// soon as the count is exceeded, so the wasted work is bounded too) is
/// solved by the cheap JPDA of R. J. Fitzgerald, "Development of practical PDA logic for
/// multitarget tracking by microprocessor", Proc. American Control Conf. 1986, pp. 889–898:
/// with G_td = P_D N(ν_td; 0, S_td)/λ, G_t = Σ_d G_td, S_d = Σ_t G_td and B = 1 − P_D P_G,</para>
/// <code>
/// β_td = G_td / (G_t + S_d − G_td + B),   β_t0 = B / (G_t + B),   then normalised per track
/// </code>
/// <para>The count of such clusters is reported in <see cref="AssociationResult.ApproximatedClusters"/>.
/// For an isolated track it equals the single-target PDA exactly. Every gated detection is
/// claimed (it updates some track with some weight and never starts a new track), as in Stone
/// Soup's JPDA tutorial. The combined state update with these weights is
/// <see cref="ProbabilisticDataAssociation"/>.</para>
/// </remarks>
public sealed class JointProbabilisticDataAssociator : IDataAssociator
{
    private readonly double _logMiss;
    private readonly double _logDetectionWeight;
    private readonly ClusterBuilder _clusters = new();
    private double[] _eventSum = [];
    private double[] _logWeight = [];
    private int[] _choice = [];
    private bool[] _used = [];
    private double _total;
    private double _reference;
    private long _events;
    private bool _aborted;

    /// <summary>Creates the associator; <paramref name="maxEvents"/> bounds exact enumeration per cluster.</summary>
    public JointProbabilisticDataAssociator(AssociationParameters parameters, int maxEvents = 20_000)
    {
        parameters.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvents, 1);
        Parameters = parameters;
        MaxEvents = maxEvents;
        _logMiss = parameters.LogMissWeight;
        _logDetectionWeight = parameters.LogDetectionWeight;
    }

    /// <summary>The likelihood parameters.</summary>
    public AssociationParameters Parameters { get; }

    /// <summary>Largest number of joint events enumerated exactly for one cluster.</summary>
    public int MaxEvents { get; }

    /// <inheritdoc/>
    public void Associate(AssociationProblem problem, AssociationResult result)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(result);
        result.Reset(problem);
        _clusters.Build(problem);
        var pairs = problem.Pairs;
        var weights = result.PairWeightsMutable;
        var missed = result.MissWeightsMutable(problem.TrackCount);
        var claimed = result.ClaimedMutable(problem.DetectionCount);
        result.ClusterCount = _clusters.Count;
        Ensure(ref _logWeight, pairs.Length);
        for (var i = 0; i < pairs.Length; i++)
        {
            _logWeight[i] = Math.Min(700, _logDetectionWeight + pairs[i].LogLikelihood);
            claimed[pairs[i].Detection] = true;
        }

        for (var k = 0; k < _clusters.Count; k++)
        {
            var tracks = _clusters.Tracks(k);
            result.LargestClusterTracks = Math.Max(result.LargestClusterTracks, tracks.Length);
            if (!TryExact(problem, k, weights, missed))
            {
                result.ApproximatedClusters++;
                Cheap(problem, k, weights, missed);
            }
        }
    }

    private bool TryExact(AssociationProblem problem, int k, Span<double> weights, Span<double> missed)
    {
        var tracks = _clusters.Tracks(k);
        var clusterPairs = _clusters.Pairs(k);
        // Π_t (1 + gated_t) bounds the event count; far above the cap the enumeration would only be
        // aborted, so go straight to the approximation.
        var bound = 1.0;
        foreach (var t in tracks)
        {
            bound *= 1 + problem.PairCount(t);
        }

        if (bound > 64.0 * MaxEvents)
        {
            return false;
        }

        _reference = 0;
        foreach (var t in tracks)
        {
            var best = _logMiss;
            var first = problem.FirstPair(t);
            for (var i = first; i < first + problem.PairCount(t); i++)
            {
                best = Math.Max(best, _logWeight[i]);
            }

            _reference += best;
        }

        Ensure(ref _eventSum, problem.Pairs.Length + tracks.Length);
        Ensure(ref _choice, tracks.Length);
        Ensure(ref _used, _clusters.Detections(k).Length);
        _used.AsSpan(0, _clusters.Detections(k).Length).Clear();
        foreach (var pi in clusterPairs)
        {
            _eventSum[pi] = 0;
        }

        var missBase = problem.Pairs.Length;
        for (var r = 0; r < tracks.Length; r++)
        {
            _eventSum[missBase + r] = 0;
        }

        _total = 0;
        _events = 0;
        _aborted = false;
        Enumerate(problem, tracks, 0, 0.0);
        if (_aborted || !(_total > 0))
        {
            return false;
        }

        foreach (var pi in clusterPairs)
        {
            weights[pi] = _eventSum[pi] / _total;
        }

        for (var r = 0; r < tracks.Length; r++)
        {
            missed[tracks[r]] = _eventSum[missBase + r] / _total;
        }

        return true;
    }

    private void Enumerate(AssociationProblem problem, ReadOnlySpan<int> tracks, int r, double logWeight)
    {
        if (_aborted)
        {
            return;
        }

        if (r == tracks.Length)
        {
            if (++_events > MaxEvents)
            {
                _aborted = true;
                return;
            }

            var w = Math.Exp(logWeight - _reference);
            _total += w;
            var missBase = problem.Pairs.Length;
            for (var i = 0; i < tracks.Length; i++)
            {
                var c = _choice[i];
                _eventSum[c >= 0 ? c : missBase + i] += w;
            }

            return;
        }

        var t = tracks[r];
        _choice[r] = -1;
        Enumerate(problem, tracks, r + 1, logWeight + _logMiss);
        var first = problem.FirstPair(t);
        var pairs = problem.Pairs;
        for (var pi = first; pi < first + problem.PairCount(t); pi++)
        {
            var local = _clusters.LocalDetection(pairs[pi].Detection);
            if (_used[local])
            {
                continue;
            }

            _used[local] = true;
            _choice[r] = pi;
            Enumerate(problem, tracks, r + 1, logWeight + _logWeight[pi]);
            _used[local] = false;
            if (_aborted)
            {
                return;
            }
        }
    }

    private void Cheap(AssociationProblem problem, int k, Span<double> weights, Span<double> missed)
    {
        var tracks = _clusters.Tracks(k);
        var clusterPairs = _clusters.Pairs(k);
        var detections = _clusters.Detections(k);
        var pairs = problem.Pairs;
        var b = Math.Exp(_logMiss);

        // S_d per local detection, G_t per track (in _eventSum, reused as scratch).
        Ensure(ref _eventSum, detections.Length + tracks.Length);
        var sd = _eventSum.AsSpan(0, detections.Length);
        var gt = _eventSum.AsSpan(detections.Length, tracks.Length);
        sd.Clear();
        gt.Clear();
        foreach (var pi in clusterPairs)
        {
            var g = Math.Exp(_logWeight[pi]);
            sd[_clusters.LocalDetection(pairs[pi].Detection)] += g;
            gt[_clusters.LocalTrack(pairs[pi].Track)] += g;
        }

        foreach (var pi in clusterPairs)
        {
            var g = Math.Exp(_logWeight[pi]);
            var l = _clusters.LocalDetection(pairs[pi].Detection);
            var r = _clusters.LocalTrack(pairs[pi].Track);
            weights[pi] = g / (gt[r] + sd[l] - g + b);
        }

        for (var r = 0; r < tracks.Length; r++)
        {
            var t = tracks[r];
            var miss = b / (gt[r] + b);
            var sum = miss;
            var first = problem.FirstPair(t);
            for (var pi = first; pi < first + problem.PairCount(t); pi++)
            {
                sum += weights[pi];
            }

            for (var pi = first; pi < first + problem.PairCount(t); pi++)
            {
                weights[pi] /= sum;
            }

            missed[t] = miss / sum;
        }
    }

    private static void Ensure<T>(ref T[] array, int length)
    {
        if (array.Length < length)
        {
            array = new T[Math.Max(2 * length, array.Length * 2)];
        }
    }
}
