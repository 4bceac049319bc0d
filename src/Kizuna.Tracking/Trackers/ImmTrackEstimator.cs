using Kizuna.Core;
using Kizuna.Tracking.Association;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.MultipleModel;
using Kizuna.Tracking.Types;
using Kizuna.Tracking.Updaters;

namespace Kizuna.Tracking.Trackers;

/// <summary>
/// An IMM filter per track (<see cref="InteractingMultipleModel"/>) over a configurable model set;
/// the track's <see cref="Track.State"/> is the combined 6-D estimate, which is what gating uses.
/// </summary>
/// <remarks>
/// <para>The mixture (JPDA) update is the IMMPDAF of Houles &amp; Bar-Shalom, "Multisensor tracking of a
/// maneuvering target in clutter", IEEE T-AES 25(2), 1989 (also Bar-Shalom, Willett &amp; Tian 2011,
/// §4.4): each model-conditioned estimate receives the PDA combined update with the association
/// weights β (<see cref="ProbabilisticDataAssociation"/>), and the mode likelihood is the PDA
/// likelihood of that model,</para>
/// <code>
/// Λⱼ ∝ (1 − P_D P_G) + Σᵢ (P_D / λ) N(νᵢʲ; 0, Sᵢʲ)
/// μⱼ ← Λⱼ μⱼ / Σₗ Λₗ μₗ,   then the combined estimate is recomputed
/// </code>
/// <para><b>Surface tracks.</b> With a <see cref="SurfaceTrackModel"/>, after every update (single,
/// position or mixture) and after the confirming update, a confirmed track whose combined estimate passes
/// the surface test (speed, and the height gate on the pseudo-measurement's innovation) becomes a surface
/// candidate: the track's own IMM becomes the surface hypothesis, every model-conditioned estimate held in
/// height and vertical velocity after each prediction and update
/// (<see cref="InteractingMultipleModel.ApplySurfaceConstraint(ImmState, Vec3, double, double)"/>, which
/// gives the reasons for constraining the models rather than the combination), and a second IMM block, a copy
/// taken before the first hold, runs unconstrained as the air hypothesis; the hypotheses' probabilities
/// follow the two IMMs' mixture likelihoods ln Σⱼ c̄ⱼ Λⱼ of each plot, and the track reports the decided one
/// (<see cref="SurfaceTrackModel"/>, "Revocable hold"). When the candidacy ends, the winning IMM becomes the
/// track's. Air tracks fail the speed pre-test (a norm, a dot product and a square root) and cost nothing else.</para>
/// <para><b>Out-of-sequence detections</b> (older than the track's state; the tracker's
/// <see cref="TrackerOptions.MaxOutOfSequenceAge"/>): every model-conditioned estimate is updated by Bl1
/// retrodiction with its own model and the mode probabilities by the late plot's model-conditioned
/// likelihoods (<see cref="InteractingMultipleModel.UpdateOutOfSequence{TMeas}(ImmState, double, bool, in TMeas, Vec3)"/>,
/// which gives the equations and the approximations); the gate is the moment-matched mixture of the modes'
/// retrodicted innovations. A detection at or after a lazily predicted track's time is an ordinary IMM
/// prediction and update, done on a per-thread scratch copy and committed only when valid. Late plots of
/// a surface candidate (two IMM hypotheses) are refused, as the speed-scheduled estimator's are: a named gap;
/// a late plot never opens a candidacy itself (the next in-sequence update applies the surface test).</para>
/// <para>The track's <see cref="ImmState"/> is created on the track object's first use, as one
/// compact block of a large slab shared by consecutive track objects, and reused when the object
/// carries a new track, so steady state allocates nothing and the tracker's passes over its track
/// table read the IMM data in memory order.</para>
/// </remarks>
public sealed class ImmTrackEstimator : ITrackEstimator, IStateBufferGating, IPositionUpdate, ITrackConfirmationObserver, IOutOfSequenceUpdate
{
    private const int St = StateMatrix.Stride;

