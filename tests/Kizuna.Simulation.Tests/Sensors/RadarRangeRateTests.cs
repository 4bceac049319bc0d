using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Simulation.Motion;
using Kizuna.Simulation.Scenario;
using Kizuna.Simulation.Sensors;
using static Kizuna.Simulation.Tests.Sensors.SensorTestKit;

namespace Kizuna.Simulation.Tests.Sensors;

/// <summary>The radar model's range rate (pulse-Doppler): truth, noise, sensor motion, clutter, opt-in.</summary>
public sealed class RadarRangeRateTests
{
    private const double RateSigma = 2.5;

    /// <summary>
    /// A constant-velocity target (240 m/s, heading 30° off the line of sight, climbing 5 m/s) seen by a fixed
    /// and by a moving (200 m/s) host over 400 scans: ṙ − (central difference of the true range over ±1 ms)
    /// has zero mean and σ = σ_ṙ (3σ/√n on the mean, 3 standard errors on the variance). The reference is
    /// the derivative of the true range, not the model's own formula.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Scan_ConstantVelocityTarget_RangeRateUnbiasedWithConfiguredSigma(bool movingHost)
    {
        var definition = Radar() with
        {
            Rotating = false, RevisitPeriod = 1, FixedDetectionProbability = 1, RangeRateSigma = RateSigma,
            Type = movingHost ? SensorType.AirborneRadar : SensorType.SurfaceRadar, AntennaHeight = 0,
        };
        var hostSite = movingHost ? Geodetic.FromDegrees(35, 139, 9_000) : RadarSite;
        var hostFrame = new EnuFrame(hostSite);
        ITrajectory host = movingHost
            ? new ConstantVelocityTrajectory(hostSite.ToEcef(), hostFrame.RotateToEcef(new Vec3(200, 0, 0)))
            : FixedTrajectory.At(hostSite);
        var start = AtPolar(hostFrame, 120_000, 10, 1);
        var targetVelocity = hostFrame.RotateToEcef(new Vec3(240 * Math.Sin(220 * Math.PI / 180), 240 * Math.Cos(220 * Math.PI / 180), 5));
        var target = new ConstantVelocityTrajectory(start, targetVelocity);
        var radar = new RadarModel(definition, host, 0);
        var context = Context([Target(1, target)], 31);
        var output = new List<Detection>();
        var errors = new List<double>();
        for (var scan = 0; scan < 400; scan++)
        {
            output.Clear();
            radar.Scan(scan + 1, context, output);
            Assert.NotEmpty(output); // the first scan adds the alert's confirmation dwell
            foreach (var d in output)
            {
                Assert.True(d.HasRangeRate);
                Assert.Equal(RateSigma * RateSigma, d.RangeRateVariance, 12);
                var t = Seconds(d.Time);
                const double h = 1e-3;
                var trueRate = (Range(host, target, definition, t + h) - Range(host, target, definition, t - h)) / (2 * h);
                errors.Add(d.RangeRate - trueRate);
                host.TryGetState(t, out var hostState);
                Assert.Equal(hostState.VelocityEcef, d.SensorVelocity);
            }
        }

        AssertZeroMeanWithSigma(errors, RateSigma, "range-rate error");
    }

    [Fact]
    public void Scan_NoRangeRateSigma_PlotsAndClutterCarryNoRangeRate()
    {
        var definition = Radar() with { Rotating = false, FixedDetectionProbability = 1, ClutterPerScan = 5 };
        var radar = new RadarModel(definition, FixedTrajectory.At(RadarSite), 0);
        var target = Target(1, new FixedTrajectory(AtPolar(AntennaFrame(RadarSite, definition), 80_000, 45, 2)));
        var output = new List<Detection>();
        radar.Scan(0, Context([target], 4), output);
        Assert.False(radar.MeasuresRangeRate);
        Assert.True(output.Count > 1);
        Assert.All(output, d => Assert.False(d.HasRangeRate));
        Assert.All(output, d => Assert.True(double.IsNaN(d.RangeRate)));
    }

    /// <summary>
    /// Opting a radar into Doppler must not change its (r, az, el) plots: the ṙ noise is drawn after the three
    /// position draws, so the first plot of a seed is identical with and without σ_ṙ.
    /// </summary>
    [Fact]
    public void Scan_DopplerOptIn_FirstPlotPositionUnchanged()
    {
        var plain = Radar() with { Rotating = false, FixedDetectionProbability = 1 };
        var doppler = plain with { RangeRateSigma = 3 };
        var target = Target(1, new FixedTrajectory(AtPolar(AntennaFrame(RadarSite, plain), 80_000, 45, 2)));
        var a = new List<Detection>();
        var b = new List<Detection>();
        new RadarModel(plain, FixedTrajectory.At(RadarSite), 0).Scan(0, Context([target], 9), a);
        new RadarModel(doppler, FixedTrajectory.At(RadarSite), 0).Scan(0, Context([target], 9), b);
        Assert.Equal(a[0].Value, b[0].Value);
        Assert.Equal(a[0].Time, b[0].Time);
        Assert.True(b[0].HasRangeRate);
    }

