using Kizuna.Cli.Pipeline;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Scenario;
using Kizuna.TestSupport;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Cli.Tests;

/// <summary>
/// Issue 3 acceptance on real flights: the OpenSky recording of 2018-08-01 over Switzerland
/// (../shared/data/adsb/opensky/switzerland.json.gz) observed by three simulated rotating en-route
/// radars (σr = 50 m, σaz = 0.15°, 10 s rotation, Pd 0.9, 5 false plots per scan each), tracked in
/// ECEF, scored with SIAP within coverage (association within 2 km, sampled every 10 s).
/// </summary>
public class RealFlightTrackingTests(ITestOutputHelper testOutput)
{
    /// <summary>Figures go to the test output and to realflight-figures.txt beside the test binary (for docs/benchmarks.md).</summary>
    private readonly FigureLog output = new(testOutput, "realflight-figures.txt");

    [Fact]
    public async Task SwitzerlandDay_ThreeRadars_CompletenessAtLeast097AndPerHourFigures()
    {
        var scenario = ScenarioLoader.Load(Paths.InRepo("scenarios", "switzerland-opensky.yaml"));
        var world = ExerciseWorld.Build(scenario);
        var hours = new List<(int Hour, double C, double A, double S, double R, double Pa)>();
        const int Hours = 2;
        var settings = TrackCommandDefaults() with { ProcessNoise = 20 };
        var tracking = new TrackingSink(settings.Build(), scenario.Epoch, sampleInterval: 10);
        var engine = new ExerciseEngine(world, new ExerciseOptions { Duration = Hours * 3600 });
        await engine.RunAsync(tracking, null, TestContext.Current.CancellationToken);

        var siap = tracking.Siap(2_000);
        output.WriteLine(siap.ToTable());
        var (median, p99) = tracking.LatencyPercentiles();
        output.WriteLine($"tracker latency per 1 s step: median {median:0.###} ms, p99 {p99:0.###} ms");
        var truth = tracking.TruthInCoverage();
        for (var h = 0; h < Hours; h++)
        {
            var from = h * 3600.0;
            var to = from + 3600;
            var hourSiap = Kizuna.Metrics.SiapCalculator.Compute(
                tracking.Tracks.Where(t => t.Time >= from && t.Time < to).ToList(),
                truth.Where(t => t.Time >= from && t.Time < to).ToList(),
                new Kizuna.Metrics.TrackToTruthAssociator(2_000));
            hours.Add((h, hourSiap.Completeness, hourSiap.Ambiguity, hourSiap.Spuriousness, hourSiap.RateOfTrackNumberChange * 3600, hourSiap.PositionAccuracy));
            output.WriteLine($"hour {h + 5:00}-{h + 6:00} UTC: C {hourSiap.Completeness:0.000} A {hourSiap.Ambiguity:0.000} S {hourSiap.Spuriousness:0.000} " +
                $"track-number changes {hourSiap.RateOfTrackNumberChange * 3600:0.00} per truth-hour, PA {hourSiap.PositionAccuracy:0} m, truths {hourSiap.TruthCount}");
        }

        Assert.True(siap.TruthCount > 30, $"expected real traffic, got {siap.TruthCount} truths");
        Assert.True(siap.Completeness >= 0.97, $"completeness {siap.Completeness:0.000} < 0.97");
        Assert.True(siap.Ambiguity <= 1.05, $"ambiguity {siap.Ambiguity:0.000}");
        Assert.True(siap.PositionAccuracy < 500, $"position accuracy {siap.PositionAccuracy:0} m");
    }

    private static TrackerSettings TrackCommandDefaults() => Kizuna.Cli.Commands.TrackCommand.Defaults.Ecef;
}
