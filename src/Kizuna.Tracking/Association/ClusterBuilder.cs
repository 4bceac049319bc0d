namespace Kizuna.Tracking.Association;

/// <summary>
/// Splits an <see cref="AssociationProblem"/> into independent clusters: two tracks are in one
/// cluster when they share a gated detection, directly or through a chain of tracks.
/// </summary>
/// <remarks>
/// Union–find with path halving and union by size (R. E. Tarjan, "Efficiency of a good but not
/// linear set union algorithm", JACM 22(2), 1975): near-linear in the number of pairs. Clusters
/// are then laid out contiguously by counting sort, so the tracks, pairs and detections of
/// cluster k are spans. Tracks without gated pairs form no cluster. Within a cluster, pairs keep
/// the problem's order (grouped by track) and detections are numbered locally in order of first
/// appearance. Reused across frames without allocating once grown.
/// </remarks>
public sealed class ClusterBuilder
{
    private int[] _parent = [];
    private int[] _size = [];
    private int[] _firstTrackOfDetection = [];
    private int[] _clusterOfRoot = [];
    private int[] _trackStart = [];
    private int[] _tracks = [];
    private int[] _pairStart = [];
    private int[] _pairs = [];
    private int[] _detectionStart = [];
    private int[] _detections = [];
    private int[] _localDetection = [];
    private int[] _localTrack = [];
    private int _clusterCount;

    /// <summary>Number of clusters.</summary>
    public int Count => _clusterCount;

    /// <summary>Track indices of cluster <paramref name="k"/>, ascending.</summary>
    public ReadOnlySpan<int> Tracks(int k) => _tracks.AsSpan(_trackStart[k], _trackStart[k + 1] - _trackStart[k]);

    /// <summary>Pair indices (into <see cref="AssociationProblem.Pairs"/>) of cluster <paramref name="k"/>, grouped by track.</summary>
    public ReadOnlySpan<int> Pairs(int k) => _pairs.AsSpan(_pairStart[k], _pairStart[k + 1] - _pairStart[k]);

    /// <summary>Detection indices of cluster <paramref name="k"/>, in local order.</summary>
    public ReadOnlySpan<int> Detections(int k) => _detections.AsSpan(_detectionStart[k], _detectionStart[k + 1] - _detectionStart[k]);

    /// <summary>The local index (within its cluster) of a detection that appears in some cluster.</summary>
    public int LocalDetection(int detection) => _localDetection[detection];

    /// <summary>The local index (within its cluster) of a track that appears in some cluster.</summary>
    public int LocalTrack(int track) => _localTrack[track];

    /// <summary>Builds the clusters of <paramref name="problem"/>.</summary>
    public void Build(AssociationProblem problem)
    {
        var nt = problem.TrackCount;
        var nd = problem.DetectionCount;
        var pairs = problem.Pairs;
        Ensure(ref _parent, nt);
        Ensure(ref _size, nt);
        Ensure(ref _clusterOfRoot, nt);
        Ensure(ref _trackStart, nt + 2);
        Ensure(ref _tracks, nt);
        Ensure(ref _localTrack, nt);
        Ensure(ref _pairStart, nt + 2);
        Ensure(ref _pairs, pairs.Length);
        Ensure(ref _detectionStart, nt + 2);
        Ensure(ref _detections, Math.Min(nd, pairs.Length));
        Ensure(ref _firstTrackOfDetection, nd);
        Ensure(ref _localDetection, nd);
        for (var t = 0; t < nt; t++)
        {
            _parent[t] = t;
            _size[t] = 1;
        }

        _firstTrackOfDetection.AsSpan(0, nd).Fill(-1);
        foreach (var p in pairs)
        {
            var first = _firstTrackOfDetection[p.Detection];
            if (first < 0)
            {
                _firstTrackOfDetection[p.Detection] = p.Track;
            }
            else
            {
                Union(first, p.Track);
            }
        }

        // Number the clusters by their first track (ascending), counting tracks per cluster.
        _clusterOfRoot.AsSpan(0, nt).Fill(-1);
        _clusterCount = 0;
        var counts = _trackStart.AsSpan(0, nt + 2);
        counts.Clear();
        for (var t = 0; t < nt; t++)
        {
            if (problem.PairCount(t) == 0)
            {
                continue;
            }

            var root = Find(t);
            if (_clusterOfRoot[root] < 0)
            {
                _clusterOfRoot[root] = _clusterCount++;
            }

            counts[_clusterOfRoot[root] + 1]++;
        }

        for (var k = 0; k < _clusterCount; k++)
        {
            counts[k + 1] += counts[k];
        }

        var pairCounts = _pairStart.AsSpan(0, nt + 2);
        pairCounts.Clear();
        var fill = _size; // reuse as a cursor array (sizes are no longer needed)
        for (var k = 0; k < _clusterCount; k++)
        {
            fill[k] = counts[k];
        }

        for (var t = 0; t < nt; t++)
        {
            if (problem.PairCount(t) == 0)
            {
                continue;
            }

            var k = _clusterOfRoot[Find(t)];
            _localTrack[t] = fill[k] - counts[k];
            _tracks[fill[k]++] = t;
            pairCounts[k + 1] += problem.PairCount(t);
        }

        for (var k = 0; k < _clusterCount; k++)
        {
            pairCounts[k + 1] += pairCounts[k];
            fill[k] = pairCounts[k];
        }

        for (var i = 0; i < pairs.Length; i++)
        {
            var k = _clusterOfRoot[Find(pairs[i].Track)];
            _pairs[fill[k]++] = i;
        }

        // Detections per cluster, in order of first appearance among the cluster's pairs.
        _localDetection.AsSpan(0, nd).Fill(-1);
        var written = 0;
        for (var k = 0; k < _clusterCount; k++)
        {
            _detectionStart[k] = written;
            var local = 0;
            for (var i = pairCounts[k]; i < pairCounts[k + 1]; i++)
            {
                var d = pairs[_pairs[i]].Detection;
                if (_localDetection[d] < 0)
                {
                    _localDetection[d] = local++;
                    _detections[written++] = d;
                }
            }
        }

        _detectionStart[_clusterCount] = written;
    }

    private int Find(int x)
    {
        while (_parent[x] != x)
        {
            _parent[x] = _parent[_parent[x]];
            x = _parent[x];
        }

        return x;
    }

    private void Union(int a, int b)
    {
        a = Find(a);
        b = Find(b);
        if (a == b)
        {
            return;
        }

        if (_size[a] < _size[b])
        {
            (a, b) = (b, a);
        }

        _parent[b] = a;
        _size[a] += _size[b];
    }

    private static void Ensure(ref int[] array, int length)
    {
        if (array.Length < length)
        {
            array = new int[Math.Max(2 * length, array.Length * 2)];
        }
    }
}
