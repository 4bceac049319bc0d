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
/// <see cref="ProbabilisticDataAssociation"/>.
/// </remarks>
/// <typeparam name="TModel">The transition model, e.g. <see cref="NearlyConstantVelocity"/>.</typeparam>
public sealed class KalmanTrackEstimator<TModel> : ITrackEstimator
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
    public void Predict(Track track, double dt) => KalmanPredictor.Predict(_model, ref track.StateBuffer, dt);

    /// <inheritdoc/>
    public UpdateResult Evaluate(Track track, in DetectionMeasurementModel model, Vec3 measurement) =>
        KalmanUpdater.Evaluate(model, track.StateBuffer, measurement);

    /// <inheritdoc/>
    public UpdateResult Update(Track track, in DetectionMeasurementModel model, Vec3 measurement) =>
        KalmanUpdater.Update(model, ref track.StateBuffer, measurement);

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
