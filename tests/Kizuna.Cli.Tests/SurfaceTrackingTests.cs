using Kizuna.Cli.Pipeline;
using Kizuna.Core.Geodesy;
using Kizuna.Metrics;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Motion;
using Kizuna.Simulation.Scenario;
using Kizuna.TestSupport;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Cli.Tests;

/// <summary>
/// Issue 3 follow-up (ships badly tracked in the default scenario). The only ship of
/// scenarios/trilateral-defence.yaml that any sensor sees is the JPN destroyer south, seen by the AUS
/// airborne early-warning radar at 200–300 km (σ_az 0.3°, σ_el 1.0°, 10 s revisit): its elevation error
/// alone is ≈ 4 km vertically, so a free 3-D track sits kilometres above or below the sea and falls
/// outside the 2 km SIAP association although it is horizontally close. The slice keeps that radar,
/// the ship, the aircraft carrying the radar and all civil traffic, over the first 900 s, through the
/// demo's tracker (<see cref="Commands.TrackCommand.Defaults"/>).
/// </summary>
public class SurfaceTrackingTests(ITestOutputHelper testOutput)
{
    [Theory]
    [InlineData(FilterKind.Ncv)]
    [InlineData(FilterKind.Imm)]
    public async Task AewOnlySlice_ShipSeenByAirborneRadar_HeldOnSurfaceByOneTrack(FilterKind filter)
    {
        var output = new FigureLog(testOutput, $"surface-figures-{filter}.txt");
        var full = ScenarioLoader.Load(Paths.InRepo("scenarios", "trilateral-defence.yaml"));
        var scenario = full with
        {
            Sensors = [.. full.Sensors.Where(s => s.Id == "aus-aew-radar")],
            Platforms = [.. full.Platforms.Where(p => p.Id is "aus-aew" or "jpn-ddg-south")],
            Raids = [],
            Injects = [],
            Batteries = [],
        };
        var world = ExerciseWorld.Build(scenario);
        var ship = Assert.Single(world.Objects, o => o.Kind == ObjectKind.Ship);
        var tracking = new TrackingSink((Commands.TrackCommand.Defaults.Ecef with { Filter = filter }).Build(), scenario.Epoch, sampleInterval: 10);
        await new ExerciseEngine(world, new ExerciseOptions { Duration = 900 }).RunAsync(tracking, null, TestContext.Current.CancellationToken);

        var siap = tracking.Siap(Commands.DemoCommand.SiapThreshold, k => k == ObjectKind.Ship);
        var civil = tracking.Siap(Commands.DemoCommand.SiapThreshold, k => k == ObjectKind.CivilAircraft);
        var truth = tracking.TruthInCoverage(k => k == ObjectKind.Ship);
        var numbers = new TrackToTruthAssociator(Commands.DemoCommand.SiapThreshold).Associate(tracking.Tracks, truth)
            .Where(a => a.TruthId == ship.Id).Select(a => a.TrackId).Distinct().ToArray();

        // Height of the ship's own track(s) at every sample they exist (not the nearest track of any
        // kind: when the ship's track is missing, the nearest one may be an aircraft's).
        var heights = tracking.Tracks.Where(t => numbers.Contains(t.TrackId))
            .Select(t => Math.Abs(Wgs84.EcefToGeodetic(t.Position).HeightM)).Order().ToArray();
        var p95 = heights.Length > 0 ? heights[(int)(0.95 * (heights.Length - 1))] : double.NaN;
        output.WriteLine($"ship (AEW only, 900 s, {filter}): C {siap.Completeness:0.000}, PA {siap.PositionAccuracy:0} m, track numbers {numbers.Length}, " +
            $"track-number changes/h {siap.RateOfTrackNumberChange * 3600:0.00}, |height| p95 {p95:0} m; civil aircraft in the slice: C {civil.Completeness:0.000}, PA {civil.PositionAccuracy:0} m");

        Assert.True(siap.Completeness >= 0.9, $"ship completeness {siap.Completeness:0.000} < 0.9");
        Assert.Single(numbers);
        Assert.True(p95 < 500, $"95th percentile |height| of the ship's track {p95:0} m ≥ 500 m");
    }
}
