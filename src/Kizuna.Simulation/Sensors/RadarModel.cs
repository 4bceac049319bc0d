using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Simulation.Motion;
using Kizuna.Simulation.Scenario;

namespace Kizuna.Simulation.Sensors;

/// <summary>
/// A surface (ground site or ship) or airborne early-warning radar: rotating or electronically
/// scanned, refracted line of sight, Swerling 1 detection from the radar equation, Gaussian
/// range/azimuth/elevation noise and Poisson false alarms. The host may move (ship, AEW aircraft):
/// the antenna position and its ENU frame are evaluated at each detection time.
/// </summary>
/// <remarks>
/// <para><b>Timing.</b> A rotating antenna of period T turns clockwise from north starting at the
/// scan start s; a target at azimuth az is illuminated at t = s + az/(2π)·T. Because the target
/// (and the host) move during the scan, t is found by fixed-point iteration
/// t_{k+1} = s + az(t_k)/(2π)·T from t₀ = s, which converges with factor |daz/dt| / (2π/T) — under 0.05
/// for an aircraft at 250 m/s, 10 km from a 10 s radar — and stops after four steps or when the
/// update is below 1 µs. If the target's azimuth crosses north during the scan the iteration keeps the
/// last time before the wrap (the beam meets it either at the start or the end of the scan).
/// An electronically scanned radar reports all targets at the scan start.</para>
/// <para><b>Visibility.</b> Slant range ≤ R_max; geometric elevation in [el_min, el_max]; and the
/// target above the refracted radar horizon (<see cref="RadarHorizon.IsVisible"/>, 4/3-Earth model,
/// Skolnik 2001 §8.3) with antenna height = host ellipsoidal height + antenna height. Objects of kind
/// <see cref="ObjectKind.GroundSite"/> and <see cref="ObjectKind.Satellite"/> and the host itself
/// (recognised by the same <see cref="ITrajectory"/> instance) are skipped.</para>
/// <para><b>Detection.</b> P_d = P_fa^(1/(1+SNR̄)) with SNR̄ = SNR_ref·(σ̄/σ_ref)·(R_ref/R)⁴
/// (<see cref="RadarEquation"/>), or <see cref="SensorDefinition.FixedDetectionProbability"/> when set;
/// one uniform draw per visible target per scan (Swerling 1 decorrelates scan to scan).</para>
/// <para><b>Measurement.</b> z = (r, az, el) + w, w ~ N(0, R), R = diag(σ_r², σ_az², σ_el²), in the ENU frame
/// at the antenna (<see cref="MeasurementKind.RangeAzimuthElevation"/>); az is wrapped into [0, 2π).
/// This is the standard spherical radar measurement model (Y. Bar-Shalom, X. R. Li, T. Kirubarajan,
/// "Estimation with Applications to Tracking and Navigation", 2001, §10.4 / Stone Soup's
/// CartesianToElevationBearingRange). Elevation is geometric: no refraction bias is added.</para>
/// <para><b>False alarms.</b> N ~ Poisson(λ = ClutterPerScan) per scan, placed uniformly in area over the
/// coverage disc (r = R_max·√u, az = 2πu′, since the area density of r is 2r/R_max²), elevation uniform in
/// the lowest 2° of the coverage (surface and low-altitude clutter), timed like a real plot at that
/// azimuth. The values are drawn directly in measurement space; R is reported as for a true plot.
/// This matches Stone Soup's ClutterModel (Poisson count, uniform spatial density).</para>
/// <para><b>Alert–confirm (electronically scanned radars only).</b> A target detected in this scan but not
/// in the previous one is an alert; the radar spends a confirmation dwell on it
/// <see cref="ConfirmationDelay"/> = min(1 s, T/2) after the scan start, which is a second, independent
/// plot (own visibility test, own Swerling 1 draw, own noise). A phased array schedules such a dwell as
/// soon as a search detection is not explained by an existing track, to confirm it and to start the track
/// with a velocity (S. S. Blackman and R. Popoli, "Design and Analysis of Modern Tracking Systems", 1999,
/// ch. 15 "Phased-array radar": alert and confirmation dwells in track initiation; G. van Keuk and
/// S. S. Blackman, "On phased-array radar tracking and parameter control", IEEE Trans. AES 29(1), 1993).
/// Without it, a salvo flying in trail with a spacing equal to speed × revisit (6 cruise missiles 5 s apart
/// at 240 m/s seen by a 5 s radar) puts every plot of a scan exactly where the previous scan's plots were,
/// and no position-only tracker can tell the moving targets from stationary ones. Confirmation dwells on
/// false alarms are not modelled (they succeed with probability P_fa). Rotating radars cannot dwell.</para>
/// <para><b>Range rate (pulse-Doppler radars only, <see cref="SensorDefinition.RangeRateSigma"/> set).</b> The plot
/// also carries ṙ = (v_t − v_s)·û + w_ṙ, w_ṙ ~ N(0, σ_ṙ²), with p, v the ECEF positions and velocities of target
/// (t) and antenna (s, the host's velocity) at the plot time and û = (p_t − p_s)/|p_t − p_s| — the time
/// derivative of r = |p_t − p_s| (M. I. Skolnik, "Introduction to Radar Systems", 3rd ed., 2001, §3.1:
/// f_d = −2ṙ/λ; Bar-Shalom, Li &amp; Kirubarajan 2001 §10.4 for the kinematics). Velocities are Earth-fixed,
/// as the radar's Doppler is with respect to its own (Earth-fixed or compensated) platform motion; the
/// measured value is assumed unambiguous (a PRF-diverse waveform has resolved the folding), so it is not
/// folded. The noise is drawn after the three position draws, and only for Doppler radars, so radars
/// without σ_ṙ keep their random streams and scenarios without it are unchanged. <b>False alarms</b> get
/// ṙ uniform in [−v_u, v_u] (<see cref="SensorDefinition.UnambiguousRangeRate"/>): a pulse-Doppler radar's
/// clutter filter removes the stationary ground and sea returns around ṙ = 0, so the threshold crossings that
/// remain are noise and residues spread over every Doppler bin of the unambiguous interval (Skolnik 2001,
/// §3.9, "pulse Doppler radar"), not clustered at zero.</para>
/// <para>The detections of one scan are appended in time order. Not thread-safe: the engine scans one
/// sensor from one thread at a time.</para>
/// </remarks>
public sealed class RadarModel : ISensorModel
{
    /// <summary>Height of the elevation band in which false alarms are placed (rad): 2°.</summary>
    public const double ClutterElevationBand = 2 * Math.PI / 180;

