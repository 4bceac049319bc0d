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
            track.StoreState(initial);
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

        track.StoreState(s);
    }

    /// <inheritdoc/>
    bool IPositionInitialisation.IsAvailable => _model.Dimension == 6;

    /// <inheritdoc/>
    /// <remarks>Writes the track's compact store directly (mean and 6×6 block, stride 6).</remarks>
    void IPositionInitialisation.InitialisePosition(Track track, Vec3 position, in Mat3 noise, double velocityVariance)
    {
        const int stride = Track.CompactStride;
        track.StateDimension = 6;
        var x = track.CompactMean;
        x[0] = position.X;
        x[1] = position.Y;
        x[2] = position.Z;
        x[3] = 0;
        x[4] = 0;
        x[5] = 0;
        // Every element of the 6×6 block written once: [R 0; 0 σ_v² I].
        var p = track.CompactCovariance;
        p[0] = noise.M00;
        p[1] = noise.M01;
        p[2] = noise.M02;
        p[stride] = noise.M10;
        p[stride + 1] = noise.M11;
        p[stride + 2] = noise.M12;
        p[2 * stride] = noise.M20;
        p[(2 * stride) + 1] = noise.M21;
        p[(2 * stride) + 2] = noise.M22;
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                p[(r * stride) + c + 3] = 0;
                p[((r + 3) * stride) + c] = 0;
                p[((r + 3) * stride) + c + 3] = r == c ? velocityVariance : 0;
            }
        }
    }

    /// <inheritdoc/>
    public void Predict(Track track, double dt)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (typeof(TModel) == typeof(NearlyConstantVelocity) && track.StateDimension == 6)
        {
            PredictNearlyConstantVelocity<Stride6>(track.CompactMean, track.CompactCovariance, ((NearlyConstantVelocity)(object)_model).SpectralDensity, dt);
        }
        else
        {
            var s = track.State;
            KalmanPredictor.Predict(_model, ref s, dt);
            track.StoreState(s);
        }
    }

    /// <summary>
    /// The Kalman prediction for <see cref="NearlyConstantVelocity"/> in closed form, in place:
    /// with F = [I ΔtI; 0 I], F P Fᵀ is "row i += Δt row i+3, then column i += Δt column i+3" for
    /// i = 0, 1, 2, followed by + Q(Δt) (Bar-Shalom, Li &amp; Kirubarajan 2001, eqs. 6.2.2-12/13). The same
    /// result as <see cref="KalmanPredictor"/> (a test checks it) at ~1/10 of the cost, because the
    /// tracker predicts every track every frame and this is its hottest loop.
    /// </summary>
    internal static void PredictNearlyConstantVelocity(ref GaussianState state, double q, double dt) =>
        PredictNearlyConstantVelocity<Stride9>(state.Mean, state.Covariance, q, dt);

    /// <summary>
    /// <see cref="PredictNearlyConstantVelocity(ref GaussianState, double, double)"/> on a 6-D mean and a
    /// covariance of row stride <typeparamref name="TStride"/> (a <see cref="GaussianState"/> or a track's
    /// compact store): the same operations in the same order, so the same result bit for bit.
    /// </summary>
    internal static void PredictNearlyConstantVelocity<TStride>(Span<double> mean, Span<double> p, double q, double dt)
        where TStride : struct, IMatrixStride
    {
        var s = TStride.Value;
        for (var i = 0; i < 3; i++)
        {
            mean[i] += dt * mean[i + 3];
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

        Dense.Symmetrize<TStride>(p, 6);
    }

    /// <inheritdoc/>
    public UpdateResult Evaluate(Track track, in DetectionMeasurementModel model, Vec3 measurement) =>
        KalmanUpdater.Evaluate(model, track.State, measurement);

    /// <inheritdoc/>
    public UpdateResult Update(Track track, in DetectionMeasurementModel model, Vec3 measurement)
    {
        var s = track.State;
        var result = KalmanUpdater.Update(model, ref s, measurement);
        track.StoreState(s);
        return result;
    }

    /// <inheritdoc/>
    void IPositionUpdate.UpdatePosition(Track track, MeasurementKind kind, Vec3 measurement, in Mat3 noise)
    {
        if (track.IsCompact)
        {
            KalmanUpdater.UpdatePosition<Stride6>(track.CompactMean, track.CompactCovariance, track.StateDimension, measurement, noise);
            return;
        }

        var s = track.State;
        KalmanUpdater.UpdatePosition(ref s, measurement, noise);
        track.StoreState(s);
    }

    /// <inheritdoc/>
    UpdateResult IOutOfSequenceUpdate.EvaluateOutOfSequence(Track track, double lag, bool updatedSince, in DetectionMeasurementModel model, Vec3 measurement) =>
        OutOfSequenceUpdate.Evaluate(_model, track.State, lag, updatedSince, model, measurement);

    /// <inheritdoc/>
    UpdateResult IOutOfSequenceUpdate.UpdateOutOfSequence(Track track, double lag, bool updatedSince, in DetectionMeasurementModel model, Vec3 measurement)
    {
        var s = track.State;
        var result = OutOfSequenceUpdate.Update(_model, ref s, lag, updatedSince, model, measurement);
        track.StoreState(s);
        return result;
    }

    /// <inheritdoc/>
    public void UpdateMixture(Track track, double missedWeight, ReadOnlySpan<WeightedMeasurement> hypotheses, in AssociationParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(track);
        var prior = track.State;
        var pda = ProbabilisticDataAssociation.Begin(prior, missedWeight);
        foreach (ref readonly var h in hypotheses)
        {
            var updated = prior;
            KalmanUpdater.Update(h.Model, ref updated, h.Measurement);
            pda.Add(h.Weight, updated);
        }

        pda.Finish(ref prior);
        track.StoreState(prior);
    }
}
