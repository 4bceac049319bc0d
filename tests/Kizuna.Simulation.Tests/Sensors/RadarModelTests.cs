using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Simulation.Motion;
using Kizuna.Simulation.Scenario;
using Kizuna.Simulation.Sensors;
using static Kizuna.Simulation.Tests.Sensors.SensorTestKit;

namespace Kizuna.Simulation.Tests.Sensors;

public class RadarModelTests
{
    private const int Trials = 10_000;

    private static (RadarModel Radar, EnuFrame Frame, FixedTrajectory Host) Build(SensorDefinition definition)
    {
        var host = FixedTrajectory.At(RadarSite);
        return (new RadarModel(definition, host, 0), AntennaFrame(RadarSite, definition), host);
    }

    /// <summary>
    /// Acceptance: over 10,000 scans the detection rate of a hovering target equals the Swerling 1
    /// Pd = Pfa^(1/(1+SNR̄)) of its range and RCS within 3 binomial σ.
    /// </summary>
    [Theory]
    [InlineData(300_000, 1.0, 13.0)]
    [InlineData(200_000, 0.1, 13.0)]
    [InlineData(150_000, 1.0, 10.0)]
    public void Scan_TargetAtRange_EmpiricalPdMatchesSwerlingOne(double range, double rcs, double snrRefDb)
    {
        var definition = Radar() with { ReferenceSnrDb = snrRefDb, Rotating = false };
        var (radar, frame, _) = Build(definition);
        var objects = new[] { Target(1, new FixedTrajectory(AtPolar(frame, range, 30, 3)), rcs) };
        var context = Context(objects, 1);
        var output = new List<Detection>();
        for (var k = 0; k < Trials; k++)
        {
            radar.Scan(k * definition.RevisitPeriod, context, output);
        }

        var expected = RadarEquation.SwerlingOneDetectionProbability(
            RadarEquation.MeanSnr(range, rcs, snrRefDb, definition.ReferenceRange, definition.ReferenceRcs), definition.FalseAlarmProbability);
        Assert.Equal(expected, radar.DetectionProbability(range, rcs), 9);
        Assert.All(output, d => Assert.Equal(1, d.TruthId));
        AssertProportion(output.Count(d => IsSearchPlot(d, definition.RevisitPeriod)), Trials, expected, $"Pd at {range} m, σ={rcs}");
    }

    [Fact]
    public void Scan_FixedDetectionProbability_OverridesRadarEquation()
    {
        var definition = Radar() with { FixedDetectionProbability = 0.7, Rotating = false };
        var (radar, frame, _) = Build(definition);
        var objects = new[] { Target(1, new FixedTrajectory(AtPolar(frame, 380_000, 200, 4)), 0.01) };
        var context = Context(objects, 12);
        var output = new List<Detection>();
        for (var k = 0; k < Trials; k++)
        {
            radar.Scan(k * 10.0, context, output);
        }

        AssertProportion(output.Count(d => IsSearchPlot(d, 10.0)), Trials, 0.7, "fixed Pd");
    }

    /// <summary>
    /// Acceptance: range, azimuth and elevation errors over 10,000 detections have zero mean and the
    /// configured σ (3σ tolerances on the mean and on the variance), and R = diag(σr², σaz², σel²).
    /// </summary>
    [Fact]
    public void Scan_ManyScans_MeasurementNoiseMatchesConfiguredSigmas()
    {
        var definition = Radar() with
        {
            FixedDetectionProbability = 1,
            RangeSigma = 40,
            AzimuthSigma = 0.2 * Math.PI / 180,
            ElevationSigma = 0.25 * Math.PI / 180,
        };
        var (radar, frame, _) = Build(definition);
        var truth = new RadarPolar(120_000, 60 * Math.PI / 180, 5 * Math.PI / 180);
        var objects = new[] { Target(1, new FixedTrajectory(frame.ToEcef(truth.ToEnu()))) };
        var context = Context(objects, 13);
        var output = new List<Detection>();
        for (var k = 0; k < Trials; k++)
        {
            radar.Scan(k * 10.0, context, output);
        }

        Assert.Equal(Trials, output.Count);
        var d0 = output[0];
        Assert.Equal(MeasurementKind.RangeAzimuthElevation, d0.Kind);
        Assert.Equal(Mat3.Diagonal(40 * 40, definition.AzimuthSigma * definition.AzimuthSigma, definition.ElevationSigma * definition.ElevationSigma), d0.Covariance);
        AssertSameSite(frame.Origin, d0.SensorSite);
        Assert.Equal("radar-1", d0.SensorId);
        Assert.Equal(Nation.Japan, d0.Nation);
        AssertZeroMeanWithSigma(output.Select(d => d.Value.X - truth.RangeM).ToArray(), 40, "range");
        AssertZeroMeanWithSigma(output.Select(d => SensorRandom.WrapPi(d.Value.Y - truth.AzimuthRad)).ToArray(), definition.AzimuthSigma, "azimuth");
        AssertZeroMeanWithSigma(output.Select(d => d.Value.Z - truth.ElevationRad).ToArray(), definition.ElevationSigma, "elevation");
    }

