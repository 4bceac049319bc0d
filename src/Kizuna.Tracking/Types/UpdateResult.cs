using Kizuna.Core;

namespace Kizuna.Tracking.Types;

/// <summary>
/// What a measurement update (or a gating evaluation) learned: the innovation ν = z − ẑ, its
/// covariance S, the squared Mahalanobis distance d² = νᵀ S⁻¹ ν and the Gaussian log-likelihood
/// ln N(ν; 0, S) = −½ (d² + ln det S + m ln 2π).
/// </summary>
/// <remarks>
/// d² is χ²(m)-distributed for a consistent filter (Bar-Shalom, Li &amp; Kirubarajan, "Estimation
/// with Applications to Tracking and Navigation" (2001), §5.4.2), which is what gates use; the
/// log-likelihood feeds IMM mode probabilities and association scores. Only the leading
/// <see cref="MeasurementDimension"/> components of the vectors and block of S are meaningful.
/// </remarks>
/// <param name="Innovation">ν = z − ẑ (angles wrapped).</param>
/// <param name="InnovationCovariance">S = H P Hᵀ + R (or the unscented equivalent).</param>
/// <param name="MahalanobisSquared">d² = νᵀ S⁻¹ ν.</param>
/// <param name="LogLikelihood">ln N(ν; 0, S).</param>
/// <param name="MeasurementDimension">m (2 or 3).</param>
/// <param name="IsValid">False when S was not positive definite (the state is then left unchanged).</param>
public readonly record struct UpdateResult(
    Vec3 Innovation,
    Mat3 InnovationCovariance,
    double MahalanobisSquared,
    double LogLikelihood,
    int MeasurementDimension,
    bool IsValid)
{
    /// <summary>ln 2π.</summary>
    public const double Log2Pi = 1.8378770664093453;

    /// <summary>A result for a degenerate innovation covariance.</summary>
    public static UpdateResult Invalid(int m) =>
        new(default, default, double.PositiveInfinity, double.NegativeInfinity, m, false);
}
