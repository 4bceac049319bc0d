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
/// Newton refinement of the latitude, exact outside the evolute of the ellipsoid (any height above
/// about −6,300 km); inside it, the nearest point of the ellipsoid (see <see cref="EcefToGeodetic"/>).</para>
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

    /// <summary>
    /// ECEF → geodetic: Vermeille's (2002) closed form plus one Newton step on the latitude;
    /// inside the evolute of the ellipsoid (within about 43 km of the Earth's centre) the nearest
    /// point of the ellipsoid is found by a safeguarded root search instead.
    /// </summary>
    /// <remarks>
    /// <para>With w = √(X² + Y²), p = w²/a², q = (1 − e²) Z²/a², r = (p + q − e⁴)/6 (Vermeille 2002,
    /// eqs. 9–17): s = e⁴pq/(4r³), t = ∛(1 + s + √(s(2 + s))), u = r(1 + t + 1/t), v = √(u² + e⁴q),
    /// w' = e²(u + v − q)/(2v), k = √(u + v + w'²) − w', D = k w/(k + e²),
    /// φ = 2 atan2(Z, D + √(D² + Z²)). The closed form is valid whenever r &gt; 0, which implies the
    /// point lies outside the evolute (the astroid p^⅓ + q^⅓ = e^⁴ᐟ³).</para>
    /// <para>Refinement: the latitude satisfies f(φ) = w sin φ − Z cos φ − e² N sin φ cos φ = 0 (eliminate
    /// h from TR8350.2 eq. 4-14); one Newton step φ ← φ − f/f′ with
    /// f′ = w cos φ + Z sin φ − e² N (cos²φ − sin²φ) − e² N′ sin φ cos φ, N′ = N e² sin φ cos φ/(1 − e² sin²φ).
    /// The height uses h = w cos φ + Z sin φ − a√(1 − e² sin²φ), which is stationary in φ (∂h/∂φ = −f = 0), so
    /// it stays exact at the poles where h = w/cos φ − N would not.</para>
    /// <para>Inside the evolute (r ≤ 0) the inverse is not unique; as GeographicLib's Geocentric::Reverse
    /// does, the nearest point of the ellipsoid is returned (so h is the least negative solution). With
    /// the parametric latitude β of the foot point (a cos β, b sin β), the stationarity condition is
    /// g(β) = (a² − b²) sin β cos β − a w sin β + b|Z| cos β = 0 (D. Eberly, "Distance from a point to an
    /// ellipse, an ellipsoid, or a hyperellipsoid", Geometric Tools, 2013, §2.9), whose root in
    /// [0, π/2] is bracketed (g(0) = b|Z| ≥ 0, g(π/2) = −aw ≤ 0) and found by Newton steps safeguarded by
    /// bisection; then tan φ = (a/b) tan β.</para>
    /// <para>Accuracy (tests): the geodetic → ECEF → geodetic round trip differs by less than 1 µm in
    /// position over latitudes ±90°, all longitudes, heights −1,000 km … +40,000 km.</para>
    /// </remarks>
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
        if (!(r > 0))
        {
            return InsideEvolute(w, z, lon);
        }

        var s = e4 * p * q / (4 * r * r * r);
        var t = Math.Cbrt(1 + s + Math.Sqrt(s * (2 + s)));
        var u = r * (1 + t + (1 / t));
        var v = Math.Sqrt((u * u) + (e4 * q));
        var ww = E2 * (u + v - q) / (2 * v);
        var k = Math.Sqrt(u + v + (ww * ww)) - ww;
        var d = k * w / (k + E2);
        var lat = 2 * Math.Atan2(z, d + Math.Sqrt((d * d) + (z * z)));

        // One Newton step on f(φ) = w sin φ − z cos φ − e² N sin φ cos φ.
        var (sinLat, cosLat) = Math.SinCos(lat);
        var den = 1 - (E2 * sinLat * sinLat);
        var n = A / Math.Sqrt(den);
        var sc = sinLat * cosLat;
        var f = (w * sinLat) - (z * cosLat) - (E2 * n * sc);
        var dn = n * E2 * sc / den;
        var df = (w * cosLat) + (z * sinLat) - (E2 * ((n * ((cosLat * cosLat) - (sinLat * sinLat))) + (dn * sc)));
        lat -= f / df;

        return new Geodetic(lat, lon, HeightAt(w, z, lat));
    }

    /// <summary>Height above the ellipsoid of the point (w, z) on the meridian at latitude φ: h = w cos φ + z sin φ − a√(1 − e² sin²φ).</summary>
    private static double HeightAt(double w, double z, double lat)
    {
        var (sinLat, cosLat) = Math.SinCos(lat);
        return (w * cosLat) + (z * sinLat) - (A * Math.Sqrt(1 - (E2 * sinLat * sinLat)));
    }

    /// <summary>Nearest-point solution for points inside the evolute (within about 43 km of the centre).</summary>
    private static Geodetic InsideEvolute(double w, double z, double lon)
    {
        const double c = (A * A) - (B * B);
        var az = Math.Abs(z);
        double beta;
        if (az == 0)
        {
            // On the equatorial plane: off-axis foot points when w < c/a; GeographicLib reports the northern one.
            beta = A * w < c ? Math.Acos(A * w / c) : 0;
        }
        else
        {
            double lo = 0, hi = Math.PI / 2;
            beta = Math.PI / 4;
            for (var i = 0; i < 200 && hi - lo > 1e-16; i++)
            {
                var (sb, cb) = Math.SinCos(beta);
                var g = (c * sb * cb) - (A * w * sb) + (B * az * cb);
                if (g == 0)
                {
                    break;
                }

                if (g > 0)
                {
                    lo = beta;
                }
                else
                {
                    hi = beta;
                }

                var dg = (c * ((cb * cb) - (sb * sb))) - (A * w * cb) - (B * az * sb);
                var next = beta - (g / dg);
                beta = next > lo && next < hi && double.IsFinite(next) ? next : 0.5 * (lo + hi);
            }
        }

        var lat = Math.Atan2(A * Math.Sin(beta), B * Math.Cos(beta));
        if (z < 0)
        {
            lat = -lat;
        }

        return new Geodetic(lat, lon, HeightAt(w, z, lat));
    }

    /// <summary>ECEF → geodetic for a point given as a vector.</summary>
    public static Geodetic ToGeodetic(this Vec3 ecef) => EcefToGeodetic(ecef);
}
