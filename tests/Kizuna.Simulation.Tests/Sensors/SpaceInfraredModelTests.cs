using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Simulation.Motion;
using Kizuna.Simulation.Scenario;
using Kizuna.Simulation.Sensors;
using static Kizuna.Simulation.Tests.Sensors.SensorTestKit;

namespace Kizuna.Simulation.Tests.Sensors;

public class SpaceInfraredModelTests
{
    private const int Trials = 10_000;

    /// <summary>Geostationary radius 42,164 km → height ≈ 35,786 km over the equator at 140°E.</summary>
    private static readonly Geodetic SatelliteSubPoint = Geodetic.FromDegrees(0, 140, 35_786_000);

    private static readonly Geodetic LaunchArea = Geodetic.FromDegrees(39.0, 125.7, 60_000);

    private static SensorDefinition Definition() => new()
    {
        Id = "sbirs-1",
        Nation = Nation.Usa,
        Platform = "geo-1",
        Type = SensorType.SpaceInfrared,
        RevisitPeriod = 4,
        AngleSigma = 30e-6,
    };

    private static SpaceInfraredModel Build(SensorDefinition definition) => new(definition, FixedTrajectory.At(SatelliteSubPoint), 0);

    [Fact]
    public void Scan_BoostingMissile_SeenButNotCoastingMissileOrAircraft()
    {
        var sensor = Build(Definition() with { FixedDetectionProbability = 1 });
        var objects = new[]
        {
            Target(1, FixedTrajectory.At(LaunchArea, boosting: true), kind: ObjectKind.BallisticMissile),
            Target(2, FixedTrajectory.At(LaunchArea with { HeightM = 200_000 }), kind: ObjectKind.BallisticMissile),
            Target(3, FixedTrajectory.At(LaunchArea with { HeightM = 10_000 }), kind: ObjectKind.Aircraft),
        };
        var output = new List<Detection>();
        sensor.Scan(8, Context(objects, 31), output);
        var detection = Assert.Single(output);
        Assert.Equal(1, detection.TruthId);
        Assert.Equal(MeasurementKind.AzimuthElevation, detection.Kind);
        Assert.Equal(8, Seconds(detection.Time), 9);
        Assert.Equal(SatelliteSubPoint.HeightM, detection.SensorSite.HeightM, 3);
    }

    /// <summary>A boosting missile on the far side of the Earth from the satellite (140°E → 40°W) is never seen; the blockage test agrees.</summary>
    [Fact]
    public void Scan_EarthBlockedBoostingMissile_NotSeen()
    {
        var farSide = Geodetic.FromDegrees(10, -40, 100_000);
        var limbVisible = Geodetic.FromDegrees(0, 140 - 70, 100_000);
        Assert.True(SpaceInfraredModel.IsEarthBlocked(SatelliteSubPoint.ToEcef(), farSide.ToEcef()));
        Assert.False(SpaceInfraredModel.IsEarthBlocked(SatelliteSubPoint.ToEcef(), limbVisible.ToEcef()));

        var sensor = Build(Definition() with { FixedDetectionProbability = 1 });
        var objects = new[]
        {
            Target(1, FixedTrajectory.At(farSide, boosting: true), kind: ObjectKind.BallisticMissile),
            Target(2, FixedTrajectory.At(limbVisible, boosting: true), kind: ObjectKind.BallisticMissile),
        };
        var output = new List<Detection>();
        for (var k = 0; k < 100; k++)
        {
            sensor.Scan(k * 4.0, Context(objects, 32), output);
        }

        Assert.Equal(100, output.Count);
        Assert.All(output, d => Assert.Equal(2, d.TruthId));
    }

    /// <summary>
    /// Just beyond the limb: a point on the surface 85° of longitude away along the equator lies past
    /// the tangent point (≈ 81.3° central angle for GEO) and is blocked; one at 80° is not.
    /// </summary>
    [Theory]
    [InlineData(80.0, false)]
    [InlineData(85.0, true)]
    public void IsEarthBlocked_NearLimb_MatchesTangentGeometry(double longitudeOffsetDeg, bool blocked) =>
        Assert.Equal(blocked, SpaceInfraredModel.IsEarthBlocked(SatelliteSubPoint.ToEcef(), Geodetic.FromDegrees(0, 140 - longitudeOffsetDeg, 10_000).ToEcef()));

    /// <summary>Acceptance: the default detection probability (0.99) is met within 3σ over 10,000 scans.</summary>
    [Fact]
    public void Scan_DefaultPd_EmpiricalRateMatches099()
    {
        var sensor = Build(Definition());
        Assert.Equal(0.99, sensor.DetectionProbability);
        var objects = new[] { Target(1, FixedTrajectory.At(LaunchArea, boosting: true), kind: ObjectKind.BallisticMissile) };
        var context = Context(objects, 33);
        var output = new List<Detection>();
        for (var k = 0; k < Trials; k++)
        {
            sensor.Scan(k * 4.0, context, output);
        }

        AssertProportion(output.Count, Trials, 0.99, "space IR Pd");
    }

    /// <summary>
    /// Acceptance: the line-of-sight error is isotropic with σ = AngleSigma: the elevation error has σ,
    /// the azimuth error times cos(el) has σ, both zero-mean over 10,000 scans; R reports σ_az = σ/cos el.
    /// </summary>
    [Fact]
    public void Scan_ManyScans_AngleNoiseMatchesConfiguredSigma()
    {
        var definition = Definition() with { FixedDetectionProbability = 1 };
        var sensor = Build(definition);
        var objects = new[] { Target(1, FixedTrajectory.At(LaunchArea, boosting: true), kind: ObjectKind.BallisticMissile) };
        var frame = new EnuFrame(SatelliteSubPoint);
        var truth = RadarPolar.FromEnu(frame.ToEnu(LaunchArea.ToEcef()));
        var cosEl = Math.Cos(truth.ElevationRad);
        var context = Context(objects, 34);
        var output = new List<Detection>();
        for (var k = 0; k < Trials; k++)
        {
            sensor.Scan(k * 4.0, context, output);
        }

        Assert.Equal(Trials, output.Count);
        var sigma = definition.AngleSigma;
        var r = output[0].Covariance;
        Assert.Equal(1, r.M00 / (sigma / cosEl * (sigma / cosEl)), 12);
        Assert.Equal(1, r.M11 / (sigma * sigma), 12);
        Assert.Equal(1, r.M22);
        AssertZeroMeanWithSigma(output.Select(d => SensorRandom.WrapPi(d.Value.X - truth.AzimuthRad) * cosEl).ToArray(), sigma, "azimuth·cos el");
        AssertZeroMeanWithSigma(output.Select(d => d.Value.Y - truth.ElevationRad).ToArray(), sigma, "elevation");
        Assert.All(output, d => Assert.Equal(0, d.Value.Z));
    }

    [Fact]
    public void Scan_SameSeed_IdenticalDetections()
    {
        var objects = Enumerable.Range(1, 10)
            .Select(i => Target(i, FixedTrajectory.At(Geodetic.FromDegrees(30 + i, 120 + i, 50_000), boosting: true), kind: ObjectKind.BallisticMissile))
            .ToArray();

        List<Detection> Run(int seed)
        {
            var sensor = Build(Definition());
            var context = Context(objects, seed);
            var output = new List<Detection>();
            for (var k = 0; k < 30; k++)
            {
                sensor.Scan(k * 4.0, context, output);
            }

            return output;
        }

        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }
}
