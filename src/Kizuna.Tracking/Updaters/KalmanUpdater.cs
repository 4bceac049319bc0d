using System.Runtime.CompilerServices;
using Kizuna.Core;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Updaters;

/// <summary>
/// Kalman / extended Kalman measurement update with the Joseph-form covariance update (the Stone
/// Soup "updater" role), in place and allocation-free; also the gating evaluation without update.
/// </summary>
/// <remarks>
/// <para>Bar-Shalom, Li &amp; Kirubarajan (2001), §5.2.3 and §10.3.2 (EKF), with ẑ = h(x⁻) and
/// H = ∂h/∂x at x⁻ (for a linear h this is the Kalman filter exactly):</para>
/// <code>
/// ν = z ⊖ ẑ                   (angles wrapped by the model's residual)
/// S = H P⁻ Hᵀ + R
/// K = P⁻ Hᵀ S⁻¹
/// x = x⁻ + K ν
/// P = (I − K H) P⁻ (I − K H)ᵀ + K R Kᵀ    (Joseph form, §5.2.3 eq. 5.2.3-18)
/// d² = νᵀ S⁻¹ ν,   ln Λ = −½ (d² + ln det S + m ln 2π)
/// </code>
/// <para>The Joseph form keeps P symmetric positive semi-definite for any gain and is far less
/// sensitive to round-off than P = (I − KH)P⁻ (Bucy &amp; Joseph 1968; §5.2.3). It is evaluated
/// in O(n²m) using H = [H_p 0] (measurements depend on position only): with B = P⁻ − K (H P⁻),
/// P = B + (K R − B Hᵀ) Kᵀ. S is inverted by a closed-form m ≤ 3 Cholesky
/// (<see cref="SmallSpd"/>). If S is not positive definite the state is left unchanged and an
/// invalid result is returned.</para>
/// </remarks>
public static class KalmanUpdater
{
    private const int St = StateMatrix.Stride;

    /// <summary>Updates <paramref name="state"/> with <paramref name="measurement"/>; returns innovation statistics.</summary>
    public static UpdateResult Update<TMeas>(in TMeas model, ref GaussianState state, Vec3 measurement)
        where TMeas : IMeasurementModel
    {
        if (typeof(TMeas) == typeof(DetectionMeasurementModel)
            && Unsafe.As<TMeas, DetectionMeasurementModel>(ref Unsafe.AsRef(in model)) is { IsPositionKind: true } positionModel)
        {
            return UpdatePosition(ref state, measurement, positionModel.NoiseCovariance);
        }

        var n = state.Dimension;
        var m = model.Dimension;
        Span<double> p = state.Covariance;
        var position = state.Position;
        var predicted = model.Function(position);
        var h = model.Jacobian(position);
        var r = model.NoiseCovariance;
        var nu = model.Residual(measurement, predicted);

        // PHᵀ (n×3): P[:, 0:3] H_pᵀ.
        Span<double> pht = stackalloc double[StateVector.Capacity * 3];
        for (var i = 0; i < n; i++)
        {
            var p0 = p[i * St];
            var p1 = p[(i * St) + 1];
            var p2 = p[(i * St) + 2];
            pht[i * 3] = (p0 * h.M00) + (p1 * h.M01) + (p2 * h.M02);
            pht[(i * 3) + 1] = (p0 * h.M10) + (p1 * h.M11) + (p2 * h.M12);
            pht[(i * 3) + 2] = (p0 * h.M20) + (p1 * h.M21) + (p2 * h.M22);
        }

        var s = InnovationCovariance(pht, h, r, m);
        if (!SmallSpd.TryInvert(s, m, out var sInv, out var logDet))
        {
            return UpdateResult.Invalid(m);
        }

        var d2 = SmallSpd.QuadraticForm(sInv, nu, m);

        // K = PHᵀ S⁻¹ (n×3), x += K ν.
        Span<double> k = stackalloc double[StateVector.Capacity * 3];
        for (var i = 0; i < n; i++)
        {
            double a0 = pht[i * 3], a1 = pht[(i * 3) + 1], a2 = pht[(i * 3) + 2];
            var k0 = (a0 * sInv.M00) + (a1 * sInv.M10) + (a2 * sInv.M20);
            var k1 = (a0 * sInv.M01) + (a1 * sInv.M11) + (a2 * sInv.M21);
            var k2 = (a0 * sInv.M02) + (a1 * sInv.M12) + (a2 * sInv.M22);
            k[i * 3] = k0;
            k[(i * 3) + 1] = k1;
            k[(i * 3) + 2] = k2;
            state.Mean[i] += (k0 * nu.X) + (k1 * nu.Y) + (k2 * nu.Z);
        }

        // Joseph form: B = P − K (H P), HP = (PHᵀ)ᵀ since P is symmetric.
        for (var i = 0; i < n; i++)
        {
            double k0 = k[i * 3], k1 = k[(i * 3) + 1], k2 = k[(i * 3) + 2];
            for (var l = 0; l < n; l++)
            {
                p[(i * St) + l] -= (k0 * pht[l * 3]) + (k1 * pht[(l * 3) + 1]) + (k2 * pht[(l * 3) + 2]);
            }
        }

        // C = K R − B Hᵀ (n×3); P = B + C Kᵀ.
        Span<double> c = stackalloc double[StateVector.Capacity * 3];
        for (var i = 0; i < n; i++)
        {
            double k0 = k[i * 3], k1 = k[(i * 3) + 1], k2 = k[(i * 3) + 2];
            double b0 = p[i * St], b1 = p[(i * St) + 1], b2 = p[(i * St) + 2];
            c[i * 3] = (k0 * r.M00) + (k1 * r.M10) + (k2 * r.M20) - ((b0 * h.M00) + (b1 * h.M01) + (b2 * h.M02));
            c[(i * 3) + 1] = (k0 * r.M01) + (k1 * r.M11) + (k2 * r.M21) - ((b0 * h.M10) + (b1 * h.M11) + (b2 * h.M12));
            c[(i * 3) + 2] = (k0 * r.M02) + (k1 * r.M12) + (k2 * r.M22) - ((b0 * h.M20) + (b1 * h.M21) + (b2 * h.M22));
        }

        for (var i = 0; i < n; i++)
        {
            double c0 = c[i * 3], c1 = c[(i * 3) + 1], c2 = c[(i * 3) + 2];
            for (var l = 0; l < n; l++)
            {
                p[(i * St) + l] += (c0 * k[l * 3]) + (c1 * k[(l * 3) + 1]) + (c2 * k[(l * 3) + 2]);
            }
        }

        Dense.Symmetrize(p, n);
        return new UpdateResult(nu, s, d2, -0.5 * (d2 + logDet + (m * UpdateResult.Log2Pi)), m, true);
    }

