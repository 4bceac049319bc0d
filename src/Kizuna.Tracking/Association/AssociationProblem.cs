namespace Kizuna.Tracking.Association;

/// <summary>
/// One gated track–detection pair: the detection fell inside the track's validation gate.
/// </summary>
/// <param name="Track">Track index (0-based, in the caller's track order).</param>
/// <param name="Detection">Detection index (0-based, in the caller's detection order).</param>
/// <param name="MahalanobisSquared">d² = νᵀ S⁻¹ ν.</param>
/// <param name="LogLikelihood">ln N(ν; 0, S).</param>
public readonly record struct GatedPair(int Track, int Detection, double MahalanobisSquared, double LogLikelihood);

/// <summary>
/// The parameters of the association likelihoods (Bar-Shalom, Daum &amp; Huang 2009, Table 1).
/// </summary>
/// <param name="DetectionProbability">P_D, probability that a target is detected in a frame (0, 1).</param>
/// <param name="GateProbability">P_G, probability that a target's detection falls inside its gate (0, 1].</param>
/// <param name="ClutterDensity">λ, spatial density of false detections per unit measurement volume
/// (per m³ for 3-D position measurements) (&gt; 0).</param>
public readonly record struct AssociationParameters(double DetectionProbability, double GateProbability, double ClutterDensity)
{
    /// <summary>ln of the weight of "target missed": ln(1 − P_D P_G).</summary>
    public double LogMissWeight => Math.Log(1 - (DetectionProbability * GateProbability));

    /// <summary>ln of the weight of "target detected as z" without its likelihood: ln(P_D / λ).</summary>
    public double LogDetectionWeight => Math.Log(DetectionProbability / ClutterDensity);

    /// <summary>Throws when a parameter is out of range.</summary>
    public void Validate()
    {
        if (!(DetectionProbability > 0 && DetectionProbability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(DetectionProbability), DetectionProbability, "P_D must be in (0, 1).");
        }

        if (!(GateProbability > 0 && GateProbability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(GateProbability), GateProbability, "P_G must be in (0, 1].");
        }

        if (!(ClutterDensity > 0) || !double.IsFinite(ClutterDensity))
        {
            throw new ArgumentOutOfRangeException(nameof(ClutterDensity), ClutterDensity, "Clutter density must be finite and > 0.");
        }
    }
}

/// <summary>
/// The input of a data associator for one frame: the number of tracks and detections and every
/// gated pair, added in non-decreasing track order. Reused frame after frame without allocating.
/// </summary>
public sealed class AssociationProblem
{
    private GatedPair[] _pairs = new GatedPair[64];
    private int[] _trackFirst = new int[16];
    private int[] _trackCount = new int[16];
    private int _pairCount;

    /// <summary>Number of tracks.</summary>
    public int TrackCount { get; private set; }

    /// <summary>Number of detections.</summary>
    public int DetectionCount { get; private set; }

    /// <summary>All gated pairs, grouped by track in track order.</summary>
    public ReadOnlySpan<GatedPair> Pairs => _pairs.AsSpan(0, _pairCount);

    /// <summary>Index into <see cref="Pairs"/> of the first pair of <paramref name="track"/>.</summary>
    public int FirstPair(int track) => _trackFirst[track];

    /// <summary>Number of gated pairs of <paramref name="track"/>.</summary>
    public int PairCount(int track) => _trackCount[track];

    /// <summary>Starts a new frame with <paramref name="tracks"/> tracks and <paramref name="detections"/> detections.</summary>
    public void Reset(int tracks, int detections)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tracks);
        ArgumentOutOfRangeException.ThrowIfNegative(detections);
        if (_trackFirst.Length < tracks)
        {
            var size = Math.Max(2 * tracks, _trackFirst.Length * 2);
            _trackFirst = new int[size];
            _trackCount = new int[size];
        }

        _trackFirst.AsSpan(0, tracks).Clear();
        _trackCount.AsSpan(0, tracks).Clear();
        TrackCount = tracks;
        DetectionCount = detections;
        _pairCount = 0;
    }

    /// <summary>Adds a gated pair; pairs must come in non-decreasing track order.</summary>
    public void Add(in GatedPair pair)
    {
        if ((uint)pair.Track >= (uint)TrackCount || (uint)pair.Detection >= (uint)DetectionCount)
        {
            throw new ArgumentOutOfRangeException(nameof(pair), pair, "Track or detection index out of range.");
        }

        if (_pairCount > 0 && pair.Track < _pairs[_pairCount - 1].Track)
        {
            throw new ArgumentException("Pairs must be added in non-decreasing track order.", nameof(pair));
        }

        if (_pairCount == _pairs.Length)
        {
            Array.Resize(ref _pairs, _pairs.Length * 2);
        }

        if (_trackCount[pair.Track] == 0)
        {
            _trackFirst[pair.Track] = _pairCount;
        }

        _trackCount[pair.Track]++;
        _pairs[_pairCount++] = pair;
    }
}

