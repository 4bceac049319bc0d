using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Simulation.Motion;
using Kizuna.Simulation.Scenario;

namespace Kizuna.Simulation.Sensors;

/// <summary>
/// An ADS-B ground receiver: cooperative aircraft (<see cref="SimObject.Icao"/> ≠ 0) in range and in
/// radio line of sight report their own GNSS position and their ICAO 24-bit address.
/// </summary>
/// <remarks>
/// <para><b>Reception.</b> Slant range from the receiver antenna ≤ <see cref="SensorDefinition.MaxRange"/>
/// and 1090 MHz line of sight by the same 4/3-Earth horizon as radar (<see cref="RadarHorizon.IsVisible"/>,
/// Skolnik 2001 §8.3), antenna height = host height + <see cref="SensorDefinition.AntennaHeight"/>;
/// then a fixed reception probability per report, <see cref="SensorDefinition.FixedDetectionProbability"/>
/// or <see cref="DefaultReceptionProbability"/> (notional; garbling and fruit are not modelled).</para>
/// <para><b>Timing.</b> Each aircraft broadcasts on its own schedule: its report in the scan starting at s
/// is at t = s + φ·T with a phase φ ∈ [0, 1) fixed per ICAO address (Fibonacci hashing of the
/// address), so reports are spread over the period deterministically and without drawing random
/// numbers. The position is the truth at t.</para>
/// <para><b>Measurement.</b> The reported position is the truth plus GNSS error, independent Gaussian
/// in the local ENU axes at the aircraft: σ_E = σ_N = PositionSigma, σ_U = AltitudeSigma. It is
/// applied exactly (ENU offset → ECEF → geodetic, <see cref="EnuFrame"/>) and reported as
/// <see cref="MeasurementKind.Geodetic"/> (lat rad, lon rad, ellipsoidal height m) with
/// R = diag(σ_E², σ_N², σ_U²) in m², <see cref="Detection.Identity"/> = ICAO address. Real ADS-B
/// carries barometric altitude and an accuracy category (NACp, RTCA DO-260B §2.2.3.2.7.2.7); here the
/// height is geometric and the accuracy is the configured σ. Positions are not quantised to the CPR grid.</para>
/// </remarks>
public sealed class AdsbReceiverModel : ISensorModel
{
    /// <summary>Reception probability when the definition sets none (notional).</summary>
    public const double DefaultReceptionProbability = 0.98;

    private readonly SensorDefinition _definition;
    private readonly SensorSite _site;
    private readonly double _pd;
    private readonly Mat3 _covariance;

    /// <summary>Creates the receiver on <paramref name="host"/>.</summary>
    public AdsbReceiverModel(SensorDefinition definition, ITrajectory host, int index)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(host);
        SensorValidation.ValidateCommon(definition);
        SensorValidation.Require(definition, definition.PositionSigma >= 0 && definition.AltitudeSigma >= 0, "PositionSigma and AltitudeSigma must be >= 0");
        _definition = definition;
        Index = index;
        _site = new SensorSite(host, definition.AntennaHeight);
        _pd = definition.FixedDetectionProbability ?? DefaultReceptionProbability;
        var h2 = definition.PositionSigma * definition.PositionSigma;
        _covariance = Mat3.Diagonal(h2, h2, definition.AltitudeSigma * definition.AltitudeSigma);
    }

    /// <inheritdoc />
    public string Id => _definition.Id;

    /// <inheritdoc />
    public Nation Nation => _definition.Nation;

    /// <inheritdoc />
    public double RevisitPeriod => _definition.RevisitPeriod;

    /// <summary>The sensor's position in the scenario.</summary>
    public int Index { get; }

    /// <summary>The reception probability in use.</summary>
    public double ReceptionProbability => _pd;

    /// <summary>Broadcast phase φ ∈ [0, 1) of an ICAO address: the fraction of the period after the scan start at which it reports.</summary>
    public static double BroadcastPhase(uint icao) => unchecked(icao * 2654435769u) / 4294967296.0;

    /// <inheritdoc />
    public void Scan(double scanStart, ScanContext context, List<Detection> output)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        var d = _definition;
        var random = context.Random;
        var objects = context.Objects;
        var host = _site.Host;
        for (var i = 0; i < objects.Count; i++)
        {
            var obj = objects[i];
            if (obj.Icao == 0 || ReferenceEquals(obj.Trajectory, host))
            {
                continue;
            }

            var t = scanStart + (BroadcastPhase(obj.Icao) * d.RevisitPeriod);
            if (!obj.Trajectory.TryGetState(t, out var state) || !_site.TryGetFrame(t, out var frame))
            {
                continue;
            }

            if ((state.PositionEcef - frame.OriginEcef).Norm > d.MaxRange)
            {
                continue;
            }

            var truth = Wgs84.EcefToGeodetic(state.PositionEcef);
            if (!RadarHorizon.IsVisible(frame.Origin, truth) || random.NextDouble() >= _pd)
            {
                continue;
            }

            var error = new Vec3(
                d.PositionSigma * SensorRandom.Gaussian(random),
                d.PositionSigma * SensorRandom.Gaussian(random),
                d.AltitudeSigma * SensorRandom.Gaussian(random));
            var reported = new EnuFrame(truth).ToGeodetic(error);
            output.Add(new Detection(
                SensorRandom.ToUtc(context.Epoch, t), d.Id, d.Nation, MeasurementKind.Geodetic,
                new Vec3(reported.LatitudeRad, reported.LongitudeRad, reported.HeightM), _covariance,
                frame.Origin, obj.Id, obj.Icao));
        }
    }
}
