namespace Kizuna.Core.Geodesy;

/// <summary>
/// Analytic Jacobians of the coordinate conversions a tracker linearises: radar polar ⇄ local ENU,
/// angles-only line of sight, and geodetic (φ, λ, h) → ECEF / local ENU. All allocation-free.
/// </summary>
/// <remarks>
/// <para><b>Polar → ENU</b> (e = r cos el sin az, n = r cos el cos az, u = r sin el; az clockwise
/// from north). J = ∂(e, n, u)/∂(r, az, el):
/// <code>
/// [ cos el sin az    r cos el cos az   −r sin el sin az ]
/// [ cos el cos az   −r cos el sin az   −r sin el cos az ]
/// [ sin el           0                  r cos el         ]
/// </code>
/// (Y. Bar-Shalom, X. R. Li, T. Kirubarajan, "Estimation with Applications to Tracking and
/// Navigation", Wiley 2001, §10.4.3 "converted measurements", in 3-D.)</para>
/// <para><b>ENU → polar</b>, the EKF measurement matrix H = ∂(r, az, el)/∂(e, n, u) with
/// ρ² = e² + n², r² = ρ² + u² (Bar-Shalom et al. 2001, §10.3; S. Blackman, R. Popoli, "Design and
/// Analysis of Modern Tracking Systems", Artech House 1999, §4.2):
/// <code>
/// [  e/r          n/r          u/r  ]
/// [  n/ρ²        −e/ρ²         0    ]
/// [ −e u/(r²ρ)   −n u/(r²ρ)    ρ/r² ]
/// </code>
/// H is singular at the zenith (ρ = 0), where azimuth is undefined; callers must not linearise there.</para>
/// <para><b>Geodetic → ECEF</b>, J = ∂(X, Y, Z)/∂(φ, λ, h) from TR8350.2 eq. 4-14 with
/// d(N cos φ)/dφ = −M sin φ and d(N(1 − e²) sin φ)/dφ = M cos φ, where
/// M = a(1 − e²)/(1 − e² sin²φ)^{3/2} is the meridian radius of curvature (B. Hofmann-Wellenhof,
/// H. Lichtenegger, E. Wasle, "GNSS", Springer 2008, §5.6.1):
/// <code>
/// [ −(M + h) sin φ cos λ   −(N + h) cos φ sin λ   cos φ cos λ ]
/// [ −(M + h) sin φ sin λ    (N + h) cos φ cos λ   cos φ sin λ ]
/// [  (M + h) cos φ           0                     sin φ       ]
/// </code>
/// Rotated into the ENU frame at the same point this is the familiar
/// ∂(e, n, u)/∂(φ, λ, h) = [[0, (N + h) cos φ, 0], [M + h, 0, 0], [0, 0, 1]].</para>
/// </remarks>
public static class Jacobians
{
    /// <summary>J = ∂(e, n, u)/∂(r, az, el) evaluated at the polar point <paramref name="z"/>.</summary>
    public static Mat3 PolarToEnu(RadarPolar z)
    {
        var (sinAz, cosAz) = Math.SinCos(z.AzimuthRad);
        var (sinEl, cosEl) = Math.SinCos(z.ElevationRad);
        var r = z.RangeM;
        return new Mat3(
            cosEl * sinAz, r * cosEl * cosAz, -r * sinEl * sinAz,
            cosEl * cosAz, -r * cosEl * sinAz, -r * sinEl * cosAz,
            sinEl, 0, r * cosEl);
    }

    /// <summary>
    /// H = ∂(r, az, el)/∂(e, n, u) at the ENU position <paramref name="enu"/> (the EKF measurement
    /// matrix of a 3-D radar). Undefined (infinite) at the zenith, where e = n = 0.
    /// </summary>
    public static Mat3 EnuToPolar(Vec3 enu)
    {
        var (e, n, u) = (enu.X, enu.Y, enu.Z);
        var rho2 = (e * e) + (n * n);
        var rho = Math.Sqrt(rho2);
        var r2 = rho2 + (u * u);
        var r = Math.Sqrt(r2);
        var k = u / (r2 * rho);
        return new Mat3(
            e / r, n / r, u / r,
            n / rho2, -e / rho2, 0,
            -e * k, -n * k, rho / r2);
    }

    /// <summary>
    /// ∂(az, el)/∂(e, n, u) of an angles-only (azimuth, elevation) line of sight at ENU position
    /// <paramref name="enu"/>, as a <see cref="Mat3"/> whose third row is zero — the layout of
    /// <see cref="MeasurementKind.AzimuthElevation"/> detections (az, el, 0). Rows 0 and 1 equal rows 1
    /// and 2 of <see cref="EnuToPolar"/>.
    /// </summary>
    public static Mat3 AzimuthElevationFromEnu(Vec3 enu)
    {
        var h = EnuToPolar(enu);
        return new Mat3(h.M10, h.M11, h.M12, h.M20, h.M21, h.M22, 0, 0, 0);
    }

    /// <summary>J = ∂(X, Y, Z)/∂(φ, λ, h) at <paramref name="g"/> (φ, λ in radians, h in metres).</summary>
    public static Mat3 GeodeticToEcef(Geodetic g)
    {
        var (sinLat, cosLat) = Math.SinCos(g.LatitudeRad);
        var (sinLon, cosLon) = Math.SinCos(g.LongitudeRad);
        var (n, m) = RadiiOfCurvature(sinLat);
        var mh = m + g.HeightM;
        var nh = n + g.HeightM;
        return new Mat3(
            -mh * sinLat * cosLon, -nh * cosLat * sinLon, cosLat * cosLon,
            -mh * sinLat * sinLon, nh * cosLat * cosLon, cosLat * sinLon,
            mh * cosLat, 0, sinLat);
    }

    /// <summary>
    /// ∂(e, n, u)/∂(φ, λ, h) in the ENU frame at <paramref name="g"/> itself:
    /// [[0, (N + h) cos φ, 0], [M + h, 0, 0], [0, 0, 1]].
    /// </summary>
    public static Mat3 GeodeticToLocalEnu(Geodetic g)
    {
        var (sinLat, cosLat) = Math.SinCos(g.LatitudeRad);
        var (n, m) = RadiiOfCurvature(sinLat);
        return new Mat3(0, (n + g.HeightM) * cosLat, 0, m + g.HeightM, 0, 0, 0, 0, 1);
    }

    /// <summary>
    /// ∂(φ, λ, h)/∂(e, n, u) at <paramref name="g"/>, the inverse of <see cref="GeodeticToLocalEnu"/>
    /// (metres of local displacement → radians and metres). Singular at the poles (λ undefined).
    /// </summary>
    public static Mat3 LocalEnuToGeodetic(Geodetic g)
    {
        var (sinLat, cosLat) = Math.SinCos(g.LatitudeRad);
        var (n, m) = RadiiOfCurvature(sinLat);
        return new Mat3(0, 1 / (m + g.HeightM), 0, 1 / ((n + g.HeightM) * cosLat), 0, 0, 0, 0, 1);
    }

    /// <summary>Prime-vertical N = a/√(1 − e² sin²φ) and meridian M = a(1 − e²)/(1 − e² sin²φ)^{3/2} radii (m).</summary>
    public static (double PrimeVertical, double Meridian) RadiiOfCurvature(double sinLat)
    {
        var den = 1 - (Wgs84.E2 * sinLat * sinLat);
        var n = Wgs84.A / Math.Sqrt(den);
        return (n, n * (1 - Wgs84.E2) / den);
    }
}
