using Kizuna.Cli.Coalition;
using Kizuna.Core;
using Kizuna.Network.Sharing;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Scenario;
using Kizuna.TestSupport;

namespace Kizuna.Cli.Tests;

/// <summary>
/// Issue 3, late space infrared: the nodes' trackers take plots later than their 1.5 s lag — the USA
/// GEO infrared lines of sight, reported 10 s late — by retrodiction (MaxOutOfSequenceAge), instead of
/// rejecting them all.
/// </summary>
public sealed class CoalitionOutOfSequenceTests
{
    private const string Infrared = "usa-geo-ir-sensor";

    private static ScenarioDefinition Trilateral() => ScenarioLoader.Load(Paths.InRepo("scenarios", "trilateral-defence.yaml"));

    [Fact]
    public void ScenarioTrackerLag_Trilateral_AgeCoversSpaceInfraredLagUnchanged()
    {
        var scenario = Trilateral();
        var settings = ScenarioTrackerLag.Apply(Commands.TrackCommand.Defaults.Ecef, scenario, TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(10), ScenarioTrackerLag.LongestLatency(scenario));
        Assert.Equal(1.5, settings.OutOfSequenceLagSeconds);
        Assert.Equal(11, settings.MaxOutOfSequenceAgeSeconds);
        Assert.Equal(TimeSpan.FromSeconds(11), settings.ToOptions().MaxOutOfSequenceAge);
        var longer = ScenarioTrackerLag.Apply(Commands.TrackCommand.Defaults.Ecef with { MaxOutOfSequenceAgeSeconds = 30 }, scenario, TimeSpan.FromSeconds(1));
        Assert.Equal(30, longer.MaxOutOfSequenceAgeSeconds);
    }

    /// <summary>
    /// The trilateral scenario's ballistic raid seen by the USA X-band radars and the GEO infrared
    /// sensor (no background traffic), first 480 s: the USA node uses late infrared lines of sight
    /// (OutOfSequenceUpdates &gt; 0, none before: the same plots through a tracker with the default
    /// MaxOutOfSequenceAge = 0 use none and reject every late one).
    /// </summary>
    [Fact]
    public async Task CoalitionRun_BallisticRaidWithSpaceInfrared_LateLinesOfSightUsed()
    {
        var full = Trilateral();
        var sensors = full.Sensors.Where(s => s.Id is "usa-kyogamisaki-xband" or "usa-shariki-xband" or Infrared).ToArray();
        var scenario = full with { Duration = 480, Sensors = [.. sensors], BackgroundTraffic = null, RecordedTraffic = [] };
        var engine = new ExerciseEngine(ExerciseWorld.Build(scenario), new ExerciseOptions { Duration = 480 });
        var capture = new Capture();
        await using var coalition = new CoalitionRun(scenario, Commands.TrackCommand.Defaults.Ecef, SharingAgreements.None, new InMemoryReleaseAuditLog(), [capture], engine);
        await engine.RunAsync(coalition, null, TestContext.Current.CancellationToken);

        var stats = coalition.Nodes[Nation.Usa].Tracker.Statistics;
        var infrared = capture.Cycles.Sum(c => c.Plots.Count(d => d.SensorId == Infrared));
        var bare = (coalition.Tracker with { MaxOutOfSequenceAgeSeconds = 0 }).Build();
        foreach (var (time, plots) in capture.Cycles)
        {
            bare.Step(scenario.Epoch.AddSeconds(time), [.. plots]);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"infrared plots delivered {infrared}; node: out-of-sequence updates {stats.OutOfSequenceUpdates}, rejected late {stats.RejectedLate}; "
            + $"age 0: out-of-sequence updates {bare.Statistics.OutOfSequenceUpdates}, rejected late {bare.Statistics.RejectedLate}");
        Assert.True(infrared > 20, $"only {infrared} infrared plots");
        Assert.True(stats.OutOfSequenceUpdates > 10, $"{stats.OutOfSequenceUpdates} late plots used, {stats.RejectedLate} rejected");
        Assert.Equal(stats.OutOfSequenceUpdates + stats.RejectedLate, bare.Statistics.RejectedLate);
        Assert.Equal(0, bare.Statistics.OutOfSequenceUpdates);
    }

    private sealed class Capture : ICoalitionStage
    {
        public List<(double Time, List<Detection> Plots)> Cycles { get; } = [];

        public void OnDetections(CoalitionRun run, double time, ReadOnlySpan<Detection> detections)
        {
            var usa = new List<Detection>();
            foreach (ref readonly var d in detections)
            {
                if (d.Nation == Nation.Usa)
                {
                    usa.Add(d);
                }
            }

            Cycles.Add((time, usa));
        }
    }
}
