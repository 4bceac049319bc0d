namespace Kizuna.Core.Geodesy;

/// <summary>Solution of the inverse geodesic problem between two points.</summary>
/// <param name="Distance">Length of the geodesic on the WGS-84 ellipsoid.</param>
/// <param name="InitialAzimuth">Azimuth at the start, clockwise from true north, in [0, 2π).</param>
/// <param name="FinalAzimuth">Forward azimuth at the end point, in [0, 2π).</param>
public readonly record struct GeodesicInverse(Length Distance, Angle InitialAzimuth, Angle FinalAzimuth);

/// <summary>Solution of the direct geodesic problem.</summary>
/// <param name="Destination">End point (height copied from the start point).</param>
/// <param name="FinalAzimuth">Forward azimuth at the end point, in [0, 2π).</param>
public readonly record struct GeodesicDirect(Geodetic Destination, Angle FinalAzimuth);

/// <summary>
/// Geodesics on the WGS-84 ellipsoid (not a sphere): distance, initial and final bearing, and
/// destination point, by Vincenty's nested-series iteration. Heights are ignored (the geodesic joins the
/// points' projections on the ellipsoid).
/// </summary>
/// <remarks>
/// <para>Method: T. Vincenty, "Direct and inverse solutions of geodesics on the ellipsoid with
/// application of nested equations", Survey Review 23(176), 88–93 (1975), equations (1)–(6) for the
/// direct problem and (13)–(21) for the inverse, with the reduced latitude tan U = (1 − f) tan φ:
/// λ = L + (1 − C) f sin α {σ + C sin σ [cos 2σₘ + C cos σ (−1 + 2 cos² 2σₘ)]},
/// C = f/16 cos²α [4 + f(4 − 3 cos²α)], u² = cos²α (a² − b²)/b²,
/// A = 1 + u²/16384 {4096 + u²[−768 + u²(320 − 175u²)]}, B = u²/1024 {256 + u²[−128 + u²(74 − 47u²)]},
/// Δσ = B sin σ {cos 2σₘ + B/4 [cos σ (−1 + 2 cos² 2σₘ) − B/6 cos 2σₘ (−3 + 4 sin²σ)(−3 + 4 cos² 2σₘ)]},
/// s = b A (σ − Δσ).</para>
/// <para>Accuracy: about 0.1 mm in distance and 1e-9 rad in azimuth for any pair of points that
/// converges (checked in the tests against GeographicLib's Karney-algorithm test vectors). The inverse
/// iteration fails to converge for nearly antipodal points (within about half a degree of the
/// antipode): <see cref="TryInverse"/> then returns false, and <see cref="Inverse"/> throws. Theatre-scale
/// air defence (≤ 10,000 km) never meets that case; C. F. F. Karney's algorithm ("Algorithms for
/// geodesics", J. Geodesy 87, 43–55, 2013) would remove it.</para>
/// </remarks>
public static class Geodesic
{
    private const int MaxIterations = 200;

    /// <summary>Solves the inverse problem; false when Vincenty's iteration does not converge (nearly antipodal points).</summary>
    public static bool TryInverse(Geodetic from, Geodetic to, out GeodesicInverse result)
    {
        const double f = Wgs84.F;
        var l = Angle.WrapPi(to.LongitudeRad - from.LongitudeRad);
        var (sinU1, cosU1) = ReducedLatitude(from.LatitudeRad);
        var (sinU2, cosU2) = ReducedLatitude(to.LatitudeRad);

        var lambda = l;
        double sinSigma, cosSigma, sigma, sinAlpha, cos2Alpha, cos2SigmaM, sinLambda, cosLambda;
        var iterations = 0;
        while (true)
        {
            (sinLambda, cosLambda) = Math.SinCos(lambda);
            var t1 = cosU2 * sinLambda;
            var t2 = (cosU1 * sinU2) - (sinU1 * cosU2 * cosLambda);
            sinSigma = Math.Sqrt((t1 * t1) + (t2 * t2));
            if (sinSigma == 0)
            {
                // Coincident points (or exactly antipodal on the polar axis, where any azimuth is a geodesic).
                var coincident = Math.Abs(from.LatitudeRad - to.LatitudeRad) < Math.PI / 2;
                result = coincident ? new GeodesicInverse(Length.FromMetres(0), Angle.Zero, Angle.Zero) : default;
                return coincident;
            }

            cosSigma = (sinU1 * sinU2) + (cosU1 * cosU2 * cosLambda);
            sigma = Math.Atan2(sinSigma, cosSigma);
            sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma;
            cos2Alpha = 1 - (sinAlpha * sinAlpha);
            cos2SigmaM = cos2Alpha != 0 ? cosSigma - (2 * sinU1 * sinU2 / cos2Alpha) : 0;
            var c = f / 16 * cos2Alpha * (4 + (f * (4 - (3 * cos2Alpha))));
            var next = l + ((1 - c) * f * sinAlpha *
                (sigma + (c * sinSigma * (cos2SigmaM + (c * cosSigma * (-1 + (2 * cos2SigmaM * cos2SigmaM)))))));
            var converged = Math.Abs(next - lambda) < 1e-13;
            lambda = next;
            if (converged)
            {
                break;
            }

            if (++iterations >= MaxIterations || Math.Abs(lambda) > Math.PI)
            {
                result = default;
                return false;
            }
        }

        (sinLambda, cosLambda) = Math.SinCos(lambda);
        var (a, b) = SeriesAB(cos2Alpha);
        var deltaSigma = DeltaSigma(b, sinSigma, cosSigma, cos2SigmaM);
        var s = Wgs84.B * a * (sigma - deltaSigma);
        var az1 = Math.Atan2(cosU2 * sinLambda, (cosU1 * sinU2) - (sinU1 * cosU2 * cosLambda));
        var az2 = Math.Atan2(cosU1 * sinLambda, (-sinU1 * cosU2) + (cosU1 * sinU2 * cosLambda));
        result = new GeodesicInverse(
            Length.FromMetres(s), Angle.FromRadians(az1).Normalized0To2Pi(), Angle.FromRadians(az2).Normalized0To2Pi());
        return true;
    }