    /// <summary>
    /// <see cref="Update{TMeas}"/> for a position measurement z = x_p + w, w ~ N(0, R): H = [I 0], so
    /// PHᵀ is the first three columns of P and B Hᵀ the first three columns of B. The products with
    /// the identity are skipped; they are exact, so the result equals the generic path's.
    /// </summary>
    internal static UpdateResult UpdatePosition(ref GaussianState state, Vec3 measurement, in Mat3 r)
    {
        const int m = 3;
        var n = state.Dimension;
        Span<double> p = state.Covariance;
        var nu = measurement - state.Position;
        Span<double> pht = stackalloc double[StateVector.Capacity * 3];
        for (var i = 0; i < n; i++)
        {
            pht[i * 3] = p[i * St];
            pht[(i * 3) + 1] = p[(i * St) + 1];
            pht[(i * 3) + 2] = p[(i * St) + 2];
        }

        var s = new Mat3(
            pht[0] + r.M00, pht[1] + r.M01, pht[2] + r.M02,
            pht[3] + r.M10, pht[4] + r.M11, pht[5] + r.M12,
            pht[6] + r.M20, pht[7] + r.M21, pht[8] + r.M22).Symmetrize();
        if (!SmallSpd.TryInvert(s, m, out var sInv, out var logDet))
        {
            return UpdateResult.Invalid(m);
        }

        var d2 = SmallSpd.QuadraticForm(sInv, nu, m);
        Span<double> k = stackalloc double[StateVector.Capacity * 3];
        for (var i = 0; i < n; i++)
        {
            double a0 = pht[i * 3], a1 = pht[(i * 3) + 1], a2 = pht[(i * 3) + 2];
            var k0 = (a0 * sInv.M00) + (a1 * sInv.M10) + (a2 * sInv.M20);
            var k1 = (a0 * sInv.M01) + (a1 * sInv.M11) + (a2 * sInv.M21);
            var k2 = (a0 * sInv.M02) + (a1 * sInv.M12) + (a2 * sInv.M22);
            k[i * 3] = k0;
            k[(i * 3) + 1] = k1;
            k[(i * 3) + 2] = k2;
            state.Mean[i] += (k0 * nu.X) + (k1 * nu.Y) + (k2 * nu.Z);
        }

        for (var i = 0; i < n; i++)
        {
            double k0 = k[i * 3], k1 = k[(i * 3) + 1], k2 = k[(i * 3) + 2];
            var row = p.Slice(i * St, n);
            for (var l = 0; l < row.Length; l++)
            {
                row[l] -= (k0 * pht[l * 3]) + (k1 * pht[(l * 3) + 1]) + (k2 * pht[(l * 3) + 2]);
            }
        }

        Span<double> c = stackalloc double[StateVector.Capacity * 3];
        for (var i = 0; i < n; i++)
        {
            double k0 = k[i * 3], k1 = k[(i * 3) + 1], k2 = k[(i * 3) + 2];
            double b0 = p[i * St], b1 = p[(i * St) + 1], b2 = p[(i * St) + 2];
            c[i * 3] = (k0 * r.M00) + (k1 * r.M10) + (k2 * r.M20) - b0;
            c[(i * 3) + 1] = (k0 * r.M01) + (k1 * r.M11) + (k2 * r.M21) - b1;
            c[(i * 3) + 2] = (k0 * r.M02) + (k1 * r.M12) + (k2 * r.M22) - b2;
        }

        for (var i = 0; i < n; i++)
        {
            double c0 = c[i * 3], c1 = c[(i * 3) + 1], c2 = c[(i * 3) + 2];
            var row = p.Slice(i * St, n);
            for (var l = 0; l < row.Length; l++)
            {
                row[l] += (c0 * k[l * 3]) + (c1 * k[(l * 3) + 1]) + (c2 * k[(l * 3) + 2]);
            }
        }

        Dense.Symmetrize(p, n);
        return new UpdateResult(nu, s, d2, -0.5 * (d2 + logDet + (m * UpdateResult.Log2Pi)), m, true);
    }