    private const double TwoPi = 2 * Math.PI;
    private const int MaxTimingIterations = 4;
    private const double TimingTolerance = 1e-6;
    private const double OneTick = 1e-7;

    private static readonly Comparison<Detection> s_byTime = static (a, b) => a.Time.CompareTo(b.Time);

    private readonly SensorDefinition _definition;
    private readonly SensorSite _site;
    private readonly Mat3 _covariance;
    private readonly double _snrScale;
    private readonly double _logPfa;
    private readonly double _rangeRateSigma;
    private HashSet<int> _detectedLastScan = [];
    private HashSet<int> _detectedThisScan = [];
    private readonly List<SimObject> _alerts = [];

    /// <summary>Creates the radar on <paramref name="host"/>.</summary>
    /// <param name="definition">Parameters; type <see cref="SensorType.SurfaceRadar"/> or <see cref="SensorType.AirborneRadar"/>.</param>
    /// <param name="host">Trajectory of the platform carrying the radar.</param>
    /// <param name="index">The sensor's position in the scenario.</param>
    public RadarModel(SensorDefinition definition, ITrajectory host, int index)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(host);
        SensorValidation.ValidateCommon(definition);
        SensorValidation.ValidateRadar(definition);
        _definition = definition;
        Index = index;
        _site = new SensorSite(host, definition.AntennaHeight);
        _covariance = Mat3.Diagonal(
            definition.RangeSigma * definition.RangeSigma,
            definition.AzimuthSigma * definition.AzimuthSigma,
            definition.ElevationSigma * definition.ElevationSigma);

