using Kizuna.Core.Geodesy;

namespace Kizuna.Core.Tests.Geodesy;

public class Wgs84Tests
{
    private const double Deg = Math.PI / 180.0;

    // GeographicLib CartConvert(1) manual, section EXAMPLES (man/CartConvert.pod in
    // github.com/geographiclib/geographiclib): "echo 33.3 44.4 6000 | CartConvert
    // => 3816209.60 3737108.55 3485109.57" (WGS-84). The manual's examples are truncated, not
    // rounded, to the centimetre (the local example below shows it), so each printed value p must
    // satisfy p ≤ ours < p + 1 cm.
    [Fact]
    public void GeodeticToEcef_CartConvertManualExample_MatchesToTheCentimetre()
    {
        var ecef = Geodetic.FromDegrees(33.3, 44.4, 6000).ToEcef();

        AssertTruncatedToCentimetre(3816209.60, ecef.X);
        AssertTruncatedToCentimetre(3737108.55, ecef.Y);
        AssertTruncatedToCentimetre(3485109.57, ecef.Z);
    }

    // Same manual example, reversed: the printed XYZ (rounded to 5 mm at most) must give back
    // 33.3°, 44.4°, 6000 m within that rounding.
    [Fact]
    public void EcefToGeodetic_CartConvertManualExample_RecoversTheInput()
    {
        var g = Wgs84.EcefToGeodetic(new Vec3(3816209.60, 3737108.55, 3485109.57));

        // 1 cm of truncation in XYZ is at most 1e-7° of latitude or longitude at this radius.
        Assert.Equal(33.3, g.LatitudeDeg, 1e-7);
        Assert.Equal(44.4, g.LongitudeDeg, 1e-7);
        Assert.Equal(6000.0, g.HeightM, 0.02);
    }

    // CartConvert manual, EXAMPLES: "echo 30000 30000 0 | CartConvert -r => 6.483 45 -6335709.73".
    // The point lies inside the evolute (42 km from the centre), where GeographicLib returns the
    // nearest point of the ellipsoid.
    [Fact]
    public void EcefToGeodetic_CartConvertManualInsideEvolute_MatchesNearestPointSolution()
    {
        var g = Wgs84.EcefToGeodetic(new Vec3(30000, 30000, 0));

        Assert.Equal(6.483, g.LatitudeDeg, 0.0005);
        Assert.Equal(45.0, g.LongitudeDeg, 1e-12);
        Assert.Equal(-6335709.73, g.HeightM, 0.005);
    }

    // CartConvert manual, EXAMPLES: "echo 33.3 44.4 6000 | CartConvert -l 33 44 20
    // => 37288.97 33374.29 5783.64" (local east, north, up in metres). The exact up value is
    // 5783.6466 m, so the manual truncates (rounding would print 5783.65).
    [Fact]
    public void EnuFrame_CartConvertLocalExample_MatchesToTheCentimetre()
    {
        var frame = new EnuFrame(Geodetic.FromDegrees(33, 44, 20));

        var enu = frame.ToEnu(Geodetic.FromDegrees(33.3, 44.4, 6000));

        AssertTruncatedToCentimetre(37288.97, enu.X);
        AssertTruncatedToCentimetre(33374.29, enu.Y);
        AssertTruncatedToCentimetre(5783.64, enu.Z);
    }

    private static void AssertTruncatedToCentimetre(double printed, double actual) =>
        Assert.True(actual >= printed - 1e-6 && actual < printed + 0.01 + 1e-6, $"{actual} does not truncate to {printed}");

    // IOGP Publication 373-7-2 (EPSG Guidance Note 7-2), §2.2.1 "Geographic/geocentric
    // conversions" worked example on WGS 84: 53°48'33.820"N, 2°07'46.380"E, 73.0 m ⇔
    // X = 3771793.968 m, Y = 140253.342 m, Z = 5124304.349 m.
    [Fact]
    public void Conversions_EpsgGuidanceNote72Example_MatchBothWays()
    {
        var lat = 53 + (48 / 60.0) + (33.820 / 3600.0);
        var lon = 2 + (7 / 60.0) + (46.380 / 3600.0);

        var ecef = Geodetic.FromDegrees(lat, lon, 73.0).ToEcef();
        var back = Wgs84.EcefToGeodetic(new Vec3(3771793.968, 140253.342, 5124304.349));

        Assert.Equal(3771793.968, ecef.X, 0.001);
        Assert.Equal(140253.342, ecef.Y, 0.001);
        Assert.Equal(5124304.349, ecef.Z, 0.001);
        Assert.Equal(lat, back.LatitudeDeg, 0.001 / 3600.0);
        Assert.Equal(lon, back.LongitudeDeg, 0.001 / 3600.0);
        Assert.Equal(73.0, back.HeightM, 0.001);
    }

