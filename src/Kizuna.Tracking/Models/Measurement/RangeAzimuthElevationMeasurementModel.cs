using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Tracking.Models.Measurement;

/// <summary>
/// Radar polar measurement (range, azimuth clockwise from north, elevation) taken from a sensor
/// at its true WGS-84 site, of an ECEF track: z = polar(R (p − s)) + v.
/// </summary>
/// <remarks>
/// <para>With (e, n, u) = R (p − s), R the ECEF→ENU rotation at the site (<see cref="EnuFrame"/>),
/// ρ = √(e² + n²), r = √(ρ² + u²): h = (r, atan2(e, n), atan2(u, ρ)). Jacobian by the chain rule
/// H_p = (∂h/∂enu) · R with</para>
/// <code>
/// ∂r/∂(e,n,u)  = (e, n, u) / r
/// ∂az/∂(e,n,u) = (n, −e, 0) / ρ²
/// ∂el/∂(e,n,u) = (−e u, −n u, ρ²) / (r² ρ)
/// </code>
/// <para>(Bar-Shalom, Li &amp; Kirubarajan (2001), §10.3.2 for the EKF with polar measurements.) No
/// refraction correction: elevations are geometric. The azimuth residual is wrapped into
/// (−π, π]. The Jacobian is singular at the zenith (ρ = 0), where azimuth is undefined.</para>
/// </remarks>
public readonly record struct RangeAzimuthElevationMeasurementModel : IMeasurementModel
{
    /// <summary>Creates the model for a sensor frame and noise covariance diag(σr², σaz², σel²) (or full).</summary>
    public RangeAzimuthElevationMeasurementModel(EnuFrame site, Mat3 noiseCovariance)
    {
        Site = site;
        NoiseCovariance = noiseCovariance;
    }

    /// <summary>The sensor's local frame.</summary>
    public EnuFrame Site { get; }

    /// <inheritdoc/>
    public Mat3 NoiseCovariance { get; }

    /// <inheritdoc/>
    public int Dimension => 3;

    /// <inheritdoc/>
    public bool IsLinear => false;

    /// <inheritdoc/>
    public Vec3 Function(Vec3 position) => RadarPolar.FromEnu(Site.ToEnu(position)).AsVector();

    /// <inheritdoc/>
    public Mat3 Jacobian(Vec3 position) => PolarJacobian(Site.ToEnu(position), true) * Site.EcefToEnu;

    /// <inheritdoc/>
    public Vec3 Residual(Vec3 measured, Vec3 predicted) =>
        new(measured.X - predicted.X, Angle.WrapPi(measured.Y - predicted.Y), measured.Z - predicted.Z);

    /// <summary>∂(r, az, el)/∂(e, n, u) (with range) or ∂(az, el, 0)/∂(e, n, u) (without).</summary>
    internal static Mat3 PolarJacobian(Vec3 enu, bool withRange)
    {
        double e = enu.X, n = enu.Y, u = enu.Z;
        var rho2 = (e * e) + (n * n);
        var rho = Math.Sqrt(rho2);
        var r2 = rho2 + (u * u);
        var r = Math.Sqrt(r2);
        var az = new Vec3(n / rho2, -e / rho2, 0);
        var k = 1 / (r2 * rho);
        var el = new Vec3(-e * u * k, -n * u * k, rho2 * k);
        return withRange
            ? Mat3.FromRows(new Vec3(e / r, n / r, u / r), az, el)
            : Mat3.FromRows(az, el, Vec3.Zero);
    }
}