    /// <summary>
    /// A 10 m mast sees a 50 m target to √(2kR·10) + √(2kR·50) ≈ 42.2 km (4/3 Earth). At 46 km the
    /// target is below the refracted horizon and never detected; at 38 km it is always detected
    /// (Pd fixed at 1). The elevation floor is −1° so that only the horizon decides.
    /// </summary>
    [Theory]
    [InlineData(38_000, true)]
    [InlineData(46_000, false)]
    public void Scan_LowTarget_DetectedOnlyAboveRefractedHorizon(double groundDistance, bool visible)
    {
        var definition = Radar() with { FixedDetectionProbability = 1, MinElevation = -1 * Math.PI / 180, Rotating = false };
        var (radar, _, _) = Build(definition);
        // Due north of the site at 50 m: latitude offset = distance / mean radius.
        var target = Geodetic.FromDegrees(RadarSite.LatitudeDeg + (groundDistance / RadarHorizon.EarthRadius * 180 / Math.PI), RadarSite.LongitudeDeg, 50);
        Assert.Equal(visible, groundDistance < RadarHorizon.MaxLineOfSight(10, 50));
        var objects = new[] { Target(1, FixedTrajectory.At(target), rcs: 100) };
        var context = Context(objects, 14);
        var output = new List<Detection>();
        for (var k = 0; k < 1000; k++)
        {
            radar.Scan(k * 10.0, context, output);
        }

        Assert.Equal(visible ? 1000 : 0, output.Count(d => IsSearchPlot(d, 10.0)));
    }

    [Fact]
    public void Scan_TargetBelowMinimumElevationOrBeyondMaxRange_NotDetected()
    {
        var definition = Radar() with { FixedDetectionProbability = 1, MinElevation = 1 * Math.PI / 180, MaxRange = 200_000 };
        var (radar, frame, _) = Build(definition);
        var objects = new[]
        {
            Target(1, new FixedTrajectory(AtPolar(frame, 50_000, 10, 0.5))), // below el_min
            Target(2, new FixedTrajectory(AtPolar(frame, 210_000, 10, 5))), // beyond R_max
            Target(3, new FixedTrajectory(AtPolar(frame, 150_000, 10, 5))), // seen
        };
        var output = new List<Detection>();
        radar.Scan(0, Context(objects, 15), output);
        Assert.Equal(3, Assert.Single(output).TruthId);
    }

    [Fact]
    public void Scan_HostGroundSitesAndSatellites_AreSkipped()
    {
        var definition = Radar() with { FixedDetectionProbability = 1 };
        var (radar, frame, host) = Build(definition);
        var objects = new[]
        {
            Target(1, host, kind: ObjectKind.Ship),
            Target(2, new FixedTrajectory(AtPolar(frame, 20_000, 90, 0.5)), kind: ObjectKind.GroundSite),
            Target(3, new FixedTrajectory(AtPolar(frame, 20_000, 95, 10)), kind: ObjectKind.Satellite),
            Target(4, new FixedTrajectory(AtPolar(frame, 20_000, 100, 1)), kind: ObjectKind.Ship),
        };
        var output = new List<Detection>();
        radar.Scan(0, Context(objects, 16), output);
        Assert.Equal(4, Assert.Single(output).TruthId);
    }

