using Kizuna.Core;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Predictors;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Updaters;

/// <summary>
/// Unscented Kalman measurement update with an angle-aware mean of the predicted measurement.
/// </summary>
/// <remarks>
/// <para>Julier &amp; Uhlmann, Proc. IEEE 92(3) 2004, §V; Wan &amp; van der Merwe 2000, Algorithm 3.1:
/// sigma points χᵢ of N(x⁻, P⁻); 𝒵ᵢ = h(χᵢ);</para>
/// <code>
/// ẑ  = 𝒵₀ + Σ Wᵢᵐ (𝒵ᵢ ⊖ 𝒵₀)                 (angle-aware mean)
/// S  = Σ Wᵢᶜ (𝒵ᵢ ⊖ ẑ)(𝒵ᵢ ⊖ ẑ)ᵀ + R
/// Pxz = Σ Wᵢᶜ (χᵢ − x⁻)(𝒵ᵢ ⊖ ẑ)ᵀ
/// K = Pxz S⁻¹,  x = x⁻ + K (z ⊖ ẑ),  P = P⁻ − K S Kᵀ
/// </code>
/// <para>⊖ is the model's residual (azimuth wrapped into (−π, π]). Averaging residuals about the
/// central sigma point instead of the raw angles makes the mean correct across the 0/2π azimuth
/// cut and, unlike a circular mean of sines and cosines, stays exact for negative weights. P is
/// symmetrised; d² and the log-likelihood are as in <see cref="KalmanUpdater"/>.</para>
/// </remarks>
public static class UnscentedKalmanUpdater
{
    private const int St = StateMatrix.Stride;

    /// <summary>Updates <paramref name="state"/> with <paramref name="measurement"/>.</summary>
    public static UpdateResult Update<TMeas>(in TMeas model, ref GaussianState state, Vec3 measurement, UnscentedTransformParameters parameters)
        where TMeas : IMeasurementModel
    {
        var n = state.Dimension;
        var m = model.Dimension;
        var (wm0, wc0, wi, scale) = parameters.Weights(n);
        Span<StateVector> chi = stackalloc StateVector[SigmaPoints.MaxCount];
        if (!SigmaPoints.Generate(state, scale, chi))
        {
            return UpdateResult.Invalid(m);
        }

        var count = (2 * n) + 1;
        Span<Vec3> zs = stackalloc Vec3[SigmaPoints.MaxCount];
        for (var i = 0; i < count; i++)
        {
            zs[i] = model.Function(new Vec3(chi[i][0], chi[i][1], chi[i][2]));
        }

        var offset = Vec3.Zero;
        for (var i = 1; i < count; i++)
        {
            offset += wi * model.Residual(zs[i], zs[0]);
        }

        // Σ Wᵐ = 1 and the central residual is zero, so ẑ = 𝒵₀ + Σ_{i≥1} Wᵢ (𝒵ᵢ ⊖ 𝒵₀).
        var zhat = zs[0] + offset;
        var s = model.NoiseCovariance;
        Span<double> pxz = stackalloc double[StateVector.Capacity * 3];
        for (var i = 0; i < count; i++)
        {
            var w = i == 0 ? wc0 : wi;
            var dz = model.Residual(zs[i], zhat);
            s += new Mat3(
                dz.X * dz.X, dz.X * dz.Y, dz.X * dz.Z,
                dz.Y * dz.X, dz.Y * dz.Y, dz.Y * dz.Z,
                dz.Z * dz.X, dz.Z * dz.Y, dz.Z * dz.Z) * w;
            for (var r = 0; r < n; r++)
            {
                var dx = w * (chi[i][r] - state.Mean[r]);
                pxz[r * 3] += dx * dz.X;
                pxz[(r * 3) + 1] += dx * dz.Y;
                pxz[(r * 3) + 2] += dx * dz.Z;
            }
        }

        s = s.Symmetrize();
        if (!SmallSpd.TryInvert(s, m, out var sInv, out var logDet))
        {
            return UpdateResult.Invalid(m);
        }

        var nu = model.Residual(measurement, zhat);
        var d2 = SmallSpd.QuadraticForm(sInv, nu, m);
        Span<double> k = stackalloc double[StateVector.Capacity * 3];
        for (var r = 0; r < n; r++)
        {
            var a = new Vec3(pxz[r * 3], pxz[(r * 3) + 1], pxz[(r * 3) + 2]);
            var kr = sInv.Transpose() * a;
            k[r * 3] = kr.X;
            k[(r * 3) + 1] = kr.Y;
            k[(r * 3) + 2] = kr.Z;
            state.Mean[r] += Vec3.Dot(kr, nu);
        }

        // P −= K S Kᵀ = Pxz Kᵀ.
        Span<double> p = state.Covariance;
        for (var r = 0; r < n; r++)
        {
            for (var c = 0; c < n; c++)
            {
                p[(r * St) + c] -= (pxz[r * 3] * k[c * 3]) + (pxz[(r * 3) + 1] * k[(c * 3) + 1]) + (pxz[(r * 3) + 2] * k[(c * 3) + 2]);
            }
        }

        Dense.Symmetrize(p, n);
        return new UpdateResult(nu, s, d2, -0.5 * (d2 + logDet + (m * UpdateResult.Log2Pi)), m, true);
    }
}
