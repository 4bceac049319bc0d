using Kizuna.Core;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.Types;
using Kizuna.Tracking.Updaters;

namespace Kizuna.Tracking.Trackers;

/// <summary>
/// The out-of-sequence update of a <see cref="SpeedScheduledEstimator"/>'s tracks, as a companion the
/// tracker is given by <see cref="TrackerSettings.Build"/> (that estimator does not implement
/// <see cref="IOutOfSequenceUpdate"/> itself): <see cref="OutOfSequenceUpdate"/> with the
/// nearly-constant-velocity model of the density the estimator's prediction would use for the track
/// (fast, surface or slow, chosen from the current state the same way), then the surface hold after
/// the update, as after the estimator's own updates.
/// </summary>
internal sealed class SpeedScheduledOutOfSequence(double slowDensity, double fastDensity, double speedThreshold, SurfaceTrackModel? surface) : IOutOfSequenceUpdate
{
    private readonly NearlyConstantVelocity _slow = new(slowDensity);
    private readonly NearlyConstantVelocity _fast = new(fastDensity);
    private readonly NearlyConstantVelocity _surfaceModel = new(surface?.ProcessNoise ?? slowDensity);

    /// <inheritdoc/>
    public UpdateResult EvaluateOutOfSequence(Track track, double lag, bool updatedSince, in DetectionMeasurementModel model, Vec3 measurement) =>
        OutOfSequenceUpdate.Evaluate(ModelFor(track), track.StateBuffer, lag, updatedSince, model, measurement);

    /// <inheritdoc/>
    public UpdateResult UpdateOutOfSequence(Track track, double lag, bool updatedSince, in DetectionMeasurementModel model, Vec3 measurement)
    {
        var result = OutOfSequenceUpdate.Update(ModelFor(track), ref track.StateBuffer, lag, updatedSince, model, measurement);
        if (result.IsValid && surface is not null && surface.IsSurface(track, out var up, out var height))
        {
            surface.Constrain(track, up, height);
        }

        return result;
    }

    private NearlyConstantVelocity ModelFor(Track track) =>
        track.Velocity.NormSquared >= speedThreshold * speedThreshold ? _fast
        : surface is not null && surface.IsSurface(track, out _, out _) ? _surfaceModel
        : _slow;
}