/// <summary>
/// The output of a data associator for one frame: a weight per gated pair (β_td, the posterior
/// probability that detection d originated from track t), a missed weight per track (β_t0), and
/// whether each detection is claimed by a track (claimed detections do not start new tracks).
/// A hard associator (GNN) writes weights of exactly 0 or 1. For each track the missed weight and
/// its pair weights sum to 1.
/// </summary>
public sealed class AssociationResult
{
    private double[] _pairWeight = new double[64];
    private double[] _missWeight = new double[16];
    private bool[] _claimed = new bool[16];

    /// <summary>β for every pair of the problem, in the problem's pair order.</summary>
    public ReadOnlySpan<double> PairWeights => _pairWeight.AsSpan(0, PairCountInternal);

    /// <summary>Number of independent clusters with at least one gated pair.</summary>
    public int ClusterCount { get; internal set; }

    /// <summary>Tracks in the largest cluster.</summary>
    public int LargestClusterTracks { get; internal set; }

    /// <summary>Clusters solved approximately because they exceeded an exactness bound (JPDA).</summary>
    public int ApproximatedClusters { get; internal set; }

    internal int PairCountInternal { get; private set; }

    /// <summary>β_t0: the probability that <paramref name="track"/> was not detected (1 or 0 for GNN).</summary>
    public double MissedWeight(int track) => _missWeight[track];

    /// <summary>True when <paramref name="detection"/> is claimed by a track.</summary>
    public bool IsClaimed(int detection) => _claimed[detection];

    internal Span<double> PairWeightsMutable => _pairWeight.AsSpan(0, PairCountInternal);

    internal Span<double> MissWeightsMutable(int tracks) => _missWeight.AsSpan(0, tracks);

    internal Span<bool> ClaimedMutable(int detections) => _claimed.AsSpan(0, detections);

    /// <summary>Sizes the buffers for <paramref name="problem"/>: every track missed, no detection claimed.</summary>
    internal void Reset(AssociationProblem problem)
    {
        var pairs = problem.Pairs.Length;
        if (_pairWeight.Length < pairs)
        {
            _pairWeight = new double[Math.Max(2 * pairs, _pairWeight.Length * 2)];
        }

        if (_missWeight.Length < problem.TrackCount)
        {
            _missWeight = new double[Math.Max(2 * problem.TrackCount, _missWeight.Length * 2)];
        }

        if (_claimed.Length < problem.DetectionCount)
        {
            _claimed = new bool[Math.Max(2 * problem.DetectionCount, _claimed.Length * 2)];
        }

        PairCountInternal = pairs;
        _pairWeight.AsSpan(0, pairs).Clear();
        _missWeight.AsSpan(0, problem.TrackCount).Fill(1);
        _claimed.AsSpan(0, problem.DetectionCount).Clear();
        ClusterCount = 0;
        LargestClusterTracks = 0;
        ApproximatedClusters = 0;
    }
}

/// <summary>
/// The data-associator role (Stone Soup <c>dataassociator/</c>): from the gated pairs of one frame,
/// decide which detection updates which track, with what weight.
/// </summary>
/// <remarks>
/// Implementations split the problem into independent clusters (<see cref="ClusterBuilder"/>) and
/// solve each alone. They own their work buffers: one instance per tracker, not thread-safe,
/// allocation-free in steady state.
/// </remarks>
public interface IDataAssociator
{
    /// <summary>Solves <paramref name="problem"/> into <paramref name="result"/> (overwritten).</summary>
    void Associate(AssociationProblem problem, AssociationResult result);
}
