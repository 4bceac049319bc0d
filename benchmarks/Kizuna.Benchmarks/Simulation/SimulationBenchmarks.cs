using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Scenario;

namespace Kizuna.Benchmarks.Simulation;

/// <summary>
/// One simulated hour of <c>scenarios/trilateral-defence.yaml</c> (all sensors, all traffic) as fast
/// as possible, into a counting sink (no file I/O). The engine is single-threaded, so the mean time
/// is CPU time on one core. The detection count is printed once per iteration so detections per
/// second of CPU = count / mean.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class SimulationBenchmarks
{
    private ExerciseWorld _world = null!;
    private long _lastCount;

    [GlobalSetup]
    public void Setup()
    {
        var path = Path.Combine(RepoRoot(), "scenarios", "trilateral-defence.yaml");
        _world = ExerciseWorld.Build(ScenarioLoader.Load(path));
    }

    [Benchmark(Description = "trilateral-defence, 1 h simulated")]
    public long SimulateOneHour()
    {
        var sink = new CountingSink();
        var engine = new ExerciseEngine(_world, new ExerciseOptions { Duration = 3600 });
        engine.RunAsync(sink).GetAwaiter().GetResult();
        _lastCount = sink.Detections;
        return sink.Detections;
    }

    [IterationCleanup]
    public void Report() => Console.WriteLine($"// detections in 1 h: {_lastCount}");

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kizuna.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Kizuna.slnx not found above the benchmark binary.");
    }
}
