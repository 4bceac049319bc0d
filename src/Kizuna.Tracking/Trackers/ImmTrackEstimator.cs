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
/// <para>The track's <see cref="ImmState"/> is created on the track object's first use and reused
/// when the pooled object carries a new track, so steady state allocates nothing.</para>
/// </remarks>
public sealed class ImmTrackEstimator : ITrackEstimator, IStateBufferGating, IPositionUpdate
{
    private const int St = StateMatrix.Stride;
    private readonly InteractingMultipleModel _imm;
    private readonly double[] _initialProbabilities;

    /// <summary>Creates the estimator.</summary>
    /// <param name="imm">The IMM configuration (shared by all tracks).</param>
    /// <param name="initialProbabilities">μ at initiation, one per model.</param>
    /// <param name="accelerationVariance">Initial variance of acceleration components (m²/s⁴).</param>
    /// <param name="turnRateVariance">Initial variance of a turn rate (rad²/s²).</param>
    public ImmTrackEstimator(InteractingMultipleModel imm, ReadOnlySpan<double> initialProbabilities, double accelerationVariance = 10, double turnRateVariance = 0.01)
    {
        ArgumentNullException.ThrowIfNull(imm);
        if (initialProbabilities.Length != imm.ModelCount)
        {
            throw new ArgumentException("One initial probability per model is required.", nameof(initialProbabilities));
        }

        _imm = imm;
        _initialProbabilities = initialProbabilities.ToArray();
        AccelerationVariance = accelerationVariance;
        TurnRateVariance = turnRateVariance;
    }

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
        if (track.Imm is null)
        {
            track.Imm = _imm.CreateState(initial, _initialProbabilities, AccelerationVariance, TurnRateVariance);
            track.StateBuffer = track.Imm.Combined;
            return;
        }

        // Reuse the pooled buffers: the same initialisation as InteractingMultipleModel.CreateState.
        var s = track.Imm;
        var sum = 0.0;
        foreach (var p in _initialProbabilities)
        {
            sum += p;
        }

        for (var j = 0; j < _imm.ModelCount; j++)
        {
            var model = _imm.Model(j);
            ref var g = ref s.ModelStates[j]; // in place: one clear instead of clear + 728-byte copy
            g = default;
            g.Dimension = model.Dimension;
            for (var a = 0; a < 6; a++)
            {
                g.Mean[a] = initial.Mean[a];
                for (var b = 0; b < 6; b++)
                {
                    g.Covariance[(a * St) + b] = initial.Covariance[(a * St) + b];
                }
            }

            for (var a = 6; a < model.Dimension; a++)
            {
                g.Covariance[(a * St) + a] = model.Layout == StateLayout.PositionVelocityTurnRate ? TurnRateVariance : AccelerationVariance;
            }

            Dense.Symmetrize(g.Covariance, 6); // mixing needs exactly symmetric covariances
            s.ModeProbabilities[j] = _initialProbabilities[j] / sum;
            s.LogLikelihoods[j] = 0;
        }

        s.Combined = initial;
        track.StateBuffer = initial;
    }

    /// <inheritdoc/>
    public void Predict(Track track, double dt)
    {
        ArgumentNullException.ThrowIfNull(track);
        _imm.Predict(track.Imm!, dt);
        track.Imm!.Combined.CopyLeadingTo(ref track.StateBuffer);
    }

    /// <inheritdoc/>
    public UpdateResult Evaluate(Track track, in DetectionMeasurementModel model, Vec3 measurement) =>
        KalmanUpdater.Evaluate(model, track.StateBuffer, measurement);

    /// <inheritdoc/>
    public UpdateResult Update(Track track, in DetectionMeasurementModel model, Vec3 measurement)
    {
        ArgumentNullException.ThrowIfNull(track);
        var r = _imm.Update(track.Imm!, model, measurement);
        track.Imm!.Combined.CopyLeadingTo(ref track.StateBuffer); // the 6×6 block, not all 728 bytes
        return r;
    }

    /// <inheritdoc/>
    void IPositionUpdate.UpdatePosition(Track track, MeasurementKind kind, Vec3 measurement, in Mat3 noise)
    {
        var model = DetectionMeasurementModel.Position(kind, noise);
        _imm.Update(track.Imm!, model, measurement);
        track.Imm!.Combined.CopyLeadingTo(ref track.StateBuffer);
    }

    /// <inheritdoc/>
    public void UpdateMixture(Track track, double missedWeight, ReadOnlySpan<WeightedMeasurement> hypotheses, in AssociationParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(track);
        var s = track.Imm!;
        var logMiss = parameters.LogMissWeight;
        var logDet = parameters.LogDetectionWeight;
        var maxLog = double.NegativeInfinity;
        for (var j = 0; j < _imm.ModelCount; j++)
        {
            var pda = ProbabilisticDataAssociation.Begin(s.ModelStates[j], missedWeight);

            // ln Λⱼ = ln[(1 − P_D P_G) + Σᵢ (P_D/λ) Nᵢʲ] by log-sum-exp.
            var m = logMiss;
            foreach (ref readonly var h in hypotheses)
            {
                var updated = s.ModelStates[j];
                var r = KalmanUpdater.Update(h.Model, ref updated, h.Measurement);
                pda.Add(h.Weight, updated);
                if (r.IsValid)
                {
                    m = Math.Max(m, logDet + r.LogLikelihood);
                }
            }

            var sum = Math.Exp(logMiss - m);
            foreach (ref readonly var h in hypotheses)
            {
                var r = KalmanUpdater.Evaluate(h.Model, s.ModelStates[j], h.Measurement);
                if (r.IsValid)
                {
                    sum += Math.Exp(logDet + r.LogLikelihood - m);
                }
            }

            s.LogLikelihoods[j] = m + Math.Log(sum);
            maxLog = Math.Max(maxLog, s.LogLikelihoods[j]);
            pda.Finish(ref s.ModelStates[j]);
        }

        var total = 0.0;
        for (var j = 0; j < _imm.ModelCount; j++)
        {
            s.ModeProbabilities[j] *= Math.Exp(s.LogLikelihoods[j] - maxLog);
            total += s.ModeProbabilities[j];
        }

        for (var j = 0; j < _imm.ModelCount; j++)
        {
            s.ModeProbabilities[j] /= total;
        }

        Combine(s);
        track.StateBuffer = s.Combined;
    }

    /// <summary>x = Σ μⱼ xʲ, P = Σ μⱼ [Pʲ + (xʲ − x)(xʲ − x)ᵀ] over position and velocity (Blom &amp; Bar-Shalom 1988, step 4).</summary>
    private void Combine(ImmState state)
    {
        var c = GaussianState.Zero(6);
        var mu = state.ModeProbabilities;
        for (var j = 0; j < _imm.ModelCount; j++)
        {
            for (var a = 0; a < 6; a++)
            {
                c.Mean[a] += mu[j] * state.ModelStates[j].Mean[a];
            }
        }

        Span<double> d = stackalloc double[6];
        for (var j = 0; j < _imm.ModelCount; j++)
        {
            ref readonly var s = ref state.ModelStates[j];
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
        state.Combined = c;
    }
}