    /// <summary>
    /// Dense deterministic grid: every 0.5° of latitude (plus points within 1e-7° of the poles and
    /// the equator), every 5° of longitude including ±180°, 15 heights from −1,000 km to +40,000 km.
    /// The error is the 3-D distance between the input ECEF point and the ECEF of the recovered
    /// geodetic point, plus the height difference, both in metres.
    /// </summary>
    [Fact]
    public void RoundTrip_DenseGridMinus1000KmTo40000Km_PositionErrorBelowOneMillimetre()
    {
        double[] heights = [-1e6, -5e5, -1e5, -1e4, -1000, -1, 0, 1, 1000, 1e4, 1e5, 1e6, 1e7, 2e7, 3.6e7, 4e7];
        var lats = new List<double>();
        for (var i = -180; i <= 180; i++)
        {
            lats.Add(i * 0.5);
        }

        lats.AddRange([90 - 1e-7, -90 + 1e-7, 90 - 1e-12, -90 + 1e-12, 1e-9, -1e-9]);
        var worst = 0.0;
        var worstAt = default(Geodetic);
        var count = 0;
        foreach (var lat in lats)
        {
            for (var lon = -180; lon <= 180; lon += 5)
            {
                foreach (var h in heights)
                {
                    var g = Geodetic.FromDegrees(lat, lon, h);
                    var ecef = g.ToEcef();
                    var back = Wgs84.EcefToGeodetic(ecef);
                    var err = Math.Max((back.ToEcef() - ecef).Norm, Math.Abs(back.HeightM - h));
                    count++;
                    if (!(err <= worst))
                    {
                        worst = err;
                        worstAt = g;
                    }
                }
            }
        }

        Assert.True(count > 200_000, $"grid too small: {count}");
        Assert.True(worst < 1e-3, $"worst round-trip error {worst:E3} m at {worstAt}");
    }

    [Theory]
    [InlineData(90.0, 0.0, 0.0)]
    [InlineData(-90.0, 0.0, 0.0)]
    [InlineData(90.0, 0.0, -1e6)]
    [InlineData(-90.0, 0.0, 4e7)]
    [InlineData(0.0, 180.0, 0.0)]
    [InlineData(0.0, -180.0, 1e5)]
    [InlineData(0.0, 0.0, -1e6)]
    [InlineData(45.0, 179.9999999, 1e4)]
    public void EcefToGeodetic_SpecialPoints_RecoversLatitudeAndHeight(double latDeg, double lonDeg, double h)
    {
        var g = Geodetic.FromDegrees(latDeg, lonDeg, h);

        var back = Wgs84.EcefToGeodetic(g.ToEcef());

        Assert.Equal(latDeg, back.LatitudeDeg, 1e-11);
        Assert.Equal(h, back.HeightM, 1e-6);
        if (Math.Abs(latDeg) < 90)
        {
            // ±180° are the same meridian: compare on the circle.
            Assert.Equal(0, Angle.WrapPi((back.LongitudeDeg - lonDeg) * Deg), 1e-12);
        }
    }

    [Fact]
    public void EcefToGeodetic_OnPolarAxis_GivesPoleAndExactHeight()
    {
        var north = Wgs84.EcefToGeodetic(new Vec3(0, 0, Wgs84.B + 1234.5));
        var south = Wgs84.EcefToGeodetic(new Vec3(0, 0, -Wgs84.B - 1234.5));

        Assert.Equal(90.0, north.LatitudeDeg, 1e-12);
        Assert.Equal(1234.5, north.HeightM, 1e-6);
        Assert.Equal(-90.0, south.LatitudeDeg, 1e-12);
        Assert.Equal(1234.5, south.HeightM, 1e-6);
    }

    /// <summary>
    /// Inside the evolute the inverse has several solutions; the one returned must round-trip and
    /// be the nearest point of the meridian ellipse (checked against a brute-force scan).
    /// </summary>
    [Theory]
    [InlineData(30000.0, 0.0, 0.0)]
    [InlineData(30000.0, 0.0, 100.0)]
    [InlineData(1000.0, 0.0, -20000.0)]
    [InlineData(0.0, 0.0, 0.0)]
    [InlineData(20000.0, 20000.0, 30000.0)]
    public void EcefToGeodetic_InsideEvolute_RoundTripsAndIsNearestFootPoint(double x, double y, double z)
    {
        var p = new Vec3(x, y, z);

        var g = Wgs84.EcefToGeodetic(p);

        Assert.True((g.ToEcef() - p).Norm < 1e-6, $"round trip {(g.ToEcef() - p).Norm} m");
        var w = Math.Sqrt((x * x) + (y * y));
        var nearest = double.MaxValue;
        for (var i = 0; i <= 200_000; i++)
        {
            var beta = (-0.5 + (i / 200_000.0)) * Math.PI;
            var dw = (Wgs84.A * Math.Cos(beta)) - w;
            var dz = (Wgs84.B * Math.Sin(beta)) - z;
            nearest = Math.Min(nearest, Math.Sqrt((dw * dw) + (dz * dz)));
        }

        Assert.True(-g.HeightM <= nearest + 1e-3, $"|h| = {-g.HeightM} m but a foot point {nearest} m away exists");
    }
}
