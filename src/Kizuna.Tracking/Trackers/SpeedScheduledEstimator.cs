using System.Runtime.CompilerServices;
using Kizuna.Core;
using Kizuna.Tracking.Association;
using Kizuna.Tracking.LinearAlgebra;
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
/// <para><b>Boost hypothesis (fast tracks, range-rate plots).</b> A boosting missile accelerates at 30–100 m/s²
/// (the default scenario's SRBMs reach 9.5 g at burnout), far beyond what q_fast (≈ 14 m/s² over 5 s) covers.
/// Position plots tolerate the mismatch (the lag ½aT² ≈ 1 km at 5 s is of the order of the cross-range σ of a
/// long-range radar), but a measured ṙ does not: its innovation is the radial Δv = a_r T (50–450 m/s over a 5 s
/// revisit) against σ_ṙ = 3 m/s, so the 4-D gate refuses the plots and the track starves while new tracks start
/// (docs/benchmarks.md, "Ballistic regression with Doppler"). For a fast track, each range-rate plot is
/// therefore also evaluated under a boost hypothesis: the same track as if it had flown the time τ since the
/// last range-rate update from the same sensor with q_boost instead of q_fast,
/// P_b = P + (q_boost − q_fast) Q₁(τ), Q₁(τ) = [τ³/3 I, τ²/2 I; τ²/2 I, τ I] (the continuous white-noise
/// acceleration Q is linear in q and composes over consecutive intervals, Bar-Shalom, Li &amp; Kirubarajan 2001
/// §6.2.2). The hypothesis with the larger prior-weighted likelihood,
/// max{(1 − π_b) N(ν; 0, S), π_b N(ν_b; 0, S_b)}, is the one gated and, on update, applied: a discrete
/// two-level process noise switched by the measurement itself (BLK 2001 §11.2.2, "adjustable level process
/// noise", decided per update as the IMM decides its mode, §11.6). τ is per sensor because the radars of a
/// picture interleave: after another radar's update 0.25 s earlier the velocity along this radar's line of
/// sight has still been predicted for its full revisit. With other updates in between, P_b over-counts the
/// uncertainty they removed (conservative). Slow tracks never get it (a 240 m/s cruise-missile trail 1.2 km
/// apart must keep its tight gate), nor do plots without ṙ, so position-only paths are unchanged. With JPDA the
/// decision of the most probable range-rate hypothesis applies to the whole mixture. The out-of-sequence
/// companion (<see cref="SpeedScheduledOutOfSequence"/>) does not use it.</para>
/// </remarks>
public sealed class SpeedScheduledEstimator : ITrackEstimator, ITrackConfirmationObserver
{
    private readonly KalmanTrackEstimator<Models.Transition.NearlyConstantVelocity> _slow;
    private readonly KalmanTrackEstimator<Models.Transition.NearlyConstantVelocity> _fast;
    private readonly KalmanTrackEstimator<Models.Transition.NearlyConstantVelocity>? _surfacePredictor;
    private readonly SurfaceTrackModel? _surface;
    private readonly double _boostDensity;
    private readonly ConditionalWeakTable<Track, DopplerRevisits> _revisits = [];

    /// <summary>Prior probability π_b of the boost hypothesis on a fast track's range-rate plot.</summary>
    public const double BoostPrior = 0.05;

    /// <summary>Creates the estimator.</summary>
    /// <param name="slowDensity">q for slow tracks (m²/s³).</param>
    /// <param name="fastDensity">q for fast tracks (m²/s³).</param>
    /// <param name="speedThreshold">Speed from which a track counts as fast (m/s).</param>
    /// <param name="surface">Surface-track treatment (ECEF tracks only), or null for none.</param>
    /// <param name="boostDensity">q_boost (m²/s³) of the boost hypothesis for fast tracks' range-rate plots (see remarks); 0 (or ≤ <paramref name="fastDensity"/>) disables it.</param>
    public SpeedScheduledEstimator(double slowDensity, double fastDensity, double speedThreshold, SurfaceTrackModel? surface = null, double boostDensity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speedThreshold);
        ArgumentOutOfRangeException.ThrowIfNegative(boostDensity);
        _boostDensity = boostDensity;
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

    /// <summary>q_boost (m²/s³) of the boost hypothesis (0: none).</summary>
    public double BoostDensity => _boostDensity;