        // SNR̄(R) = snrScale · σ̄ / R⁴ with snrScale = SNR_ref · R_ref⁴ / σ_ref.
        var rr2 = definition.ReferenceRange * definition.ReferenceRange;
        _snrScale = RadarEquation.DecibelsToRatio(definition.ReferenceSnrDb) * rr2 * rr2 / definition.ReferenceRcs;
        _logPfa = Math.Log(definition.FalseAlarmProbability);
        _rangeRateSigma = definition.RangeRateSigma ?? 0;
    }

    /// <summary>True when the radar measures range rate (<see cref="SensorDefinition.RangeRateSigma"/> set).</summary>
    public bool MeasuresRangeRate => _rangeRateSigma > 0;

    /// <inheritdoc />
    public string Id => _definition.Id;

    /// <inheritdoc />
    public Nation Nation => _definition.Nation;

    /// <inheritdoc />
    public double RevisitPeriod => _definition.RevisitPeriod;

    /// <summary>The sensor's position in the scenario.</summary>
    public int Index { get; }

    /// <summary>The parameters.</summary>
    public SensorDefinition Definition => _definition;

    /// <summary>Detection probability of a target of mean cross-section <paramref name="rcsM2"/> at slant range <paramref name="rangeM"/>.</summary>
    public double DetectionProbability(double rangeM, double rcsM2)
    {
        if (_definition.FixedDetectionProbability is { } fixedPd)
        {
            return fixedPd;
        }

        var r2 = rangeM * rangeM;
        var snr = _snrScale * Math.Max(rcsM2, 0) / (r2 * r2);
        return Math.Exp(_logPfa / (1 + snr));
    }

    /// <inheritdoc />
    public void Scan(double scanStart, ScanContext context, List<Detection> output)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        var first = output.Count;
        var objects = context.Objects;
        var host = _site.Host;
        var d = _definition;

        for (var i = 0; i < objects.Count; i++)
        {
            var obj = objects[i];
            if (obj.Kind is ObjectKind.GroundSite or ObjectKind.Satellite || ReferenceEquals(obj.Trajectory, host))
            {
                continue;
            }

            if (!TryLocate(obj.Trajectory, scanStart, out var t, out var frame, out var targetEcef, out var polar))
            {
                continue;
            }

            if (!TryDetect(obj, t, frame, targetEcef, polar, context, output))
            {
                continue;
            }

            if (!d.Rotating)
            {
                _detectedThisScan.Add(obj.Id);
                if (!_detectedLastScan.Contains(obj.Id))
                {
                    _alerts.Add(obj);
                }
            }
        }

        // Electronically scanned: plots and false alarms at the scan start, then the confirmation dwells (in time order).
        AddFalseAlarms(scanStart, context, output);
        AddConfirmationDwells(scanStart, context, output);

        if (d.Rotating && output.Count - first > 1)
        {
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(output)[first..].Sort(s_byTime);
        }

        _alerts.Clear();
        (_detectedLastScan, _detectedThisScan) = (_detectedThisScan, _detectedLastScan);
        _detectedThisScan.Clear();
    }

    /// <summary>Delay of the confirmation dwell after an alert (s): 1 s, or half the revisit period if shorter.</summary>
    public double ConfirmationDelay => Math.Min(1.0, _definition.RevisitPeriod / 2);

    /// <summary>
    /// Visibility (range, elevation limits, refracted horizon), one Swerling 1 detection draw and, if
    /// detected, the noisy plot appended to <paramref name="output"/>.
    /// </summary>
    private bool TryDetect(SimObject obj, double t, in EnuFrame frame, Vec3 targetEcef, in RadarPolar polar, ScanContext context, List<Detection> output)
    {
        var d = _definition;
        var random = context.Random;
        if (polar.RangeM > d.MaxRange || polar.RangeM < 1 ||
            polar.ElevationRad < d.MinElevation || polar.ElevationRad > d.MaxElevation)
        {
            return false;
        }

        if (!RadarHorizon.IsVisible(frame.Origin, Wgs84.EcefToGeodetic(targetEcef)))
        {
            return false;
        }

        if (random.NextDouble() >= DetectionProbability(polar.RangeM, obj.RcsM2))
        {
            return false;
        }

        var value = new Vec3(
            polar.RangeM + (d.RangeSigma * SensorRandom.Gaussian(random)),
            SensorRandom.WrapTwoPi(polar.AzimuthRad + (d.AzimuthSigma * SensorRandom.Gaussian(random))),
            polar.ElevationRad + (d.ElevationSigma * SensorRandom.Gaussian(random)));
        var time = SensorRandom.ToUtc(context.Epoch, t);
        if (!MeasuresRangeRate || !TryTrueRangeRate(obj.Trajectory, t, frame, targetEcef, out var rangeRate, out var sensorVelocity))
        {
            output.Add(new Detection(time, d.Id, d.Nation, MeasurementKind.RangeAzimuthElevation, value, _covariance, frame.Origin, obj.Id));
            return true;
        }

        output.Add(new Detection(
            time, d.Id, d.Nation, MeasurementKind.RangeAzimuthElevation, value, _covariance, frame.Origin, obj.Id,
            RangeRate: rangeRate + (_rangeRateSigma * SensorRandom.Gaussian(random)),
            RangeRateVariance: _rangeRateSigma * _rangeRateSigma,
            SensorVelocity: sensorVelocity));
        return true;
    }

    /// <summary>
    /// The true range rate ṙ = (v_t − v_s)·û of <paramref name="target"/> at <paramref name="t"/> seen from the
    /// antenna at <paramref name="frame"/> (û from the antenna to <paramref name="targetEcef"/>), and the
    /// antenna's ECEF velocity (the host's).
    /// </summary>
    private bool TryTrueRangeRate(ITrajectory target, double t, in EnuFrame frame, Vec3 targetEcef, out double rangeRate, out Vec3 sensorVelocity)
    {
        rangeRate = 0;
        sensorVelocity = default;
        if (!target.TryGetState(t, out var targetState) || !_site.Host.TryGetState(t, out var hostState))
        {
            return false;
        }

        sensorVelocity = hostState.VelocityEcef;
        rangeRate = TrueRangeRate(frame.OriginEcef, sensorVelocity, targetEcef, targetState.VelocityEcef);
        return true;
    }

    /// <summary>ṙ = (v_t − v_s)·(p_t − p_s)/|p_t − p_s| (m/s, positive receding); 0 at zero range.</summary>
    public static double TrueRangeRate(Vec3 sensorEcef, Vec3 sensorVelocity, Vec3 targetEcef, Vec3 targetVelocity)
    {
        var los = targetEcef - sensorEcef;
        var r = los.Norm;
        return r > 0 ? Vec3.Dot(targetVelocity - sensorVelocity, los) / r : 0;
    }

    /// <summary>
    /// Electronically scanned radars: one confirmation dwell <see cref="ConfirmationDelay"/> after the scan
    /// start on every target detected in this scan but not in the previous one (an alert), with its own
    /// visibility test and detection draw.
    /// </summary>
    private void AddConfirmationDwells(double scanStart, ScanContext context, List<Detection> output)
    {
        var t = scanStart + ConfirmationDelay;
        foreach (var obj in _alerts)
        {
            if (TryPolarAt(obj.Trajectory, t, out var frame, out var targetEcef, out var polar))
            {
                TryDetect(obj, t, frame, targetEcef, polar, context, output);
            }
        }
    }

    /// <summary>
    /// Finds when the beam meets the target and where it is then: the antenna frame, the target
    /// ECEF position and its polar coordinates in that frame.
    /// </summary>
    private bool TryLocate(ITrajectory target, double scanStart, out double t, out EnuFrame frame, out Vec3 targetEcef, out RadarPolar polar)
    {
        t = scanStart;
        if (!TryPolarAt(target, t, out frame, out targetEcef, out polar))
        {
            return false;
        }

        if (!_definition.Rotating)
        {
            return true;
        }

        // Early gate before the timing iteration: within one rotation the range cannot shrink by more
        // than the closing speed times the period (doubled for acceleration, plus 1 km).
        var period = _definition.RevisitPeriod;
        if (target.TryGetState(scanStart, out var targetState) && _site.Host.TryGetState(scanStart, out var hostState))
        {
            var maxClosing = (targetState.VelocityEcef.Norm + hostState.VelocityEcef.Norm) * period * 2;
            if (polar.RangeM - maxClosing - 1_000 > _definition.MaxRange)
            {
                return false;
            }
        }

        var az = polar.AzimuthRad;
        for (var k = 0; k < MaxTimingIterations; k++)
        {
            // Clamp one tick short of the next scan so an azimuth a hair below 2π is not stamped at the next scan's start.
            var next = Math.Min(scanStart + (az / TwoPi * period), scanStart + period - OneTick);
            if (!TryPolarAt(target, next, out var f, out var e, out var p))
            {
                // The target (or host) does not exist when the beam passes: not seen this scan.
                return false;
            }

            if (k > 0 && Math.Abs(p.AzimuthRad - az) > Math.PI)
            {
                // Azimuth wrapped through north during the scan: keep the last consistent time.
                break;
            }

            var converged = Math.Abs(next - t) < TimingTolerance;
            t = next;
            frame = f;
            targetEcef = e;
            polar = p;
            az = p.AzimuthRad;
            if (converged)
            {
                break;
            }
        }

        return true;
    }

    private bool TryPolarAt(ITrajectory target, double t, out EnuFrame frame, out Vec3 targetEcef, out RadarPolar polar)
    {
        if (!_site.TryGetFrame(t, out frame) || !target.TryGetState(t, out var state))
        {
            targetEcef = default;
            polar = default;
            return false;
        }

        targetEcef = state.PositionEcef;
        polar = RadarPolar.FromEnu(frame.ToEnu(targetEcef));

        // atan2 of a tiny negative east component plus 2π rounds to exactly 2π: fold it to 0 so the
        // beam time stays inside [scanStart, scanStart + T).
        polar = polar with { AzimuthRad = SensorRandom.WrapTwoPi(polar.AzimuthRad) };
        return true;
    }

    private void AddFalseAlarms(double scanStart, ScanContext context, List<Detection> output)
    {
        var d = _definition;
        if (d.ClutterPerScan <= 0)
        {
            return;
        }

        var random = context.Random;
        var count = SensorRandom.Poisson(random, d.ClutterPerScan);
        var elLow = d.MinElevation;
        var elHigh = Math.Min(d.MaxElevation, d.MinElevation + ClutterElevationBand);
        for (var n = 0; n < count; n++)
        {
            var r = d.MaxRange * Math.Sqrt(random.NextDouble());
            var az = TwoPi * random.NextDouble();
            var el = elLow + ((elHigh - elLow) * random.NextDouble());
            var t = d.Rotating ? Math.Min(scanStart + (az / TwoPi * d.RevisitPeriod), scanStart + d.RevisitPeriod - OneTick) : scanStart;
            if (!_site.TryGetFrame(t, out var frame))
            {
                continue;
            }

            var time = SensorRandom.ToUtc(context.Epoch, t);
            if (!MeasuresRangeRate)
            {
                output.Add(new Detection(time, d.Id, d.Nation, MeasurementKind.RangeAzimuthElevation, new Vec3(r, az, el), _covariance, frame.Origin, Detection.FalseAlarm));
                continue;
            }

            var rangeRate = d.UnambiguousRangeRate * ((2 * random.NextDouble()) - 1);
            var sensorVelocity = _site.Host.TryGetState(t, out var hostState) ? hostState.VelocityEcef : default;
            output.Add(new Detection(
                time, d.Id, d.Nation, MeasurementKind.RangeAzimuthElevation, new Vec3(r, az, el), _covariance, frame.Origin, Detection.FalseAlarm,
                RangeRate: rangeRate, RangeRateVariance: _rangeRateSigma * _rangeRateSigma, SensorVelocity: sensorVelocity));
        }
    }
}
