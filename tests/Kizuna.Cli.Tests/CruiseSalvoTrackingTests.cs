using Kizuna.Cli.Pipeline;
using Kizuna.Metrics;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Motion;
using Kizuna.Simulation.Scenario;
using Kizuna.TestSupport;

namespace Kizuna.Cli.Tests;

/// <summary>
/// Issue 3 follow-up (cruise missiles C 0.023 in the default scenario). The six sea-skimmers of the first
/// raid fly in trail 5 s apart at 240 m/s (1.2 km) and are seen only by the Yozadake radar, an
/// electronically scanned 5 s radar, over their last ≈ 70 km. Spacing = speed × revisit, so without the
/// radar's alert–confirm dwell every scan's plots fall where the previous scan's were and the tracker
/// holds stationary tracks. The slice keeps that radar, its site and the cruise salvo, through the demo's
/// tracker, until the last missile's impact.
/// </summary>
public class CruiseSalvoTrackingTests(ITestOutputHelper testOutput)
{
    private readonly FigureLog output = new(testOutput, "cruise-figures.txt");

    [Fact]
    public async Task YozadakeSlice_CruiseSalvoInTrail_EachMissileTrackedWhileDetected()
    {
        var full = ScenarioLoader.Load(Paths.InRepo("scenarios", "trilateral-defence.yaml"));
        var raid = full.Raids.Single(r => r.Id == "red-raid-1");
        var scenario = full with
        {
            Sensors = [.. full.Sensors.Where(s => s.Id == "jpn-yozadake-ewr")],
            Platforms = [.. full.Platforms.Where(p => p.Id == "jpn-yozadake")],
            Raids = [raid with { Launches = [.. raid.Launches.Where(l => l.Type == ThreatType.Cruise)] }],
            BackgroundTraffic = null,
            RecordedTraffic = [],
            Injects = [],
            Batteries = [],
        };
        var world = ExerciseWorld.Build(scenario);
        var missiles = world.Objects.Where(o => o.Kind == ObjectKind.CruiseMissile).ToArray();
        Assert.Equal(6, missiles.Length);
        var duration = Math.Ceiling(missiles.Max(o => o.Trajectory.EndTime)) + 4;
        var tracking = new TrackingSink(Commands.TrackCommand.Defaults.Ecef.Build(), scenario.Epoch, sampleInterval: 10);
        await new ExerciseEngine(world, new ExerciseOptions { Duration = duration }).RunAsync(tracking, null, TestContext.Current.CancellationToken);

        var siap = tracking.Siap(Commands.DemoCommand.SiapThreshold, k => k == ObjectKind.CruiseMissile);
        var truth = tracking.TruthInCoverage(k => k == ObjectKind.CruiseMissile);
        var associations = new TrackToTruthAssociator(Commands.DemoCommand.SiapThreshold).Associate(tracking.Tracks, truth);
        output.WriteLine($"cruise salvo (Yozadake only): C {siap.Completeness:0.000}, A {siap.Ambiguity:0.000}, PA {siap.PositionAccuracy:0} m, " +
            $"track-number changes/h {siap.RateOfTrackNumberChange * 3600:0.0}, {truth.Count} covered samples");
        var wellHeld = 0;
        foreach (var m in missiles)
        {
            var samples = truth.Where(t => t.TruthId == m.Id).Select(t => t.Time).ToArray();
            var mine = associations.Where(a => a.TruthId == m.Id).ToArray();
            var held = samples.Count(t => mine.Any(a => a.IsActiveAt(t)));
            var fraction = samples.Length == 0 ? 0 : (double)held / samples.Length;
            wellHeld += fraction >= 0.9 ? 1 : 0;
            output.WriteLine($"  {m.Name}: covered {samples.Length} samples, held {fraction:P0} by track number(s) {string.Join(", ", mine.Select(a => a.TrackId).Distinct())}");
            foreach (var s in truth.Where(t => t.TruthId == m.Id).Take(6))
            {
                var near = tracking.Tracks.Where(x => x.Time == s.Time).Select(x => (x.TrackId, D: (x.Position - s.Position).Norm, V: x.Velocity.Norm)).OrderBy(x => x.D).FirstOrDefault();
                output.WriteLine($"    t {s.Time:0}: nearest confirmed track {near.TrackId} at {near.D:0} m, speed {near.V:0} m/s");
            }
        }

        // Measured: C 0.000 without the radar's confirmation dwell, 0.328 with it (the first two missiles of the
        // trail held 97–100 %, the other four not at all: a named gap in docs/benchmarks.md).
        Assert.True(siap.Completeness >= 0.25, $"salvo completeness {siap.Completeness:0.000} < 0.25");
        Assert.True(wellHeld >= 2, $"only {wellHeld} missile(s) held for ≥ 90 % of their covered flight");
    }
}
