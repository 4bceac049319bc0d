using System.Runtime.CompilerServices;
using Kizuna.Core;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.MultipleModel;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Trackers;

/// <summary>
/// One track of the track table: a stable id, the state estimate and the management data. Owned
/// and pooled by its <see cref="MultiTargetTracker"/>: read it between calls to
/// <see cref="MultiTargetTracker.Step"/>, never keep a reference across them (the tracker moves
/// tracks between its objects when it deletes tracks, and reuses objects for new tracks).
/// </summary>
public sealed class Track
{
    /// <summary>Row stride of the compact covariance (<see cref="_compact"/>).</summary>
    internal const int CompactStride = 6;

    /// <summary>Offset of the compact covariance in <see cref="_compact"/> (after the 6-element mean).</summary>
    private const int CompactCovarianceOffset = 6;

    /// <summary>Offset of the covariance in <see cref="_full"/> (after the 9-element mean).</summary>
    private const int FullCovarianceOffset = StateVector.Capacity;

    /// <summary>
    /// The state of a track of dimension ≤ 6 (every position/velocity model): the mean in elements
    /// 0–5, then the covariance row-major with stride 6 — 336 bytes inline. A <see cref="GaussianState"/>
    /// is 728 (capacity 9 × 9); holding that inline made a track object ~830 bytes, and at N = 10,000
    /// the tracker's passes over ~22,700 such objects (19 MB) no longer fit in the caches. The compact
    /// store halves the object (docs/benchmarks.md, Step 10); the hot kernels run on it in place
    /// (<see cref="IMatrixStride"/>), every other path copies through <see cref="LoadState"/> /
    /// <see cref="StoreState"/>.
    /// </summary>
    private CompactState _compact;

    /// <summary>The state of a track of dimension 7–9 (coordinated turn, constant acceleration): mean
    /// in 0–8, covariance with stride 9 from 9; allocated on the object's first such state, then reused.</summary>
    private double[]? _full;

    private int _dimension;

    internal Track()
    {
    }

    /// <summary>The state dimension n (0 before the first initialisation).</summary>
    internal int StateDimension
    {
        get => _dimension;
        set => _dimension = value;
    }

    /// <summary>True when the state is in the compact store (n ≤ 6, stride <see cref="CompactStride"/>).</summary>
    internal bool IsCompact => _dimension <= CompactStride;

    /// <summary>The compact store's mean (6 elements; the first <see cref="StateDimension"/> meaningful).</summary>
    internal Span<double> CompactMean => ((Span<double>)_compact)[..CompactCovarianceOffset];

    /// <summary>The compact store's covariance (6 × 6, stride 6).</summary>
    internal Span<double> CompactCovariance => ((Span<double>)_compact)[CompactCovarianceOffset..];

    /// <summary>Copies the state into <paramref name="state"/> (dimension, mean and leading n × n block; the rest of the buffer is left as it is).</summary>
    internal void LoadState(ref GaussianState state)
    {
        var n = _dimension;
        state.Dimension = n;
        var stride = Store(n, out var mean, out var covariance);
        mean[..n].CopyTo(state.Mean);
        Span<double> to = state.Covariance;
        for (var a = 0; a < n; a++)
        {
            covariance.Slice(a * stride, n).CopyTo(to.Slice(a * StateMatrix.Stride, n));
        }
    }

    /// <summary>Makes <paramref name="state"/>'s dimension, mean and leading n × n block the track's state.</summary>
    internal void StoreState(in GaussianState state)
    {
        var n = state.Dimension;
        _dimension = n;
        var stride = Store(n, out var mean, out var covariance);
        ((ReadOnlySpan<double>)state.Mean)[..n].CopyTo(mean);
        ReadOnlySpan<double> from = state.Covariance;
        for (var a = 0; a < n; a++)
        {
            from.Slice(a * StateMatrix.Stride, n).CopyTo(covariance.Slice(a * stride, n));
        }
    }

    /// <summary>The store of a state of dimension <paramref name="n"/>: its mean and covariance; returns that covariance's row stride (the full array is allocated on first use).</summary>
    private int Store(int n, out Span<double> mean, out Span<double> covariance)
    {
        if (n <= CompactStride)
        {
            mean = CompactMean;
            covariance = CompactCovariance;
            return CompactStride;
        }

        var f = _full ??= new double[FullCovarianceOffset + (StateMatrix.Stride * StateMatrix.Stride)];
        mean = f.AsSpan(0, FullCovarianceOffset);
        covariance = f.AsSpan(FullCovarianceOffset);
        return StateMatrix.Stride;
    }

    /// <summary>The track id: unique within the tracker, assigned in increasing order from 1, never reused.</summary>
    public long Id { get; internal set; }

    /// <summary>The state estimate at <see cref="Time"/> (for an IMM filter, the combined 6-D estimate); a copy, zero beyond the dimension.</summary>
    public GaussianState State
    {
        get
        {
            var s = default(GaussianState);
            LoadState(ref s);
            return s;
        }
    }

