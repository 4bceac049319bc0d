using Kizuna.Core;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Scenario;
using Kizuna.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Kizuna.Simulation.Tests.Engine;

public class ExerciseEngineTests
{
    private static ScenarioDefinition Exercise() => ScenarioLoader.Load(Paths.InRepo("scenarios", "exercise-usa-jpn-gbr.yaml"));

    private static async Task<(string Digest, ExerciseSummary Summary, RecordingSink Recording)> RunAsync(ScenarioDefinition scenario, double duration)
    {
        var world = ExerciseWorld.Build(scenario);
        var engine = new ExerciseEngine(world, new ExerciseOptions { Duration = duration });
        using var hash = new HashingSink();
        var recording = new RecordingSink();
        var summary = await engine.RunAsync(new CompositeSink(hash, recording), null, TestContext.Current.CancellationToken);
        return (hash.HexDigest, summary, recording);
    }

    [Fact]
    public async Task Run_SameSeedTwice_IdenticalOutputHash()
    {
        var scenario = Exercise();
        var a = await RunAsync(scenario, 300);
        var b = await RunAsync(scenario, 300);
        Assert.True(a.Summary.Detections > 1000, $"expected a busy run, got {a.Summary.Detections} detections");
        Assert.Equal(a.Digest, b.Digest);
        Assert.Equal(a.Summary.Detections, b.Summary.Detections);
    }

    [Fact]
    public async Task Run_DifferentSeed_DifferentOutputHash()
    {
        var scenario = Exercise();
        var a = await RunAsync(scenario, 120);
        var b = await RunAsync(scenario with { Seed = scenario.Seed + 1 }, 120);
        Assert.NotEqual(a.Digest, b.Digest);
    }

    [Fact]
    public async Task Run_Detections_DeliveredInTimeOrderWithinDuration()
    {
        var scenario = Exercise();
        var run = await RunAsync(scenario, 200);
        var latency = scenario.Sensors.ToDictionary(s => s.Id, s => s.Latency);
        var previous = double.NegativeInfinity;
        foreach (var (batchTime, d) in run.Recording.Detections)
        {
            var measured = (d.Time - scenario.Epoch).TotalSeconds;
            var delivered = measured + latency[d.SensorId];
            Assert.True(delivered >= previous - 1e-9, $"delivery order broken at {delivered} after {previous}");
            Assert.True(delivered <= batchTime + 1e-9, "a detection was delivered before its delivery time");
            Assert.InRange(measured, 0, 200);
            previous = delivered;
        }

        Assert.Contains(run.Recording.Detections, x => x.Detection.IsFalseAlarm);
        Assert.Contains(run.Recording.Detections, x => x.Detection.TruthId > 0);
    }

    [Fact]
    public async Task Run_SensorOutageInject_SensorSilentDuringOutage()
    {
        var scenario = Exercise();
        var sensor = scenario.Sensors.First(s => s.Type == SensorType.SurfaceRadar && s.ClutterPerScan > 0).Id;
        var outage = new InjectDefinition(60, InjectKind.SensorOutage, sensor, 60);
        var run = await RunAsync(scenario with { Injects = [.. scenario.Injects, outage] }, 180);
        var times = run.Recording.Detections.Where(x => x.Detection.SensorId == sensor)
            .Select(x => (x.Detection.Time - scenario.Epoch).TotalSeconds).ToArray();
        Assert.Contains(times, t => t < 60);
        Assert.Contains(times, t => t >= 120);
        // A scan that started before 60 s may still report plots until one revisit later.
        var revisit = scenario.Sensors.First(s => s.Id == sensor).RevisitPeriod;
        Assert.DoesNotContain(times, t => t >= 60 + revisit && t < 120);
        Assert.Contains(run.Recording.Events, e => e.Kind == SimulationEventKind.SensorOutageStart && e.Subject == sensor);
        Assert.Contains(run.Recording.Events, e => e.Kind == SimulationEventKind.SensorOutageEnd && e.Subject == sensor);
    }

    [Fact]
    public async Task Run_TruthSampledEveryInterval()
    {
        var scenario = Exercise();
        var run = await RunAsync(scenario, 30);
        var times = run.Recording.TruthTimes;
        Assert.Equal(31, times.Count);
        Assert.Equal(Enumerable.Range(0, 31).Select(i => (double)i), times);
    }

    [Fact]
    public async Task Run_RealTimePacing_WaitsForTheWallClock()
    {
        var scenario = Exercise();
        var world = ExerciseWorld.Build(scenario);
        var fake = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var engine = new ExerciseEngine(world, new ExerciseOptions { Duration = 5, Speed = 1, WallClock = fake });
        var run = engine.RunAsync(new CountingSink(), null, TestContext.Current.CancellationToken);
        var advances = 0;
        while (!run.IsCompleted && advances < 100)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
            if (!run.IsCompleted)
            {
                fake.Advance(TimeSpan.FromMilliseconds(500));
                advances++;
            }
        }

        var summary = await run;
        Assert.Equal(5, summary.SimulatedSeconds);
        // 5 simulated seconds at 1x need ~5 s of (fake) wall time: at least 8 half-second advances.
        Assert.InRange(advances, 8, 40);
        Assert.Equal(scenario.Epoch.AddSeconds(5), engine.Clock.GetUtcNow().UtcDateTime);
    }

    [Fact]
    public void Options_NegativeSpeed_Rejected()
    {
        var world = ExerciseWorld.Build(Exercise());
        Assert.Throws<ArgumentException>(() => new ExerciseEngine(world, new ExerciseOptions { Speed = -1 }));
    }

    internal sealed class RecordingSink : ISimulationSink
    {
        public List<(double BatchTime, Detection Detection)> Detections { get; } = [];

        public List<double> TruthTimes { get; } = [];

        public List<SimulationEvent> Events { get; } = [];

        public void OnTruth(double time, ReadOnlySpan<TruthRecord> truth) => TruthTimes.Add(time);

        public void OnDetections(double time, ReadOnlySpan<Detection> detections)
        {
            foreach (var d in detections)
            {
                Detections.Add((time, d));
            }
        }

        public void OnEvent(SimulationEvent simulationEvent) => Events.Add(simulationEvent);
    }
}
