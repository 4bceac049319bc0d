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
/// tracker, until the last missile's impact — once with the radar's range rate (pulse-Doppler, as in the
/// scenario) and once without it, the control that shows the alias.
/// </summary>
public class CruiseSalvoTrackingTests(ITestOutputHelper testOutput)
{
    private readonly FigureLog output = new(testOutput, "cruise-figures.txt");

    [Fact]
    public async Task YozadakeSlice_CruiseSalvoInTrail_EachMissileTrackedWhileDetected()
    {
        var control = await RunSliceAsync(doppler: false);
        var doppler = await RunSliceAsync(doppler: true);

        // Measured: without Doppler (the no-range-rate control: the radar's alert–confirm dwell only)
        // C 0.328 with missiles 1–2 held; with the radar's range rate (σ 3 m/s) see docs/benchmarks.md.
        Assert.True(control.WellHeld <= 3, $"control without Doppler held {control.WellHeld} missiles: the trail no longer aliases, so this slice tests nothing");
        Assert.True(doppler.Completeness >= 0.9, $"salvo completeness with Doppler {doppler.Completeness:0.000} < 0.9");
        Assert.True(doppler.WellHeld >= 6, $"with Doppler only {doppler.WellHeld} missile(s) held for ≥ 90 % of their covered flight");
    }

    private async Task<(double Completeness, int WellHeld)> RunSliceAsync(bool doppler)
    {
        var full = ScenarioLoader.Load(Paths.InRepo("scenarios", "trilateral-defence.yaml"));
        var raid = full.Raids.Single(r => r.Id == "red-raid-1");
        var radar = full.Sensors.Single(s => s.Id == "jpn-yozadake-ewr");
        Assert.NotNull(radar.RangeRateSigma);
        var scenario = full with
        {
            Sensors = [doppler ? radar : radar with { RangeRateSigma = null }],
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
        output.WriteLine($"cruise salvo (Yozadake only, {(doppler ? "with range rate" : "no range rate")}): C {siap.Completeness:0.000}, A {siap.Ambiguity:0.000}, PA {siap.PositionAccuracy:0} m, " +
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

        output.WriteLine($"  held ≥ 90 %: {wellHeld} of 6");
        return (siap.Completeness, wellHeld);
    }
}
