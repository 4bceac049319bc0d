namespace Kizuna.Core.Geodesy;

/// <summary>
/// A radar polar measurement in the sensor's local ENU frame: slant range (m), azimuth (rad,
/// clockwise from true north, in [0, 2π)) and elevation (rad, above the local horizontal plane).
/// </summary>
/// <remarks>
/// e = r cos(el) sin(az), n = r cos(el) cos(az), u = r sin(el);
/// r = √(e² + n² + u²), az = atan2(e, n), el = atan2(u, √(e² + n²)).
/// </remarks>
public readonly record struct RadarPolar(double RangeM, double AzimuthRad, double ElevationRad)
{
    /// <summary>ENU vector → polar.</summary>
    public static RadarPolar FromEnu(Vec3 enu)
    {
        var ground = Math.Sqrt((enu.X * enu.X) + (enu.Y * enu.Y));
        var az = Math.Atan2(enu.X, enu.Y);
        if (az < 0)
        {
            az += 2 * Math.PI;
        }

        return new RadarPolar(enu.Norm, az, Math.Atan2(enu.Z, ground));
    }

    /// <summary>Polar → ENU vector.</summary>
    public Vec3 ToEnu()
    {
        var (sinAz, cosAz) = Math.SinCos(AzimuthRad);
        var (sinEl, cosEl) = Math.SinCos(ElevationRad);
        return new Vec3(RangeM * cosEl * sinAz, RangeM * cosEl * cosAz, RangeM * sinEl);
    }

    /// <summary>As a vector (range, azimuth, elevation).</summary>
    public Vec3 AsVector() => new(RangeM, AzimuthRad, ElevationRad);
}
