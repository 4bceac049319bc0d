using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Motion;
using Kizuna.Simulation.Scenario;
using Kizuna.TestSupport;

namespace Kizuna.Simulation.Tests.Engine;

public sealed class DestroyTests
{
    private sealed class Recorder : ISimulationSink
    {
        public Action<double>? OnStep { get; set; }

        public List<SimulationEvent> Events { get; } = [];

        public HashSet<int> TruthIdsAfter { get; } = [];

        public double WatchAfter { get; set; } = double.PositiveInfinity;

        public int WatchedId { get; set; }

        public int DetectionsOfWatchedAfter { get; private set; }

        public void OnTruth(double time, ReadOnlySpan<TruthRecord> truth)
        {
            if (time > WatchAfter)
            {
                foreach (ref readonly var r in truth)
                {
                    TruthIdsAfter.Add(r.Object.Id);
                }
            }
        }

        public void OnDetections(double time, ReadOnlySpan<Core.Detection> detections)
        {
            foreach (ref readonly var d in detections)
            {
                if (d.TruthId == WatchedId && (d.Time - new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds > WatchAfter)
                {
                    DetectionsOfWatchedAfter++;
                }
            }

            OnStep?.Invoke(time);
        }

        public void OnEvent(SimulationEvent simulationEvent) => Events.Add(simulationEvent);
    }

    [Fact]
    public async Task Destroy_RedMissileMidFlight_NoTruthNoDetectionsAfterAndOneEvent()
    {
        var scenario = ScenarioLoader.Load(Paths.InRepo("scenarios", "trilateral-defence.yaml"));
        var world = ExerciseWorld.Build(scenario);
        var missile = world.Objects.First(o => o.Kind == ObjectKind.BallisticMissile);
        var killAt = missile.Trajectory.StartTime + 200;
        var engine = new ExerciseEngine(world, new ExerciseOptions { Duration = killAt + 120 });
        var sink = new Recorder { WatchAfter = killAt + 1, WatchedId = missile.Id };
        var destroyed = 0;
        sink.OnStep = t =>
        {
            if (t >= killAt && destroyed == 0)
            {
                destroyed = engine.Destroy(missile.Id, killAt) ? 1 : -1;
            }
        };

        await engine.RunAsync(sink, null, TestContext.Current.CancellationToken);

        Assert.Equal(1, destroyed);
        Assert.DoesNotContain(missile.Id, sink.TruthIdsAfter);
        Assert.Equal(0, sink.DetectionsOfWatchedAfter);
        var e = Assert.Single(sink.Events, e => e.Kind == SimulationEventKind.Destroyed);
        Assert.Equal((killAt, missile.Name), (e.Time, e.Subject));
        Assert.False(engine.Destroy(missile.Id, killAt + 10), "a second, later destruction changes nothing");
    }

    [Fact]
    public void Destroy_BlueOrUnknownObject_IsRefused()
    {
        var world = ExerciseWorld.Build(ScenarioLoader.Load(Paths.InRepo("scenarios", "trilateral-defence.yaml")));
        var ship = world.Objects.First(o => o.Kind == ObjectKind.Ship);

        Assert.False(world.Destroy(ship.Id, 10));
        Assert.False(world.Destroy(0, 10));
        Assert.False(world.Destroy(world.Objects.Length + 1, 10));
        Assert.True(ship.Trajectory.TryGetState(20, out _));
    }
}
