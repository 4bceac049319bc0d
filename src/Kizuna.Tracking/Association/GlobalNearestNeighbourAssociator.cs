using Kizuna.Core.Algorithms;

namespace Kizuna.Tracking.Association;

/// <summary>
/// Global nearest neighbour: per independent cluster, the single joint assignment of detections
/// to tracks (or to "missed") with the largest likelihood, found exactly by 2-D assignment.
/// </summary>
/// <remarks>
/// <para>For track t and detection d with innovation likelihood N(ν_td; 0, S_td) the cost is the
/// negative log-likelihood ratio of "d came from t" against "d is clutter and t was missed":</para>
/// <code>
/// c(t, d) = −ln P_D − ln N(ν_td; 0, S_td) + ln λ  =  ½ (d²_td + ln det 2πS_td) − ln(P_D / λ)
/// c(t, ∅) = −ln(1 − P_D P_G)
/// </code>
/// <para>This is the cost of Bar-Shalom, Willett &amp; Tian, "Tracking and Data Fusion" (2011),
/// §7.3 (2-D assignment with the log-likelihood ratio), and the d² + ln|S| cost plus a
/// miss/new-track cost the literature calls the "generalised" distance. The assignment matrix is
/// the tracks × (detections + one private "missed" column per track) matrix (forbidden entries
/// elsewhere), solved by <see cref="LinearAssignmentSolver"/> (Jonker–Volgenant), so every track
/// receives either one detection or its missed column and no detection is used twice — the
/// minimum total cost over all feasible joint assignments of the cluster. Clusters with one track
/// (the common case) are solved by a scan without building the matrix. Ties are broken by the
/// solver's fixed scan order, so results are deterministic.</para>
/// <para>Detections assigned to a track are claimed; the others may start tracks.</para>
/// </remarks>
public sealed class GlobalNearestNeighbourAssociator : IDataAssociator
{
    private readonly AssociationParameters _parameters;
    private readonly double _missCost;
    private readonly double _logDetectionWeight;
    private readonly ClusterBuilder _clusters = new();
    private readonly LinearAssignmentSolver _solver = new();
    private double[] _costs = [];
    private int[] _pairAt = [];
    private int[] _assignment = [];

    /// <summary>Creates the associator.</summary>
    public GlobalNearestNeighbourAssociator(AssociationParameters parameters)
    {
        parameters.Validate();
        _parameters = parameters;
        _missCost = -parameters.LogMissWeight;
        _logDetectionWeight = parameters.LogDetectionWeight;

        // Size the solver's own work buffers for clusters of up to WarmRows tracks now, so that the
        // first large cluster met in steady state does not allocate (it grows on demand beyond).
        var warm = new double[WarmRows * 2 * WarmRows];
        _solver.Solve(warm, WarmRows, 2 * WarmRows, new int[WarmRows], out _);
        _costs = warm;
        _pairAt = new int[warm.Length];
        _assignment = new int[WarmRows];
    }

    /// <summary>Cluster size (tracks) the work buffers are sized for up front.</summary>
    public const int WarmRows = 32;

    /// <summary>The likelihood parameters.</summary>
    public AssociationParameters Parameters => _parameters;

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
        for (var k = 0; k < _clusters.Count; k++)
        {
            var tracks = _clusters.Tracks(k);
            var clusterPairs = _clusters.Pairs(k);
            var detections = _clusters.Detections(k);
            result.LargestClusterTracks = Math.Max(result.LargestClusterTracks, tracks.Length);
            if (tracks.Length == 1)
            {
                var best = -1;
                var bestCost = _missCost;
                foreach (var pi in clusterPairs)
                {
                    var c = Cost(pairs[pi]);
                    if (c < bestCost)
                    {
                        bestCost = c;
                        best = pi;
                    }
                }

                if (best >= 0)
                {
                    weights[best] = 1;
                    missed[tracks[0]] = 0;
                    claimed[pairs[best].Detection] = true;
                }

                continue;
            }

            var rows = tracks.Length;
            var cols = detections.Length + rows;
            Ensure(ref _costs, rows * cols);
            Ensure(ref _pairAt, rows * cols);
            Ensure(ref _assignment, rows);
            var costs = _costs.AsSpan(0, rows * cols);
            var pairAt = _pairAt.AsSpan(0, rows * cols);
            costs.Fill(LinearAssignmentSolver.Forbidden);
            for (var r = 0; r < rows; r++)
            {
                costs[(r * cols) + detections.Length + r] = _missCost;
            }

            foreach (var pi in clusterPairs)
            {
                var p = pairs[pi];
                var cell = (_clusters.LocalTrack(p.Track) * cols) + _clusters.LocalDetection(p.Detection);
                costs[cell] = Cost(p);
                pairAt[cell] = pi;
            }

            var assignment = _assignment.AsSpan(0, rows);
            _solver.Solve(costs, rows, cols, assignment, out _);
            for (var r = 0; r < rows; r++)
            {
                var c = assignment[r];
                if (c >= 0 && c < detections.Length)
                {
                    var pi = pairAt[(r * cols) + c];
                    weights[pi] = 1;
                    missed[tracks[r]] = 0;
                    claimed[detections[c]] = true;
                }
            }
        }
    }

    private double Cost(in GatedPair p) => -(_logDetectionWeight + p.LogLikelihood);

    private static void Ensure<T>(ref T[] array, int length)
    {
        if (array.Length < length)
        {
            array = new T[Math.Max(2 * length, array.Length * 2)];
        }
    }
}
