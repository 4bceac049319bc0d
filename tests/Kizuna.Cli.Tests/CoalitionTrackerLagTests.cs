using Kizuna.Cli.Coalition;
using Kizuna.Core;
using Kizuna.Network.Sharing;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Scenario;
using Kizuna.TestSupport;

namespace Kizuna.Cli.Tests;

/// <summary>
/// Issue 3 in the embedded coalition: the nodes' out-of-sequence lag is derived from the scenario's
/// reporting latencies, and a node's own late ADS-B plots reach its tracker instead of being rejected.
/// </summary>
public sealed class CoalitionTrackerLagTests
{
    private static ScenarioDefinition Trilateral() => ScenarioLoader.Load(Paths.InRepo("scenarios", "trilateral-defence.yaml"));

    [Fact]
    public void ScenarioTrackerLag_Trilateral_AdsbLatencyPlusOneCycleSpaceInfraredLeftOut()
    {
        var scenario = Trilateral();
        Assert.Contains(scenario.Sensors, s => s.Type == SensorType.SpaceInfrared && s.Latency == 10);
        Assert.Equal(TimeSpan.FromSeconds(0.5), ScenarioTrackerLag.LongestPositionLatency(scenario));
        Assert.Equal(TimeSpan.FromSeconds(1.5), ScenarioTrackerLag.For(scenario, TimeSpan.FromSeconds(1)));
    }

    /// <summary>
    /// A JPN destroyer radar (no latency, 2 s revisit) and the Haneda ADS-B receiver (0.5 s latency),
    /// first 60 s, in the first order of the scenario's sensors (a padding sensor, space infrared, which
    /// sees nothing then, shifts the seeded scan phases) whose phases make the ADS-B plots older than the
    /// previous cycle's radar plots: ADS-B measured at n + φa with frac(φa) &gt; 0.5 arrives at cycle
    /// n + 2, after the radar plot of n + φr (frac(φr) &gt; frac(φa)) went in at cycle n + 1.
    /// </summary>
    private static ScenarioDefinition LateAdsbSlice()
    {
        var full = Trilateral();
        var radar = full.Sensors.Single(s => s.Id == "jpn-ddg-north-spy");
        var adsb = full.Sensors.Single(s => s.Id == "jpn-haneda-adsb");
        var pad = full.Sensors.Single(s => s.Type == SensorType.SpaceInfrared);
        SensorDefinition[][] orders = [[radar, adsb], [adsb, radar], [pad, radar, adsb], [pad, adsb, radar], [pad, pad with { Id = "pad-2" }, radar, adsb], [pad, pad with { Id = "pad-2" }, adsb, radar]];
        foreach (var order in orders)
        {
            var candidate = full with { Duration = 60, Sensors = [.. order] };
            var slots = ExerciseWorld.Build(candidate).Sensors;
            var fa = Frac(slots.Single(s => s.Definition.Id == adsb.Id).Phase);
            var fr = Frac(slots.Single(s => s.Definition.Id == radar.Id).Phase);
            if (fa > 0.5 && fr > fa)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("no sensor order gives late ADS-B plots");

        static double Frac(double x) => x - Math.Floor(x);
    }

    [Fact]
    public async Task CoalitionRun_JpnRadarAndAdsbSlice_NoOwnPlotRejectedLate()
    {
        var scenario = LateAdsbSlice();
        var engine = new ExerciseEngine(ExerciseWorld.Build(scenario), new ExerciseOptions { Duration = 60 });
        var capture = new Capture();
        await using var coalition = new CoalitionRun(scenario, Commands.TrackCommand.Defaults.Ecef, SharingAgreements.None, new InMemoryReleaseAuditLog(), [capture], engine);
        await engine.RunAsync(coalition, null, TestContext.Current.CancellationToken);

        var stats = coalition.Nodes[Nation.Japan].Tracker.Statistics;
        var adsb = capture.Cycles.Sum(c => c.Plots.Count(d => d.SensorId == "jpn-haneda-adsb"));
        Assert.True(adsb > 500, $"only {adsb} ADS-B plots in the slice");
        Assert.Equal(1.5, coalition.Tracker.OutOfSequenceLagSeconds);
        Assert.Equal(0, stats.RejectedLate);
        Assert.True(stats.DetectionsProcessed > 0.9 * stats.DetectionsReceived, $"{stats.DetectionsProcessed} of {stats.DetectionsReceived} processed");

        // The same plots, cycle by cycle, through a tracker without the lag (the node before issue 3's
        // fix): the slice does exercise late plots.
        var bare = Commands.TrackCommand.Defaults.Ecef.Build();
        foreach (var (time, plots) in capture.Cycles)
        {
            bare.Step(scenario.Epoch.AddSeconds(time), [.. plots]);
        }

        Assert.True(bare.Statistics.RejectedLate > 100, $"without the lag only {bare.Statistics.RejectedLate} plots were late");
    }

    private sealed class Capture : ICoalitionStage
    {
        public List<(double Time, List<Detection> Plots)> Cycles { get; } = [];

        public void OnDetections(CoalitionRun run, double time, ReadOnlySpan<Detection> detections)
        {
            var jpn = new List<Detection>();
            foreach (ref readonly var d in detections)
            {
                if (d.Nation == Nation.Japan)
                {
                    jpn.Add(d);
                }
            }

            Cycles.Add((time, jpn));
        }
    }
}
