using Kizuna.Core;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.Predictors;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Updaters;

/// <summary>
/// Out-of-sequence measurement (OOSM) update by retrodiction: a measurement z(κ) taken at τ,
/// earlier than the time t_k of the current estimate x̂(k|k), P(k|k), updates that current estimate
/// directly (no stored measurement history, no reprocessing), in Bar-Shalom's "Bl1" form.
/// Allocation-free.
/// </summary>
/// <remarks>
/// <para><b>Sources.</b> Y. Bar-Shalom, "Update with out-of-sequence measurements in tracking: exact
/// solution", IEEE Trans. AES 38(3), 2002, §III (one-step lag; algorithm A1, the optimal update, and
/// B1, its approximation without the stored innovation); Y. Bar-Shalom, H. Chen, M. Mallick, "One-step
/// solution for the multistep out-of-sequence-measurement problem in tracking", IEEE Trans. AES 40(1),
/// 2004 (l-step lag: the measurements between t_{k−l} and t_k are replaced by one equivalent
/// measurement of x(k) with P(k|k)⁻¹ = P(k|k−l)⁻¹ + R*⁻¹, and A1/B1 applied to it: algorithms Al1,
/// Bl1). The paper texts were not at hand when this was written, so the equations are cited by
/// section and algorithm, not by equation number; they were re-derived here from the linear-Gaussian
/// model below (and the exact case is checked against in-sequence reprocessing by a test).</para>
/// <para><b>Model.</b> Δ = t_k − τ &gt; 0, F(κ,k) = F(−Δ) the backward transition (the model's
/// Jacobian at −Δ: the exact inverse F(Δ)⁻¹ for linear models), Q(k,κ) = Q(Δ) the process noise
/// accumulated over (τ, t_k], v(k,κ) that noise: x(k) = F(Δ) x(κ) + v(k,κ), so
/// x(κ) = F(κ,k) [x(k) − v(k,κ)].</para>
/// <code>
/// P_pred  = P(k|k−l)                     covariance at t_k without the measurements after τ (below)
/// P_xv    = P(k|k) P_pred⁻¹ Q(k,κ)        Cov(x(k), v(k,κ) | Z^k)
/// P_vv    = Q − Q P_pred⁻¹ (P_pred − P(k|k)) P_pred⁻¹ Q      Cov(v(k,κ) | Z^k)
/// x̂(κ|k)  = F(κ,k) x̂(k|k)                 Bl1: A1's correction −F(κ,k) Q H*ᵀ S*⁻¹ ν* is dropped
/// P(κ|k)  = F(κ,k) [P(k|k) + P_vv − P_xv − P_xvᵀ] F(κ,k)ᵀ
/// P_xz    = [P(k|k) − P_xv] F(κ,k)ᵀ H(κ)ᵀ  Cov(x(k), z(κ) | Z^k)
/// S(κ)    = H(κ) P(κ|k) H(κ)ᵀ + R(κ)
/// W       = P_xz S(κ)⁻¹
/// x̂(k|κ)  = x̂(k|k) + W [z(κ) − h(x̂(κ|k))]
/// P(k|κ)  = P(k|k) − P_xz S(κ)⁻¹ P_xzᵀ
/// </code>
/// <para>P_xv and P_vv are A1's cross-covariances (H(k)ᵀS(k)⁻¹H(k) of the last update) written for
/// Al1's equivalent measurement (H* = I, S* = P_pred + R*), using
/// P_pred S*⁻¹ = I − P(k|k) P_pred⁻¹ and S*⁻¹ = P_pred⁻¹ (P_pred − P(k|k)) P_pred⁻¹.</para>
/// <para><b>The approximations.</b> (1) Bl1's: the retrodicted mean is F(κ,k) x̂(k|k), without the
/// part of the process noise v(k,κ) that the measurements after τ revealed (that needs their
/// innovations, which are not stored); the error is of the order of Q(k,κ)·S*⁻¹·ν*, small when the
/// process noise over the lag is small against the track's uncertainty. (2) Ours: only the current
/// estimate is stored, so P_pred = P(k|k−l) is not known. When the track had <i>no</i> update after τ
/// (<c>updatedSince</c> false) it is P(k|k) itself, which gives P_xv = P_vv = Q and the update is
/// <b>exact</b> for linear-Gaussian models (equal to reprocessing: predict to τ, update, predict to
/// t_k). Otherwise the track is taken as in steady state — its covariance at τ equal to its current
/// one — so P_pred ≈ F(Δ) P(k|k) F(Δ)ᵀ + Q(Δ). (3) Nonlinear measurements (radar polar,
/// angles-only, geodetic) use the EKF form: h and H(κ) = ∂h/∂x at the retrodicted state x̂(κ|k).
/// Nonlinear transition models (coordinated turn, ballistic) use their Jacobian at x̂(k|k) for F(±Δ).
/// If P_pred, S(κ) or the updated P(k|κ) is not positive definite the state is left unchanged and
/// an invalid result is returned.</para>
/// <para>A measurement at or after the state time (Δ ≤ 0) is an ordinary update: predict to τ, update
/// (the caller then stamps the state τ).</para>
/// </remarks>
public static class OutOfSequenceUpdate
{
    private const int St = StateMatrix.Stride;

