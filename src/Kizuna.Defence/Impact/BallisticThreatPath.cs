using Kizuna.Core;

namespace Kizuna.Defence.Impact;

/// <summary>
/// The nominal predicted trajectory of a ballistic threat, from the track time to impact: the
/// integrator's nodes, interpolated by cubic Hermite polynomials.
/// </summary>
/// <remarks>
/// Between nodes (tᵢ, rᵢ, vᵢ) and (tᵢ₊₁, rᵢ₊₁, vᵢ₊₁), with h = tᵢ₊₁ − tᵢ and s ∈ [0, 1]:
/// r(s) = h₀₀ rᵢ + h₁₀ h vᵢ + h₀₁ rᵢ₊₁ + h₁₁ h vᵢ₊₁ with the cubic Hermite basis
/// h₀₀ = 2s³ − 3s² + 1, h₁₀ = s³ − 2s² + s, h₀₁ = −2s³ + 3s², h₁₁ = s³ − s²
/// (C. de Boor, "A Practical Guide to Splines", 2001, ch. IV). Node spacing is at most
/// <see cref="ImpactPredictorOptions.MaxStepS"/>. The path ends at the nominal (χ₀) impact; <see cref="End"/>
/// is the unscented-mean time of impact, and times past the last node return the last node.
/// Immutable and thread-safe; <see cref="PositionEcefAt"/> does not allocate.
/// </remarks>
public sealed class BallisticThreatPath : IThreatPath
{
    private readonly double[] _t;
    private readonly Vec3[] _p;
    private readonly Vec3[] _v;

    internal BallisticThreatPath(DateTime start, DateTime end, double[] t, Vec3[] p, Vec3[] v)
    {
        Start = start;
        End = end;
        _t = t;
        _p = p;
        _v = v;
    }

    /// <inheritdoc/>
    public DateTime Start { get; }

    /// <inheritdoc/>
    public DateTime End { get; }

    /// <summary>Number of stored nodes.</summary>
    public int NodeCount => _t.Length;

    /// <inheritdoc/>
    public Vec3 PositionEcefAt(DateTime time)
    {
        var s = (time - Start).TotalSeconds;
        if (s <= _t[0])
        {
            return _p[0];
        }

        if (s >= _t[^1])
        {
            return _p[^1];
        }

        var i = Array.BinarySearch(_t, s);
        if (i >= 0)
        {
            return _p[i];
        }

        i = ~i - 1;
        var h = _t[i + 1] - _t[i];
        var u = (s - _t[i]) / h;
        var u2 = u * u;
        var u3 = u2 * u;
        return (_p[i] * ((2 * u3) - (3 * u2) + 1)) + (_v[i] * (h * (u3 - (2 * u2) + u))) + (_p[i + 1] * ((-2 * u3) + (3 * u2))) + (_v[i + 1] * (h * (u3 - u2)));
    }
}
