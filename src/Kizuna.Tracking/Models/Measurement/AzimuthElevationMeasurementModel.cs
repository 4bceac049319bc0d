using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Tracking.Models.Measurement;

/// <summary>
/// Angles-only line of sight (azimuth clockwise from north, elevation) from a sensor at a
/// WGS-84 site — e.g. a space-based infrared sensor — of an ECEF track. m = 2.
/// </summary>
/// <remarks>
/// h = (atan2(e, n), atan2(u, ρ)) of (e, n, u) = R (p − s); Jacobian rows as in
/// <see cref="RangeAzimuthElevationMeasurementModel"/> without the range row (Stone Soup's
/// <c>CartesianToElevationBearing</c> plays the same role). Range is unobservable from one
/// update; a single sensor needs motion or a second sensor (triangulation) to converge.
/// The noise covariance uses the upper 2×2 block of the detection covariance.
/// </remarks>
public readonly record struct AzimuthElevationMeasurementModel : IMeasurementModel
{
    /// <summary>Creates the model for a sensor frame and noise covariance diag(σaz², σel², ·).</summary>
    public AzimuthElevationMeasurementModel(EnuFrame site, Mat3 noiseCovariance)
    {
        Site = site;
        NoiseCovariance = new Mat3(noiseCovariance.M00, noiseCovariance.M01, 0, noiseCovariance.M10, noiseCovariance.M11, 0, 0, 0, 0);
    }

    /// <summary>The sensor's local frame.</summary>
    public EnuFrame Site { get; }

    /// <inheritdoc/>
    public Mat3 NoiseCovariance { get; }

    /// <inheritdoc/>
    public int Dimension => 2;

    /// <inheritdoc/>
    public bool IsLinear => false;

    /// <inheritdoc/>
    public Vec3 Function(Vec3 position)
    {
        var polar = RadarPolar.FromEnu(Site.ToEnu(position));
        return new Vec3(polar.AzimuthRad, polar.ElevationRad, 0);
    }

    /// <inheritdoc/>
    public Mat3 Jacobian(Vec3 position) =>
        RangeAzimuthElevationMeasurementModel.PolarJacobian(Site.ToEnu(position), false) * Site.EcefToEnu;

    /// <inheritdoc/>
    public Vec3 Residual(Vec3 measured, Vec3 predicted) =>
        new(Angle.WrapPi(measured.X - predicted.X), measured.Y - predicted.Y, 0);
}
