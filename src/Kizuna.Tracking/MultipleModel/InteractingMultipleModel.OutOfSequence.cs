using Kizuna.Core;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Types;
using Kizuna.Tracking.Updaters;

namespace Kizuna.Tracking.MultipleModel;

// The IMM's out-of-sequence measurement update (the maths is in UpdateOutOfSequence's remarks).
public sealed partial class InteractingMultipleModel
{
    /// <summary>
    /// Innovation statistics of a measurement <paramref name="lag"/> seconds older than <paramref name="state"/>,
    /// against the retrodicted IMM (the moment-matched mixture of the per-mode retrodicted predictions; see
    /// <see cref="UpdateOutOfSequence{TMeas}(ImmState, double, bool, in TMeas, Vec3)"/>): the gate. Changes nothing. Invalid when any mode's retrodiction or innovation covariance is degenerate.
    /// </summary>
    /// <param name="state">The current IMM estimate (at t_k).</param>
    /// <param name="lag">Δ = t_k − τ &gt; 0 (s).</param>
    /// <param name="updatedSince">False when no measurement updated the track after τ.</param>
    /// <param name="model">The measurement model.</param>
    /// <param name="measurement">z(κ).</param>
    public UpdateResult EvaluateOutOfSequence<TMeas>(ImmState state, double lag, bool updatedSince, in TMeas model, Vec3 measurement)
        where TMeas : IMeasurementModel
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lag);
        var r = _models.Length;
        Span<UpdateResult> results = stackalloc UpdateResult[r];
        var states = Work(r);
        for (var j = 0; j < r; j++)
        {
            state.LoadModel(j, ref states[j]);
            results[j] = OutOfSequenceUpdate.Evaluate(_models[j], states[j], lag, updatedSince, model, measurement);
            if (!results[j].IsValid)
            {
                return UpdateResult.Invalid(model.Dimension);
            }
        }

        return Mixture(state.ModeProbabilities, results, model.Dimension);
    }

    /// <summary>
    /// The IMM out-of-sequence measurement (OOSM) update: a measurement z(κ) taken at τ, <paramref name="lag"/>
    /// seconds before the time t_k of the current estimate <paramref name="state"/>, updates that current
    /// estimate directly — every model-conditioned estimate by Bar-Shalom's Bl1 retrodiction with its own
    /// model, the mode probabilities by the model-conditioned likelihoods of the late measurement, then the
    /// combination (parameters as <see cref="EvaluateOutOfSequence{TMeas}"/>). Returns the statistics
    /// <see cref="EvaluateOutOfSequence{TMeas}"/> gives. All-or-nothing: an invalid result leaves the state unchanged.
    /// </summary>
    /// <remarks>
    /// <para><b>Sources.</b> The IMM-OOSM problem is treated by Y. Bar-Shalom &amp; H. Chen, "IMM estimator
    /// with out-of-sequence measurements", IEEE Trans. AES 41(1), 2005, pp. 90–98, who also retrodict the
    /// mode probabilities to τ through the Markov chain. Its text was not at hand; what is implemented is
    /// the simpler variant — per-mode Bl1 (<see cref="OutOfSequenceUpdate"/>: Bar-Shalom, IEEE TAES 38(3)
    /// 2002 §III; Bar-Shalom, Chen &amp; Mallick, IEEE TAES 40(1) 2004) with the mode probabilities reweighted
    /// by the mode-conditioned likelihoods of z(κ) — derived here from the IMM's own decomposition (Blom &amp;
    /// Bar-Shalom 1988; Bar-Shalom, Li &amp; Kirubarajan 2001 §11.6.6). With M_j(k) the mode at t_k and
    /// Δ = t_k − τ &gt; 0,</para>
    /// <code>
    /// p(x(k), M_j(k) | Z^k, z(κ)) ∝ p(z(κ) | x(k), M_j(k), Z^k) · p(x(k) | M_j(k), Z^k) · μⱼ(k|k)
    ///
    /// 1. per mode j (Bl1 with model j: Fⱼ(−Δ), Qⱼ(Δ), on x̂ʲ(k|k), Pʲ(k|k)):
    ///      x̂ʲ(κ|k) = Fⱼ(−Δ) x̂ʲ(k|k),  Pʲ(κ|k),  νⱼ = z(κ) ⊖ h(x̂ʲ(κ|k)),  Sⱼ = H Pʲ(κ|k) Hᵀ + R
    ///      x̂ʲ(k|κ) = x̂ʲ(k|k) + Pʲ_xz Sⱼ⁻¹ νⱼ,  Pʲ(k|κ) = Pʲ(k|k) − Pʲ_xz Sⱼ⁻¹ Pʲ_xzᵀ
    /// 2. mode probabilities:  Λⱼ = N(νⱼ; 0, Sⱼ),   μⱼ ← Λⱼ μⱼ / Σₗ Λₗ μₗ      (from ln Λ, shifted by the maximum)
    /// 3. combination:         x = Σ μⱼ xʲ,  P = Σ μⱼ [Pʲ + (xʲ − x)(xʲ − x)ᵀ]
    /// gate (moment-matched retrodicted measurement mixture, as the in-sequence gate's combined estimate):
    ///      ν̄ = Σ μⱼ νⱼ,   S̄ = Σ μⱼ [Sⱼ + (νⱼ − ν̄)(νⱼ − ν̄)ᵀ],   d² = ν̄ᵀ S̄⁻¹ ν̄,   ln L = ln Σ μⱼ Λⱼ
    /// </code>
    /// <para><b>Approximations, named.</b> (1) <i>No mode switch within the lag</i>: given M_j(k) the target
    /// is taken to have followed model j over (τ, t_k], so z(κ) enters mode j through model j's dynamics
    /// alone; Bar-Shalom &amp; Chen's retrodicted mode probabilities P(M_i(κ) | M_j(k), Z^k) are not formed.
    /// The error is confined to the fraction of mass that switched within the lag (1 − p_jj per intervening
    /// IMM cycle) and, since the models share position and velocity and differ over a short lag mainly in
    /// Q(Δ), is small for lags of a few scans. (2) Bl1's own (<see cref="OutOfSequenceUpdate"/>): the
    /// retrodicted mean omits the process-noise correction the later measurements revealed, and
    /// P(k|k−l) is the steady-state value unless no update came after τ. (3) The mode-conditioned
    /// estimates already carry the mixing of every IMM cycle since τ; Bl1 treats each as a single-model
    /// filter's output, so even with no update after τ the result is not exactly IMM reprocessing
    /// (which would also re-run the mixing). (4) EKF linearisation at each mode's retrodicted state for
    /// nonlinear measurements, and each model's Jacobian for F(±Δ) (coordinated turn, ballistic).</para>
    /// <para><b>Guarantees.</b> Evaluation changes nothing. The update is all-or-nothing: if any mode's
    /// Bl1 update is invalid (a non-positive-definite P(k|k−l), S or updated P, checked by Cholesky in
    /// <see cref="OutOfSequenceUpdate.Update{TModel, TMeas}"/>), or the mixture statistics are degenerate,
    /// the state is left exactly as it was. Each stored mode covariance is exactly symmetric and was
    /// verified positive definite; the combined estimate is recomputed from the updated mode estimates and
    /// probabilities, so it is consistent with them. Allocation-free (the thread's working states and
    /// stack buffers).</para>
    /// </remarks>
    public UpdateResult UpdateOutOfSequence<TMeas>(ImmState state, double lag, bool updatedSince, in TMeas model, Vec3 measurement)
        where TMeas : IMeasurementModel
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lag);
        var combined = default(GaussianState);
        return UpdateOutOfSequence(state, lag, updatedSince, model, measurement, ref combined);
    }

    /// <summary>
    /// <see cref="UpdateOutOfSequence{TMeas}(ImmState, double, bool, in TMeas, Vec3)"/> that also writes the new
    /// combined estimate into <paramref name="combined"/> (leading 6×6 block; untouched when the result is invalid).
    /// </summary>
    internal UpdateResult UpdateOutOfSequence<TMeas>(ImmState state, double lag, bool updatedSince, in TMeas model, Vec3 measurement, ref GaussianState combined)
        where TMeas : IMeasurementModel
    {
        var r = _models.Length;
        Span<UpdateResult> results = stackalloc UpdateResult[r];
        var states = Work(r);
        var maxLog = double.NegativeInfinity;
        for (var j = 0; j < r; j++)
        {
            // Each mode on the thread's working copy; nothing is stored until every mode has succeeded.
            state.LoadModel(j, ref states[j]);
            results[j] = OutOfSequenceUpdate.Update(_models[j], ref states[j], lag, updatedSince, model, measurement);
            if (!results[j].IsValid)
            {
                return UpdateResult.Invalid(model.Dimension);
            }

            maxLog = Math.Max(maxLog, results[j].LogLikelihood);
        }

        var mu = state.ModeProbabilities;
        var result = Mixture(mu, results, model.Dimension);
        if (!result.IsValid || !double.IsFinite(maxLog))
        {
            return UpdateResult.Invalid(model.Dimension);
        }

        Span<double> posterior = stackalloc double[r];
        var total = 0.0;
        for (var j = 0; j < r; j++)
        {
            posterior[j] = mu[j] * Math.Exp(results[j].LogLikelihood - maxLog);
            total += posterior[j];
        }

        if (!(total > 0) || !double.IsFinite(total))
        {
            return UpdateResult.Invalid(model.Dimension);
        }

        for (var j = 0; j < r; j++)
        {
            mu[j] = posterior[j] / total;
            state.StoreModel(j, states[j]);
        }

        Combine(states, mu, ref combined);
        state.StoreCombined(combined);
        return result;
    }

    /// <summary>
    /// The moment-matched statistics of the per-mode retrodicted innovations with weights μ (see <see cref="UpdateOutOfSequence{TMeas}(ImmState, double, bool, in TMeas, Vec3)"/>):
    /// ν̄, S̄, d² and ln Σ μⱼ Λⱼ. Invalid when S̄ is not positive definite.
    /// </summary>
    private static UpdateResult Mixture(ReadOnlySpan<double> mu, ReadOnlySpan<UpdateResult> results, int m)
    {
        var nu = Vec3.Zero;
        var maxLog = double.NegativeInfinity;
        for (var j = 0; j < results.Length; j++)
        {
            nu += mu[j] * results[j].Innovation;
            maxLog = Math.Max(maxLog, results[j].LogLikelihood);
        }

        var s = Mat3.Zero;
        var sum = 0.0;
        for (var j = 0; j < results.Length; j++)
        {
            var d = results[j].Innovation - nu;
            var outer = new Mat3(
                d.X * d.X, d.X * d.Y, d.X * d.Z,
                d.Y * d.X, d.Y * d.Y, d.Y * d.Z,
                d.Z * d.X, d.Z * d.Y, d.Z * d.Z);
            s += (results[j].InnovationCovariance + outer) * mu[j];
            sum += mu[j] * Math.Exp(results[j].LogLikelihood - maxLog);
        }

        s = s.Symmetrize();
        if (m < 3)
        {
            s = new Mat3(s.M00, s.M01, 0, s.M10, s.M11, 0, 0, 0, 0);
            nu = new Vec3(nu.X, nu.Y, 0);
        }

        if (!SmallSpd.TryInvert(s, m, out var inverse, out _) || !(sum > 0))
        {
            return UpdateResult.Invalid(m);
        }

        return new UpdateResult(nu, s, SmallSpd.QuadraticForm(inverse, nu, m), maxLog + Math.Log(sum), m, true);
    }
}
