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
/// <para><b>Radar plots with range rate</b> (<see cref="DetectionMeasurementModel.HasRangeRate"/>): z = (r, az, el, ṙ),
/// m = 4, H = [[H_p 0]; [∂ṙ/∂p ∂ṙ/∂v]] (<see cref="RangeRateMeasurement"/>: the fourth row depends on velocity
/// too), R = blockdiag(R_polar, σ²_ṙ); the same equations, evaluated with compact 4-column products and a
/// closed 4×4 Cholesky inverse on the stack. The 3-D path above is untouched, so plots without a
/// range rate give bit-identical results. The returned <see cref="UpdateResult"/> has m = 4: d² and ln Λ are
/// those of the full 4-D innovation; its <see cref="UpdateResult.Innovation"/> and
/// <see cref="UpdateResult.InnovationCovariance"/> hold the (r, az, el) part.</para>
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

        if (typeof(TMeas) == typeof(DetectionMeasurementModel)
            && Unsafe.As<TMeas, DetectionMeasurementModel>(ref Unsafe.AsRef(in model)).HasRangeRate)
        {
            return UpdateWithRangeRate(Unsafe.As<TMeas, DetectionMeasurementModel>(ref Unsafe.AsRef(in model)), ref state, measurement);
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
    internal static UpdateResult UpdatePosition(ref GaussianState state, Vec3 measurement, in Mat3 r) =>
        UpdatePosition<Stride9>(state.Mean, state.Covariance, state.Dimension, measurement, r);

    /// <summary>
    /// <see cref="UpdatePosition(ref GaussianState, Vec3, in Mat3)"/> on a mean and a covariance of row
    /// stride <typeparamref name="TStride"/> (a <see cref="GaussianState"/> or a track's compact store),
    /// in place: the same operations in the same order, so the same result bit for bit.
    /// </summary>
    internal static UpdateResult UpdatePosition<TStride>(Span<double> mean, Span<double> p, int n, Vec3 measurement, in Mat3 r)
        where TStride : struct, IMatrixStride
    {
        const int m = 3;
        var st = TStride.Value;
        var nu = measurement - new Vec3(mean[0], mean[1], mean[2]);
        Span<double> pht = stackalloc double[StateVector.Capacity * 3];
        for (var i = 0; i < n; i++)
        {
            pht[i * 3] = p[i * st];
            pht[(i * 3) + 1] = p[(i * st) + 1];
            pht[(i * 3) + 2] = p[(i * st) + 2];
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
            mean[i] += (k0 * nu.X) + (k1 * nu.Y) + (k2 * nu.Z);
        }

        for (var i = 0; i < n; i++)
        {
            double k0 = k[i * 3], k1 = k[(i * 3) + 1], k2 = k[(i * 3) + 2];
            var row = p.Slice(i * st, n);
            for (var l = 0; l < row.Length; l++)
            {
                row[l] -= (k0 * pht[l * 3]) + (k1 * pht[(l * 3) + 1]) + (k2 * pht[(l * 3) + 2]);
            }
        }

        Span<double> c = stackalloc double[StateVector.Capacity * 3];
        for (var i = 0; i < n; i++)
        {
            double k0 = k[i * 3], k1 = k[(i * 3) + 1], k2 = k[(i * 3) + 2];
            double b0 = p[i * st], b1 = p[(i * st) + 1], b2 = p[(i * st) + 2];
            c[i * 3] = (k0 * r.M00) + (k1 * r.M10) + (k2 * r.M20) - b0;
            c[(i * 3) + 1] = (k0 * r.M01) + (k1 * r.M11) + (k2 * r.M21) - b1;
            c[(i * 3) + 2] = (k0 * r.M02) + (k1 * r.M12) + (k2 * r.M22) - b2;
        }

        for (var i = 0; i < n; i++)
        {
            double c0 = c[i * 3], c1 = c[(i * 3) + 1], c2 = c[(i * 3) + 2];
            var row = p.Slice(i * st, n);
            for (var l = 0; l < row.Length; l++)
            {
                row[l] += (c0 * k[l * 3]) + (c1 * k[(l * 3) + 1]) + (c2 * k[(l * 3) + 2]);
            }
        }

        Dense.Symmetrize<TStride>(p, n);
        return new UpdateResult(nu, s, d2, -0.5 * (d2 + logDet + (m * UpdateResult.Log2Pi)), m, true);
    }

    /// <summary>
    /// Innovation statistics of <paramref name="measurement"/> against <paramref name="state"/>
    /// without updating it — the gating / association-cost evaluation.
    /// </summary>
    public static UpdateResult Evaluate<TMeas>(in TMeas model, in GaussianState state, Vec3 measurement)
        where TMeas : IMeasurementModel
    {
        if (typeof(TMeas) == typeof(DetectionMeasurementModel)
            && Unsafe.As<TMeas, DetectionMeasurementModel>(ref Unsafe.AsRef(in model)).HasRangeRate)
        {
            return EvaluateWithRangeRate(Unsafe.As<TMeas, DetectionMeasurementModel>(ref Unsafe.AsRef(in model)), state, measurement);
        }

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

    /// <summary>Measurement dimension of a radar plot with range rate.</summary>
    private const int M4 = 4;

    /// <summary>Columns of H that can be non-zero (position and velocity).</summary>
    private const int HCols = 6;

    /// <summary>
    /// The EKF update with z = (r, az, el, ṙ) (see the type remarks). H is 4×6 (compact, row-major) with the
    /// position Jacobian of (r, az, el) in its first three rows and ∂ṙ/∂(p, v) in the fourth; every work matrix
    /// is compact (stride 4 or 6) so the stack buffers are small.
    /// </summary>
    internal static UpdateResult UpdateWithRangeRate(in DetectionMeasurementModel model, ref GaussianState state, Vec3 measurement)
    {
        var n = state.Dimension;
        Span<double> p = state.Covariance;
        Span<double> h = stackalloc double[M4 * HCols];
        Span<double> nu = stackalloc double[M4];
        Linearise(model, state, measurement, h, nu, out var r3, out var rateVariance);

        Span<double> pht = stackalloc double[StateVector.Capacity * M4];
        ProjectCovariance(p, h, n, pht);
        Span<double> s = stackalloc double[M4 * M4];
        InnovationCovariance4(h, pht, r3, rateVariance, s);
        Span<double> sInv = stackalloc double[M4 * M4];
        if (!TryInvert4(s, sInv, out var logDet))
        {
            return UpdateResult.Invalid(M4);
        }

        var d2 = Quadratic4(sInv, nu);

        // K = PHᵀ S⁻¹ (n×4); x += K ν.
        Span<double> k = stackalloc double[StateVector.Capacity * M4];
        for (var i = 0; i < n; i++)
        {
            var dx = 0.0;
            for (var j = 0; j < M4; j++)
            {
                var kij = 0.0;
                for (var l = 0; l < M4; l++)
                {
                    kij += pht[(i * M4) + l] * sInv[(l * M4) + j];
                }

                k[(i * M4) + j] = kij;
                dx += kij * nu[j];
            }

            state.Mean[i] += dx;
        }

        // Joseph form: B = P − K (H P) with H P = (P Hᵀ)ᵀ.
        for (var i = 0; i < n; i++)
        {
            for (var l = 0; l < n; l++)
            {
                var kh = 0.0;
                for (var j = 0; j < M4; j++)
                {
                    kh += k[(i * M4) + j] * pht[(l * M4) + j];
                }

                p[(i * St) + l] -= kh;
            }
        }

        // C = K R − B Hᵀ (n×4); P = B + C Kᵀ. R = blockdiag(R₃, σ²_ṙ).
        Span<double> c = stackalloc double[StateVector.Capacity * M4];
        for (var i = 0; i < n; i++)
        {
            double k0 = k[i * M4], k1 = k[(i * M4) + 1], k2 = k[(i * M4) + 2], k3 = k[(i * M4) + 3];
            for (var j = 0; j < M4; j++)
            {
                var kr = j switch
                {
                    0 => (k0 * r3.M00) + (k1 * r3.M10) + (k2 * r3.M20),
                    1 => (k0 * r3.M01) + (k1 * r3.M11) + (k2 * r3.M21),
                    2 => (k0 * r3.M02) + (k1 * r3.M12) + (k2 * r3.M22),
                    _ => k3 * rateVariance,
                };
                var bh = 0.0;
                for (var col = 0; col < HCols; col++)
                {
                    bh += p[(i * St) + col] * h[(j * HCols) + col];
                }

                c[(i * M4) + j] = kr - bh;
            }
        }

        for (var i = 0; i < n; i++)
        {
            for (var l = 0; l < n; l++)
            {
                var ck = 0.0;
                for (var j = 0; j < M4; j++)
                {
                    ck += c[(i * M4) + j] * k[(l * M4) + j];
                }

                p[(i * St) + l] += ck;
            }
        }

        Dense.Symmetrize(p, n);
        return Result4(nu, s, d2, logDet);
    }

    /// <summary>The gating evaluation with z = (r, az, el, ṙ): S = H P Hᵀ + R, d², ln Λ; no update.</summary>
    internal static UpdateResult EvaluateWithRangeRate(in DetectionMeasurementModel model, in GaussianState state, Vec3 measurement)
    {
        var n = state.Dimension;
        ReadOnlySpan<double> p = state.Covariance;
        Span<double> h = stackalloc double[M4 * HCols];
        Span<double> nu = stackalloc double[M4];
        Linearise(model, state, measurement, h, nu, out var r3, out var rateVariance);
        Span<double> pht = stackalloc double[HCols * M4];
        ProjectCovariance(p, h, Math.Min(n, HCols), pht); // S needs rows 0–5 of PHᵀ only
        Span<double> s = stackalloc double[M4 * M4];
        InnovationCovariance4(h, pht, r3, rateVariance, s);
        Span<double> sInv = stackalloc double[M4 * M4];
        if (!TryInvert4(s, sInv, out var logDet))
        {
            return UpdateResult.Invalid(M4);
        }

        return Result4(nu, s, Quadratic4(sInv, nu), logDet);
    }

    /// <summary>H (4×6, row-major), ν = z ⊖ h(x) at the state's mean, and R's parts.</summary>
    private static void Linearise(in DetectionMeasurementModel model, in GaussianState state, Vec3 measurement, Span<double> h, Span<double> nu, out Mat3 r3, out double rateVariance)
    {
        ref readonly var radar = ref model.RadarRef;
        ref readonly var rate = ref model.RangeRateRef;
        var position = state.Position;
        var hp = radar.Jacobian(position);
        var nu3 = radar.Residual(measurement, radar.Function(position));
        var predictedRate = rate.Jacobian(position, state.Velocity, out var byPosition, out var byVelocity);
        h[0] = hp.M00;
        h[1] = hp.M01;
        h[2] = hp.M02;
        h[3] = h[4] = h[5] = 0;
        h[6] = hp.M10;
        h[7] = hp.M11;
        h[8] = hp.M12;
        h[9] = h[10] = h[11] = 0;
        h[12] = hp.M20;
        h[13] = hp.M21;
        h[14] = hp.M22;
        h[15] = h[16] = h[17] = 0;
        h[18] = byPosition.X;
        h[19] = byPosition.Y;
        h[20] = byPosition.Z;
        h[21] = byVelocity.X;
        h[22] = byVelocity.Y;
        h[23] = byVelocity.Z;
        r3 = radar.NoiseCovariance;
        rateVariance = rate.Variance;
        nu[0] = nu3.X;
        nu[1] = nu3.Y;
        nu[2] = nu3.Z;
        nu[3] = rate.Value - predictedRate;
    }

    /// <summary>P Hᵀ for the first <paramref name="rows"/> rows (row-major, stride 4); H has non-zero columns 0–5 only.</summary>
    private static void ProjectCovariance(ReadOnlySpan<double> p, ReadOnlySpan<double> h, int rows, Span<double> pht)
    {
        for (var i = 0; i < rows; i++)
        {
            var row = p.Slice(i * St, HCols);
            for (var j = 0; j < M4; j++)
            {
                var hj = h.Slice(j * HCols, HCols);
                var sum = 0.0;
                for (var col = 0; col < HCols; col++)
                {
                    sum += row[col] * hj[col];
                }

                pht[(i * M4) + j] = sum;
            }
        }
    }

    /// <summary>S = H (P Hᵀ) + blockdiag(R₃, σ²_ṙ) (4×4, stride 4), symmetrised.</summary>
    private static void InnovationCovariance4(ReadOnlySpan<double> h, ReadOnlySpan<double> pht, in Mat3 r3, double rateVariance, Span<double> s)
    {
        for (var j = 0; j < M4; j++)
        {
            for (var l = 0; l < M4; l++)
            {
                var sum = 0.0;
                for (var col = 0; col < HCols; col++)
                {
                    sum += h[(j * HCols) + col] * pht[(col * M4) + l];
                }

                s[(j * M4) + l] = sum;
            }
        }

        s[0] += r3.M00;
        s[1] += r3.M01;
        s[2] += r3.M02;
        s[4] += r3.M10;
        s[5] += r3.M11;
        s[6] += r3.M12;
        s[8] += r3.M20;
        s[9] += r3.M21;
        s[10] += r3.M22;
        s[15] += rateVariance;
        for (var j = 0; j < M4; j++)
        {
            for (var l = j + 1; l < M4; l++)
            {
                var mean = 0.5 * (s[(j * M4) + l] + s[(l * M4) + j]);
                s[(j * M4) + l] = mean;
                s[(l * M4) + j] = mean;
            }
        }
    }

    /// <summary>
    /// Inverse and log-determinant of a symmetric positive-definite 4×4 (stride 4) by Cholesky, S = L Lᵀ,
    /// S⁻¹ = L⁻ᵀ L⁻¹, ln det S = 2 Σ ln Lᵢᵢ (Golub &amp; Van Loan 2013, §4.2). False when not positive definite.
    /// </summary>
    private static bool TryInvert4(ReadOnlySpan<double> s, Span<double> inverse, out double logDeterminant)
    {
        Span<double> l = stackalloc double[M4 * M4];
        logDeterminant = 0;
        for (var j = 0; j < M4; j++)
        {
            var d = s[(j * M4) + j];
            for (var k = 0; k < j; k++)
            {
                d -= l[(j * M4) + k] * l[(j * M4) + k];
            }

            if (!(d > 0))
            {
                return false;
            }

            var ljj = Math.Sqrt(d);
            l[(j * M4) + j] = ljj;
            logDeterminant += 2 * Math.Log(ljj);
            for (var i = j + 1; i < M4; i++)
            {
                var v = s[(i * M4) + j];
                for (var k = 0; k < j; k++)
                {
                    v -= l[(i * M4) + k] * l[(j * M4) + k];
                }

                l[(i * M4) + j] = v / ljj;
            }
        }

        // W = L⁻¹ (lower triangular) by forward substitution, then S⁻¹ = Wᵀ W.
        Span<double> w = stackalloc double[M4 * M4];
        for (var c = 0; c < M4; c++)
        {
            for (var i = c; i < M4; i++)
            {
                var v = i == c ? 1.0 : 0.0;
                for (var k = c; k < i; k++)
                {
                    v -= l[(i * M4) + k] * w[(k * M4) + c];
                }

                w[(i * M4) + c] = v / l[(i * M4) + i];
            }
        }

        for (var i = 0; i < M4; i++)
        {
            for (var j = i; j < M4; j++)
            {
                var sum = 0.0;
                for (var k = j; k < M4; k++)
                {
                    sum += w[(k * M4) + i] * w[(k * M4) + j];
                }

                inverse[(i * M4) + j] = sum;
                inverse[(j * M4) + i] = sum;
            }
        }

        return true;
    }

    private static double Quadratic4(ReadOnlySpan<double> sInv, ReadOnlySpan<double> nu)
    {
        var d2 = 0.0;
        for (var j = 0; j < M4; j++)
        {
            for (var l = 0; l < M4; l++)
            {
                d2 += nu[j] * sInv[(j * M4) + l] * nu[l];
            }
        }

        return d2;
    }

    private static UpdateResult Result4(ReadOnlySpan<double> nu, ReadOnlySpan<double> s, double d2, double logDet) =>
        new(
            new Vec3(nu[0], nu[1], nu[2]),
            new Mat3(s[0], s[1], s[2], s[4], s[5], s[6], s[8], s[9], s[10]),
            d2,
            -0.5 * (d2 + logDet + (M4 * UpdateResult.Log2Pi)),
            M4,
            true);

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