    /// <summary>A rotating antenna sees a fixed target at azimuth az at scanStart + az/(2π)·T, exactly.</summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(45.0)]
    [InlineData(90.0)]
    [InlineData(180.0)]
    [InlineData(271.5)]
    [InlineData(359.0)]
    public void Scan_RotatingRadar_DetectionTimeOffsetMatchesAzimuth(double azDeg)
    {
        var definition = Radar() with { FixedDetectionProbability = 1, RevisitPeriod = 12 };
        var (radar, frame, _) = Build(definition);
        var position = AtPolar(frame, 80_000, azDeg, 2);
        var objects = new[] { Target(1, new FixedTrajectory(position)) };
        var output = new List<Detection>();
        radar.Scan(600, Context(objects, 17), output);
        var detection = Assert.Single(output);
        var offset = Seconds(detection.Time) - 600;
        Assert.InRange(offset, 0, 12 - 1e-9);

        // The ENU round trip leaves the azimuth of the 0° target a rounding error either side of north,
        // so it is met at the very start or the very end of the scan: compare on the circle.
        var expected = azDeg / 360 * 12;
        var difference = Math.Abs(offset - expected);
        Assert.True(Math.Min(difference, 12 - difference) < 1e-6, $"offset {offset} s vs {expected} s");
    }

    /// <summary>
    /// A crossing target (300 m/s tangential at 15 km, 3× faster in azimuth than an airliner at
    /// 50 km) is stamped when the beam actually meets it: the target's true azimuth at the stamped
    /// time t satisfies t = s + az(t)/(2π)·T to within 1 ms, and the state used is the state at t.
    /// </summary>
    [Fact]
    public void Scan_RotatingRadarMovingTarget_TimeIsWhereBeamMeetsTarget()
    {
        var definition = Radar() with { FixedDetectionProbability = 1, RevisitPeriod = 10, RangeSigma = 0, AzimuthSigma = 0, ElevationSigma = 0 };
        var (radar, frame, _) = Build(definition);
        var start = AtPolar(frame, 15_000, 120, 3);
        var velocityEnu = new Vec3(300 * Math.Cos(120 * Math.PI / 180), -300 * Math.Sin(120 * Math.PI / 180), 0); // tangential, clockwise
        var trajectory = new ConstantVelocityTrajectory(start, frame.RotateToEcef(velocityEnu));
        var objects = new[] { Target(1, trajectory) };
        var output = new List<Detection>();
        radar.Scan(0, Context(objects, 18), output);
        var detection = Assert.Single(output);
        var t = Seconds(detection.Time);
        var truth = RadarPolar.FromEnu(frame.ToEnu(trajectory.PositionAt(t)));
        Assert.Equal(truth.AzimuthRad / (2 * Math.PI) * 10, t, 3);
        Assert.Equal(truth.RangeM, detection.Value.X, 1);
        Assert.True(t > 120.0 / 360 * 10 + 0.05, "the clockwise-moving target must be met later than its start azimuth");
    }

    [Fact]
    public void Scan_ElectronicScan_AllDetectionsAtScanStart()
    {
        var definition = Radar() with { FixedDetectionProbability = 1, Rotating = false, ClutterPerScan = 5 };
        var (radar, frame, _) = Build(definition);
        var objects = new[] { Target(1, new FixedTrajectory(AtPolar(frame, 80_000, 10, 2))), Target(2, new FixedTrajectory(AtPolar(frame, 80_000, 250, 2))) };
        var output = new List<Detection>();
        radar.Scan(30, Context(objects, 19), output);
        var search = output.Where(d => Seconds(d.Time) < 30.5).ToList();
        Assert.True(search.Count >= 2);
        Assert.All(search, d => Assert.Equal(30, Seconds(d.Time), 9));
    }

