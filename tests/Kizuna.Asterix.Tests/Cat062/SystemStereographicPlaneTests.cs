using Kizuna.Asterix.Cat062;
using Kizuna.Core.Geodesy;

namespace Kizuna.Asterix.Tests.Cat062;

/// <summary>The CAT062 system plane (EPSG 9809 Oblique Stereographic) against a published example and its own inverse.</summary>
public sealed class SystemStereographicPlaneTests
{
    private static double Dms(int d, int m, double s) => d + (m / 60.0) + (s / 3600.0);

    [Fact]
    public void ToPlane_IogpGuidanceNoteExample_MatchesPublishedGridCoordinates()
    {
        // IOGP Guidance Note 7-2, Oblique Stereographic worked example: Amersfoort / RD New on the Bessel 1841 ellipsoid,
        // origin 52°09'22.178"N 5°23'15.500"E, k0 = 0.9999079, FE = 155,000 m, FN = 463,000 m; 53°N 6°E → E 196,105.283, N 557,057.739.
        var plane = SystemStereographicPlane.Create(Geodetic.FromDegrees(Dms(52, 9, 22.178), Dms(5, 23, 15.5)), 6_377_397.155, 1 / 299.1528128, 0.9999079);

        var (x, y) = plane.ToPlane(Geodetic.FromDegrees(53, 6));

        Assert.Equal(196_105.283, x + 155_000, 0.002);
        Assert.Equal(557_057.739, y + 463_000, 0.002);
    }

    [Theory]
    [InlineData(36.0, 135.0, 36.0, 135.0)]
    [InlineData(36.0, 135.0, 26.3, 127.7)]
    [InlineData(36.0, 135.0, 43.1, 141.4)]
    [InlineData(-33.9, 151.2, -12.4, 130.8)]
    [InlineData(45.0, 179.5, 44.0, -178.0)]
    public void FromPlane_OfToPlane_SamePointWithinMillimetres(double lat0, double lon0, double lat, double lon)
    {
        var plane = SystemStereographicPlane.At(Geodetic.FromDegrees(lat0, lon0));
        var point = Geodetic.FromDegrees(lat, lon, 9_000);

        var (x, y) = plane.ToPlane(point);
        var back = plane.FromPlane(x, y, 9_000);

        Assert.True(Geodesic.Distance(point, back).Metres < 1e-3, $"{Geodesic.Distance(point, back).Metres} m");
        Assert.Equal(9_000, back.HeightM);
    }

    [Fact]
    public void ToPlane_NearCentre_AxesAreEastAndNorthAtUnitScale()
    {
        var centre = Geodetic.FromDegrees(36, 135);
        var plane = SystemStereographicPlane.At(centre);
        var frame = new EnuFrame(centre);

        var (xe, ye) = plane.ToPlane(frame.ToGeodetic(new(1_000, 0, 0)));
        var (xn, yn) = plane.ToPlane(frame.ToGeodetic(new(0, 1_000, 0)));

        Assert.Equal(1_000, xe, 0.01);
        Assert.Equal(0, ye, 0.01);
        Assert.Equal(0, xn, 0.01);
        Assert.Equal(1_000, yn, 0.01);
    }

    [Fact]
    public void VelocityToPlane_FarFromCentre_EqualsDisplacementOfPositionOverOneSecond()
    {
        var plane = SystemStereographicPlane.At(Geodetic.FromDegrees(36, 135));
        var point = Geodetic.FromDegrees(27, 128, 10_000);
        var frame = new EnuFrame(point);

        var (vx, vy) = plane.VelocityToPlane(point, 200, -120);
        var (x0, y0) = plane.ToPlane(point);
        var (x1, y1) = plane.ToPlane(frame.ToGeodetic(new(200 * 0.01, -120 * 0.01, 0)));

        // Grid north differs from true north there (convergence of several degrees): the velocity is rotated, not copied.
        Assert.True(Math.Abs(vx - 200) > 1, $"vx {vx}");
        Assert.Equal((x1 - x0) / 0.01, vx, 0.01);
        Assert.Equal((y1 - y0) / 0.01, vy, 0.01);
    }

    [Fact]
    public void At_Pole_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SystemStereographicPlane.At(Geodetic.FromDegrees(90, 0)));
    }
}
