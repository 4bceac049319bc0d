namespace Kizuna.Core.Geodesy;

/// <summary>
/// A velocity stated the way aircraft, ADS-B and radars state it: ground speed, track angle
/// (clockwise from true north) and vertical rate, in the local-level (ENU) frame at a position.
/// Converts to and from Earth-fixed ECEF velocity.
/// </summary>
/// <remarks>
/// ENU components: v_e = V sin χ, v_n = V cos χ, v_u = ḣ (V ground speed, χ track angle); inverse
/// V = √(v_e² + v_n²), χ = atan2(v_e, v_n) wrapped to [0, 2π). ENU ⇄ ECEF is the rotation of
/// <see cref="EnuFrame"/> at the position (J. Farrell, "Aided Navigation", McGraw-Hill 2008, §2.3.2):
/// v_ecef = Rᵀ v_enu. The ECEF velocity is relative to the rotating Earth (what a ground radar
/// measures); inertial velocity adds ω × r. Strictly, ḣ is the rate along the ellipsoid normal, which is
/// the local "up" axis, so the conversion is exact at the given position.
/// </remarks>
/// <param name="GroundSpeed">Horizontal speed over the ground.</param>
/// <param name="Track">Track angle, clockwise from true north, in [0, 2π).</param>
/// <param name="VerticalRate">Rate of climb (positive up).</param>
public readonly record struct LocalVelocity(Speed GroundSpeed, Angle Track, Speed VerticalRate)
{
    /// <summary>ENU velocity vector (m/s).</summary>
    public Vec3 ToEnu()
    {
        var (sinTrack, cosTrack) = Math.SinCos(Track.Radians);
        var v = GroundSpeed.MetresPerSecond;
        return new Vec3(v * sinTrack, v * cosTrack, VerticalRate.MetresPerSecond);
    }

    /// <summary>From an ENU velocity vector (m/s). A zero horizontal velocity gives track 0 (north).</summary>
    public static LocalVelocity FromEnu(Vec3 enu)
    {
        var ground = Math.Sqrt((enu.X * enu.X) + (enu.Y * enu.Y));
        var track = Angle.FromRadians(Math.Atan2(enu.X, enu.Y)).Normalized0To2Pi();
        return new LocalVelocity(Speed.FromMetresPerSecond(ground), track, Speed.FromMetresPerSecond(enu.Z));
    }

    /// <summary>Earth-fixed ECEF velocity (m/s) of this local velocity at <paramref name="at"/>.</summary>
    public Vec3 ToEcef(Geodetic at)
    {
        var (sinLat, cosLat) = Math.SinCos(at.LatitudeRad);
        var (sinLon, cosLon) = Math.SinCos(at.LongitudeRad);
        var v = ToEnu();
        return new Vec3(
            (-sinLon * v.X) - (sinLat * cosLon * v.Y) + (cosLat * cosLon * v.Z),
            (cosLon * v.X) - (sinLat * sinLon * v.Y) + (cosLat * sinLon * v.Z),
            (cosLat * v.Y) + (sinLat * v.Z));
    }

    /// <summary>Local velocity at <paramref name="at"/> of an Earth-fixed ECEF velocity (m/s).</summary>
    public static LocalVelocity FromEcef(Geodetic at, Vec3 ecefVelocity)
    {
        var (sinLat, cosLat) = Math.SinCos(at.LatitudeRad);
        var (sinLon, cosLon) = Math.SinCos(at.LongitudeRad);
        var (x, y, z) = (ecefVelocity.X, ecefVelocity.Y, ecefVelocity.Z);
        return FromEnu(new Vec3(
            (-sinLon * x) + (cosLon * y),
            (-sinLat * cosLon * x) - (sinLat * sinLon * y) + (cosLat * z),
            (cosLat * cosLon * x) + (cosLat * sinLon * y) + (sinLat * z)));
    }
}
