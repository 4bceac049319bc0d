using Kizuna.Core.Geodesy;

namespace Kizuna.Core.Tests.Geodesy;

public class GeodesicTests
{
    // GeographicLib test vectors on WGS-84, from the geographiclib-octave test suite
    // (github.com/geographiclib/geographiclib-octave, inst/geographiclib_test.m, function testrand;
    // rows of Karney's GeodTest data, solved with his algorithm to round-off):
    // lat1, lon1, azi1, lat2, lon2, azi2, s12 (degrees, metres).
    public static TheoryData<double, double, double, double, double, double, double> KarneyVectors => new()
    {
        { 35.60777, -139.44815, 111.098748429560326, -11.17491, -69.95921, 129.289270889708762, 8935244.5604818305 },
        { 55.52454, 106.05087, 22.020059880982801, 77.03196, 197.18234, 109.112041110671519, 4105086.1713924406 },
        { -50.56724, -16.30485, -105.439679907590164, -33.56571, -94.97412, -47.348547835650331, 6455670.5118668696 },
        { -19.79938, -174.47484, 71.167275780171533, -11.99349, -154.35109, 65.589099775199228, 2319004.8601169389 },
        { -41.22777, 122.32875, 14.285113402275739, -7.57291, 130.37946, 10.805303085187369, 3812686.035106021 },
        { -17.42761, 173.34268, -159.033557661192928, -15.84784, 5.93557, -20.787484651536988, 16076603.1631180673 },
    };

    private static double AngleDiffDeg(double a, double b) => Angle.WrapPi((a - b) * Math.PI / 180) * 180 / Math.PI;

    [Theory]
    [MemberData(nameof(KarneyVectors))]
    public void Inverse_KarneyVectors_DistanceWithinOneMillimetreAndAzimuthsWithinMicroDegree(
        double lat1, double lon1, double azi1, double lat2, double lon2, double azi2, double s12)
    {
        var r = Geodesic.Inverse(Geodetic.FromDegrees(lat1, lon1), Geodetic.FromDegrees(lat2, lon2));

        Assert.Equal(s12, r.Distance.Metres, 1e-3);
        Assert.Equal(0, AngleDiffDeg(r.InitialAzimuth.Degrees, azi1), 1e-6);
        Assert.Equal(0, AngleDiffDeg(r.FinalAzimuth.Degrees, azi2), 1e-6);
    }

    [Theory]
    [MemberData(nameof(KarneyVectors))]
    public void Direct_KarneyVectors_EndPointWithinOneMillimetre(
        double lat1, double lon1, double azi1, double lat2, double lon2, double azi2, double s12)
    {
        var start = Geodetic.FromDegrees(lat1, lon1);

        var r = Geodesic.Direct(start, Angle.FromDegrees(azi1), Length.FromMetres(s12));

        var miss = (r.Destination.ToEcef() - Geodetic.FromDegrees(lat2, lon2).ToEcef()).Norm;
        Assert.True(miss < 1e-3, $"end point misses by {miss} m");
        Assert.Equal(0, AngleDiffDeg(r.FinalAzimuth.Degrees, azi2), 1e-6);
    }

    // GeographicLib GeodSolve0 (same test file): JFK → CDG, printed to 0.5e-5° and 0.5 m.
    [Fact]
    public void Inverse_GeodSolve0JfkToCdg_MatchesPublishedFigures()
    {
        var r = Geodesic.Inverse(Geodetic.FromDegrees(40.6, -73.8), Geodetic.FromDegrees(49.01666667, 2.55));

        Assert.Equal(53.47022, r.InitialAzimuth.Degrees, 0.5e-5);
        Assert.Equal(111.59367, r.FinalAzimuth.Degrees, 0.5e-5);
        Assert.Equal(5853226, r.Distance.Metres, 0.5);
    }

    // GeographicLib GeodSolve1: direct from JFK, 5,850 km at 53.5°.
    [Fact]
    public void Direct_GeodSolve1FromJfk_MatchesPublishedFigures()
    {
        var r = Geodesic.Direct(Geodetic.FromDegrees(40.63972222, -73.77888889), Angle.FromDegrees(53.5), Length.FromKilometres(5850));

        Assert.Equal(49.01467, r.Destination.LatitudeDeg, 0.5e-5);
        Assert.Equal(2.56106, r.Destination.LongitudeDeg, 0.5e-5);
        Assert.Equal(111.62947, r.FinalAzimuth.Degrees, 0.5e-5);
    }

    [Fact]
    public void Inverse_CoincidentPoints_GivesZeroDistance()
    {
        var p = Geodetic.FromDegrees(35, 139, 100);

        Assert.Equal(0, Geodesic.Distance(p, p).Metres);
    }

    [Fact]
    public void TryInverse_NearlyAntipodalPoints_ReportsNonConvergenceInsteadOfWrongAnswer()
    {
        var ok = Geodesic.TryInverse(Geodetic.FromDegrees(0, 0), Geodetic.FromDegrees(0.5, 179.7), out _);

        Assert.False(ok);
        Assert.Throws<InvalidOperationException>(() => Geodesic.Inverse(Geodetic.FromDegrees(0, 0), Geodetic.FromDegrees(0.5, 179.7)));
    }

    [Fact]
    public void DirectThenInverse_TheatreScale_RoundTrips()
    {
        var rng = new Random(42);
        for (var i = 0; i < 500; i++)
        {
            var start = Geodetic.FromDegrees((rng.NextDouble() - 0.5) * 160, (rng.NextDouble() - 0.5) * 360);
            var az = Angle.FromDegrees(rng.NextDouble() * 360);
            var s = Length.FromMetres(1 + (rng.NextDouble() * 8e6));

            var end = Geodesic.Direct(start, az, s).Destination;
            var inv = Geodesic.Inverse(start, end);

            Assert.Equal(s.Metres, inv.Distance.Metres, 1e-4);
            Assert.Equal(0, AngleDiffDeg(inv.InitialAzimuth.Degrees, az.Degrees), 1e-7);
        }
    }

    [Fact]
    public void Distance_AlongEquatorQuarter_IsQuarterOfEquatorialCircumference()
    {
        var d = Geodesic.Distance(Geodetic.FromDegrees(0, 0), Geodetic.FromDegrees(0, 90));

        Assert.Equal(Math.PI * Wgs84.A / 2, d.Metres, 1e-6);
    }
}
