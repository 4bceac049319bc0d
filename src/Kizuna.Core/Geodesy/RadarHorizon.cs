namespace Kizuna.Core.Geodesy;

/// <summary>
/// Radar line of sight over a smooth Earth with standard atmospheric refraction, modelled by the
/// effective-Earth-radius method with k = 4/3.
/// </summary>
/// <remarks>
/// Source: M. I. Skolnik, "Introduction to Radar Systems", 3rd ed. (2001), §8.3 "Propagation over
/// a spherical Earth": the horizon distance of an antenna at height h is d = √(2 k R h) (h ≪ R),
/// and a target at height hₜ is visible out to d = √(2 k R hₐ) + √(2 k R hₜ), with R the Earth
/// radius and k = 4/3 for the standard atmosphere. With R = 6,371 km, a 10 m mast sees a 50 m
/// target at about 42 km and a 10 km target at about 425 km.
/// </remarks>
public static class RadarHorizon
{
    /// <summary>The standard-atmosphere effective Earth radius factor k.</summary>
    public const double StandardK = 4.0 / 3.0;

    /// <summary>Mean Earth radius used by the model (m).</summary>
    public const double EarthRadius = 6_371_000.0;

    /// <summary>Effective Earth radius k·R (m).</summary>
    public const double EffectiveEarthRadius = StandardK * EarthRadius;

    /// <summary>Distance to the radar horizon of an antenna at <paramref name="heightM"/> (m): √(2kRh + h²).</summary>
    public static double HorizonDistance(double heightM) =>
        heightM <= 0 ? 0 : Math.Sqrt((2 * EffectiveEarthRadius * heightM) + (heightM * heightM));

    /// <summary>Maximum line-of-sight distance between an antenna and a target at the given heights (m).</summary>
    public static double MaxLineOfSight(double antennaHeightM, double targetHeightM) =>
        HorizonDistance(antennaHeightM) + HorizonDistance(targetHeightM);

    /// <summary>
    /// True when a target is above the refracted radar horizon of an antenna: the great-circle
    /// (ground) distance between the two is within <see cref="MaxLineOfSight"/>.
    /// </summary>
    /// <param name="antenna">Antenna position (height above the ellipsoid).</param>
    /// <param name="target">Target position.</param>
    public static bool IsVisible(Geodetic antenna, Geodetic target) =>
        GroundDistance(antenna, target) <= MaxLineOfSight(Math.Max(antenna.HeightM, 0), Math.Max(target.HeightM, 0));

    /// <summary>Great-circle distance on the mean sphere between the sub-points (m), haversine formula.</summary>
    public static double GroundDistance(Geodetic a, Geodetic b)
    {
        var dLat = b.LatitudeRad - a.LatitudeRad;
        var dLon = b.LongitudeRad - a.LongitudeRad;
        var s1 = Math.Sin(dLat / 2);
        var s2 = Math.Sin(dLon / 2);
        var h = (s1 * s1) + (Math.Cos(a.LatitudeRad) * Math.Cos(b.LatitudeRad) * s2 * s2);
        return 2 * EarthRadius * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