    /// <summary>False plots of a Doppler radar: ṙ within ±v_u, uniform (mean ≈ 0, variance ≈ v_u²/3 within 4 standard errors).</summary>
    [Fact]
    public void Scan_DopplerClutter_RangeRateUniformOverUnambiguousInterval()
    {
        const double vu = 400;
        var definition = Radar() with { Rotating = false, ClutterPerScan = 50, RangeRateSigma = 2, UnambiguousRangeRate = vu };
        var radar = new RadarModel(definition, FixedTrajectory.At(RadarSite), 0);
        var context = Context([], 5);
        var output = new List<Detection>();
        for (var scan = 0; scan < 100; scan++)
        {
            radar.Scan(scan * 10, context, output);
        }

        Assert.All(output, d => Assert.True(d.IsFalseAlarm && d.HasRangeRate && Math.Abs(d.RangeRate) <= vu));
        var rates = output.Select(d => d.RangeRate).ToArray();
        var n = rates.Length;
        var mean = rates.Average();
        var variance = rates.Sum(r => (r - mean) * (r - mean)) / (n - 1);
        var uniformVariance = vu * vu / 3;
        Assert.True(Math.Abs(mean) < 4 * Math.Sqrt(uniformVariance / n), $"mean {mean:0.0}");

        // Var of s² for a uniform: (μ₄ − σ⁴)/n with μ₄ = v⁴/5, σ⁴ = v⁴/9.
        var se = Math.Sqrt(((Math.Pow(vu, 4) / 5) - (uniformVariance * uniformVariance)) / n);
        Assert.True(Math.Abs(variance - uniformVariance) < 4 * se, $"variance {variance:0} vs {uniformVariance:0}");
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(0.0)]
    public void RadarModel_InvalidRangeRateSigma_Throws(double sigma)
    {
        var definition = Radar() with { RangeRateSigma = sigma };
        var ex = Assert.Throws<ArgumentException>(() => new RadarModel(definition, FixedTrajectory.At(RadarSite), 0));
        Assert.Contains("RangeRateSigma", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-2", "> 0")]
    [InlineData(".nan", "finite")]
    public void Parse_BadRangeRateSigma_ErrorWithFileAndLine(string value, string messagePart)
    {
        var yaml = $"""
            name: test
            epoch_utc: 2025-01-01T00:00:00Z
            duration_s: 600
            seed: 1
            nations: [JPN]
            platforms:
              - {"{"} id: sado, nation: JPN, kind: ground, lat_deg: 38, lon_deg: 138.4 {"}"}
            sensors:
              - {"{"} id: r, platform: sado, type: surface_radar, range_rate_sigma_mps: {value} {"}"}
            """;
        var ex = Assert.Throws<ScenarioValidationException>(() => ScenarioLoader.Parse(yaml, "doppler.yaml"));
        var error = Assert.Single(ex.Errors);
        Assert.Equal(9, error.Line);
        Assert.Contains("range_rate_sigma_mps", error.Message, StringComparison.Ordinal);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
        Assert.Contains("doppler.yaml", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RangeRateSigma_ReadIntoDefinitionAndAbsentIsNull()
    {
        var yaml = """
            name: test
            epoch_utc: 2025-01-01T00:00:00Z
            duration_s: 600
            seed: 1
            nations: [JPN]
            platforms:
              - { id: sado, nation: JPN, kind: ground, lat_deg: 38, lon_deg: 138.4 }
            sensors:
              - { id: a, platform: sado, type: surface_radar, range_rate_sigma_mps: 2.5, unambiguous_range_rate_mps: 300 }
              - { id: b, platform: sado, type: surface_radar }
            """;
        var s = ScenarioLoader.Parse(yaml, "doppler.yaml");
        Assert.Equal(2.5, s.Sensors[0].RangeRateSigma);
        Assert.Equal(300, s.Sensors[0].UnambiguousRangeRate);
        Assert.Null(s.Sensors[1].RangeRateSigma);
    }

    private static double Range(ITrajectory host, ITrajectory target, SensorDefinition definition, double t)
    {
        host.TryGetState(t, out var h);
        target.TryGetState(t, out var x);
        var g = Wgs84.EcefToGeodetic(h.PositionEcef);
        var antenna = (g with { HeightM = g.HeightM + definition.AntennaHeight }).ToEcef();
        return (x.PositionEcef - antenna).Norm;
    }
}
