using Kizuna.Core;

namespace Kizuna.Tracking.Trackers;

/// <summary>
/// Track quality 0–15 from the horizontal position uncertainty: 15 is best. Used by the network
/// layer to decide reporting responsibility (the node with the higher quality reports).
/// </summary>
/// <remarks>
/// <para><b>Mapping.</b> With P_h the 2×2 horizontal block of the position covariance, the 2-σ
/// horizontal error radius is r = 2 √(tr P_h) (twice the RMS radial error). The quality is a
/// log-2 scale anchored at <see cref="BestRadius"/> = 10 m:</para>
/// <code>
/// Q = 15                           for r ≤ 10 m
/// Q = 15 − ⌈log₂(r / 10 m)⌉        clamped to 0 … 15   (Q = 0 for r &gt; 10 m · 2¹⁵ ≈ 328 km, or r not finite)
/// </code>
/// <para>so each step of quality halves the error radius, as the doubling thresholds of the
/// positional track-quality scales used on tactical data links do (the thresholds here are
/// Kizuna's own, notional).</para>
/// <para><b>Horizontal.</b> In a flat Cartesian frame, horizontal is the x–y plane. In ECEF the
/// local up vector is approximated by the geocentric direction û = p/|p| (within 0.2° of the
/// geodetic normal), and tr P_h = tr P − ûᵀ P û — cheap, no trigonometry.</para>
/// </remarks>
/// <param name="Value">0 (worst) … 15 (best).</param>
public readonly record struct TrackQuality(byte Value)
{
    /// <summary>The 2-σ horizontal radius (m) at and below which the quality is 15.</summary>
    public const double BestRadius = 10.0;

    /// <summary>The highest quality.</summary>
    public static TrackQuality Best => new(15);

    /// <summary>The 2-σ horizontal error radius r = 2 √(tr P_h) (m) of a position covariance.</summary>
    public static double HorizontalRadius(in Mat3 positionCovariance, Vec3 position, bool ecef)
    {
        double traceH;
        if (ecef && position.NormSquared > 0)
        {
            var up = position.Normalized;
            traceH = positionCovariance.Trace - Vec3.Dot(up, positionCovariance * up);
        }
        else
        {
            traceH = positionCovariance.M00 + positionCovariance.M11;
        }

        return 2 * Math.Sqrt(Math.Max(0, traceH));
    }

    /// <summary>The quality for a 2-σ horizontal error radius <paramref name="radius"/> (m).</summary>
    public static TrackQuality FromHorizontalRadius(double radius)
    {
        if (!double.IsFinite(radius) || radius < 0)
        {
            return new(0);
        }

        if (radius <= BestRadius)
        {
            return Best;
        }

        // ⌈log₂(r / 10 m)⌉ by doubling the threshold (exact: 10 m · 2ᵏ is exact in binary floating
        // point), so no logarithm is evaluated for every track at every frame.
        var steps = 1;
        var threshold = 2 * BestRadius;
        while (steps < 15 && radius > threshold)
        {
            steps++;
            threshold *= 2;
        }

        return new((byte)(15 - steps));
    }

    /// <summary>The quality of a position covariance (see the remarks).</summary>
    public static TrackQuality FromPositionCovariance(in Mat3 positionCovariance, Vec3 position, bool ecef) =>
        FromHorizontalRadius(HorizontalRadius(positionCovariance, position, ecef));
}