    /// <summary>Solves the inverse problem; throws <see cref="InvalidOperationException"/> for nearly antipodal points.</summary>
    public static GeodesicInverse Inverse(Geodetic from, Geodetic to) =>
        TryInverse(from, to, out var r)
            ? r
            : throw new InvalidOperationException($"Vincenty's inverse did not converge between {from} and {to} (nearly antipodal points).");

    /// <summary>Geodesic distance on the ellipsoid.</summary>
    public static Length Distance(Geodetic from, Geodetic to) => Inverse(from, to).Distance;

    /// <summary>Initial azimuth (bearing) of the geodesic from <paramref name="from"/> to <paramref name="to"/>, in [0, 2π).</summary>
    public static Angle InitialBearing(Geodetic from, Geodetic to) => Inverse(from, to).InitialAzimuth;

    /// <summary>Solves the direct problem: the point reached from <paramref name="from"/> along azimuth <paramref name="azimuth"/> after <paramref name="distance"/>.</summary>
    public static GeodesicDirect Direct(Geodetic from, Angle azimuth, Length distance)
    {
        const double f = Wgs84.F;
        var (sinAlpha1, cosAlpha1) = Math.SinCos(azimuth.Radians);
        var (sinU1, cosU1) = ReducedLatitude(from.LatitudeRad);
        var sigma1 = Math.Atan2(sinU1, cosU1 * cosAlpha1);
        var sinAlpha = cosU1 * sinAlpha1;
        var cos2Alpha = 1 - (sinAlpha * sinAlpha);
        var (a, b) = SeriesAB(cos2Alpha);

        var s0 = distance.Metres / (Wgs84.B * a);
        var sigma = s0;
        double sinSigma, cosSigma, cos2SigmaM;
        var iterations = 0;
        while (true)
        {
            cos2SigmaM = Math.Cos((2 * sigma1) + sigma);
            (sinSigma, cosSigma) = Math.SinCos(sigma);
            var next = s0 + DeltaSigma(b, sinSigma, cosSigma, cos2SigmaM);
            var done = Math.Abs(next - sigma) < 1e-14 || ++iterations >= MaxIterations;
            sigma = next;
            if (done)
            {
                break;
            }
        }

        cos2SigmaM = Math.Cos((2 * sigma1) + sigma);
        (sinSigma, cosSigma) = Math.SinCos(sigma);
        var tmp = (sinU1 * sinSigma) - (cosU1 * cosSigma * cosAlpha1);
        var lat2 = Math.Atan2(
            (sinU1 * cosSigma) + (cosU1 * sinSigma * cosAlpha1),
            (1 - f) * Math.Sqrt((sinAlpha * sinAlpha) + (tmp * tmp)));
        var lambda = Math.Atan2(sinSigma * sinAlpha1, (cosU1 * cosSigma) - (sinU1 * sinSigma * cosAlpha1));
        var c = f / 16 * cos2Alpha * (4 + (f * (4 - (3 * cos2Alpha))));
        var l = lambda - ((1 - c) * f * sinAlpha *
            (sigma + (c * sinSigma * (cos2SigmaM + (c * cosSigma * (-1 + (2 * cos2SigmaM * cos2SigmaM)))))));
        var lon2 = Angle.WrapPi(from.LongitudeRad + l);
        var az2 = Math.Atan2(sinAlpha, -tmp);
        return new GeodesicDirect(new Geodetic(lat2, lon2, from.HeightM), Angle.FromRadians(az2).Normalized0To2Pi());
    }

    /// <summary>sin U, cos U of the reduced latitude, tan U = (1 − f) tan φ, without tan at the poles.</summary>
    private static (double Sin, double Cos) ReducedLatitude(double lat)
    {
        var (s, c) = Math.SinCos(lat);
        var u = Math.Atan2((1 - Wgs84.F) * s, c);
        return Math.SinCos(u);
    }

    private static (double A, double B) SeriesAB(double cos2Alpha)
    {
        var u2 = cos2Alpha * ((Wgs84.A * Wgs84.A) - (Wgs84.B * Wgs84.B)) / (Wgs84.B * Wgs84.B);
        var a = 1 + (u2 / 16384 * (4096 + (u2 * (-768 + (u2 * (320 - (175 * u2)))))));
        var b = u2 / 1024 * (256 + (u2 * (-128 + (u2 * (74 - (47 * u2))))));
        return (a, b);
    }

    private static double DeltaSigma(double b, double sinSigma, double cosSigma, double cos2SigmaM)
    {
        var c2 = cos2SigmaM * cos2SigmaM;
        return b * sinSigma * (cos2SigmaM + (b / 4 * ((cosSigma * (-1 + (2 * c2))) -
            (b / 6 * cos2SigmaM * (-3 + (4 * sinSigma * sinSigma)) * (-3 + (4 * c2))))));
    }
}
