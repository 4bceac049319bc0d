using Kizuna.Core.Geodesy;

namespace Kizuna.Core.Tests.Geodesy;

public class RadarHorizonTests
{
    // Skolnik, "Introduction to Radar Systems" 3rd ed., §8.3, 4/3-Earth model: d = √(2kRhₐ) + √(2kRhₜ).
    [Theory]
    [InlineData(10.0, 50.0, 42_000.0)]
    [InlineData(10.0, 10_000.0, 425_000.0)]
    public void MaxLineOfSight_TenMetreMast_MatchesBriefFiguresWithinOnePointFivePercent(double mast, double target, double expected)
    {
        var d = RadarHorizon.MaxLineOfSight(mast, target);

        Assert.InRange(d, expected * 0.985, expected * 1.015);
    }

    [Fact]
    public void HorizonDistance_ZeroOrNegativeHeight_IsZero()
    {
        Assert.Equal(0, RadarHorizon.HorizonDistance(0));
        Assert.Equal(0, RadarHorizon.HorizonDistance(-5));
    }

    [Theory]
    [InlineData(50.0)]
    [InlineData(10_000.0)]
    public void IsVisible_RealPointsEitherSideOfTheLimit_TrueInsideFalseOutside(double targetHeight)
    {
        // A 10 m mast on the Boso peninsula, looking south-east over the Pacific.
        var mast = Geodetic.FromDegrees(35.0, 140.0, 10);
        var limit = RadarHorizon.MaxLineOfSight(10, targetHeight);

        var inside = Geodesic.Direct(mast, Angle.FromDegrees(135), Length.FromMetres(limit * 0.98)).Destination with { HeightM = targetHeight };
        var outside = Geodesic.Direct(mast, Angle.FromDegrees(135), Length.FromMetres(limit * 1.02)).Destination with { HeightM = targetHeight };

        Assert.True(RadarHorizon.IsVisible(mast, inside));
        Assert.False(RadarHorizon.IsVisible(mast, outside));
    }

    [Fact]
    public void GroundDistance_OneDegreeOfLatitude_IsMeanRadiusArc()
    {
        var d = RadarHorizon.GroundDistance(Geodetic.FromDegrees(10, 20), Geodetic.FromDegrees(11, 20));

        Assert.Equal(RadarHorizon.EarthRadius * Math.PI / 180, d, 1e-6);
    }
}