    /// <summary>Innovation statistics of the late <paramref name="measurement"/> against the retrodicted <paramref name="state"/> (no update): the gate.</summary>
    /// <param name="transition">The track's transition model.</param>
    /// <param name="state">The current estimate x̂(k|k), P(k|k).</param>
    /// <param name="lag">Δ = t_k − τ (s); ≤ 0 for a measurement at or after the state time.</param>
    /// <param name="updatedSince">False when no measurement updated the track after τ (the exact case).</param>
    /// <param name="model">The measurement model.</param>
    /// <param name="measurement">z(κ).</param>
    public static UpdateResult Evaluate<TModel, TMeas>(in TModel transition, in GaussianState state, double lag, bool updatedSince, in TMeas model, Vec3 measurement)
        where TModel : ITransitionModel
        where TMeas : IMeasurementModel
    {
        if (lag <= 0)
        {
            var predicted = state;
            KalmanPredictor.Predict(transition, ref predicted, -lag);
            return KalmanUpdater.Evaluate(model, predicted, measurement);
        }

        var retro = default(Retrodiction);
        if (!Retrodict(transition, state, lag, updatedSince, ref retro))
        {
            return UpdateResult.Invalid(model.Dimension);
        }

        return Innovation(model, ref retro, measurement, out _, out _, out _);
    }

    /// <summary>Updates the current estimate <paramref name="state"/> with the late <paramref name="measurement"/> (parameters as <see cref="Evaluate"/>).</summary>
    public static UpdateResult Update<TModel, TMeas>(in TModel transition, ref GaussianState state, double lag, bool updatedSince, in TMeas model, Vec3 measurement)
        where TModel : ITransitionModel
        where TMeas : IMeasurementModel
    {
        if (lag <= 0)
        {
            KalmanPredictor.Predict(transition, ref state, -lag);
            return KalmanUpdater.Update(model, ref state, measurement);
        }

        var n = state.Dimension;
        var retro = default(Retrodiction);
        if (!Retrodict(transition, state, lag, updatedSince, ref retro))
        {
            return UpdateResult.Invalid(model.Dimension);
        }

        var result = Innovation(model, ref retro, measurement, out var sInv, out var h, out var m);
        if (!result.IsValid)
        {
            return result;
        }

        // P_xz (n×m) = [(P − P_xv) F(κ,k)ᵀ][:, 0:3] H_pᵀ  (H = [H_p 0]).
        Span<double> pxz = stackalloc double[StateVector.Capacity * 3];
        Span<double> cf = retro.CrossF;
        for (var i = 0; i < n; i++)
        {
            double a0 = cf[i * St], a1 = cf[(i * St) + 1], a2 = cf[(i * St) + 2];
            pxz[i * 3] = (a0 * h.M00) + (a1 * h.M01) + (a2 * h.M02);
            pxz[(i * 3) + 1] = (a0 * h.M10) + (a1 * h.M11) + (a2 * h.M12);
            pxz[(i * 3) + 2] = m == 3 ? (a0 * h.M20) + (a1 * h.M21) + (a2 * h.M22) : 0;
        }

        // W = P_xz S⁻¹; x += W ν; P −= W P_xzᵀ (= P_xz S⁻¹ P_xzᵀ), on a copy checked for positive definiteness.
        var updated = state;
        Span<double> w = stackalloc double[StateVector.Capacity * 3];
        var nu = result.Innovation;
        for (var i = 0; i < n; i++)
        {
            double a0 = pxz[i * 3], a1 = pxz[(i * 3) + 1], a2 = pxz[(i * 3) + 2];
            var w0 = (a0 * sInv.M00) + (a1 * sInv.M10) + (a2 * sInv.M20);
            var w1 = (a0 * sInv.M01) + (a1 * sInv.M11) + (a2 * sInv.M21);
            var w2 = (a0 * sInv.M02) + (a1 * sInv.M12) + (a2 * sInv.M22);
            w[i * 3] = w0;
            w[(i * 3) + 1] = w1;
            w[(i * 3) + 2] = w2;
            updated.Mean[i] += (w0 * nu.X) + (w1 * nu.Y) + (w2 * nu.Z);
        }

        Span<double> p = updated.Covariance;
        for (var i = 0; i < n; i++)
        {
            double w0 = w[i * 3], w1 = w[(i * 3) + 1], w2 = w[(i * 3) + 2];
            for (var l = 0; l < n; l++)
            {
                p[(i * St) + l] -= (w0 * pxz[l * 3]) + (w1 * pxz[(l * 3) + 1]) + (w2 * pxz[(l * 3) + 2]);
            }
        }

        Dense.Symmetrize(p, n);
        var check = updated.Covariance;
        if (!Dense.Cholesky(check, n))
        {
            return UpdateResult.Invalid(m);
        }

        state = updated;
        return result;
    }

