using Kizuna.Core;
using Kizuna.Tracking.Gating;

namespace Kizuna.Network.Picture;

/// <summary>
/// The statistical test of track-to-track association: are two track states estimates of one object?
/// </summary>
/// <remarks>
/// <para>With Δ = x̂_a − x̂_b the difference of the two 6-D states at a common time, and, for
/// estimation errors treated as independent, S = P_a + P_b (Bar-Shalom, "On the track-to-track
/// correlation problem", IEEE Trans. Automatic Control 26(2), 1981; Blackman &amp; Popoli, "Design
/// and Analysis of Modern Tracking Systems" (1999), §13.3):</para>
/// <code>
/// d² = Δᵀ S⁻¹ Δ ~ χ²(6) under H₀ (same object)       accept H₀ iff d² ≤ γ = F⁻¹_χ²(6)(P_G)
/// </code>
/// <para>Position and velocity blocks are independent here because the wire carries no cross
/// block, so d² = Δpᵀ(P_pa + P_pb)⁻¹Δp + Δvᵀ(P_va + P_vb)⁻¹Δv. Ignoring the common process noise
/// (Bar-Shalom 1981's cross-covariance) makes S slightly too large when both trackers saw the same
/// manoeuvre; the gate is then slightly loose, which the hysteresis of
/// <see cref="CorrelationHysteresis"/> absorbs. Allocation-free.</para>
/// </remarks>
public static class TrackCorrelation
{
    /// <summary>Degrees of freedom of the test (position and velocity).</summary>
    public const int DegreesOfFreedom = 6;

    /// <summary>The gate γ for a gate probability (e.g. 0.99 → 16.81).</summary>
    public static double Gate(double probability) => ChiSquare.Quantile(probability, DegreesOfFreedom);

    /// <summary>
    /// d² between <paramref name="a"/> and <paramref name="b"/>, after predicting <paramref name="b"/> to
    /// <paramref name="a"/>'s time; +∞ when a summed covariance is not positive definite.
    /// </summary>
    public static double MahalanobisSquared(in KinematicState a, in KinematicState b, double processNoise)
    {
        var bb = b.PredictTo(a.Time, processNoise);
        return Quadratic(a.Position - bb.Position, a.PositionCovariance + bb.PositionCovariance)
            + Quadratic(a.Velocity - bb.Velocity, a.VelocityCovariance + bb.VelocityCovariance);
    }

    private static double Quadratic(Vec3 d, Mat3 s)
    {
        // Cholesky of the symmetric 3×3 S = L Lᵀ, then |L⁻¹ d|².
        var l00 = s.M00;
        if (!(l00 > 0))
        {
            return double.PositiveInfinity;
        }

        l00 = Math.Sqrt(l00);
        var l10 = s.M10 / l00;
        var l20 = s.M20 / l00;
        var d11 = s.M11 - (l10 * l10);
        if (!(d11 > 0))
        {
            return double.PositiveInfinity;
        }

        var l11 = Math.Sqrt(d11);
        var l21 = (s.M21 - (l20 * l10)) / l11;
        var d22 = s.M22 - (l20 * l20) - (l21 * l21);
        if (!(d22 > 0))
        {
            return double.PositiveInfinity;
        }

        var l22 = Math.Sqrt(d22);
        var y0 = d.X / l00;
        var y1 = (d.Y - (l10 * y0)) / l11;
        var y2 = (d.Z - (l20 * y0) - (l21 * y1)) / l22;
        return (y0 * y0) + (y1 * y1) + (y2 * y2);
    }
}

/// <summary>
/// Hysteresis of a correlation decision: correlate after <c>k</c> consecutive passing tests,
/// decorrelate after <c>m</c> consecutive failing ones. An immutable counter.
/// </summary>
/// <param name="Passes">Consecutive passing tests.</param>
/// <param name="Fails">Consecutive failing tests.</param>
public readonly record struct CorrelationHysteresis(int Passes, int Fails)
{
    /// <summary>The counter after one more test.</summary>
    public CorrelationHysteresis Record(bool passed) => passed ? new(Passes + 1, 0) : new(0, Fails + 1);

    /// <summary>True once <paramref name="k"/> consecutive tests passed.</summary>
    public bool ShouldCorrelate(int k) => Passes >= k;

    /// <summary>True once <paramref name="m"/> consecutive tests failed.</summary>
    public bool ShouldDecorrelate(int m) => Fails >= m;
}
