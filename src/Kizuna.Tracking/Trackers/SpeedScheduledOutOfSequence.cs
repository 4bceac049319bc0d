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
/// (fast, surface or slow, chosen from the current state the same way). Late plots of a surface candidate
/// (a track under the revocable surface hold's two hypotheses) are refused: a named gap.
/// </summary>
internal sealed class SpeedScheduledOutOfSequence(double slowDensity, double fastDensity, double speedThreshold, SurfaceTrackModel? surface) : IOutOfSequenceUpdate
{
    private readonly NearlyConstantVelocity _slow = new(slowDensity);
    private readonly NearlyConstantVelocity _fast = new(fastDensity);
    private readonly NearlyConstantVelocity _surfaceModel = new(surface?.ProcessNoise ?? slowDensity);

    /// <inheritdoc/>
    public UpdateResult EvaluateOutOfSequence(Track track, double lag, bool updatedSince, in DetectionMeasurementModel model, Vec3 measurement) =>
        IsSurfaceCandidate(track)
            ? UpdateResult.Invalid(model.Dimension)
            : OutOfSequenceUpdate.Evaluate(ModelFor(track), track.State, lag, updatedSince, model, measurement);

    /// <inheritdoc/>
    public UpdateResult UpdateOutOfSequence(Track track, double lag, bool updatedSince, in DetectionMeasurementModel model, Vec3 measurement)
    {
        if (IsSurfaceCandidate(track))
        {
            return UpdateResult.Invalid(model.Dimension);
        }

        // A track that is not a surface candidate: the plain update; if it now passes the surface
        // test, the estimator's next in-sequence update opens the two hypotheses (SurfaceTrackModel).
        var state = track.State;
        var result = OutOfSequenceUpdate.Update(ModelFor(track), ref state, lag, updatedSince, model, measurement);
        track.StoreState(state);
        return result;
    }

    /// <summary>
    /// A surface candidate carries two hypotheses (surface-held and air, <see cref="SurfaceTrackModel"/>);
    /// a retrodicted update of both is not built, so its late plots are refused (the tracker counts them
    /// as rejected late).
    /// </summary>
    private static bool IsSurfaceCandidate(Track track) => track.SurfaceBuffer is { Active: true };

    private NearlyConstantVelocity ModelFor(Track track) =>
        track.Velocity.NormSquared >= speedThreshold * speedThreshold ? _fast
        : surface is not null && surface.IsSurface(track, out _, out _) ? _surfaceModel
        : _slow;
}