    /// <summary>
    /// This thread's working copy of a track's combined estimate: the IMM computes into it and the result
    /// is stored in the track's compact store (<see cref="Track.StoreState"/>). Entries beyond the
    /// dimension are stale by design (every path reads the leading block only); a thread-static buffer
    /// instead of a local avoids zeroing 728 bytes per call.
    /// </summary>
    [ThreadStatic]
    private static GaussianState t_combined;
    private readonly InteractingMultipleModel _imm;
    private readonly double[] _initialProbabilities;
    private readonly bool[] _turnRateExtras; // model j's extras are a turn rate (else accelerations)
    private readonly SurfaceTrackModel? _surface;

    /// <summary>Track blocks per slab (a slab is one array of this many consecutive IMM blocks).</summary>
    private const int SlabBlocks = 512;
    private readonly Lock _slabLock = new();

    /// <summary>
    /// This thread's scratch IMM block for the out-of-sequence path's predict-then-update (a detection after a
    /// lazily predicted track's time), so evaluation changes nothing and an invalid update commits nothing.
    /// Shared by every estimator with the same block layout (e.g. the national nodes' IMM trackers stepped on one
    /// thread); reallocated only when an estimator with a different model set uses it on the thread.
    /// </summary>
    [ThreadStatic]
    private static ImmState? _scratch;
    private double[]? _slab;
    private int _slabUsed;

    /// <summary>Creates the estimator.</summary>
    /// <param name="imm">The IMM configuration (shared by all tracks).</param>
    /// <param name="initialProbabilities">μ at initiation, one per model.</param>
    /// <param name="accelerationVariance">Initial variance of acceleration components (m²/s⁴).</param>
    /// <param name="turnRateVariance">Initial variance of a turn rate (rad²/s²).</param>
    /// <param name="surface">
    /// Surface-track hold (ECEF tracks only), or null for none: confirmed tracks that pass its surface
    /// test are held at the sea surface in every model (<see cref="InteractingMultipleModel.ApplySurfaceConstraint(ImmState, Vec3, double, double)"/>);
    /// its <see cref="SurfaceTrackModel.ProcessNoise"/> is not used (the models keep their own).
    /// </param>
    public ImmTrackEstimator(InteractingMultipleModel imm, ReadOnlySpan<double> initialProbabilities, double accelerationVariance = 10, double turnRateVariance = 0.01,
        SurfaceTrackModel? surface = null)
    {
        ArgumentNullException.ThrowIfNull(imm);
        if (initialProbabilities.Length != imm.ModelCount)
        {
            throw new ArgumentException("One initial probability per model is required.", nameof(initialProbabilities));
        }

        _imm = imm;
        _initialProbabilities = initialProbabilities.ToArray();
        _turnRateExtras = [.. Enumerable.Range(0, imm.ModelCount).Select(j => imm.Model(j).Layout == StateLayout.PositionVelocityTurnRate)];
        AccelerationVariance = accelerationVariance;
        TurnRateVariance = turnRateVariance;
        surface?.Validate();
        _surface = surface;
    }

    /// <summary>The surface-track hold, or null.</summary>
    public SurfaceTrackModel? Surface => _surface;

    /// <summary>Initial acceleration variance (m²/s⁴).</summary>
    public double AccelerationVariance { get; }

    /// <summary>Initial turn-rate variance (rad²/s²).</summary>
    public double TurnRateVariance { get; }

    /// <summary>The IMM configuration.</summary>
    public InteractingMultipleModel Imm => _imm;

    /// <inheritdoc/>
    public void Initialise(Track track, in GaussianState initial)
    {
        ArgumentNullException.ThrowIfNull(track);
        var s = track.Imm ??= AllocateState();
        var sum = 0.0;
        foreach (var p in _initialProbabilities)
        {
            sum += p;
        }

        s.StoreInitial(initial, _turnRateExtras, AccelerationVariance, TurnRateVariance);
        var mu = s.ModeProbabilities;
        var logLikelihoods = s.LogLikelihoods;
        for (var j = 0; j < mu.Length; j++)
        {
            mu[j] = _initialProbabilities[j] / sum;
            logLikelihoods[j] = 0;
        }

        track.StoreState(initial);
        if (track.SurfaceBuffer is { } h)
        {
            h.Active = false;
        }
    }

