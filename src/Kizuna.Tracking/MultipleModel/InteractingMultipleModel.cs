using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Kizuna.Core;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.Predictors;
using Kizuna.Tracking.Trackers;
using Kizuna.Tracking.Types;
using Kizuna.Tracking.Updaters;

namespace Kizuna.Tracking.MultipleModel;

/// <summary>
/// Interacting Multiple Model estimator over a configurable set of transition models with a
/// Markov mode-transition matrix; each model-conditioned filter is an EKF
/// (<see cref="KalmanPredictor"/>, <see cref="KalmanUpdater"/>). The configuration is immutable and
/// shared by all tracks; per-track data lives in <see cref="ImmState"/> (one compact block per track).
/// </summary>
/// <remarks>
/// <para>H. A. P. Blom &amp; Y. Bar-Shalom, "The interacting multiple model algorithm for systems with
/// Markovian switching coefficients", IEEE TAC 33(8), 1988; Bar-Shalom, Li &amp; Kirubarajan (2001),
/// §11.6.6. With p_ij = P(mode j at k | mode i at k−1):</para>
/// <code>
/// 1. mixing:      c̄ⱼ = Σᵢ p_ij μᵢ,   μ_{i|j} = p_ij μᵢ / c̄ⱼ
///                 x⁰ʲ = Σᵢ μ_{i|j} xⁱ,  P⁰ʲ = Σᵢ μ_{i|j} [Pⁱ + (xⁱ − x⁰ʲ)(xⁱ − x⁰ʲ)ᵀ]
/// 2. filtering:   predict each x⁰ʲ with model j; update with z → Λⱼ = N(νⱼ; 0, Sⱼ)
/// 3. mode update: μⱼ = Λⱼ c̄ⱼ / Σₗ Λₗ c̄ₗ      (computed from ln Λ, shifted by the maximum)
/// 4. combination: x = Σ μⱼ xʲ,  P = Σ μⱼ [Pʲ + (xʲ − x)(xʲ − x)ᵀ]
/// </code>
/// <para><b>Unequal state dimensions.</b> Models share position and velocity (components 0–5) and
/// differ only in their extra components (acceleration for CA, turn rate for CT; see
/// <see cref="StateLayout"/>). When mixing into model j, an estimate i that lacks j's extras is
/// augmented with model j's own current extras (mean and covariance block, zero cross-covariance)
/// — the "unbiased mixing" of K. Granström, P. Willett &amp; Y. Bar-Shalom, "Systematic approach to
/// IMM mixing for unequal dimension states", IEEE TAES 51(4), 2015 — rather than with zeros,
/// which would bias ω and the acceleration towards 0 on every step. The combined estimate is
/// 6-D (position, velocity), the part all models share.</para>
/// <para>Prediction and update are separate so that a missed detection just coasts
/// (<see cref="Predict(ImmState, double)"/> leaves μ at the predicted c̄) and gating can use the predicted state.</para>
/// </remarks>
public sealed partial class InteractingMultipleModel
{
    private const int St = StateMatrix.Stride;

    /// <summary>
    /// Per-thread working states (unpacked model states and mixed estimates): reused by every call on
    /// the thread, so a prediction neither allocates nor clears 2r × 728 bytes of stack.
    /// </summary>
    [ThreadStatic]
    private static GaussianState[]? _work;
    private readonly ITransitionModel[] _models;
    private readonly StateLayout[] _layouts;
    private readonly int[] _dimensions;
    private readonly double[] _ncvDensity; // q of model j when it is NearlyConstantVelocity, else NaN
    private readonly CoordinatedTurn[] _turns; // model j when it is a CoordinatedTurn (devirtualised prediction)
    private readonly bool[] _isTurn;
    private readonly double[] _transition;
    private readonly ImmBlockLayout _blockLayout;