    /// <summary>
    /// Alert–confirm: a target seen in this scan and not in the previous one gets one confirmation dwell
    /// min(1 s, T/2) after the scan start; a target seen in consecutive scans does not. Plots stay in time order.
    /// </summary>
    [Fact]
    public void Scan_ElectronicScan_ConfirmationDwellOnlyForNewTargets()
    {
        var definition = Radar() with { FixedDetectionProbability = 1, Rotating = false, ClutterPerScan = 3 };
        var (radar, frame, _) = Build(definition);
        var objects = new[] { Target(1, new FixedTrajectory(AtPolar(frame, 80_000, 10, 2))), Target(2, new FixedTrajectory(AtPolar(frame, 80_000, 250, 2))) };
        var context = Context(objects, 20);
        var first = new List<Detection>();
        radar.Scan(30, context, first);
        var second = new List<Detection>();
        radar.Scan(30 + definition.RevisitPeriod, context, second);

        var delay = Math.Min(1.0, definition.RevisitPeriod / 2);
        Assert.Equal(delay, radar.ConfirmationDelay, 12);
        var dwells = first.Where(d => Seconds(d.Time) > 30.5).ToList();
        Assert.Equal([1, 2], dwells.Select(d => d.TruthId).Order());
        Assert.All(dwells, d => Assert.Equal(30 + delay, Seconds(d.Time), 6));
        Assert.Equal(first.Select(d => d.Time).Order(), first.Select(d => d.Time));
        Assert.DoesNotContain(second, d => !IsSearchPlot(d, definition.RevisitPeriod, 30));
    }

    private static bool IsSearchPlot(Detection d, double scanPeriod, double offset = 0)
    {
        var t = Seconds(d.Time) - offset;
        return Math.Abs(t - (Math.Round(t / scanPeriod) * scanPeriod)) < 1e-6;
    }

    /// <summary>Acceptance: clutter counts per scan over 10,000 scans have mean and variance λ within 3σ.</summary>
    [Theory]
    [InlineData(2.0)]
    [InlineData(12.5)]
    public void Scan_Clutter_CountPerScanIsPoissonWithConfiguredMean(double lambda)
    {
        var definition = Radar() with { ClutterPerScan = lambda };
        var (radar, _, _) = Build(definition);
        var context = Context([], 20);
        var output = new List<Detection>();
        var counts = new double[Trials];
        for (var k = 0; k < Trials; k++)
        {
            output.Clear();
            radar.Scan(k * 10.0, context, output);
            counts[k] = output.Count;
        }

        PoissonAssert.MeanAndVarianceMatch(counts, lambda);
    }

    /// <summary>
    /// False alarms lie inside the coverage, are marked FalseAlarm, are timed by azimuth, come out in time
    /// order, and are uniform in area: P(r &lt; R_max/2) = 1/4 within 3σ.
    /// </summary>
    [Fact]
    public void Scan_Clutter_UniformInAreaInsideCoverageAndTimedByAzimuth()
    {
        var definition = Radar() with { ClutterPerScan = 10, MinElevation = -0.5 * Math.PI / 180, RevisitPeriod = 6 };
        var (radar, frame, _) = Build(definition);
        var context = Context([], 21);
        var output = new List<Detection>();
        for (var k = 0; k < 1000; k++)
        {
            var first = output.Count;
            radar.Scan(k * 6.0, context, output);
            for (var j = first + 1; j < output.Count; j++)
            {
                Assert.True(output[j - 1].Time <= output[j].Time, "detections of a scan must be in time order");
            }
        }

        Assert.All(output, d =>
        {
            Assert.Equal(Detection.FalseAlarm, d.TruthId);
            Assert.True(d.IsFalseAlarm);
            Assert.InRange(d.Value.X, 0, definition.MaxRange);
            Assert.InRange(d.Value.Y, 0, 2 * Math.PI);
            Assert.InRange(d.Value.Z, definition.MinElevation, definition.MinElevation + RadarModel.ClutterElevationBand);
            var scanStart = Math.Floor(Seconds(d.Time) / 6) * 6;
            Assert.Equal(d.Value.Y / (2 * Math.PI) * 6, Seconds(d.Time) - scanStart, 1e-6);
            AssertSameSite(frame.Origin, d.SensorSite);
        });
        var inner = output.Count(d => d.Value.X < definition.MaxRange / 2);
        AssertProportion(inner, output.Count, 0.25, "fraction inside R_max/2");
    }