    /// <summary>
    /// A track's IMM block, carved out of the current slab: the tracker creates its track objects in
    /// batches in slot order and initialises each once, so consecutive slots get consecutive blocks
    /// and the passes over the track table stream through the slab.
    /// </summary>
    private ImmState AllocateState()
    {
        var layout = _imm.BlockLayout;
        lock (_slabLock)
        {
            if (_slab is null || _slabUsed + layout.BlockSize > _slab.Length)
            {
                _slab = new double[SlabBlocks * layout.BlockSize];
                _slabUsed = 0;
            }

            var state = new ImmState(layout, _slab, _slabUsed);
            _slabUsed += layout.BlockSize;
            return state;
        }
    }

    /// <inheritdoc/>
    public void Predict(Track track, double dt)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (track.SurfaceBuffer is { Active: true } h)
        {
            // A surface candidate: the surface hypothesis' IMM is the track's own, the air hypothesis' its twin.
            // The surface hypothesis' prediction is held too (its models' process noise is isotropic; a surface
            // object's is not), so the next update's likelihood under it is that of an object on the surface.
            var surface = _surface!;
            _imm.Predict(track.Imm!, dt, ref h.Surface);
            var up = SurfaceTrackModel.UpAndHeight(h.Surface.Position, out var height);
            _imm.ApplySurfaceConstraint(track.Imm!, up, height, surface.HeightStd * surface.HeightStd, surface.VerticalSpeedStd * surface.VerticalSpeedStd, ref h.Surface);
            _imm.Predict(h.AirImm!, dt, ref h.Air);
            surface.PredictOdds(h);
            surface.Report(h, track);
            return;
        }

