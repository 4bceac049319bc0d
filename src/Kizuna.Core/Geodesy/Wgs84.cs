namespace Kizuna.Core.Geodesy;

/// <summary>
/// The WGS-84 ellipsoid and exact conversions between geodetic and Earth-centred, Earth-fixed
/// (ECEF) coordinates.
/// </summary>
/// <remarks>
/// Constants: NIMA TR8350.2, "Department of Defense World Geodetic System 1984", 3rd ed. (2000),
/// tables 3.1 and 3.2 (a, 1/f, GM, ω) and the EGM96 C̄₂,₀ coefficient (J₂ = −√5·C̄₂,₀).
/// <para>Geodetic → ECEF (TR8350.2 eq. 4-14): N = a/√(1 − e² sin²φ);
/// X = (N + h) cos φ cos λ, Y = (N + h) cos φ sin λ, Z = (N(1 − e²) + h) sin φ.</para>
/// <para>ECEF → geodetic: the closed-form solution of H. Vermeille, "Direct transformation from
/// geocentric coordinates to geodetic coordinates", J. Geodesy 76 (2002) 451–454, followed by one
/// Newton refinement of the latitude; exact for points outside the evolute of the ellipsoid
/// (any height above about −6,300 km).</para>
/// </remarks>
public static class Wgs84
{
    /// <summary>Semi-major axis a (m).</summary>
    public const double A = 6378137.0;

    /// <summary>Flattening f.</summary>
    public const double F = 1.0 / 298.257223563;

    /// <summary>Semi-minor axis b = a(1 − f) (m).</summary>
    public const double B = A * (1 - F);

    /// <summary>First eccentricity squared e² = f(2 − f).</summary>
    public const double E2 = F * (2 - F);

    /// <summary>Earth's gravitational constant GM (m³/s²), including the atmosphere.</summary>
    public const double GM = 3.986004418e14;

    /// <summary>Earth's nominal mean angular velocity ω (rad/s).</summary>
    public const double Omega = 7.292115e-5;

    /// <summary>Second zonal harmonic J₂ = −√5·C̄₂,₀ with C̄₂,₀ = −0.484166774985e-3 (EGM96).</summary>
    public const double J2 = 1.082626683553e-3;

    /// <summary>Mean Earth radius R₁ = (2a + b)/3 (m).</summary>
    public const double MeanRadius = ((2 * A) + B) / 3.0;

    /// <summary>Geodetic → ECEF (exact, TR8350.2 eq. 4-14).</summary>
    public static Vec3 GeodeticToEcef(Geodetic g)
    {
        var (sinLat, cosLat) = Math.SinCos(g.LatitudeRad);
        var (sinLon, cosLon) = Math.SinCos(g.LongitudeRad);
        var n = A / Math.Sqrt(1 - (E2 * sinLat * sinLat));
        return new Vec3(
            (n + g.HeightM) * cosLat * cosLon,
            (n + g.HeightM) * cosLat * sinLon,
            ((n * (1 - E2)) + g.HeightM) * sinLat);
    }

    /// <summary>ECEF → geodetic (Vermeille 2002 closed form plus one Newton step).</summary>
    public static Geodetic EcefToGeodetic(Vec3 ecef)
    {
        var x = ecef.X;
        var y = ecef.Y;
        var z = ecef.Z;
        var w2 = (x * x) + (y * y);
        var w = Math.Sqrt(w2);
        var lon = Math.Atan2(y, x);
        const double e4 = E2 * E2;

        var p = w2 / (A * A);
        var q = (1 - E2) / (A * A) * z * z;
        var r = (p + q - e4) / 6.0;
        double lat;
        double h;
        if (r <= 0 && w < 1e-3 * A)
        {
            // Inside the evolute, near the centre: fall back to the polar axis solution.
            lat = z >= 0 ? Math.PI / 2 : -Math.PI / 2;
            h = Math.Abs(z) - B;
            return new Geodetic(lat, lon, h);
        }

        var s = e4 * p * q / (4 * r * r * r);
        var t = Math.Cbrt(1 + s + Math.Sqrt(s * (2 + s)));
        var u = r * (1 + t + (1 / t));
        var v = Math.Sqrt((u * u) + (e4 * q));
        var ww = E2 * (u + v - q) / (2 * v);
        var k = Math.Sqrt(u + v + (ww * ww)) - ww;
        var d = k * w / (k + E2);
        var dz = Math.Sqrt((d * d) + (z * z));
        lat = 2 * Math.Atan2(z, d + dz);
        h = (k + E2 - 1) / k * dz;

        // One Newton refinement on the exact relation, for sub-micrometre consistency.
        var (sinLat, cosLat) = Math.SinCos(lat);
        var n = A / Math.Sqrt(1 - (E2 * sinLat * sinLat));
        if (Math.Abs(cosLat) > 1e-9)
        {
            h = (w / cosLat) - n;
        }
        else
        {
            h = (Math.Abs(z) / Math.Abs(sinLat)) - (n * (1 - E2));
        }

        return new Geodetic(lat, lon, h);
    }

    /// <summary>ECEF → geodetic for a point given as a vector.</summary>
    public static Geodetic ToGeodetic(this Vec3 ecef) => EcefToGeodetic(ecef);
}
