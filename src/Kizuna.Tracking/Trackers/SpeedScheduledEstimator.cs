using Kizuna.Core;
using Kizuna.Tracking.Association;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Types;
using Kizuna.Tracking.Updaters;

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
/// level: surface candidates, tracked under a surface hypothesis (predicted with the surface q and held in
/// height and vertical velocity after each prediction and update, the confirming update included) and an
/// unconstrained air hypothesis, whose probabilities follow each update's likelihoods; the decided one is
/// reported (see <see cref="SurfaceTrackModel"/>, "Revocable hold").
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
    public void Initialise(Track track, in GaussianState initial)
    {
        _slow.Initialise(track, initial);
        if (track.SurfaceBuffer is { } h)
        {
            h.Active = false;
        }
    }

    /// <inheritdoc/>
    public void Predict(Track track, double dt)
    {
        if (track.SurfaceBuffer is { Active: true } h)
        {
            // A surface candidate: both hypotheses with the same process noise (the surface q while held,
            // the slow q once released), so their likelihoods differ by the height constraint only.
            var surface = _surface!;
            var q = h.Held ? surface.ProcessNoise : _slow.Model.SpectralDensity;
            KalmanTrackEstimator<Models.Transition.NearlyConstantVelocity>.PredictNearlyConstantVelocity(ref h.Surface, q, dt);
            var up = SurfaceTrackModel.UpAndHeight(h.Surface.Position, out var height);
            surface.Constrain(ref h.Surface, up, height);
            KalmanTrackEstimator<Models.Transition.NearlyConstantVelocity>.PredictNearlyConstantVelocity(ref h.Air, q, dt);
            surface.PredictOdds(h);
            surface.Report(h, ref track.StateBuffer);
        }
        else if (track.Velocity.NormSquared >= SpeedThreshold * SpeedThreshold)
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
        if (track.SurfaceBuffer is { Active: true } h)
        {
            var before = SurfaceTrackModel.VerticalVariance(h.Air);
            var surface = KalmanUpdater.Update(model, ref h.Surface, measurement);
            var air = KalmanUpdater.Update(model, ref h.Air, measurement);
            var reported = h.Held ? surface : air;
            _surface!.AddEvidence(h, surface.LogLikelihood, air.LogLikelihood, before);
            Conclude(track, h);
            return reported;
        }

        var result = _slow.Update(track, model, measurement);
        HoldOnSurface(track);
        return result;
    }

    /// <inheritdoc/>
    public void UpdateMixture(Track track, double missedWeight, ReadOnlySpan<WeightedMeasurement> hypotheses, in AssociationParameters parameters)
    {
        if (track.SurfaceBuffer is { Active: true } h)
        {
            var before = SurfaceTrackModel.VerticalVariance(h.Air);
            var surface = MixtureUpdate(ref h.Surface, missedWeight, hypotheses, parameters);
            var air = MixtureUpdate(ref h.Air, missedWeight, hypotheses, parameters);
            _surface!.AddEvidence(h, surface, air, before);
            Conclude(track, h);
            return;
        }

        _slow.UpdateMixture(track, missedWeight, hypotheses, parameters);
        HoldOnSurface(track);
    }

    /// <inheritdoc/>
    void ITrackConfirmationObserver.Confirmed(Track track) => HoldOnSurface(track);

    /// <summary>
    /// PDA combined update of one hypothesis' estimate (<see cref="ProbabilisticDataAssociation"/>); returns its
    /// likelihood ln Λ = ln[(1 − P_D P_G) + Σᵢ (P_D / λ) N(νᵢ; 0, Sᵢ)] (Bar-Shalom, Willett &amp; Tian 2011 §3.4).
    /// </summary>
    private static double MixtureUpdate(ref GaussianState state, double missedWeight, ReadOnlySpan<WeightedMeasurement> hypotheses, in AssociationParameters parameters)
    {
        var logMiss = parameters.LogMissWeight;
        var logDet = parameters.LogDetectionWeight;
        var pda = ProbabilisticDataAssociation.Begin(state, missedWeight);
        var m = logMiss;
        foreach (ref readonly var h in hypotheses)
        {
            var u = KalmanUpdater.Evaluate(h.Model, state, h.Measurement);
            if (u.IsValid)
            {
                m = Math.Max(m, logDet + u.LogLikelihood);
            }
        }

        var sum = Math.Exp(logMiss - m);
        foreach (ref readonly var h in hypotheses)
        {
            var updated = state;
            var u = KalmanUpdater.Update(h.Model, ref updated, h.Measurement);
            pda.Add(h.Weight, updated);
            if (u.IsValid)
            {
                sum += Math.Exp(logDet + u.LogLikelihood - m);
            }
        }

        pda.Finish(ref state);
        return m + Math.Log(sum);
    }

    /// <summary>
    /// After a candidate's update: the decision (or the end of the candidacy when the speed refutes the
    /// surface), the pseudo-measurement on the surface hypothesis, and the report (see <see cref="SurfaceTrackModel"/>).
    /// </summary>
    private void Conclude(Track track, SurfaceHypotheses h)
    {
        var surface = _surface!;
        var up = SurfaceTrackModel.UpAndHeight(h.Surface.Position, out var height);
        if (!surface.Decide(h, up))
        {
            h.Active = false;
            h.Air.CopyLeadingTo(ref track.StateBuffer);
            return;
        }

        surface.Constrain(ref h.Surface, up, height);
        surface.Report(h, ref track.StateBuffer);
    }

    /// <summary>A track that is not a candidate becomes one when it passes the surface test (see <see cref="SurfaceTrackModel"/>).</summary>
    private void HoldOnSurface(Track track)
    {
        if (_surface is not null && _surface.IsSurface(track, out var up, out var height))
        {
            var h = track.SurfaceBuffer ??= new SurfaceHypotheses();
            _surface.Open(h, track.StateBuffer);
            _surface.Constrain(ref h.Surface, up, height);
            _surface.Report(h, ref track.StateBuffer);
        }
    }
}