    /// <summary>An airborne radar's site and frame move with its host: each plot carries the host position at its own time.</summary>
    [Fact]
    public void Scan_AirborneHost_SiteIsHostPositionAtDetectionTime()
    {
        var definition = Radar() with { Type = SensorType.AirborneRadar, AntennaHeight = 0, FixedDetectionProbability = 1, RangeSigma = 0, AzimuthSigma = 0, ElevationSigma = 0 };
        var hostStart = Geodetic.FromDegrees(30, 135, 9_000);
        var hostFrame = new EnuFrame(hostStart);
        var host = new ConstantVelocityTrajectory(hostStart.ToEcef(), hostFrame.RotateToEcef(new Vec3(200, 0, 0)));
        var radar = new RadarModel(definition, host, 3);
        var targets = new[]
        {
            Target(1, new FixedTrajectory(AtPolar(hostFrame, 150_000, 45, 1))),
            Target(2, new FixedTrajectory(AtPolar(hostFrame, 150_000, 225, 1))),
        };
        var output = new List<Detection>();
        radar.Scan(0, Context(targets, 22), output);
        Assert.Equal(2, output.Count);
        foreach (var d in output)
        {
            var t = Seconds(d.Time);
            var expectedSite = Wgs84.EcefToGeodetic(host.PositionAt(t));
            Assert.Equal(expectedSite.LatitudeRad, d.SensorSite.LatitudeRad, 1e-12);
            Assert.Equal(expectedSite.LongitudeRad, d.SensorSite.LongitudeRad, 1e-12);
            var target = targets[d.TruthId - 1].Trajectory;
            target.TryGetState(t, out var s);
            var truth = RadarPolar.FromEnu(new EnuFrame(d.SensorSite).ToEnu(s.PositionEcef));
            Assert.Equal(truth.RangeM, d.Value.X, 1e-3);
            Assert.Equal(truth.AzimuthRad, d.Value.Y, 1e-9);
        }

        Assert.True(Seconds(output[1].Time) - Seconds(output[0].Time) > 4, "the 225° target is seen about half a rotation after the 45° one");
    }

    [Fact]
    public void Scan_SameSeed_IdenticalDetections()
    {
        var definition = Radar() with { ClutterPerScan = 3 };
        var (radar, frame, _) = Build(definition);
        var objects = Enumerable.Range(1, 20).Select(i => Target(i, new FixedTrajectory(AtPolar(frame, 50_000 + (i * 12_000), i * 17, 2)))).ToArray();

        List<Detection> Run(int seed)
        {
            var r = new RadarModel(definition, FixedTrajectory.At(RadarSite), 0);
            var context = Context(objects, seed);
            var output = new List<Detection>();
            for (var k = 0; k < 50; k++)
            {
                r.Scan(k * 10.0, context, output);
            }

            return output;
        }

        var a = Run(42);
        var b = Run(42);
        var c = Run(43);
        Assert.True(a.Count > 100);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    /// <summary>A scan over 400 objects (with clutter, rotating, sorted output) allocates nothing once warmed up.</summary>
    [Fact]
    public void Scan_400Objects_DoesNotAllocate()
    {
        var definition = Radar() with { ClutterPerScan = 5 };
        var (radar, frame, _) = Build(definition);
        var objects = new List<SimObject>();
        for (var i = 0; i < 400; i++)
        {
            objects.Add(Target(i + 1, new FixedTrajectory(AtPolar(frame, 20_000 + (i * 900), i * 0.9, 1 + (i % 7))), rcs: 2));
        }

        var context = Context(objects, 23);
        var output = new List<Detection>(20_000);
        radar.Scan(0, context, output);
        Assert.True(output.Count > 300);
        output.Clear();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var k = 1; k <= 20; k++)
        {
            radar.Scan(k * 10.0, context, output);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(output.Count > 6000);
        Assert.Equal(0, allocated);
    }

    /// <summary>Sites come from an ECEF round trip, so compare to well below a millimetre, not bit for bit.</summary>
    private static void AssertSameSite(Geodetic expected, Geodetic actual)
    {
        Assert.Equal(expected.LatitudeRad, actual.LatitudeRad, 1e-12);
        Assert.Equal(expected.LongitudeRad, actual.LongitudeRad, 1e-12);
        Assert.Equal(expected.HeightM, actual.HeightM, 1e-6);
    }
}