        // The prediction writes the combined estimate without reading it: no load.
        ref var combined = ref t_combined;
        _imm.Predict(track.Imm!, dt, ref combined);
        track.StoreState(combined);
    }

    /// <inheritdoc/>
    public UpdateResult Evaluate(Track track, in DetectionMeasurementModel model, Vec3 measurement) =>
        KalmanUpdater.Evaluate(model, track.State, measurement);

    /// <inheritdoc/>
    public UpdateResult Update(Track track, in DetectionMeasurementModel model, Vec3 measurement)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (track.SurfaceBuffer is { Active: true } h)
        {
            var before = SurfaceTrackModel.VerticalVariance(h.Air);
            var surface = _imm.Update(track.Imm!, model, measurement, ref h.Surface);
            var air = _imm.Update(h.AirImm!, model, measurement, ref h.Air);
            var reported = h.Held ? surface : air;
            _surface!.AddEvidence(h, surface.LogLikelihood, air.LogLikelihood, before);
            Conclude(track, h);
            return reported;
        }

        ref var combined = ref Loaded(track);
        var result = _imm.Update(track.Imm!, model, measurement, ref combined);
        track.StoreState(combined);
        HoldOnSurface(track);
        return result;
    }

    /// <inheritdoc/>
    void IPositionUpdate.UpdatePosition(Track track, MeasurementKind kind, Vec3 measurement, in Mat3 noise)
    {
        // Exactly Update(track, DetectionMeasurementModel.Position(kind, noise), measurement):
        // a position-kind model's update is KalmanUpdater.UpdatePosition with its R.
        if (track.SurfaceBuffer is { Active: true } h)
        {
            var before = SurfaceTrackModel.VerticalVariance(h.Air);
            var surface = _imm.UpdatePosition(track.Imm!, measurement, noise, ref h.Surface);
            var air = _imm.UpdatePosition(h.AirImm!, measurement, noise, ref h.Air);
            _surface!.AddEvidence(h, surface.LogLikelihood, air.LogLikelihood, before);
            Conclude(track, h);
            return;
        }

        ref var combined = ref Loaded(track);
        _imm.UpdatePosition(track.Imm!, measurement, noise, ref combined);
        track.StoreState(combined);
        HoldOnSurface(track);
    }

    /// <summary><see cref="t_combined"/> holding <paramref name="track"/>'s state (for paths that may leave it unwritten, e.g. an invalid update).</summary>
    private static ref GaussianState Loaded(Track track)
    {
        ref var combined = ref t_combined;
        track.LoadState(ref combined);
        return ref combined;
    }

    /// <inheritdoc/>
    void ITrackConfirmationObserver.Confirmed(Track track) => HoldOnSurface(track);

    /// <summary>
    /// A track that is not a surface candidate becomes one when its combined (updated) estimate passes the
    /// surface test: the air hypothesis' IMM starts as a copy of the track's, and the track's own IMM (the
    /// surface hypothesis) has every model-conditioned estimate held (see remarks).
    /// </summary>
    private void HoldOnSurface(Track track)
    {
        if (_surface is not null && _surface.IsSurface(track, out var up, out var height))
        {
            var h = track.SurfaceBuffer ??= new SurfaceHypotheses();
            h.AirImm ??= AllocateState();
            h.AirImm.CopyFrom(track.Imm!);
            _surface.Open(h, track.State);
            _imm.ApplySurfaceConstraint(track.Imm!, up, height, _surface.HeightStd * _surface.HeightStd, _surface.VerticalSpeedStd * _surface.VerticalSpeedStd, ref h.Surface);
            _surface.Report(h, track);
        }
    }

    /// <summary>
    /// After a candidate's update: the decision (or the end of the candidacy when the speed refutes the
    /// surface: the air hypothesis' IMM becomes the track's), the pseudo-measurement on every model of the
    /// surface hypothesis, and the report (see <see cref="SurfaceTrackModel"/>).
    /// </summary>
    private void Conclude(Track track, SurfaceHypotheses h)
    {
        var surface = _surface!;
        var up = SurfaceTrackModel.UpAndHeight(h.Surface.Position, out var height);
        if (!surface.Decide(h, up))
        {
            h.Active = false;
            (track.Imm, h.AirImm) = (h.AirImm, track.Imm);
            track.StoreState(h.Air);
            return;
        }

        _imm.ApplySurfaceConstraint(track.Imm!, up, height, surface.HeightStd * surface.HeightStd, surface.VerticalSpeedStd * surface.VerticalSpeedStd, ref h.Surface);
        surface.Report(h, track);
    }

    /// <inheritdoc/>
    UpdateResult IOutOfSequenceUpdate.EvaluateOutOfSequence(Track track, double lag, bool updatedSince, in DetectionMeasurementModel model, Vec3 measurement)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (track.SurfaceBuffer is { Active: true })
        {
            return UpdateResult.Invalid(model.Dimension);
        }

        if (lag > 0)
        {
            return _imm.EvaluateOutOfSequence(track.Imm!, lag, updatedSince, model, measurement);
        }

        if (lag == 0)
        {
            return KalmanUpdater.Evaluate(model, track.State, measurement);
        }

        // After the track's time: the combined estimate predicted to the detection's time, on a scratch copy.
        var scratch = Scratch(track.Imm!);
        var predicted = default(GaussianState);
        _imm.Predict(scratch, -lag, ref predicted);
        return KalmanUpdater.Evaluate(model, predicted, measurement);
    }

    /// <inheritdoc/>
    UpdateResult IOutOfSequenceUpdate.UpdateOutOfSequence(Track track, double lag, bool updatedSince, in DetectionMeasurementModel model, Vec3 measurement)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (track.SurfaceBuffer is { Active: true })
        {
            return UpdateResult.Invalid(model.Dimension);
        }

        if (lag > 0)
        {
            var state = track.State;
            var late = _imm.UpdateOutOfSequence(track.Imm!, lag, updatedSince, model, measurement, ref state);
            track.StoreState(state);
            return late;
        }

        // At or after the track's time: the ordinary IMM cycle (no mixing for lag = 0: no time passes), on a
        // scratch copy committed only when the update is valid.
        var scratch = Scratch(track.Imm!);
        var combined = track.State;
        if (lag < 0)
        {
            _imm.Predict(scratch, -lag, ref combined);
        }

        var result = _imm.Update(scratch, model, measurement, ref combined);
        if (result.IsValid)
        {
            track.Imm!.CopyFrom(scratch);
            track.StoreState(combined);
        }

        return result;
    }

    /// <summary>This thread's scratch block (for this estimator's model set) holding a copy of <paramref name="source"/>.</summary>
    private ImmState Scratch(ImmState source)
    {
        var scratch = _scratch;
        if (scratch is null || !scratch.Layout.SameAs(_imm.BlockLayout))
        {
            _scratch = scratch = _imm.BlockLayout.Allocate();
        }

        scratch.CopyFrom(source);
        return scratch;
    }

    /// <inheritdoc/>
    public void UpdateMixture(Track track, double missedWeight, ReadOnlySpan<WeightedMeasurement> hypotheses, in AssociationParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (track.SurfaceBuffer is { Active: true } h)
        {
            var before = SurfaceTrackModel.VerticalVariance(h.Air);
            var surface = UpdateMixture(track.Imm!, ref h.Surface, missedWeight, hypotheses, parameters);
            var air = UpdateMixture(h.AirImm!, ref h.Air, missedWeight, hypotheses, parameters);
            _surface!.AddEvidence(h, surface, air, before);
            Conclude(track, h);
            return;
        }

        ref var combined = ref Loaded(track);
        _ = UpdateMixture(track.Imm!, ref combined, missedWeight, hypotheses, parameters);
        track.StoreState(combined);
        HoldOnSurface(track);
    }

    /// <summary>
    /// The IMMPDAF update of one IMM state (see remarks), its combined estimate written to <paramref name="combined"/>;
    /// returns the mixture likelihood ln Σⱼ c̄ⱼ Λⱼ.
    /// </summary>
    private double UpdateMixture(ImmState s, ref GaussianState combined, double missedWeight, ReadOnlySpan<WeightedMeasurement> hypotheses, in AssociationParameters parameters)
    {
        var r = _imm.ModelCount;
        var logMiss = parameters.LogMissWeight;
        var logDet = parameters.LogDetectionWeight;
        var maxLog = double.NegativeInfinity;
        var mu = s.ModeProbabilities;
        var logLikelihoods = s.LogLikelihoods;
        var states = InteractingMultipleModel.Work(r);
        for (var j = 0; j < r; j++)
        {
            ref var x = ref states[j];
            s.LoadModel(j, ref x);
            var pda = ProbabilisticDataAssociation.Begin(x, missedWeight);

            // ln Λⱼ = ln[(1 − P_D P_G) + Σᵢ (P_D/λ) Nᵢʲ] by log-sum-exp.
            var m = logMiss;
            foreach (ref readonly var h in hypotheses)
            {
                var updated = x;
                var u = KalmanUpdater.Update(h.Model, ref updated, h.Measurement);
                pda.Add(h.Weight, updated);
                if (u.IsValid)
                {
                    m = Math.Max(m, logDet + u.LogLikelihood);
                }
            }

            var sum = Math.Exp(logMiss - m);
            foreach (ref readonly var h in hypotheses)
            {
                var u = KalmanUpdater.Evaluate(h.Model, x, h.Measurement);
                if (u.IsValid)
                {
                    sum += Math.Exp(logDet + u.LogLikelihood - m);
                }
            }

            logLikelihoods[j] = m + Math.Log(sum);
            maxLog = Math.Max(maxLog, logLikelihoods[j]);
            pda.Finish(ref x);
            s.StoreModel(j, x);
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

        var c = Combine(states, mu);
        s.StoreCombined(c);
        combined = c;
        return maxLog + Math.Log(total);
    }

    /// <summary>x = Σ μⱼ xʲ, P = Σ μⱼ [Pʲ + (xʲ − x)(xʲ − x)ᵀ] over position and velocity (Blom &amp; Bar-Shalom 1988, step 4).</summary>
    private GaussianState Combine(ReadOnlySpan<GaussianState> states, ReadOnlySpan<double> mu)
    {
        var c = GaussianState.Zero(6);
        for (var j = 0; j < _imm.ModelCount; j++)
        {
            for (var a = 0; a < 6; a++)
            {
                c.Mean[a] += mu[j] * states[j].Mean[a];
            }
        }

        Span<double> d = stackalloc double[6];
        for (var j = 0; j < _imm.ModelCount; j++)
        {
            ref readonly var s = ref states[j];
            for (var a = 0; a < 6; a++)
            {
                d[a] = s.Mean[a] - c.Mean[a];
            }

            for (var a = 0; a < 6; a++)
            {
                for (var b = 0; b < 6; b++)
                {
                    c.Covariance[(a * St) + b] += mu[j] * (s.Covariance[(a * St) + b] + (d[a] * d[b]));
                }
            }
        }

        Dense.Symmetrize(c.Covariance, 6);
        return c;
    }
}
