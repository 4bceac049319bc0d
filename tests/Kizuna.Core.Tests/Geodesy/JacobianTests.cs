using Kizuna.Core.Geodesy;

namespace Kizuna.Core.Tests.Geodesy;

public class JacobianTests
{
    /// <summary>Central-difference Jacobian ∂f/∂x, column j from steps ±h_j; angle outputs are wrapped.</summary>
    private static Mat3 CentralDifference(Func<Vec3, Vec3> f, Vec3 x, Vec3 h, bool wrapAngleRows = false)
    {
        var cols = new Vec3[3];
        for (var j = 0; j < 3; j++)
        {
            var d = j switch { 0 => new Vec3(h.X, 0, 0), 1 => new Vec3(0, h.Y, 0), _ => new Vec3(0, 0, h.Z) };
            var diff = f(x + d) - f(x - d);
            if (wrapAngleRows)
            {
                diff = new Vec3(diff.X, Angle.WrapPi(diff.Y), diff.Z);
            }

            cols[j] = diff / (2 * h[j]);
        }

        return new Mat3(
            cols[0].X, cols[1].X, cols[2].X,
            cols[0].Y, cols[1].Y, cols[2].Y,
            cols[0].Z, cols[1].Z, cols[2].Z);
    }

    private static void AssertClose(Mat3 expected, Mat3 actual, double relTol)
    {
        var scale = 0.0;
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                scale = Math.Max(scale, Math.Abs(expected[i, j]));
            }
        }

        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                Assert.True(
                    Math.Abs(expected[i, j] - actual[i, j]) <= relTol * scale,
                    $"[{i},{j}] expected {expected[i, j]:R} actual {actual[i, j]:R}\nexpected {expected}\nactual {actual}");
            }
        }
    }

    public static TheoryData<double, double, double> PolarPoints => new()
    {
        { 50_000, 30, 2 },
        { 1_000, 200, 45 },
        { 400_000, 359, 0.1 },
        { 80_000, 95, -3 },
        { 2_000_000, 270, 60 },
    };

    [Theory]
    [MemberData(nameof(PolarPoints))]
    public void PolarToEnu_AgainstCentralDifferences_Matches(double r, double azDeg, double elDeg)
    {
        var z = new RadarPolar(r, azDeg * Math.PI / 180, elDeg * Math.PI / 180);

        var analytic = Jacobians.PolarToEnu(z);
        var numeric = CentralDifference(
            v => new RadarPolar(v.X, v.Y, v.Z).ToEnu(), z.AsVector(), new Vec3(1e-2, 1e-7, 1e-7));

        AssertClose(numeric, analytic, 1e-7);
    }

    [Theory]
    [MemberData(nameof(PolarPoints))]
    public void EnuToPolar_AgainstCentralDifferences_Matches(double r, double azDeg, double elDeg)
    {
        var enu = new RadarPolar(r, azDeg * Math.PI / 180, elDeg * Math.PI / 180).ToEnu();

        var analytic = Jacobians.EnuToPolar(enu);
        var numeric = CentralDifference(v => RadarPolar.FromEnu(v).AsVector(), enu, new Vec3(1e-2, 1e-2, 1e-2), wrapAngleRows: true);

        // Rows differ in units (range vs angles): compare each row at its own scale.
        for (var i = 0; i < 3; i++)
        {
            var sel = Mat3.Diagonal(i == 0 ? 1 : 0, i == 1 ? 1 : 0, i == 2 ? 1 : 0);
            AssertClose(sel * numeric, sel * analytic, 1e-6);
        }
    }

    [Theory]
    [MemberData(nameof(PolarPoints))]
    public void AzimuthElevationFromEnu_AgainstCentralDifferences_Matches(double r, double azDeg, double elDeg)
    {
        var enu = new RadarPolar(r, azDeg * Math.PI / 180, elDeg * Math.PI / 180).ToEnu();

        var analytic = Jacobians.AzimuthElevationFromEnu(enu);
        var numeric = CentralDifference(
            v =>
            {
                var p = RadarPolar.FromEnu(v);
                return new Vec3(p.AzimuthRad, p.ElevationRad, 0);
            },
            enu,
            new Vec3(1e-2, 1e-2, 1e-2));
        numeric = new Mat3(
            Angle.WrapPi(numeric.M00 * 2e-2) / 2e-2, Angle.WrapPi(numeric.M01 * 2e-2) / 2e-2, Angle.WrapPi(numeric.M02 * 2e-2) / 2e-2,
            numeric.M10, numeric.M11, numeric.M12,
            numeric.M20, numeric.M21, numeric.M22);

        AssertClose(numeric, analytic, 1e-6);
        Assert.Equal(0.0, analytic.M20);
        Assert.Equal(0.0, analytic.M21);
        Assert.Equal(0.0, analytic.M22);
    }

    public static TheoryData<double, double, double> GeodeticPoints => new()
    {
        { 35.6, 139.7, 50 },
        { -33.9, 151.2, 11_000 },
        { 0, -180, 0 },
        { 89.5, 10, 300_000 },
        { -60, -70, -100 },
    };

    [Theory]
    [MemberData(nameof(GeodeticPoints))]
    public void GeodeticToEcef_AgainstCentralDifferences_Matches(double latDeg, double lonDeg, double h)
    {
        var g = Geodetic.FromDegrees(latDeg, lonDeg, h);

        var analytic = Jacobians.GeodeticToEcef(g);
        var numeric = CentralDifference(
            v => Wgs84.GeodeticToEcef(new Geodetic(v.X, v.Y, v.Z)),
            new Vec3(g.LatitudeRad, g.LongitudeRad, g.HeightM),
            new Vec3(1e-7, 1e-7, 1.0));

        AssertClose(numeric, analytic, 1e-7);
    }

    [Theory]
    [MemberData(nameof(GeodeticPoints))]
    public void GeodeticToLocalEnu_AgainstCentralDifferencesInFrameAtPoint_Matches(double latDeg, double lonDeg, double h)
    {
        var g = Geodetic.FromDegrees(latDeg, lonDeg, h);
        var frame = new EnuFrame(g);

        var analytic = Jacobians.GeodeticToLocalEnu(g);
        var numeric = CentralDifference(
            v => frame.ToEnu(new Geodetic(v.X, v.Y, v.Z)),
            new Vec3(g.LatitudeRad, g.LongitudeRad, g.HeightM),
            new Vec3(1e-7, 1e-7, 1.0));

        AssertClose(numeric, analytic, 1e-6);
        AssertClose(Mat3.Identity, Jacobians.LocalEnuToGeodetic(g) * analytic, 1e-12);
    }

    [Fact]
    public void RadiiOfCurvature_AtEquatorAndPole_MatchClosedForms()
    {
        var (nEq, mEq) = Jacobians.RadiiOfCurvature(0);
        var (nPole, mPole) = Jacobians.RadiiOfCurvature(1);

        Assert.Equal(Wgs84.A, nEq, 1e-6);
        Assert.Equal(Wgs84.A * (1 - Wgs84.E2), mEq, 1e-6);
        Assert.Equal(Wgs84.A * Wgs84.A / Wgs84.B, nPole, 1e-6);
        Assert.Equal(nPole, mPole, 1e-6);
    }
}
