namespace Kizuna.Core.Geodesy;

/// <summary>
/// A local East-North-Up tangent frame at a geodetic origin. Exact (no flat-Earth
/// approximation): points go through ECEF.
/// </summary>
/// <remarks>
/// Rotation ECEF → ENU (e.g. J. Farrell, "Aided Navigation", 2008, §2.3.2):
/// <code>
/// R = [ −sin λ          cos λ         0     ]
///     [ −sin φ cos λ   −sin φ sin λ   cos φ ]
///     [  cos φ cos λ    cos φ sin λ   sin φ ]
/// </code>
/// enu = R (ecef − ecef₀); ecef = ecef₀ + Rᵀ enu.
/// </remarks>
public readonly record struct EnuFrame
{
    /// <summary>Creates the frame at <paramref name="origin"/>.</summary>
    public EnuFrame(Geodetic origin)
    {
        Origin = origin;
        OriginEcef = Wgs84.GeodeticToEcef(origin);
        var (sinLat, cosLat) = Math.SinCos(origin.LatitudeRad);
        var (sinLon, cosLon) = Math.SinCos(origin.LongitudeRad);
        EcefToEnu = new Mat3(
            -sinLon, cosLon, 0,
            -sinLat * cosLon, -sinLat * sinLon, cosLat,
            cosLat * cosLon, cosLat * sinLon, sinLat);
    }

    /// <summary>The geodetic origin.</summary>
    public Geodetic Origin { get; }

    /// <summary>The origin in ECEF.</summary>
    public Vec3 OriginEcef { get; }

    /// <summary>The rotation R from ECEF axes to ENU axes.</summary>
    public Mat3 EcefToEnu { get; }

    /// <summary>The rotation Rᵀ from ENU axes to ECEF axes.</summary>
    public Mat3 EnuToEcef => EcefToEnu.Transpose();

    /// <summary>ECEF point → ENU coordinates in this frame.</summary>
    public Vec3 ToEnu(Vec3 ecef) => EcefToEnu * (ecef - OriginEcef);

    /// <summary>ENU coordinates in this frame → ECEF point.</summary>
    public Vec3 ToEcef(Vec3 enu) => OriginEcef + (EnuToEcef * enu);

    /// <summary>Rotates a free vector (velocity, direction) from ECEF axes to ENU axes.</summary>
    public Vec3 RotateToEnu(Vec3 ecefVector) => EcefToEnu * ecefVector;

    /// <summary>Rotates a free vector from ENU axes to ECEF axes.</summary>
    public Vec3 RotateToEcef(Vec3 enuVector) => EnuToEcef * enuVector;

    /// <summary>Geodetic point → ENU.</summary>
    public Vec3 ToEnu(Geodetic g) => ToEnu(Wgs84.GeodeticToEcef(g));

    /// <summary>ENU → geodetic point.</summary>
    public Geodetic ToGeodetic(Vec3 enu) => Wgs84.EcefToGeodetic(ToEcef(enu));
}
