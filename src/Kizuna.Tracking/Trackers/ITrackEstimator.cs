using Kizuna.Core;
using Kizuna.Tracking.Association;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Trackers;

/// <summary>A detection's measurement model, measurement vector and association weight β.</summary>
/// <param name="Model">The measurement model of the detection.</param>
/// <param name="Measurement">The measurement vector (as returned by <see cref="DetectionMeasurementModel.FromDetection(in Detection, out Vec3)"/>).</param>
/// <param name="Weight">β_td.</param>
public readonly record struct WeightedMeasurement(DetectionMeasurementModel Model, Vec3 Measurement, double Weight);

/// <summary>
/// The per-track filter role: predicts, evaluates (for gating) and updates the state of a
/// <see cref="Track"/>. A tracker holds one estimator for all tracks; per-track data lives in the
/// track (<see cref="Track.State"/>, <see cref="Track.Imm"/>). Implementations are allocation-free
/// after a pooled track's first use.
/// </summary>
public interface ITrackEstimator
{
    /// <summary>Starts <paramref name="track"/> from a 6-D position/velocity estimate.</summary>
    void Initialise(Track track, in GaussianState initial);

    /// <summary>Predicts <paramref name="track"/> forward by <paramref name="dt"/> seconds.</summary>
    void Predict(Track track, double dt);

    /// <summary>Innovation statistics of a detection against the predicted track (no update).</summary>
    UpdateResult Evaluate(Track track, in DetectionMeasurementModel model, Vec3 measurement);

    /// <summary>Updates the track with one detection.</summary>
    UpdateResult Update(Track track, in DetectionMeasurementModel model, Vec3 measurement);

    /// <summary>PDA combined update with missed weight β₀ and weighted detections (Σ β = 1).</summary>
    void UpdateMixture(Track track, double missedWeight, ReadOnlySpan<WeightedMeasurement> hypotheses, in AssociationParameters parameters);
}

/// <summary>
/// Marks an estimator whose <see cref="ITrackEstimator.Evaluate"/> is exactly
/// <see cref="Updaters.KalmanUpdater.Evaluate{TMeas}"/> on <see cref="Track.State"/>, so the tracker may
/// gate position measurements from its own compact copy of the predicted position and covariance
/// without calling the estimator (same statistics, no track-object access per candidate pair).
/// </summary>
internal interface IStateBufferGating;

/// <summary>
/// An estimator that can take a position detection's update from the tracker's compact copy of z and
/// R: <see cref="UpdatePosition"/> gives exactly what <see cref="ITrackEstimator.Update"/> gives with
/// the detection's <see cref="DetectionMeasurementModel"/>, without reading that ~350-byte model.
/// </summary>
internal interface IPositionUpdate
{
    /// <summary>
    /// <see cref="ITrackEstimator.Update"/> with the model of a position detection of kind
    /// <paramref name="kind"/>, measurement <paramref name="measurement"/> and noise covariance <paramref name="noise"/>.
    /// </summary>
    void UpdatePosition(Track track, MeasurementKind kind, Vec3 measurement, in Mat3 noise);
}

/// <summary>
/// An estimator that can start a track from a position detection's p and R directly: the state
/// <see cref="InitialisePosition"/> leaves is exactly the one <see cref="ITrackEstimator.Initialise"/>
/// leaves with <see cref="Initiators.SinglePointInitiator"/>'s x₀ = [p, 0], P₀ = blockdiag(R, σ_v² I),
/// without building and copying a full 9×9-capacity <see cref="GaussianState"/> per new track.
/// </summary>
internal interface IPositionInitialisation
{
    /// <summary>False when this estimator's configuration has no such direct form (then the tracker uses the initiator).</summary>
    bool IsAvailable { get; }

    /// <summary>Sets <paramref name="track"/>'s state to x₀ = [<paramref name="position"/>, 0], P₀ = blockdiag(<paramref name="noise"/>, <paramref name="velocityVariance"/> I).</summary>
    void InitialisePosition(Track track, Vec3 position, in Mat3 noise, double velocityVariance);
}

/// <summary>
/// An estimator that acts when the tracker confirms a track: the tracker calls <see cref="Confirmed"/>
/// right after the update that confirmed a track and before its quality is computed
/// (e.g. to hold a confirmed ship at the sea surface from its confirming update on; <see cref="SurfaceTrackModel"/>).
/// Not called for a track confirmed at initiation (its velocity is the initiation prior).
/// </summary>
internal interface ITrackConfirmationObserver
{
    /// <summary>Called once, after the update that confirmed <paramref name="track"/>.</summary>
    void Confirmed(Track track);
}

/// <summary>
/// An estimator that can update a track's <i>current</i> state with an out-of-sequence detection —
/// one older than the track's state — by retrodiction (<see cref="Updaters.OutOfSequenceUpdate"/>,
/// Bar-Shalom's Bl1; for the IMM per mode, <see cref="MultipleModel.InteractingMultipleModel.UpdateOutOfSequence{TMeas}(MultipleModel.ImmState, double, bool, in TMeas, Vec3)"/>).
/// The tracker checks for it; estimators without it keep rejecting late detections.
/// </summary>
internal interface IOutOfSequenceUpdate
{
    /// <summary>Innovation statistics of a detection <paramref name="lag"/> seconds older than the track's state, against the retrodicted state (no update).</summary>
    /// <param name="track">The track (state at <see cref="Track.Time"/>).</param>
    /// <param name="lag">Δ = track time − detection time (s); ≤ 0 for a detection at or after the track's time (ordinary predict and update).</param>
    /// <param name="updatedSince">False when no detection updated the track after the detection's time.</param>
    /// <param name="model">The detection's measurement model.</param>
    /// <param name="measurement">The measurement vector.</param>
    UpdateResult EvaluateOutOfSequence(Track track, double lag, bool updatedSince, in DetectionMeasurementModel model, Vec3 measurement);

    /// <summary>Updates the track's current state with the detection (parameters as <see cref="EvaluateOutOfSequence"/>); for <paramref name="lag"/> ≤ 0 the state is predicted to the detection's time first.</summary>
    UpdateResult UpdateOutOfSequence(Track track, double lag, bool updatedSince, in DetectionMeasurementModel model, Vec3 measurement);
}