    /// <summary>x̂(κ|k), P(κ|k) and (P(k|k) − P_xv) F(κ,k)ᵀ; false when P_pred is not positive definite.</summary>
    private static bool Retrodict<TModel>(in TModel transition, in GaussianState state, double lag, bool updatedSince, ref Retrodiction retro)
        where TModel : ITransitionModel
    {
        var n = state.Dimension;
        if (n != transition.Dimension)
        {
            KalmanPredictor.ThrowDimension(n, transition.Dimension);
        }

        var q = default(StateMatrix);
        var back = default(StateMatrix);
        transition.ProcessNoise(state.Mean, lag, ref q);
        transition.Jacobian(state.Mean, -lag, ref back);
        retro.Mean = state.Mean;
        transition.Transition(ref retro.Mean, -lag);

        ReadOnlySpan<double> pk = state.Covariance;
        var pxvBuffer = default(StateMatrix);
        var pvvBuffer = default(StateMatrix);
        Span<double> pxv = pxvBuffer;
        Span<double> pvv = pvvBuffer;
        ReadOnlySpan<double> qs = q;
        if (!updatedSince)
        {
            // P_pred = P(k|k): P_xv = P_vv = Q (exact).
            qs.CopyTo(pxv);
            qs.CopyTo(pvv);
        }
        else
        {
            // Steady-state P_pred = F(Δ) P(k|k) F(Δ)ᵀ + Q(Δ); A = P_pred⁻¹ Q; P_xv = P A; P_vv = Q − Q A + Aᵀ P A.
            var forward = default(StateMatrix);
            transition.Jacobian(state.Mean, lag, ref forward);
            var predicted = state.Covariance;
            KalmanPredictor.Propagate(forward, ref predicted, q, n);
            var inverse = default(StateMatrix);
            if (!Dense.InvertSpd(predicted, inverse, n, out _))
            {
                return false;
            }

            var aBuffer = default(StateMatrix);
            var tmpBuffer = default(StateMatrix);
            Span<double> a = aBuffer;
            Span<double> tmp = tmpBuffer;
            Dense.Multiply(inverse, qs, a, n, n, n);
            Dense.Multiply(pk, a, pxv, n, n, n);
            Dense.Multiply(qs, a, pvv, n, n, n);
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    var sum = 0.0;
                    for (var l = 0; l < n; l++)
                    {
                        sum += a[(l * St) + i] * pxv[(l * St) + j];
                    }

                    tmp[(i * St) + j] = sum;
                }
            }

            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    pvv[(i * St) + j] = qs[(i * St) + j] - pvv[(i * St) + j] + tmp[(i * St) + j];
                }
            }
        }

        // M = P + P_vv − P_xv − P_xvᵀ; P(κ|k) = F M Fᵀ. Cross = P − P_xv; CrossF = Cross F(κ,k)ᵀ.
        var cross = default(StateMatrix);
        Span<double> c = cross;
        Span<double> mk = retro.Covariance;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var ij = (i * St) + j;
                c[ij] = pk[ij] - pxv[ij];
                mk[ij] = pk[ij] + pvv[ij] - pxv[ij] - pxv[(j * St) + i];
            }
        }

        var zero = default(StateMatrix);
        KalmanPredictor.Propagate(back, ref retro.Covariance, zero, n);
        Dense.MultiplyTransposed(cross, back, retro.CrossF, n, n, n);
        return true;
    }

    /// <summary>ν = z ⊖ h(x̂(κ|k)), S(κ) = H P(κ|k) Hᵀ + R and its inverse (EKF linearisation at the retrodicted position).</summary>
    private static UpdateResult Innovation<TMeas>(in TMeas model, ref Retrodiction retro, Vec3 measurement, out Mat3 sInv, out Mat3 h, out int m)
        where TMeas : IMeasurementModel
    {
        m = model.Dimension;
        var position = new Vec3(retro.Mean[0], retro.Mean[1], retro.Mean[2]);
        h = model.Jacobian(position);
        var nu = model.Residual(measurement, model.Function(position));
        ReadOnlySpan<double> pc = retro.Covariance;
        var ppos = new Mat3(
            pc[0], pc[1], pc[2],
            pc[St], pc[St + 1], pc[St + 2],
            pc[2 * St], pc[(2 * St) + 1], pc[(2 * St) + 2]);
        var s = ((h * ppos * h.Transpose()) + model.NoiseCovariance).Symmetrize();
        if (m < 3)
        {
            s = new Mat3(s.M00, s.M01, 0, s.M10, s.M11, 0, 0, 0, 0);
        }

        if (!SmallSpd.TryInvert(s, m, out sInv, out var logDet))
        {
            return UpdateResult.Invalid(m);
        }

        var d2 = SmallSpd.QuadraticForm(sInv, nu, m);
        return new UpdateResult(nu, s, d2, -0.5 * (d2 + logDet + (m * UpdateResult.Log2Pi)), m, true);
    }

    private struct Retrodiction
    {
        public StateVector Mean;
        public StateMatrix Covariance;
        public StateMatrix CrossF;
    }
}
