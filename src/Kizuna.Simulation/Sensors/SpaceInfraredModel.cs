using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Simulation.Motion;
using Kizuna.Simulation.Scenario;

namespace Kizuna.Simulation.Sensors;

/// <summary>
/// A space-based infrared early-warning sensor (geostationary host): sees the plume of boosting
/// missiles only, anywhere on the visible Earth disc, and reports an angles-only line of sight.
/// </summary>
/// <remarks>
/// <para><b>What it sees.</b> Objects whose state has <see cref="KinematicState.Boosting"/> set, whatever
/// their kind, except the host. <see cref="SensorDefinition.MaxRange"/>, the elevation limits and the
/// antenna height are not used: coverage is the visible Earth disc.</para>
/// <para><b>Earth blockage.</b> The segment from the satellite S to the target P must not pass
/// through the WGS-84 ellipsoid. Scaling z by a/b maps the ellipsoid onto the sphere of radius a
/// (an affine map keeps straight lines straight), so the test is exact: with s′ = (x/a, y/a, z/b),
/// d = P′ − S′, solve |S′ + u d|² = 1; the segment is blocked when the entry root u₁ lies in
/// (0, 1 − δ), δ = 1 km / |P − S| (a target at or just below the surface is not blocked by itself).
/// Atmospheric absorption of a low plume is not modelled.</para>
/// <para><b>Detection.</b> A fixed probability per scan, <see cref="SensorDefinition.FixedDetectionProbability"/> or
/// <see cref="DefaultDetectionProbability"/> (notional).</para>
/// <para><b>Measurement.</b> z = (az, el, 0) in the ENU frame at the satellite
/// (<see cref="MeasurementKind.AzimuthElevation"/>), all objects at the scan start (staring focal
/// plane). The focal-plane line-of-sight error is isotropic with σ = AngleSigma per axis, so in
/// azimuth–elevation coordinates σ_el = σ and σ_az = σ / cos(el) (an angle δ across the line of sight
/// changes the azimuth by δ / cos el; Bar-Shalom, Li, Kirubarajan 2001, §10.4 spherical
/// coordinates). R = diag(σ_az², σ_el², 1), the third element carrying no information
/// (<see cref="MeasurementKind.AzimuthElevation"/>). From geostationary orbit the Earth subtends
/// ±8.7° about nadir, so el ∈ [−90°, −81.3°] and σ_az is 6.6 to several hundred times σ; cos el is
/// floored at 10⁻⁶ at the exact sub-satellite point.</para>
/// </remarks>
public sealed class SpaceInfraredModel : ISensorModel
{
    /// <summary>Detection probability when the definition sets none (notional).</summary>
    public const double DefaultDetectionProbability = 0.99;

    private const double MinCosElevation = 1e-6;
    private const double SurfaceMargin = 1_000;

    private readonly SensorDefinition _definition;
    private readonly SensorSite _site;
    private readonly double _pd;

    /// <summary>Creates the sensor on <paramref name="host"/> (normally a geostationary satellite).</summary>
    public SpaceInfraredModel(SensorDefinition definition, ITrajectory host, int index)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(host);
        SensorValidation.ValidateCommon(definition);
        SensorValidation.Require(definition, double.IsFinite(definition.AngleSigma) && definition.AngleSigma >= 0, "AngleSigma must be finite and >= 0");
        _definition = definition;
        Index = index;
        _site = new SensorSite(host, 0);
        _pd = definition.FixedDetectionProbability ?? DefaultDetectionProbability;
    }

    /// <inheritdoc />
    public string Id => _definition.Id;

    /// <inheritdoc />
    public Nation Nation => _definition.Nation;

    /// <inheritdoc />
    public double RevisitPeriod => _definition.RevisitPeriod;

    /// <summary>The sensor's position in the scenario.</summary>
    public int Index { get; }

    /// <summary>The detection probability in use.</summary>
    public double DetectionProbability => _pd;

    /// <summary>True when the straight line from <paramref name="observerEcef"/> to <paramref name="targetEcef"/> passes through the WGS-84 ellipsoid.</summary>
    public static bool IsEarthBlocked(Vec3 observerEcef, Vec3 targetEcef)
    {
        const double invA = 1 / Wgs84.A;
        const double invB = 1 / Wgs84.B;
        var s = new Vec3(observerEcef.X * invA, observerEcef.Y * invA, observerEcef.Z * invB);
        var p = new Vec3(targetEcef.X * invA, targetEcef.Y * invA, targetEcef.Z * invB);
        var dir = p - s;
        var a = Vec3.Dot(dir, dir);
        if (a == 0)
        {
            return false;
        }

        var b = 2 * Vec3.Dot(s, dir);
        var c = Vec3.Dot(s, s) - 1;
        var disc = (b * b) - (4 * a * c);
        if (disc <= 0)
        {
            return false;
        }

        var entry = (-b - Math.Sqrt(disc)) / (2 * a);
        var margin = SurfaceMargin / (targetEcef - observerEcef).Norm;
        return entry > 0 && entry < 1 - margin;
    }

    /// <inheritdoc />
    public void Scan(double scanStart, ScanContext context, List<Detection> output)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        if (!_site.TryGetFrame(scanStart, out var frame))
        {
            return;
        }

        var d = _definition;
        var random = context.Random;
        var objects = context.Objects;
        var host = _site.Host;
        var time = SensorRandom.ToUtc(context.Epoch, scanStart);
        for (var i = 0; i < objects.Count; i++)
        {
            var obj = objects[i];
            if (ReferenceEquals(obj.Trajectory, host) || !obj.Trajectory.TryGetState(scanStart, out var state) || !state.Boosting)
            {
                continue;
            }

            if (IsEarthBlocked(frame.OriginEcef, state.PositionEcef))
            {
                continue;
            }

            if (random.NextDouble() >= _pd)
            {
                continue;
            }

            var polar = RadarPolar.FromEnu(frame.ToEnu(state.PositionEcef));
            var sigmaAz = d.AngleSigma / Math.Max(Math.Cos(polar.ElevationRad), MinCosElevation);
            var sigmaEl = d.AngleSigma;
            var value = new Vec3(
                SensorRandom.WrapTwoPi(polar.AzimuthRad + (sigmaAz * SensorRandom.Gaussian(random))),
                polar.ElevationRad + (sigmaEl * SensorRandom.Gaussian(random)),
                0);
            output.Add(new Detection(
                time, d.Id, d.Nation, MeasurementKind.AzimuthElevation, value,
                Mat3.Diagonal(sigmaAz * sigmaAz, sigmaEl * sigmaEl, 1), frame.Origin, obj.Id));
        }
    }
}
