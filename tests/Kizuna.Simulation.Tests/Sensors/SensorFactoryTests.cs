using Kizuna.Simulation.Scenario;
using Kizuna.Simulation.Sensors;
using static Kizuna.Simulation.Tests.Sensors.SensorTestKit;

namespace Kizuna.Simulation.Tests.Sensors;

public class SensorFactoryTests
{
    [Theory]
    [InlineData(SensorType.SurfaceRadar, typeof(RadarModel))]
    [InlineData(SensorType.AirborneRadar, typeof(RadarModel))]
    [InlineData(SensorType.SpaceInfrared, typeof(SpaceInfraredModel))]
    [InlineData(SensorType.AdsbReceiver, typeof(AdsbReceiverModel))]
    public void Create_EachType_BuildsMatchingModel(SensorType type, Type expected)
    {
        var definition = Radar("s-7") with { Type = type, RevisitPeriod = 4 };
        var model = SensorFactory.Create(definition, FixedTrajectory.At(RadarSite), 7);
        Assert.IsType(expected, model);
        Assert.Equal("s-7", model.Id);
        Assert.Equal(Core.Nation.Japan, model.Nation);
        Assert.Equal(4, model.RevisitPeriod);
    }

    [Fact]
    public void Create_NonPositiveRevisit_Throws() =>
        Assert.Throws<ArgumentException>(() => SensorFactory.Create(Radar() with { RevisitPeriod = 0 }, FixedTrajectory.At(RadarSite), 0));

    [Fact]
    public void Create_FalseAlarmProbabilityOutOfRange_Throws() =>
        Assert.Throws<ArgumentException>(() => SensorFactory.Create(Radar() with { FalseAlarmProbability = 1.5 }, FixedTrajectory.At(RadarSite), 0));

    [Fact]
    public void Create_FixedDetectionProbabilityAboveOne_Throws() =>
        Assert.Throws<ArgumentException>(() => SensorFactory.Create(Radar() with { Type = SensorType.AdsbReceiver, FixedDetectionProbability = 1.2 }, FixedTrajectory.At(RadarSite), 0));
}
