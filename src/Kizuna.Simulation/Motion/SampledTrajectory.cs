using Kizuna.Core;

namespace Kizuna.Simulation.Motion;

/// <summary>
/// A trajectory stored as a table of nodes (time, ECEF position, ECEF velocity) and evaluated by
/// piecewise cubic Hermite interpolation; optionally periodic after a loop start (orbits).
/// </summary>
/// <remarks>
/// On [tᵢ, tᵢ₊₁], with h = tᵢ₊₁ − tᵢ and s = (t − tᵢ)/h, the cubic Hermite interpolant
/// (R. L. Burden and J. D. Faires, "Numerical Analysis", 9th ed., §3.4; C. de Boor, "A Practical
/// Guide to Splines", ch. IV) is
/// p(s) = (2s³ − 3s² + 1) pᵢ + (s³ − 2s² + s) h vᵢ + (−2s³ + 3s²) pᵢ₊₁ + (s³ − s²) h vᵢ₊₁,
/// and the velocity is its derivative dp/dt. It passes through every node with the node's velocity
/// (C¹ continuity); its error is O(h⁴ max|p⁗|)/384. Lookup is a binary search: O(log n), no
/// allocation, and the object is immutable so any number of threads may read it.
/// <para>Boosting is a property of an interval: the flag of node i holds on [tᵢ, tᵢ₊₁).</para>
/// </remarks>
internal sealed class SampledTrajectory : ITrajectory
{
    private readonly double[] _t;
    private readonly Vec3[] _p;
    private readonly Vec3[] _v;
    private readonly bool[]? _boost;
    private readonly double _offset;
    private readonly double _loopStart;
    private readonly double _period;
    private readonly bool _holdAtEnd;

    /// <summary>Creates the table (node times strictly increasing, in the trajectory's own time base).</summary>
    public SampledTrajectory(double[] t, Vec3[] p, Vec3[] v, bool[]? boost = null, double loopStart = double.NaN, double period = double.NaN, bool holdAtEnd = false)
        : this(t, p, v, boost, 0, loopStart, period, double.NaN, double.NaN, holdAtEnd)
    {
    }

    private SampledTrajectory(double[] t, Vec3[] p, Vec3[] v, bool[]? boost, double offset, double loopStart, double period, double start, double end, bool holdAtEnd)
    {
        if (t.Length == 0 || p.Length != t.Length || v.Length != t.Length || (boost is not null && boost.Length != t.Length))
        {
            throw new ArgumentException("A sampled trajectory needs at least one node and arrays of equal length.");
        }

        for (var i = 1; i < t.Length; i++)
        {
            if (!(t[i] > t[i - 1]))
            {
                throw new ArgumentException($"Node times must increase strictly (node {i}).");
            }
        }

        _t = t;
        _p = p;
        _v = v;
        _boost = boost;
        _offset = offset;
        _loopStart = loopStart;
        _period = period;
        _holdAtEnd = holdAtEnd;
        IsPeriodic = double.IsFinite(period) && period > 0;
        var naturalEnd = IsPeriodic || holdAtEnd ? double.PositiveInfinity : t[^1] + offset;
        StartTime = double.IsNaN(start) ? t[0] + offset : start;
        EndTime = double.IsNaN(end) ? naturalEnd : Math.Min(end, naturalEnd);
    }

    /// <inheritdoc/>
    public double StartTime { get; }

    /// <inheritdoc/>
    public double EndTime { get; }

    /// <summary>True when the table repeats after the loop start.</summary>
    public bool IsPeriodic { get; }

    /// <summary>Number of stored nodes.</summary>
    public int NodeCount => _t.Length;

    /// <summary>Node time (own time base, without the offset).</summary>
    internal double NodeTime(int i) => _t[i] + _offset;

    /// <summary>Node position.</summary>
    internal Vec3 NodePosition(int i) => _p[i];

    /// <summary>The same table shifted in time by <paramref name="offset"/> and clipped to [start, end].</summary>
    public SampledTrajectory Shifted(double offset, double start = double.NaN, double end = double.NaN)
    {
        var s = double.IsNaN(start) ? _t[0] + offset : Math.Max(start, _t[0] + offset);
        return new SampledTrajectory(_t, _p, _v, _boost, offset, _loopStart, _period, s, end, _holdAtEnd);
    }

    /// <inheritdoc/>
    public bool TryGetState(double t, out KinematicState state)
    {
        if (!(t >= StartTime && t <= EndTime))
        {
            state = default;
            return false;
        }

        var local = t - _offset;
        if (IsPeriodic && local > _loopStart)
        {
            local = _loopStart + ((local - _loopStart) % _period);
        }

        var n = _t.Length;
        if (n == 1 || local <= _t[0])
        {
            state = new KinematicState(_p[0], _v[0], _boost is not null && _boost[0]);
            return true;
        }

        if (local >= _t[n - 1])
        {
            state = new KinematicState(_p[n - 1], _v[n - 1], _boost is not null && _boost[n - 1]);
            return true;
        }

        var i = Array.BinarySearch(_t, local);
        if (i >= 0)
        {
            state = new KinematicState(_p[i], _v[i], _boost is not null && _boost[i]);
            return true;
        }

        i = ~i - 1;
        var h = _t[i + 1] - _t[i];
        var s = (local - _t[i]) / h;
        var s2 = s * s;
        var s3 = s2 * s;
        var p0 = _p[i];
        var p1 = _p[i + 1];
        var m0 = _v[i] * h;
        var m1 = _v[i + 1] * h;
        var pos = (p0 * ((2 * s3) - (3 * s2) + 1)) + (m0 * (s3 - (2 * s2) + s)) + (p1 * ((-2 * s3) + (3 * s2))) + (m1 * (s3 - s2));
        var vel = ((p0 * ((6 * s2) - (6 * s))) + (m0 * ((3 * s2) - (4 * s) + 1)) + (p1 * ((-6 * s2) + (6 * s))) + (m1 * ((3 * s2) - (2 * s)))) / h;
        state = new KinematicState(pos, vel, _boost is not null && _boost[i]);
        return true;
    }
}