    /// <summary>Creates the estimator; <paramref name="transitionMatrix"/> is r×r with rows summing to 1.</summary>
    public InteractingMultipleModel(IReadOnlyList<ITransitionModel> models, double[,] transitionMatrix)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(transitionMatrix);
        var r = models.Count;
        if (r < 1 || transitionMatrix.GetLength(0) != r || transitionMatrix.GetLength(1) != r)
        {
            throw new ArgumentException("The transition matrix must be r×r for r ≥ 1 models.", nameof(transitionMatrix));
        }

        _models = [.. models];
        _layouts = [.. _models.Select(m => m.Layout)];
        _dimensions = [.. _models.Select(m => m.Dimension)];
        _ncvDensity = [.. _models.Select(m => m is NearlyConstantVelocity ncv ? ncv.SpectralDensity : double.NaN)];
        _isTurn = [.. _models.Select(m => m is CoordinatedTurn)];
        _turns = [.. _models.Select(m => m is CoordinatedTurn ct ? ct : default)];
        _blockLayout = new ImmBlockLayout(_dimensions);
        _transition = new double[r * r];
        for (var i = 0; i < r; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < r; j++)
            {
                var p = transitionMatrix[i, j];
                if (!(p >= 0))
                {
                    throw new ArgumentException($"p[{i},{j}] = {p} must be non-negative.", nameof(transitionMatrix));
                }

                _transition[(i * r) + j] = p;
                sum += p;
            }

