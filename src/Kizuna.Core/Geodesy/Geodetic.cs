using System.Globalization;

namespace Kizuna.Core.Geodesy;

/// <summary>
/// A WGS-84 geodetic position: latitude and longitude in radians, height in metres above the
/// ellipsoid (not above mean sea level).
/// </summary>
public readonly record struct Geodetic(double LatitudeRad, double LongitudeRad, double HeightM)
{
    /// <summary>Latitude in degrees.</summary>
    public double LatitudeDeg => LatitudeRad * (180.0 / Math.PI);

    /// <summary>Longitude in degrees.</summary>
    public double LongitudeDeg => LongitudeRad * (180.0 / Math.PI);

    /// <summary>A position from degrees and metres.</summary>
    public static Geodetic FromDegrees(double latitudeDeg, double longitudeDeg, double heightM = 0) =>
        new(latitudeDeg * (Math.PI / 180.0), longitudeDeg * (Math.PI / 180.0), heightM);

    /// <summary>ECEF position of this point.</summary>
    public Vec3 ToEcef() => Wgs84.GeodeticToEcef(this);

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"({LatitudeDeg:0.######}°, {LongitudeDeg:0.######}°, {HeightM:0.###} m)");
}