    /// <inheritdoc/>
    public void Initialise(Track track, in GaussianState initial)
    {
        _slow.Initialise(track, initial);
        if (_revisits.TryGetValue(track, out var revisits))
        {
            revisits.Clear();
        }

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
            surface.Report(h, track);
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
    public UpdateResult Evaluate(Track track, in DetectionMeasurementModel model, Vec3 measurement)
    {
        var result = _slow.Evaluate(track, model, measurement);
        if (BoostApplies(track, model, out var tau))
        {
            var boosted = track.State;
            AddBoostNoise(ref boosted, tau);
            var boost = KalmanUpdater.Evaluate(model, boosted, measurement);
            if (PrefersBoost(result, boost))
            {
                return boost;
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public UpdateResult Update(Track track, in DetectionMeasurementModel model, Vec3 measurement)
    {
        if (model.HasRangeRate)
        {
            if (BoostApplies(track, model, out var tau))
            {
                var boosted = track.State;
                AddBoostNoise(ref boosted, tau);
                if (PrefersBoost(_slow.Evaluate(track, model, measurement), KalmanUpdater.Evaluate(model, boosted, measurement)))
                {
                    track.StoreState(boosted);
                }
            }

            _revisits.GetValue(track, static _ => new DopplerRevisits()).Record(model.RangeRate.SensorEcef, track.Time);
        }

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

        BoostForMixture(track, hypotheses);
        _slow.UpdateMixture(track, missedWeight, hypotheses, parameters);
        HoldOnSurface(track);
    }

    /// <summary>
    /// JPDA: the boost decision of the most probable range-rate hypothesis applies to the whole mixture (one
    /// covariance for all its members), so a plot gated under the boost hypothesis is also updated under it; every
    /// range-rate hypothesis' sensor is recorded as updating the track.
    /// </summary>
    private void BoostForMixture(Track track, ReadOnlySpan<WeightedMeasurement> hypotheses)
    {
        var best = -1;
        for (var i = 0; i < hypotheses.Length; i++)
        {
            if (hypotheses[i].Model.HasRangeRate && (best < 0 || hypotheses[i].Weight > hypotheses[best].Weight))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            return;
        }

        ref readonly var h = ref hypotheses[best];
        if (BoostApplies(track, h.Model, out var tau))
        {
            var boosted = track.State;
            AddBoostNoise(ref boosted, tau);
            if (PrefersBoost(_slow.Evaluate(track, h.Model, h.Measurement), KalmanUpdater.Evaluate(h.Model, boosted, h.Measurement)))
            {
                track.StoreState(boosted);
            }
        }

        var revisits = _revisits.GetValue(track, static _ => new DopplerRevisits());
        foreach (ref readonly var w in hypotheses)
        {
            if (w.Model.HasRangeRate)
            {
                revisits.Record(w.Model.RangeRate.SensorEcef, track.Time);
            }
        }
    }

    /// <summary>
    /// True when <paramref name="model"/> is a range-rate plot for a fast, unconstrained 6-D track and the boost level
    /// is on; <paramref name="tau"/> = τ, the time since the track's last range-rate update from the same sensor
    /// (since its creation when there was none).
    /// </summary>
    private bool BoostApplies(Track track, in DetectionMeasurementModel model, out double tau)
    {
        tau = 0;
        if (!model.HasRangeRate || _boostDensity <= _fast.Model.SpectralDensity || track.StateDimension != 6
            || track.SurfaceBuffer is { Active: true } || track.Velocity.NormSquared < SpeedThreshold * SpeedThreshold)
        {
            return false;
        }

        var since = _revisits.TryGetValue(track, out var revisits) && revisits.TryLast(model.RangeRate.SensorEcef, out var last) ? last : track.Created;
        tau = (track.Time - since).TotalSeconds;
        return tau > 0;
    }

    /// <summary>P += (q_boost − q_fast) Q₁(τ) (see remarks).</summary>
    private void AddBoostNoise(ref GaussianState state, double tau)
    {
        const int s = StateMatrix.Stride;
        var dq = _boostDensity - _fast.Model.SpectralDensity;
        var tau2 = tau * tau;
        var pp = dq * tau2 * tau / 3;
        var pv = dq * tau2 / 2;
        var vv = dq * tau;
        Span<double> p = state.Covariance;
        for (var i = 0; i < 3; i++)
        {
            p[(i * s) + i] += pp;
            p[(i * s) + i + 3] += pv;
            p[((i + 3) * s) + i] += pv;
            p[((i + 3) * s) + i + 3] += vv;
        }
    }

    /// <summary>ln π_b + ln N_b &gt; ln(1 − π_b) + ln N (see remarks); false when the boost evaluation is invalid.</summary>
    private static bool PrefersBoost(in UpdateResult nominal, in UpdateResult boost) =>
        boost.IsValid && (!nominal.IsValid || Math.Log(BoostPrior) + boost.LogLikelihood > Math.Log(1 - BoostPrior) + nominal.LogLikelihood);

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
            track.StoreState(h.Air);
            return;
        }

        surface.Constrain(ref h.Surface, up, height);
        surface.Report(h, track);
    }

    /// <summary>A track that is not a candidate becomes one when it passes the surface test (see <see cref="SurfaceTrackModel"/>).</summary>
    private void HoldOnSurface(Track track)
    {
        if (_surface is not null && _surface.IsSurface(track, out var up, out var height))
        {
            var h = track.SurfaceBuffer ??= new SurfaceHypotheses();
            _surface.Open(h, track.State);
            _surface.Constrain(ref h.Surface, up, height);
            _surface.Report(h, track);
        }
    }
}

/// <summary>
/// Per track: the time of the last range-rate update from each of up to <see cref="Capacity"/> sensors, keyed by the
/// sensor's ECEF position (the oldest entry makes room). Allocated once per pooled track object.
/// </summary>
internal sealed class DopplerRevisits
{
    /// <summary>Sensors remembered per track.</summary>
    public const int Capacity = 6;

    private readonly Vec3[] _sensors = new Vec3[Capacity];
    private readonly DateTime[] _times = new DateTime[Capacity];
    private int _count;

    /// <summary>Forgets every sensor.</summary>
    public void Clear() => _count = 0;

    /// <summary>The last update time from the sensor at <paramref name="sensor"/>.</summary>
    public bool TryLast(Vec3 sensor, out DateTime time)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_sensors[i] == sensor)
            {
                time = _times[i];
                return true;
            }
        }

        time = default;
        return false;
    }

    /// <summary>Records an update from the sensor at <paramref name="sensor"/> at <paramref name="time"/>.</summary>
    public void Record(Vec3 sensor, DateTime time)
    {
        var oldest = 0;
        for (var i = 0; i < _count; i++)
        {
            if (_sensors[i] == sensor)
            {
                _times[i] = time;
                return;
            }

            if (_times[i] < _times[oldest])
            {
                oldest = i;
            }
        }

        var slot = _count < Capacity ? _count++ : oldest;
        _sensors[slot] = sensor;
        _times[slot] = time;
    }
}