            if (Math.Abs(sum - 1) > 1e-9)
            {
                throw new ArgumentException($"Row {i} of the transition matrix sums to {sum}, not 1.", nameof(transitionMatrix));
            }
        }
    }

    /// <summary>Number of models r.</summary>
    public int ModelCount => _models.Length;

    /// <summary>Model j.</summary>
    public ITransitionModel Model(int j) => _models[j];

    /// <summary>The block layout of this model set's per-track states.</summary>
    internal ImmBlockLayout BlockLayout => _blockLayout;

    /// <summary>
    /// A new per-track state from a 6-D position/velocity estimate: each model starts from it,
    /// extras zero with variance <paramref name="accelerationVariance"/> (m²/s⁴) per axis or
    /// <paramref name="turnRateVariance"/> (rad²/s²), and μ = <paramref name="initialProbabilities"/>.
    /// </summary>
    public ImmState CreateState(in GaussianState initial, ReadOnlySpan<double> initialProbabilities,
        double accelerationVariance, double turnRateVariance)
    {
        if (initial.Dimension != 6)
        {
            throw new ArgumentException("The initial state must be 6-D (position, velocity).", nameof(initial));
        }

        if (initialProbabilities.Length != _models.Length)
        {
            throw new ArgumentException("One initial probability per model is required.", nameof(initialProbabilities));
        }

        var s = _blockLayout.Allocate();
        var states = new GaussianState[_models.Length];
        var mu = s.ModeProbabilities;
        for (var j = 0; j < _models.Length; j++)
        {
            var n = _models[j].Dimension;
            ref var g = ref states[j];
            g.Dimension = n;
            for (var a = 0; a < 6; a++)
            {
                g.Mean[a] = initial.Mean[a];
                for (var b = 0; b < 6; b++)
                {
                    g.Covariance[(a * St) + b] = initial.Covariance[(a * St) + b];
                }
            }

            for (var a = 6; a < n; a++)
            {
                g.Covariance[(a * St) + a] = _models[j].Layout == StateLayout.PositionVelocityTurnRate ? turnRateVariance : accelerationVariance;
            }

            // Mixing relies on exactly symmetric model covariances (see Mix); an initial estimate
            // from a user-supplied R may be asymmetric in its last bits.
            Dense.Symmetrize(g.Covariance, 6);
            s.StoreModel(j, g);
            mu[j] = initialProbabilities[j];
        }

        Normalise(mu);
        var c = default(GaussianState);
        Combine(states, mu, ref c);
        s.StoreCombined(c);
        return s;
    }

    /// <summary>Mixing and model-conditioned prediction over <paramref name="dt"/>; μ becomes the predicted c̄.</summary>
    public void Predict(ImmState state, double dt)
    {
        ArgumentNullException.ThrowIfNull(state);
        var c = default(GaussianState);
        Predict(state, dt, ref c);
    }

    /// <summary>
    /// <see cref="Predict(ImmState, double)"/> that also writes the combined estimate into
    /// <paramref name="combined"/> (its leading 6×6 block, mean and dimension; the rest is left as it is).
    /// </summary>
    /// <remarks>
    /// The model states are unpacked from the track's compact block into stack buffers, mixed and
    /// predicted there, and packed back: the per-track memory the prediction streams through is
    /// the ~1 KB block, and all arithmetic runs on stack memory that stays in L1.
    /// </remarks>
    internal void Predict(ImmState state, double dt, ref GaussianState combined)
    {
        var r = _models.Length;
        Span<double> cbar = stackalloc double[r];
        var mu = state.ModeProbabilities;
        for (var j = 0; j < r; j++)
        {
            var c = 0.0;
            for (var i = 0; i < r; i++)
            {
                c += _transition[(i * r) + j] * mu[i];
            }

            cbar[j] = c;
        }

        var work = Work(2 * r);
        var loaded = work[..r];
        var mixed = work.Slice(r, r);
        for (var j = 0; j < r; j++)
        {
            state.LoadModel(j, ref loaded[j]);
        }

        Span<double> weights = stackalloc double[r];
        for (var j = 0; j < r; j++)
        {
            if (!(cbar[j] > 0))
            {
                loaded[j].CopyLeadingTo(ref mixed[j]);
                continue;
            }

            // μ_{i|j} = p_ij μᵢ / c̄ⱼ, computed once per (i, j).
            for (var i = 0; i < r; i++)
            {
                weights[i] = _transition[(i * r) + j] * mu[i] / cbar[j];
            }

            Mix(loaded, j, weights, ref mixed[j]);
        }

        for (var j = 0; j < r; j++)
        {
            ref var x = ref mixed[j];
            if (!double.IsNaN(_ncvDensity[j]))
            {
                // Closed form F P Fᵀ + Q (the same prediction, ~1/10 of the generic cost).
                KalmanTrackEstimator<NearlyConstantVelocity>.PredictNearlyConstantVelocity(ref x, _ncvDensity[j], dt);
            }
            else if (_isTurn[j])
            {
                // The concrete struct's closed-form EKF step (one vertical, one sin/cos, F's
                // block structure used directly) instead of three calls through the boxed interface.
                _turns[j].Predict(ref x, dt);
            }
            else
            {
                KalmanPredictor.Predict(_models[j], ref x, dt);
            }

            state.StoreModel(j, x);
            mu[j] = cbar[j];
        }

        Normalise(mu);
        Combine(mixed, mu, ref combined);
        state.StoreCombined(combined);
    }

    /// <summary>
    /// Model-conditioned updates, mode-probability update and combination. Returns the statistics
    /// of the most probable (predicted) model, with <see cref="UpdateResult.LogLikelihood"/> set to
    /// the mixture likelihood ln Σⱼ c̄ⱼ Λⱼ.
    /// </summary>
    public UpdateResult Update<TMeas>(ImmState state, in TMeas model, Vec3 measurement)
        where TMeas : IMeasurementModel
    {
        ArgumentNullException.ThrowIfNull(state);
        var c = default(GaussianState);
        return Update(state, model, measurement, ref c);
    }

    /// <summary><see cref="Update{TMeas}(ImmState, in TMeas, Vec3)"/> that also writes the combined estimate into <paramref name="combined"/> (leading 6×6 block).</summary>
    internal UpdateResult Update<TMeas>(ImmState state, in TMeas model, Vec3 measurement, ref GaussianState combined)
        where TMeas : IMeasurementModel
    {
        var r = _models.Length;
        var mu = state.ModeProbabilities;
        var logLikelihoods = state.LogLikelihoods;
        var states = Work(r);
        var best = 0;
        UpdateResult bestResult = default;
        var maxLog = double.NegativeInfinity;
        for (var j = 0; j < r; j++)
        {
            ref var x = ref states[j];
            state.LoadModel(j, ref x);
            var result = KalmanUpdater.Update(model, ref x, measurement);
            state.StoreModel(j, x);
            logLikelihoods[j] = result.LogLikelihood;
            if (mu[j] > mu[best] || j == 0)
            {
                best = j;
                bestResult = result;
            }

            if (result.LogLikelihood > maxLog)
            {
                maxLog = result.LogLikelihood;
            }
        }

        if (double.IsNegativeInfinity(maxLog))
        {
            Combine(states, mu, ref combined);
            state.StoreCombined(combined);
            return UpdateResult.Invalid(model.Dimension);
        }

        var total = 0.0;
        for (var j = 0; j < r; j++)
        {
            mu[j] *= Math.Exp(logLikelihoods[j] - maxLog);
            total += mu[j];
        }

        for (var j = 0; j < r; j++)
        {
            mu[j] /= total;
        }

        Combine(states, mu, ref combined);
        state.StoreCombined(combined);
        return bestResult with { LogLikelihood = maxLog + Math.Log(total) };
    }

    /// <summary>
    /// <see cref="Update{TMeas}(ImmState, in TMeas, Vec3, ref GaussianState)"/> for a position measurement
    /// z = x_p + w, w ~ N(0, <paramref name="noise"/>): each model's update is
    /// <see cref="KalmanUpdater.UpdatePosition"/>, the very call <see cref="KalmanUpdater.Update{TMeas}"/>
    /// makes for a position-kind <see cref="DetectionMeasurementModel"/>, so the result is the same
    /// without building that ~350-byte model per update.
    /// </summary>
    internal UpdateResult UpdatePosition(ImmState state, Vec3 measurement, in Mat3 noise, ref GaussianState combined)
    {
        var r = _models.Length;
        var mu = state.ModeProbabilities;
        var logLikelihoods = state.LogLikelihoods;
        var states = Work(r);
        var best = 0;
        UpdateResult bestResult = default;
        var maxLog = double.NegativeInfinity;
        for (var j = 0; j < r; j++)
        {
            ref var x = ref states[j];
            state.LoadModel(j, ref x);
            var result = KalmanUpdater.UpdatePosition(ref x, measurement, noise);
            state.StoreModel(j, x);
            logLikelihoods[j] = result.LogLikelihood;
            if (mu[j] > mu[best] || j == 0)
            {
                best = j;
                bestResult = result;
            }

            if (result.LogLikelihood > maxLog)
            {
                maxLog = result.LogLikelihood;
            }
        }

        if (double.IsNegativeInfinity(maxLog))
        {
            Combine(states, mu, ref combined);
            state.StoreCombined(combined);
            return UpdateResult.Invalid(3);
        }

        var total = 0.0;
        for (var j = 0; j < r; j++)
        {
            mu[j] *= Math.Exp(logLikelihoods[j] - maxLog);
            total += mu[j];
        }

        for (var j = 0; j < r; j++)
        {
            mu[j] /= total;
        }

        Combine(states, mu, ref combined);
        state.StoreCombined(combined);
        return bestResult with { LogLikelihood = maxLog + Math.Log(total) };
    }

    /// <summary>
    /// Holds every model-conditioned estimate on the sea surface with the height pseudo-measurement
    /// z = 0 of standard deviation <paramref name="heightStd"/> (m), linearised about the combined
    /// estimate, whose ellipsoidal height is <paramref name="height"/> and geodetic up unit vector
    /// <paramref name="up"/>; then updates μ with each model's likelihood of the pseudo-measurement
    /// and recomputes the combined estimate.
    /// </summary>
    /// <remarks>
    /// <para><b>Mode-conditioned update, then combination.</b> The pseudo-measurement is a second, scalar
    /// measurement of the same scan (the measurement-augmentation form of a state constraint: D. Simon,
    /// "Kalman filtering with state constraints", IET Control Theory &amp; Applications 4(8), 2010, §2.3),
    /// so it goes through steps 2–4 of the IMM like any measurement (Blom &amp; Bar-Shalom 1988;
    /// Bar-Shalom, Li &amp; Kirubarajan 2001 §11.6.6), as a sequential update after the sensor's: for each
    /// model j, with p̄ the combined position,</para>
    /// <code>
    /// hⱼ = h̄ + uᵀ(pʲ − p̄),  Sⱼ = uᵀ Pʲ_pp u + σ_z²,  Kⱼ = Pʲ Hᵀ / Sⱼ,
    /// xʲ ← xʲ − Kⱼ hⱼ,  Pʲ ← Pʲ − Kⱼ Sⱼ Kⱼᵀ,  Λⱼ = N(hⱼ; 0, Sⱼ),
    /// μⱼ ← Λⱼ μⱼ / Σₗ Λₗ μₗ,  then x = Σ μⱼ xʲ, P = Σ μⱼ [Pʲ + (xʲ − x)(xʲ − x)ᵀ]
    /// </code>
    /// <para>(<see cref="Models.SurfacePseudoMeasurement"/>). The constraint is applied where the IMM keeps
    /// its state: the model-conditioned estimates are what the next cycle mixes and predicts, while the
    /// combined estimate is an output nothing feeds back, so a constraint on the combination alone would
    /// be lost at the next mixing (the next prediction returns to the unconstrained heights) and would
    /// leave the reported estimate inconsistent with the estimates the filter carries. The likelihoods
    /// matter: a model whose prediction leaves the surface (the ballistic model drops a ship by ½gΔt² ≈
    /// 490 m in 10 s) loses probability, as it should for a surface object; with μ left as it was, that
    /// model's held estimate (pulled back only part of the way) biased the combined height of an
    /// IMM-tracked ship by −20 to −50 m. One linearisation point for all models holds them to the same
    /// tangent plane (its error, |pʲ − p̄|²/(2R), is 0.08 m for models 1 km apart). Allocation-free (the
    /// thread's working states).</para>
    /// </remarks>
    public void ApplySurfaceConstraint(ImmState state, Vec3 up, double height, double heightStd)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heightStd);
        var combined = state.Combined;
        ApplySurfaceConstraint(state, up, height, heightStd * heightStd, 0, ref combined);
    }

    /// <summary>
    /// <see cref="ApplySurfaceConstraint(ImmState, Vec3, double, double)"/> with the variance σ_z², linearised
    /// about the position of <paramref name="combined"/> (the state's current combined estimate), which
    /// receives the new combined estimate (leading 6×6 block). The pseudo-measurement's ln Λⱼ is added to
    /// the state's log-likelihoods of the scan. With <paramref name="verticalSpeedVariance"/> &gt; 0 each model also
    /// receives the vertical-velocity pseudo-measurement ḣ = uᵀv = 0 of that variance (m²/s²) right after, its
    /// log-likelihood added to the model's (<see cref="Models.SurfacePseudoMeasurement.ApplyVerticalVelocity"/>).
    /// </summary>
    internal void ApplySurfaceConstraint(ImmState state, Vec3 up, double height, double variance, double verticalSpeedVariance, ref GaussianState combined)
    {
        var r = _models.Length;
        var states = Work(r);
        var point = combined.Position;
        var mu = state.ModeProbabilities;
        var logLikelihoods = state.LogLikelihoods;
        Span<double> logs = stackalloc double[r];
        var maxLog = double.NegativeInfinity;
        for (var j = 0; j < r; j++)
        {
            ref var x = ref states[j];
            state.LoadModel(j, ref x);
            logs[j] = Models.SurfacePseudoMeasurement.Apply(ref x, up, point, height, variance);
            if (verticalSpeedVariance > 0)
            {
                logs[j] += Models.SurfacePseudoMeasurement.ApplyVerticalVelocity(ref x, up, verticalSpeedVariance);
            }

            logLikelihoods[j] += logs[j];
            maxLog = Math.Max(maxLog, logs[j]);
            state.StoreModel(j, x);
        }

        var total = 0.0;
        for (var j = 0; j < r; j++)
        {
            mu[j] *= Math.Exp(logs[j] - maxLog);
            total += mu[j];
        }

        for (var j = 0; j < r; j++)
        {
            mu[j] /= total;
        }

        Combine(states, mu, ref combined);
        state.StoreCombined(combined);
    }

    /// <summary>Mixed initial condition for model j into <paramref name="x0"/>, with the mixing weights μ_{i|j} in <paramref name="weights"/>.</summary>
    /// <remarks>
    /// P⁰ʲ = Σᵢ μ_{i|j} [Pⁱ + d dᵀ], d = x̃ⁱ − x⁰ʲ, accumulated by blocks: position/velocity (0–5)
    /// from estimate i; extras and their cross terms from i when it has j's layout, else j's own
    /// extras with zero cross terms (Granström, Willett &amp; Bar-Shalom 2015).
    /// <para><b>No symmetrisation.</b> Every model covariance is exactly symmetric (each predict
    /// and update ends with a symmetrisation, and <see cref="CreateState"/> and
    /// <see cref="ImmTrackEstimator.Initialise"/> symmetrise the initial one), and dₐd_b = d_bdₐ in IEEE
    /// arithmetic, so element (b, a) of the sum has bit for bit the same terms in the same order as
    /// element (a, b): the result is already exactly symmetric, and symmetrising it
    /// (½(x + x) = x) would change nothing. Columns 0–5 of each row are accumulated four and two
    /// lanes at a time; each lane performs the scalar operations (multiply, add — no fused
    /// multiply-add) in the scalar order, so the result is the scalar loop's to the last bit.</para>
    /// </remarks>
    private void Mix(ReadOnlySpan<GaussianState> states, int j, ReadOnlySpan<double> weights, ref GaussianState x0)
    {
        var r = _models.Length;
        var layout = _layouts[j];
        var n = _dimensions[j];
        ref readonly var own = ref states[j];
        x0.Dimension = n;
        var mean = default(StateVector);
        for (var i = 0; i < r; i++)
        {
            var w = weights[i];
            if (w == 0)
            {
                continue;
            }

            ref readonly var src = ref states[i];
            ref readonly var extras = ref _layouts[i] == layout ? ref src : ref own;
            for (var a = 0; a < 6; a++)
            {
                mean[a] += w * src.Mean[a];
            }

            for (var a = 6; a < n; a++)
            {
                mean[a] += w * extras.Mean[a];
            }
        }

        Span<double> p = x0.Covariance;
        for (var a = 0; a < n; a++)
        {
            p.Slice(a * St, n).Clear();
        }

        Span<double> d = stackalloc double[StateVector.Capacity];
        for (var i = 0; i < r; i++)
        {
            var w = weights[i];
            if (w == 0)
            {
                continue;
            }

            ref readonly var src = ref states[i];
            var same = _layouts[i] == layout;
            ref readonly var extras = ref same ? ref src : ref own;
            for (var a = 0; a < 6; a++)
            {
                d[a] = src.Mean[a] - mean[a];
            }

            for (var a = 6; a < n; a++)
            {
                d[a] = extras.Mean[a] - mean[a];
            }

            // Unequal layouts: P terms on the position/velocity block (from i) and on the extras
            // block (j's own); the cross blocks get only d dᵀ (w (0 + dₐd_b) = w dₐd_b exactly).
            ReadOnlySpan<double> srcCov = src.Covariance;
            ReadOnlySpan<double> ownCov = own.Covariance;
            for (var a = 0; a < n; a++)
            {
                var da = d[a];
                var row = p.Slice(a * St, n);
                var inner = a < 6;
                var from = (inner || same ? srcCov : ownCov).Slice(a * St, n);
                if (inner || same)
                {
                    AddWeightedSix(row, from, d, w, da);
                }
                else
                {
                    AddWeightedOuterSix(row, d, w, da);
                }

                for (var b = 6; b < row.Length; b++)
                {
                    row[b] += inner && !same ? w * (da * d[b]) : w * (from[b] + (da * d[b]));
                }
            }
        }

        x0.Mean = mean;
    }

    /// <summary>row[b] += w (from[b] + da d[b]) for b = 0…5, four and two lanes at a time (each lane does the scalar operations, unfused, in the same order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddWeightedSix(Span<double> row, ReadOnlySpan<double> from, ReadOnlySpan<double> d, double w, double da)
    {
        var r4 = Vector256.Create((ReadOnlySpan<double>)row) + (Vector256.Create(w) * (Vector256.Create(from) + (Vector256.Create(da) * Vector256.Create(d))));
        r4.CopyTo(row);
        var r2 = Vector128.Create((ReadOnlySpan<double>)row[4..]) + (Vector128.Create(w) * (Vector128.Create(from[4..]) + (Vector128.Create(da) * Vector128.Create(d[4..]))));
        r2.CopyTo(row[4..]);
    }

    /// <summary>row[b] += w (da d[b]) for b = 0…5 (the cross block of unequal layouts), lane-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddWeightedOuterSix(Span<double> row, ReadOnlySpan<double> d, double w, double da)
    {
        var r4 = Vector256.Create((ReadOnlySpan<double>)row) + (Vector256.Create(w) * (Vector256.Create(da) * Vector256.Create(d)));
        r4.CopyTo(row);
        var r2 = Vector128.Create((ReadOnlySpan<double>)row[4..]) + (Vector128.Create(w) * (Vector128.Create(da) * Vector128.Create(d[4..])));
        r2.CopyTo(row[4..]);
    }

    /// <summary>Combined 6-D estimate, written in place (only the leading 6×6 block is meaningful).</summary>
    /// <remarks>Rows accumulated four and two lanes at a time; no symmetrisation is needed, for the reason given in <see cref="Mix"/>.</remarks>
    private void Combine(ReadOnlySpan<GaussianState> states, ReadOnlySpan<double> mu, ref GaussianState c)
    {
        var r = _models.Length;
        c.Dimension = 6;
        c.Mean = default;
        Span<double> cov = c.Covariance;
        for (var a = 0; a < 6; a++)
        {
            cov.Slice(a * St, 6).Clear();
        }

        for (var j = 0; j < r; j++)
        {
            for (var a = 0; a < 6; a++)
            {
                c.Mean[a] += mu[j] * states[j].Mean[a];
            }
        }

        Span<double> d = stackalloc double[6];
        for (var j = 0; j < r; j++)
        {
            ref readonly var s = ref states[j];
            for (var a = 0; a < 6; a++)
            {
                d[a] = s.Mean[a] - c.Mean[a];
            }

            var w = mu[j];
            ReadOnlySpan<double> from = s.Covariance;
            for (var a = 0; a < 6; a++)
            {
                AddWeightedSix(cov.Slice(a * St, 6), from.Slice(a * St, 6), d, w, d[a]);
            }
        }
    }

    /// <summary>
    /// <paramref name="count"/> working states of this thread (contents undefined: every user writes
    /// the dimension, mean and leading block before reading them). Not re-entrant: the IMM's own
    /// steps never nest.
    /// </summary>
    internal static Span<GaussianState> Work(int count)
    {
        var work = _work;
        if (work is null || work.Length < count)
        {
            _work = work = new GaussianState[Math.Max(count, 8)];
        }

        return work.AsSpan(0, count);
    }

    private static void Normalise(Span<double> mu)
    {
        var sum = 0.0;
        foreach (var m in mu)
        {
            sum += m;
        }

        for (var j = 0; j < mu.Length; j++)
        {
            mu[j] /= sum;
        }
    }
}
