namespace Kizuna.Tracking.Predictors;

/// <summary>
/// Parameters of the scaled unscented transform: spread α, prior-knowledge β (2 is optimal for
/// Gaussians) and secondary scaling κ.
/// </summary>
/// <remarks>
/// S. J. Julier &amp; J. K. Uhlmann, "Unscented filtering and nonlinear estimation", Proc. IEEE
/// 92(3), 2004, §IV; E. A. Wan &amp; R. van der Merwe, "The unscented Kalman filter for nonlinear
/// estimation", IEEE AS-SPCC 2000, eq. 15: λ = α²(n + κ) − n; sigma points x̄, x̄ ± (√((n+λ)P))ᵢ;
/// weights W₀ᵐ = λ/(n+λ), W₀ᶜ = λ/(n+λ) + 1 − α² + β, Wᵢ = 1/(2(n+λ)). The default α = 1, β = 2,
/// κ = 0 gives λ = 0 and non-negative weights for every n, which keeps the sigma-point
/// covariance positive semi-definite; small α (1e-3, the paper's example) is available but makes
/// W₀ strongly negative.
/// </remarks>
/// <param name="Alpha">α ∈ (0, 1].</param>
/// <param name="Beta">β ≥ 0.</param>
/// <param name="Kappa">κ ≥ 0 (or 3 − n).</param>
public readonly record struct UnscentedTransformParameters(double Alpha, double Beta, double Kappa)
{
    /// <summary>α = 1, β = 2, κ = 0.</summary>
    public static UnscentedTransformParameters Default => new(1, 2, 0);

    /// <summary>λ for dimension n.</summary>
    public double Lambda(int n) => (Alpha * Alpha * (n + Kappa)) - n;

    /// <summary>Mean and covariance weights (W₀ᵐ, W₀ᶜ, Wᵢ) and the sigma-point scale √(n + λ) for dimension n.</summary>
    public (double Mean0, double Covariance0, double Others, double Scale) Weights(int n)
    {
        var lambda = Lambda(n);
        var c = n + lambda;
        if (!(c > 0))
        {
            throw new InvalidOperationException($"n + λ = {c} must be positive (α = {Alpha}, κ = {Kappa}, n = {n}).");
        }

        var w0 = lambda / c;
        return (w0, w0 + 1 - (Alpha * Alpha) + Beta, 0.5 / c, Math.Sqrt(c));
    }
}
