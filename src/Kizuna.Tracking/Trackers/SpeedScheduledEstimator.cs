using Kizuna.Core;
using Kizuna.Tracking.Association;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Trackers;

/// <summary>
/// A nearly-constant-velocity filter whose process noise is scheduled on the track's speed: slow
/// tracks (aircraft, ships) use <c>slow</c>, fast tracks (ballistic missiles, ≳ Mach 1.5) use the
/// larger <c>fast</c> density, which absorbs gravity and drag (≈ 10 m/s² and more) that a
/// nearly-constant-velocity model does not represent. A cheap alternative to an IMM for mixed
/// air-breathing / ballistic pictures.
/// </summary>
/// <remarks>
/// Prediction: x⁺ = F x, P⁺ = F P Fᵀ + Q(q, dt) with the NCV F and Q of
/// <see cref="Models.Transition.NearlyConstantVelocity"/>, q = q_fast when ‖v‖ ≥ v_threshold else
/// q_slow (a two-level adaptive process noise, cf. Bar-Shalom, Li &amp; Kirubarajan 2001 §11.2,
/// "adjustable level process noise"). Updates are those of the Kalman/EKF estimator.
/// With a <see cref="SurfaceTrackModel"/> (ECEF only), confirmed slow tracks at the sea surface form a third
/// level: predicted with the surface q and held on the surface by a height pseudo-measurement after each
/// update, the confirming one included (see <see cref="SurfaceTrackModel"/>).
/// </remarks>
public sealed class SpeedScheduledEstimator : ITrackEstimator, ITrackConfirmationObserver
{
    private readonly KalmanTrackEstimator<Models.Transition.NearlyConstantVelocity> _slow;
    private readonly KalmanTrackEstimator<Models.Transition.NearlyConstantVelocity> _fast;
    private readonly KalmanTrackEstimator<Models.Transition.NearlyConstantVelocity>? _surfacePredictor;
    private readonly SurfaceTrackModel? _surface;

    /// <summary>Creates the estimator.</summary>
    /// <param name="slowDensity">q for slow tracks (m²/s³).</param>
    /// <param name="fastDensity">q for fast tracks (m²/s³).</param>
    /// <param name="speedThreshold">Speed from which a track counts as fast (m/s).</param>
    /// <param name="surface">Surface-track treatment (ECEF tracks only), or null for none.</param>
    public SpeedScheduledEstimator(double slowDensity, double fastDensity, double speedThreshold, SurfaceTrackModel? surface = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speedThreshold);
        _slow = new(new Models.Transition.NearlyConstantVelocity(slowDensity));
        _fast = new(new Models.Transition.NearlyConstantVelocity(fastDensity));
        SpeedThreshold = speedThreshold;
        if (surface is not null)
        {
            surface.Validate();
            _surface = surface;
            _surfacePredictor = new(new Models.Transition.NearlyConstantVelocity(surface.ProcessNoise));
        }
    }

    /// <summary>The surface-track treatment, or null.</summary>
    public SurfaceTrackModel? Surface => _surface;

    /// <summary>Speed from which the fast density applies (m/s).</summary>
    public double SpeedThreshold { get; }

    /// <inheritdoc/>
    public void Initialise(Track track, in GaussianState initial) => _slow.Initialise(track, initial);

    /// <inheritdoc/>
    public void Predict(Track track, double dt)
    {
        if (track.Velocity.NormSquared >= SpeedThreshold * SpeedThreshold)
        {
            _fast.Predict(track, dt);
        }
        else if (_surface is not null && _surface.IsSurface(track, out _, out _))
        {
            _surfacePredictor!.Predict(track, dt);
        }
        else
        {
            _slow.Predict(track, dt);
        }
    }

    /// <inheritdoc/>
    public UpdateResult Evaluate(Track track, in DetectionMeasurementModel model, Vec3 measurement) => _slow.Evaluate(track, model, measurement);

    /// <inheritdoc/>
    public UpdateResult Update(Track track, in DetectionMeasurementModel model, Vec3 measurement)
    {
        var result = _slow.Update(track, model, measurement);
        HoldOnSurface(track);
        return result;
    }

    /// <inheritdoc/>
    public void UpdateMixture(Track track, double missedWeight, ReadOnlySpan<WeightedMeasurement> hypotheses, in AssociationParameters parameters)
    {
        _slow.UpdateMixture(track, missedWeight, hypotheses, parameters);
        HoldOnSurface(track);
    }

    /// <inheritdoc/>
    void ITrackConfirmationObserver.Confirmed(Track track) => HoldOnSurface(track);

    private void HoldOnSurface(Track track)
    {
        if (_surface is not null && _surface.IsSurface(track, out var up, out var height))
        {
            _surface.Constrain(track, up, height);
        }
    }
}