    /// <summary>Position (components 0–2 of the state).</summary>
    /// <remarks>Constant indices into the inline store: checked by the compiler, no run-time bounds checks (a hot read).</remarks>
    public Vec3 Position
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsCompact
            ? new Vec3(_compact[0], _compact[1], _compact[2])
            : new Vec3(_full![0], _full[1], _full[2]);
    }

    /// <summary>Velocity (components 3–5 of the state).</summary>
    public Vec3 Velocity
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsCompact
            ? new Vec3(_compact[3], _compact[4], _compact[5])
            : new Vec3(_full![3], _full[4], _full[5]);
    }

    /// <summary>The 3×3 position covariance.</summary>
    public Mat3 PositionCovariance
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (IsCompact)
            {
                const int c = CompactCovarianceOffset;
                const int s = CompactStride;
                return new Mat3(
                    _compact[c], _compact[c + 1], _compact[c + 2],
                    _compact[c + s], _compact[c + s + 1], _compact[c + s + 2],
                    _compact[c + (2 * s)], _compact[c + (2 * s) + 1], _compact[c + (2 * s) + 2]);
            }

            ReadOnlySpan<double> f = _full.AsSpan(FullCovarianceOffset);
            const int t = StateMatrix.Stride;
            return new Mat3(f[0], f[1], f[2], f[t], f[t + 1], f[t + 2], f[2 * t], f[(2 * t) + 1], f[(2 * t) + 2]);
        }
    }

    /// <summary>The time of <see cref="State"/> (the last frame processed).</summary>
    public DateTime Time { get; internal set; }

    /// <summary>The time the track was started.</summary>
    public DateTime Created { get; internal set; }

    /// <summary>The time of the last detection that updated the track.</summary>
    public DateTime LastUpdate { get; internal set; }

    /// <summary>True once the confirmation rule (M of N) has been met; never reverts.</summary>
    public bool IsConfirmed { get; internal set; }

    /// <summary>Frames the track took part in since it started (including the first).</summary>
    public int Frames { get; internal set; }

    /// <summary>Frames with an update (detection weight ≥ ½).</summary>
    public int Hits { get; internal set; }

    /// <summary>Consecutive frames without an update up to now.</summary>
    public int ConsecutiveMisses { get; internal set; }

    /// <summary>Hit history, bit 0 the latest frame (1 = hit).</summary>
    public ulong HitHistory { get; internal set; }

    /// <summary>Bit s set when sensor s (index into <see cref="MultiTargetTracker.SensorName"/>) has contributed; sensors beyond 63 share bit 63.</summary>
    public ulong ContributingSensors { get; internal set; }

    /// <summary>The last cooperative identity (e.g. ICAO 24-bit address) seen on an updating detection; 0 when none.</summary>
    public uint Identity { get; internal set; }

    /// <summary>The nation of the sensor that last updated the track.</summary>
    public Nation LastNation { get; internal set; }

    /// <summary>Track quality 0–15 from the horizontal position uncertainty (<see cref="TrackQuality"/>).</summary>
    public TrackQuality Quality { get; internal set; }

    /// <summary>Per-track IMM data when the estimator is an IMM, else null (for a surface candidate, the surface hypothesis' IMM).</summary>
    public ImmState? Imm { get; internal set; }

    /// <summary>What the track's height means with respect to the sea surface (<see cref="SurfaceTrackModel"/>).</summary>
    public SurfaceHold SurfaceHold => SurfaceBuffer is { Active: true } h ? h.Status : SurfaceHold.None;

    /// <summary>P(surface) of a surface candidate (<see cref="SurfaceTrackModel"/>), 0 for other tracks.</summary>
    public double SurfaceProbability => SurfaceBuffer?.SurfaceProbability ?? 0;

    /// <summary>The revocable surface hold's per-track data (created on the object's first hold, then reused), or null.</summary>
    internal SurfaceHypotheses? SurfaceBuffer { get; set; }

    /// <summary>
    /// Makes this object carry the track held by <paramref name="source"/> (the tracker's
    /// order-preserving compaction): every property, the meaningful leading block of the state and,
    /// for an IMM, the contents of its per-track buffers, so each object keeps its own buffers and
    /// the track table stays in memory order. <paramref name="source"/> becomes a spare.
    /// </summary>
    internal void MoveFrom(Track source)
    {
        Id = source.Id;
        _dimension = source._dimension;
        if (source.IsCompact)
        {
            _compact = source._compact;
        }
        else
        {
            (_full, source._full) = (source._full, _full);
        }

        Time = source.Time;
        Created = source.Created;
        LastUpdate = source.LastUpdate;
        IsConfirmed = source.IsConfirmed;
        Frames = source.Frames;
        Hits = source.Hits;
        ConsecutiveMisses = source.ConsecutiveMisses;
        HitHistory = source.HitHistory;
        ContributingSensors = source.ContributingSensors;
        Identity = source.Identity;
        LastNation = source.LastNation;
        Quality = source.Quality;
        (SurfaceBuffer, source.SurfaceBuffer) = (source.SurfaceBuffer, SurfaceBuffer);
        if (Imm is not null && source.Imm is not null)
        {
            Imm.CopyFrom(source.Imm);
        }
        else
        {
            (Imm, source.Imm) = (source.Imm, Imm);
        }
    }
}

/// <summary>A track's compact state store: a 6-element mean and a 6 × 6 covariance (42 doubles, inline).</summary>
[InlineArray(42)]
internal struct CompactState
{
    private double _element0;
}
