using Kizuna.Core.Geodesy;

namespace Kizuna.Defence;

/// <summary>
/// Great-circle navigation on the sphere of the WGS-84 mean radius R (E. Williams, "Aviation
/// Formulary" — public spherical-trigonometry formulae): distance by haversine, initial bearing,
/// destination along a bearing, cross- and along-track distance. Errors against the ellipsoid are
/// below ~0.5 %, adequate for threat extrapolation over minutes.
/// </summary>
public static class Spherical
{
    private const double R = Wgs84.MeanRadius;

    /// <summary>Great-circle distance (m): d = 2R asin √(sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2)).</summary>
    public static double Distance(Geodetic a, Geodetic b)
    {
        var sdp = Math.Sin(0.5 * (b.LatitudeRad - a.LatitudeRad));
        var sdl = Math.Sin(0.5 * (b.LongitudeRad - a.LongitudeRad));
        var h = (sdp * sdp) + (Math.Cos(a.LatitudeRad) * Math.Cos(b.LatitudeRad) * sdl * sdl);
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>Initial bearing a → b, clockwise from north (rad): θ = atan2(sin Δλ cos φ₂, cos φ₁ sin φ₂ − sin φ₁ cos φ₂ cos Δλ).</summary>
    public static double Bearing(Geodetic a, Geodetic b)
    {
        var dl = b.LongitudeRad - a.LongitudeRad;
        return Math.Atan2(Math.Sin(dl) * Math.Cos(b.LatitudeRad), (Math.Cos(a.LatitudeRad) * Math.Sin(b.LatitudeRad)) - (Math.Sin(a.LatitudeRad) * Math.Cos(b.LatitudeRad) * Math.Cos(dl)));
    }

    /// <summary>Destination after <paramref name="distanceM"/> along initial bearing <paramref name="bearingRad"/>; height kept.</summary>
    public static Geodetic Destination(Geodetic a, double bearingRad, double distanceM)
    {
        var d = distanceM / R;
        var (sp, cp) = Math.SinCos(a.LatitudeRad);
        var (sd, cd) = Math.SinCos(d);
        var lat = Math.Asin((sp * cd) + (cp * sd * Math.Cos(bearingRad)));
        var lon = a.LongitudeRad + Math.Atan2(Math.Sin(bearingRad) * sd * cp, cd - (sp * Math.Sin(lat)));
        lon = Math.IEEERemainder(lon, 2 * Math.PI);
        return new Geodetic(lat, lon, a.HeightM);
    }

    /// <summary>
    /// Signed cross-track distance of <paramref name="p"/> from the great circle through
    /// <paramref name="a"/> on bearing <paramref name="bearingRad"/>, and the along-track distance of its
    /// foot (m): d_xt = R asin(sin δ₁₃ sin(θ₁₃ − θ₁₂)), d_at = R acos(cos δ₁₃ / cos(d_xt/R)), negative behind.
    /// </summary>
    public static (double Cross, double Along) CrossAlong(Geodetic a, double bearingRad, Geodetic p)
    {
        var d13 = Distance(a, p) / R;
        var t13 = Bearing(a, p);
        var xt = Math.Asin(Math.Clamp(Math.Sin(d13) * Math.Sin(t13 - bearingRad), -1, 1));
        var at = Math.Acos(Math.Clamp(Math.Cos(d13) / Math.Cos(xt), -1, 1));
        if (Math.Cos(t13 - bearingRad) < 0)
        {
            at = -at;
        }

        return (xt * R, at * R);
    }

    /// <summary>Distance (m) from <paramref name="p"/> to the great-circle leg a → b.</summary>
    public static double DistanceToLeg(Geodetic a, Geodetic b, Geodetic p)
    {
        var length = Distance(a, b);
        var (cross, along) = CrossAlong(a, Bearing(a, b), p);
        return along < 0 ? Distance(a, p) : along > length ? Distance(b, p) : Math.Abs(cross);
    }
}
