using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Simulation.Motion;

/// <summary>Navigation helpers on the WGS-84 ellipsoid and the mean sphere (internal to the motion models).</summary>
/// <remarks>
/// Great-circle bearing and distance on the mean sphere R₁ (haversine form): E. Williams,
/// "Aviation Formulary" (public), and any spherical-trigonometry text:
/// θ = atan2(sin Δλ cos φ₂, cos φ₁ sin φ₂ − sin φ₁ cos φ₂ cos Δλ).
/// Dead reckoning on the ellipsoid uses the meridian and prime-vertical radii of curvature
/// M = a(1 − e²)/(1 − e² sin² φ)^{3/2}, N = a/(1 − e² sin² φ)^{1/2} (NIMA TR8350.2 §4):
/// φ̇ = v_N/(M + h), λ̇ = v_E/((N + h) cos φ).
/// </remarks>
internal static class Navigation
{
    /// <summary>Standard gravity g₀ (m/s²), the conventional value (CGPM 1901).</summary>
    public const double G0 = 9.80665;

    /// <summary>Initial great-circle bearing from a to b (rad, clockwise from north, in (−π, π]).</summary>
    public static double Bearing(double lat1, double lon1, double lat2, double lon2)
    {
        var dLon = lon2 - lon1;
        var (sinLat1, cosLat1) = Math.SinCos(lat1);
        var (sinLat2, cosLat2) = Math.SinCos(lat2);
        return Math.Atan2(Math.Sin(dLon) * cosLat2, (cosLat1 * sinLat2) - (sinLat1 * cosLat2 * Math.Cos(dLon)));
    }

    /// <summary>Great-circle distance on the mean sphere (m).</summary>
    public static double Distance(double lat1, double lon1, double lat2, double lon2)
    {
        var s1 = Math.Sin((lat2 - lat1) / 2);
        var s2 = Math.Sin((lon2 - lon1) / 2);
        var h = (s1 * s1) + (Math.Cos(lat1) * Math.Cos(lat2) * s2 * s2);
        return 2 * Wgs84.MeanRadius * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>The point at fraction <paramref name="f"/> along the great circle from a to b (spherical linear interpolation).</summary>
    public static (double Lat, double Lon) Intermediate(double lat1, double lon1, double lat2, double lon2, double f)
    {
        var a = UnitVector(lat1, lon1);
        var b = UnitVector(lat2, lon2);
        var omega = Math.Acos(Math.Clamp(Vec3.Dot(a, b), -1, 1));
        if (omega < 1e-12)
        {
            return (lat1, lon1);
        }

        var s = Math.Sin(omega);
        var p = (a * (Math.Sin((1 - f) * omega) / s)) + (b * (Math.Sin(f * omega) / s));
        return (Math.Atan2(p.Z, Math.Sqrt((p.X * p.X) + (p.Y * p.Y))), Math.Atan2(p.Y, p.X));
    }

    /// <summary>Wraps an angle to (−π, π].</summary>
    public static double WrapPi(double a)
    {
        a = Math.IEEERemainder(a, 2 * Math.PI);
        return a <= -Math.PI ? a + (2 * Math.PI) : a;
    }

    /// <summary>Meridian radius of curvature M(φ) (m).</summary>
    public static double MeridianRadius(double lat)
    {
        var s = Math.Sin(lat);
        var w = 1 - (Wgs84.E2 * s * s);
        return Wgs84.A * (1 - Wgs84.E2) / (w * Math.Sqrt(w));
    }

    /// <summary>Prime-vertical radius of curvature N(φ) (m).</summary>
    public static double PrimeVerticalRadius(double lat)
    {
        var s = Math.Sin(lat);
        return Wgs84.A / Math.Sqrt(1 - (Wgs84.E2 * s * s));
    }

    /// <summary>Rotates a local-level (east, north, up) vector at (lat, lon) into ECEF axes.</summary>
    public static Vec3 EnuToEcef(double lat, double lon, double east, double north, double up)
    {
        var (sinLat, cosLat) = Math.SinCos(lat);
        var (sinLon, cosLon) = Math.SinCos(lon);
        return new Vec3(
            (-sinLon * east) - (sinLat * cosLon * north) + (cosLat * cosLon * up),
            (cosLon * east) - (sinLat * sinLon * north) + (cosLat * sinLon * up),
            (cosLat * north) + (sinLat * up));
    }

    /// <summary>Rotates an ECEF vector into local-level (east, north, up) axes at (lat, lon).</summary>
    public static Vec3 EcefToEnu(double lat, double lon, Vec3 v)
    {
        var (sinLat, cosLat) = Math.SinCos(lat);
        var (sinLon, cosLon) = Math.SinCos(lon);
        return new Vec3(
            (-sinLon * v.X) + (cosLon * v.Y),
            (-sinLat * cosLon * v.X) - (sinLat * sinLon * v.Y) + (cosLat * v.Z),
            (cosLat * cosLon * v.X) + (cosLat * sinLon * v.Y) + (sinLat * v.Z));
    }

    /// <summary>Unit vector of a point on the sphere.</summary>
    public static Vec3 UnitVector(double lat, double lon)
    {
        var (sinLat, cosLat) = Math.SinCos(lat);
        var (sinLon, cosLon) = Math.SinCos(lon);
        return new Vec3(cosLat * cosLon, cosLat * sinLon, sinLat);
    }
}
