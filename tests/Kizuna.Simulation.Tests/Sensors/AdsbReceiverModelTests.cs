using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Simulation.Motion;
using Kizuna.Simulation.Scenario;
using Kizuna.Simulation.Sensors;
using static Kizuna.Simulation.Tests.Sensors.SensorTestKit;

namespace Kizuna.Simulation.Tests.Sensors;

public class AdsbReceiverModelTests
{
    private const int Trials = 10_000;

    private static SensorDefinition Definition() => new()
    {
        Id = "adsb-1",
        Nation = Nation.Australia,
        Platform = "site-1",
        Type = SensorType.AdsbReceiver,
        RevisitPeriod = 1,
        PositionSigma = 12,
        AltitudeSigma = 20,
    };

    private static AdsbReceiverModel Build(SensorDefinition definition) => new(definition, FixedTrajectory.At(RadarSite), 0);

    private static Geodetic North(double groundDistance, double height) =>
        Geodetic.FromDegrees(RadarSite.LatitudeDeg + (groundDistance / RadarHorizon.EarthRadius * 180 / Math.PI), RadarSite.LongitudeDeg, height);

    /// <summary>Acceptance: reception probability 0.98 (default) within 3σ over 10,000 reports.</summary>
    [Fact]
    public void Scan_DefaultReceptionProbability_EmpiricalRateMatches098()
    {
        var receiver = Build(Definition());
        Assert.Equal(0.98, receiver.ReceptionProbability);
        var objects = new[] { Target(1, FixedTrajectory.At(North(150_000, 10_000)), kind: ObjectKind.CivilAircraft, icao: 0x7C1234) };
        var context = Context(objects, 41);
        var output = new List<Detection>();
        for (var k = 0; k < Trials; k++)
        {
            receiver.Scan(k, context, output);
        }

        AssertProportion(output.Count, Trials, 0.98, "ADS-B reception");
    }

    /// <summary>
    /// Acceptance: reported positions differ from truth by zero-mean errors with σ_E = σ_N = PositionSigma
    /// and σ_U = AltitudeSigma in the local ENU axes (3σ on mean and variance over 10,000 reports);
    /// kind, covariance, identity and broadcast time are as specified.
    /// </summary>
    [Fact]
    public void Scan_ManyReports_PositionNoiseMatchesGpsSigmas()
    {
        var definition = Definition() with { FixedDetectionProbability = 1 };
        var receiver = Build(definition);
        var truth = North(200_000, 11_000);
        const uint icao = 0x7C4A2B;
        var objects = new[] { Target(9, FixedTrajectory.At(truth), kind: ObjectKind.CivilAircraft, icao: icao) };
        var context = Context(objects, 42);
        var output = new List<Detection>();
        for (var k = 0; k < Trials; k++)
        {
            receiver.Scan(k, context, output);
        }

        Assert.Equal(Trials, output.Count);
        var first = output[0];
        Assert.Equal(MeasurementKind.Geodetic, first.Kind);
        Assert.Equal(icao, first.Identity);
        Assert.Equal(9, first.TruthId);
        Assert.Equal(Mat3.Diagonal(144, 144, 400), first.Covariance);
        Assert.Equal(AdsbReceiverModel.BroadcastPhase(icao), Seconds(first.Time), 6);
        var frame = new EnuFrame(truth);
        var errors = output.Select(d => frame.ToEnu(new Geodetic(d.Value.X, d.Value.Y, d.Value.Z))).ToArray();
        AssertZeroMeanWithSigma(errors.Select(e => e.X).ToArray(), 12, "east");
        AssertZeroMeanWithSigma(errors.Select(e => e.Y).ToArray(), 12, "north");
        AssertZeroMeanWithSigma(errors.Select(e => e.Z).ToArray(), 20, "up");
    }

    [Fact]
    public void Scan_NonCooperativeBeyondHorizonOrRange_NotReported()
    {
        var receiver = Build(Definition() with { FixedDetectionProbability = 1, MaxRange = 400_000 });
        var objects = new[]
        {
            Target(1, FixedTrajectory.At(North(100_000, 10_000)), kind: ObjectKind.Aircraft), // no ICAO
            Target(2, FixedTrajectory.At(North(100_000, 200)), kind: ObjectKind.CivilAircraft, icao: 0xA00001), // below horizon (LOS ≈ 71 km)
            Target(3, FixedTrajectory.At(North(420_000, 12_000)), kind: ObjectKind.CivilAircraft, icao: 0xA00002), // beyond max range
            Target(4, FixedTrajectory.At(North(60_000, 200)), kind: ObjectKind.CivilAircraft, icao: 0xA00003), // seen
        };
        Assert.True(RadarHorizon.MaxLineOfSight(10, 200) < 100_000);
        Assert.True(RadarHorizon.MaxLineOfSight(10, 12_000) > 420_000);
        var output = new List<Detection>();
        for (var k = 0; k < 50; k++)
        {
            receiver.Scan(k, Context(objects, 43), output);
        }

        Assert.Equal(50, output.Count);
        Assert.All(output, d => Assert.Equal(0xA00003u, d.Identity));
    }

    [Fact]
    public void BroadcastPhase_DifferentAddresses_SpreadOverPeriod()
    {
        var phases = Enumerable.Range(0, 1000).Select(i => AdsbReceiverModel.BroadcastPhase((uint)(0x7C0000 + i))).ToArray();
        Assert.All(phases, p => Assert.InRange(p, 0, 1));
        AssertProportion(phases.Count(p => p < 0.5), phases.Length, 0.5, "phases in first half");
    }
}