    /// <summary>
    /// Innovation statistics of <paramref name="measurement"/> against <paramref name="state"/>
    /// without updating it — the gating / association-cost evaluation.
    /// </summary>
    public static UpdateResult Evaluate<TMeas>(in TMeas model, in GaussianState state, Vec3 measurement)
        where TMeas : IMeasurementModel
    {
        var m = model.Dimension;
        var position = state.Position;
        var h = model.Jacobian(position);
        var nu = model.Residual(measurement, model.Function(position));
        var hp = h * state.PositionCovariance * h.Transpose();
        var s = (hp + model.NoiseCovariance).Symmetrize();
        if (!SmallSpd.TryInvert(s, m, out var sInv, out var logDet))
        {
            return UpdateResult.Invalid(m);
        }

        var d2 = SmallSpd.QuadraticForm(sInv, nu, m);
        return new UpdateResult(nu, s, d2, -0.5 * (d2 + logDet + (m * UpdateResult.Log2Pi)), m, true);
    }

    /// <summary>S = H_p (PHᵀ)[0:3, :] + R, symmetrised; rows/columns ≥ m zeroed.</summary>
    private static Mat3 InnovationCovariance(ReadOnlySpan<double> pht, in Mat3 h, in Mat3 r, int m)
    {
        var s00 = (h.M00 * pht[0]) + (h.M01 * pht[3]) + (h.M02 * pht[6]) + r.M00;
        var s01 = (h.M00 * pht[1]) + (h.M01 * pht[4]) + (h.M02 * pht[7]) + r.M01;
        var s02 = (h.M00 * pht[2]) + (h.M01 * pht[5]) + (h.M02 * pht[8]) + r.M02;
        var s10 = (h.M10 * pht[0]) + (h.M11 * pht[3]) + (h.M12 * pht[6]) + r.M10;
        var s11 = (h.M10 * pht[1]) + (h.M11 * pht[4]) + (h.M12 * pht[7]) + r.M11;
        var s12 = (h.M10 * pht[2]) + (h.M11 * pht[5]) + (h.M12 * pht[8]) + r.M12;
        var s20 = (h.M20 * pht[0]) + (h.M21 * pht[3]) + (h.M22 * pht[6]) + r.M20;
        var s21 = (h.M20 * pht[1]) + (h.M21 * pht[4]) + (h.M22 * pht[7]) + r.M21;
        var s22 = (h.M20 * pht[2]) + (h.M21 * pht[5]) + (h.M22 * pht[8]) + r.M22;
        var s = new Mat3(s00, s01, s02, s10, s11, s12, s20, s21, s22).Symmetrize();
        return m == 3 ? s : new Mat3(s.M00, s.M01, 0, s.M10, s.M11, 0, 0, 0, 0);
    }
}
