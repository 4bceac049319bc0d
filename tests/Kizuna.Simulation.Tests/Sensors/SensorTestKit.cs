using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Simulation.Motion;
using Kizuna.Simulation.Scenario;
using Kizuna.Simulation.Sensors;

namespace Kizuna.Simulation.Tests.Sensors;

/// <summary>Shared geometry, object builders and statistical assertions for the sensor tests.</summary>
internal static class SensorTestKit
{
    public static readonly DateTime Epoch = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A ground radar site near Tokyo at sea level.</summary>
    public static readonly Geodetic RadarSite = Geodetic.FromDegrees(35.0, 139.0, 0);

    public static SensorDefinition Radar(string id = "radar-1") => new()
    {
        Id = id,
        Nation = Nation.Japan,
        Platform = "site-1",
        Type = SensorType.SurfaceRadar,
    };

    /// <summary>ENU frame at the antenna of <paramref name="definition"/> on a fixed host at <paramref name="site"/>.</summary>
    public static EnuFrame AntennaFrame(Geodetic site, SensorDefinition definition) =>
        new(site with { HeightM = site.HeightM + definition.AntennaHeight });

    /// <summary>ECEF point at the given polar coordinates from an antenna frame.</summary>
    public static Vec3 AtPolar(EnuFrame frame, double rangeM, double azDeg, double elDeg) =>
        frame.ToEcef(new RadarPolar(rangeM, azDeg * Math.PI / 180, elDeg * Math.PI / 180).ToEnu());

    public static SimObject Target(int id, ITrajectory trajectory, double rcs = 1, ObjectKind kind = ObjectKind.Aircraft, uint icao = 0) =>
        new(id, $"obj-{id}", kind, default, trajectory, rcs, icao);

    public static ScanContext Context(IReadOnlyList<SimObject> objects, int seed) => new(Epoch, objects, new Random(seed));

    public static double Seconds(DateTime t) => (t - Epoch).TotalSeconds;

    /// <summary>
    /// Sample mean within 3σ/√n of 0 and sample variance within 3 standard errors of σ²
    /// (for Gaussian data, SE(s²) = σ²·√(2/(n−1))).
    /// </summary>
    public static void AssertZeroMeanWithSigma(IReadOnlyList<double> errors, double sigma, string what)
    {
        var n = errors.Count;
        var mean = errors.Average();
        var variance = errors.Sum(e => (e - mean) * (e - mean)) / (n - 1);
        var meanTolerance = 3 * sigma / Math.Sqrt(n);
        var varTolerance = 3 * sigma * sigma * Math.Sqrt(2.0 / (n - 1));
        Assert.True(Math.Abs(mean) <= meanTolerance, $"{what}: mean {mean:G4} outside ±{meanTolerance:G4}");
        Assert.True(
            Math.Abs(variance - (sigma * sigma)) <= varTolerance,
            $"{what}: variance {variance:G6} vs σ² {sigma * sigma:G6} (±{varTolerance:G4})");
    }

    /// <summary>Observed success fraction within 3 binomial standard errors of <paramref name="p"/>.</summary>
    public static void AssertProportion(int successes, int trials, double p, string what)
    {
        var observed = (double)successes / trials;
        var tolerance = 3 * Math.Sqrt(p * (1 - p) / trials);
        Assert.True(Math.Abs(observed - p) <= tolerance, $"{what}: observed {observed:F4} vs expected {p:F4} (±{tolerance:F4})");
    }
}
