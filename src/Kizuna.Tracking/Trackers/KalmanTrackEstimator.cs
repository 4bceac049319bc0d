using Kizuna.Core;
using Kizuna.Tracking.Association;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.Predictors;
using Kizuna.Tracking.Types;
using Kizuna.Tracking.Updaters;

namespace Kizuna.Tracking.Trackers;

/// <summary>
/// A single-model Kalman / extended Kalman filter per track (<see cref="KalmanPredictor"/>,
/// <see cref="KalmanUpdater"/>, Joseph form) over transition model <typeparamref name="TModel"/>,
/// which is a value type so every call is devirtualised.
/// </summary>
/// <remarks>
/// A 6-D initial estimate is extended to the model's dimension with zero extras of variance
/// <see cref="ExtraVariance"/> (acceleration m²/s⁴ or turn rate rad²/s²). The mixture update is
/// <see cref="ProbabilisticDataAssociation"/>. Out-of-sequence detections (older than the track's state)
/// update the current state by retrodiction, <see cref="OutOfSequenceUpdate"/> (Bar-Shalom's Bl1, EKF form)
/// with this model's F(−Δ) and Q(Δ).
/// </remarks>
/// <typeparam name="TModel">The transition model, e.g. <see cref="NearlyConstantVelocity"/>.</typeparam>
public sealed class KalmanTrackEstimator<TModel> : ITrackEstimator, IStateBufferGating, IPositionUpdate, IPositionInitialisation, IOutOfSequenceUpdate
    where TModel : struct, ITransitionModel
{
    private readonly TModel _model;

    /// <summary>Creates the estimator.</summary>
    public KalmanTrackEstimator(TModel model, double extraVariance = 1)
    {
        if (model.Dimension < 6)
        {
            throw new ArgumentException("The transition model must carry position and velocity (n ≥ 6).", nameof(model));
        }

        _model = model;
        ExtraVariance = extraVariance;
    }

    /// <summary>Initial variance of model components beyond position and velocity.</summary>
    public double ExtraVariance { get; }

    /// <summary>The transition model.</summary>
    public TModel Model => _model;

    /// <inheritdoc/>
    public void Initialise(Track track, in GaussianState initial)
    {
        ArgumentNullException.ThrowIfNull(track);
        var n = _model.Dimension;
        if (n == initial.Dimension)
        {
            track.StateBuffer = initial;
            return;
        }

        var s = GaussianState.Zero(n);
        for (var a = 0; a < 6; a++)
        {
            s.Mean[a] = initial.Mean[a];
            for (var b = 0; b < 6; b++)
            {
                s.Covariance[(a * StateMatrix.Stride) + b] = initial.Covariance[(a * StateMatrix.Stride) + b];
            }
        }

        for (var a = 6; a < n; a++)
        {
            s.Covariance[(a * StateMatrix.Stride) + a] = ExtraVariance;
        }

        track.StateBuffer = s;
    }

    /// <inheritdoc/>
    bool IPositionInitialisation.IsAvailable => _model.Dimension == 6;

    /// <inheritdoc/>
    /// <remarks>
    /// Writes only the meaningful leading part (n = 6: the mean and the 6×6 block); the rest of the
    /// buffer is never written by a 6-D state's prediction or update, so it keeps the zeros of the
    /// object's first initialisation (<c>TrackStoreTests</c> compares whole buffers).
    /// </remarks>
    void IPositionInitialisation.InitialisePosition(Track track, Vec3 position, in Mat3 noise, double velocityVariance)
    {
        ref var s = ref track.StateBuffer;
        const int stride = StateMatrix.Stride;
        s.Dimension = 6;
        s.SetPosition(position);
        s.SetVelocity(Vec3.Zero);
        Span<double> p = s.Covariance;
        for (var a = 0; a < 6; a++)
        {
            p.Slice(a * stride, 6).Clear();
        }

        s.SetBlock3(0, noise);
        for (var i = 3; i < 6; i++)
        {
            p[(i * stride) + i] = velocityVariance;
        }
    }

    /// <inheritdoc/>
    public void Predict(Track track, double dt)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (typeof(TModel) == typeof(NearlyConstantVelocity) && track.StateBuffer.Dimension == 6)
        {
            PredictNearlyConstantVelocity(ref track.StateBuffer, ((NearlyConstantVelocity)(object)_model).SpectralDensity, dt);
        }
        else
        {
            KalmanPredictor.Predict(_model, ref track.StateBuffer, dt);
        }
    }

    /// <summary>
    /// The Kalman prediction for <see cref="NearlyConstantVelocity"/> in closed form, in place:
    /// with F = [I ΔtI; 0 I], F P Fᵀ is "row i += Δt row i+3, then column i += Δt column i+3" for
    /// i = 0, 1, 2, followed by + Q(Δt) (Bar-Shalom, Li &amp; Kirubarajan 2001, eqs. 6.2.2-12/13). The same
    /// result as <see cref="KalmanPredictor"/> (a test checks it) at ~1/10 of the cost, because the
    /// tracker predicts every track every frame and this is its hottest loop.
    /// </summary>
    internal static void PredictNearlyConstantVelocity(ref GaussianState state, double q, double dt)
    {
        const int s = StateMatrix.Stride;
        Span<double> p = state.Covariance;
        for (var i = 0; i < 3; i++)
        {
            state.Mean[i] += dt * state.Mean[i + 3];
            for (var c = 0; c < 6; c++)
            {
                p[(i * s) + c] += dt * p[((i + 3) * s) + c];
            }
        }

        for (var r = 0; r < 6; r++)
        {
            for (var i = 0; i < 3; i++)
            {
                p[(r * s) + i] += dt * p[(r * s) + i + 3];
            }
        }

        var dt2 = dt * dt;
        var pp = q * dt2 * dt / 3;
        var pv = q * dt2 / 2;
        var vv = q * dt;
        for (var i = 0; i < 3; i++)
        {
            p[(i * s) + i] += pp;
            p[(i * s) + i + 3] += pv;
            p[((i + 3) * s) + i] += pv;
            p[((i + 3) * s) + i + 3] += vv;
        }

        Dense.Symmetrize(p, 6);
    }

    /// <inheritdoc/>
    public UpdateResult Evaluate(Track track, in DetectionMeasurementModel model, Vec3 measurement) =>
        KalmanUpdater.Evaluate(model, track.StateBuffer, measurement);

    /// <inheritdoc/>
    public UpdateResult Update(Track track, in DetectionMeasurementModel model, Vec3 measurement) =>
        KalmanUpdater.Update(model, ref track.StateBuffer, measurement);

    /// <inheritdoc/>
    void IPositionUpdate.UpdatePosition(Track track, MeasurementKind kind, Vec3 measurement, in Mat3 noise) =>
        KalmanUpdater.UpdatePosition(ref track.StateBuffer, measurement, noise);

    /// <inheritdoc/>
    UpdateResult IOutOfSequenceUpdate.EvaluateOutOfSequence(Track track, double lag, bool updatedSince, in DetectionMeasurementModel model, Vec3 measurement) =>
        OutOfSequenceUpdate.Evaluate(_model, track.StateBuffer, lag, updatedSince, model, measurement);

    /// <inheritdoc/>
    UpdateResult IOutOfSequenceUpdate.UpdateOutOfSequence(Track track, double lag, bool updatedSince, in DetectionMeasurementModel model, Vec3 measurement) =>
        OutOfSequenceUpdate.Update(_model, ref track.StateBuffer, lag, updatedSince, model, measurement);

    /// <inheritdoc/>
    public void UpdateMixture(Track track, double missedWeight, ReadOnlySpan<WeightedMeasurement> hypotheses, in AssociationParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(track);
        var pda = ProbabilisticDataAssociation.Begin(track.StateBuffer, missedWeight);
        foreach (ref readonly var h in hypotheses)
        {
            var updated = track.StateBuffer;
            KalmanUpdater.Update(h.Model, ref updated, h.Measurement);
            pda.Add(h.Weight, updated);
        }

        pda.Finish(ref track.StateBuffer);
    }
}
