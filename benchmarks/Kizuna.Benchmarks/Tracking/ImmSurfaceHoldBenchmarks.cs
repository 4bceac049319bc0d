using BenchmarkDotNet.Attributes;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Benchmarks.Tracking;

/// <summary>
/// Cost of the surface hold in the ECEF IMM tracker (<see cref="TrackerSettings"/> with
/// <see cref="FilterKind.Imm"/>, GNN): 1,000 targets on a 20 km grid at 35°N 135°E, one position
/// detection (σ 50 m) each per 10 s scan, stepped for <see cref="MeasuredScans"/> scans after
/// <see cref="WarmupScans"/> warm-up scans (iteration setup). <c>Air</c>: 230 m/s airliners at 10 km,
/// which fail the surface test's speed pre-test; <c>Ship</c>: 8 m/s ships at sea level, held after
/// every update. Hold on (the default <c>surface_speed_threshold</c> 20 m/s) vs off (0), so
/// Air on/off is the hold's cost for air tracks and Ship on/off its cost for surface tracks.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 9)]
public class ImmSurfaceHoldBenchmarks
{
    private const int Targets = 1_000;
    private const int WarmupScans = 6;
    private const int MeasuredScans = 20;
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private Detection[][] _scans = null!;
    private MultiTargetTracker _tracker = null!;

    /// <summary>Target kind.</summary>
    [Params("Air", "Ship")]
    public string Kind { get; set; } = "Air";

    /// <summary>Surface hold configured.</summary>
    [Params(false, true)]
    public bool Hold { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var air = Kind == "Air";
        var side = (int)Math.Ceiling(Math.Sqrt(Targets));
        var frame = new EnuFrame(Geodetic.FromDegrees(35, 135, 0));
        var speed = air ? 230.0 : 8.0;
        var height = air ? 10_000.0 : 0.0;
        var start = new Vec3[Targets];
        var velocity = new Vec3[Targets];
        for (var i = 0; i < Targets; i++)
        {
            var heading = random.NextDouble() * 2 * Math.PI;
            start[i] = new Vec3((i % side) * 20_000.0, (i / side) * 20_000.0, height);
            velocity[i] = new Vec3(speed * Math.Sin(heading), speed * Math.Cos(heading), 0);
        }

        const double sigma = 50;
        var noise = Mat3.Diagonal(sigma * sigma, sigma * sigma, sigma * sigma);
        _scans = new Detection[WarmupScans + MeasuredScans][];
        for (var k = 0; k < _scans.Length; k++)
        {
            var t = 10.0 * k;
            var scan = new Detection[Targets];
            for (var i = 0; i < Targets; i++)
            {
                // ENU positions on the tangent plane, lifted to the target's height above the ellipsoid.
                var enu = start[i] + (t * velocity[i]);
                var g = frame.ToGeodetic(new Vec3(enu.X, enu.Y, 0));
                var ecef = Wgs84.GeodeticToEcef(Geodetic.FromDegrees(g.LatitudeDeg, g.LongitudeDeg, height));
                var z = ecef + new Vec3(sigma * Normal(random), sigma * Normal(random), sigma * Normal(random));
                scan[i] = new Detection(Epoch.AddSeconds(t), "radar", Nation.Japan, MeasurementKind.PositionEcef, z, noise, default, i + 1);
            }

            _scans[k] = scan;
        }
    }

    [IterationSetup]
    public void Warm()
    {
        _tracker = new TrackerSettings { Filter = FilterKind.Imm, SurfaceSpeedThreshold = Hold ? 20 : 0, TrackCapacity = 2 * Targets }.Build();
        for (var k = 0; k < WarmupScans; k++)
        {
            _tracker.Step(Epoch.AddSeconds(10.0 * k), _scans[k]);
        }
    }

    [Benchmark]
    public int Step()
    {
        for (var k = WarmupScans; k < WarmupScans + MeasuredScans; k++)
        {
            _tracker.Step(Epoch.AddSeconds(10.0 * k), _scans[k]);
        }

        return _tracker.Tracks.Length;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
