using System.Collections.Immutable;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Kizuna.Benchmarks.Simulation;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Recording;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Scenario;

namespace Kizuna.Benchmarks.Recording;

/// <summary>
/// Recorder throughput: 200,000 detections or picture tracks queued and committed (Create →
/// Record* → Dispose, which waits for the last commit), per row. The writer runs on a second
/// thread; the mean is wall time per row of the whole pipeline. Job settings come from the
/// command line (docs/benchmarks.md, "Recording"), so the run can be in-process on a busy machine.
/// </summary>
public class RecorderThroughputBenchmarks
{
    private const int Rows = 200_000;
    private static readonly DateTime Epoch = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private Detection[] _detections = [];
    private PictureTrack[] _tracks = [];
    private string _dir = "";
    private int _file;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("kizuna-bench-rec-").FullName;
        var site = Geodetic.FromDegrees(35, 139, 100);
        _detections = [.. Enumerable.Range(0, Rows).Select(i => new Detection(
            Epoch.AddMilliseconds(i), "JPN-FPS5", Nation.Japan, MeasurementKind.RangeAzimuthElevation,
            new Vec3(100_000 + i, 0.5, 0.05), Mat3.Diagonal(2500, 1e-6, 1e-6), site, i % 500))];
        var marking = Marking.RelTo(Nation.Japan, Classification.Secret, Nation.Australia, Nation.Usa);
        ImmutableArray<string> sensors = ["JPN-FPS5", "USA-TPY2"];
        _tracks = [.. Enumerable.Range(0, Rows).Select(i => new PictureTrack(
            new TrackNumber(1 + (i % 2000)), Epoch.AddMilliseconds(i), Geodetic.FromDegrees(35 + (i * 1e-6), 139, 9000),
            new Vec3(200, 10, 0), 80, 12, TrackKind.Aircraft, Affiliation.Friend, Nation.Japan, marking, sensors))];
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark(Description = "detections: queue + commit", OperationsPerInvoke = Rows)]
    public long Detections()
    {
        using var rec = RunRecorder.Create(NextFile(), Metadata());
        foreach (ref readonly var d in _detections.AsSpan())
        {
            rec.RecordDetection(in d);
        }

        rec.Dispose();
        return rec.RowsWritten;
    }

    [Benchmark(Description = "picture tracks: queue + commit", OperationsPerInvoke = Rows)]
    public long Tracks()
    {
        using var rec = RunRecorder.Create(NextFile(), Metadata());
        foreach (var t in _tracks)
        {
            rec.RecordTrack(Nation.Japan, t);
        }

        rec.Dispose();
        return rec.RowsWritten;
    }

    private string NextFile() => Path.Combine(_dir, $"run-{_file++}.db");

    private static RunMetadata Metadata() => new("bench", 1, Epoch, [Nation.Japan], "bench");
}

/// <summary>
/// Recording overhead on a run: 10 simulated minutes of <c>scenarios/trilateral-defence.yaml</c>
/// as fast as possible, into a counting sink (baseline) and into a recorder of every detection
/// and truth sample (the run ends when the recorder's last commit is done). The process CPU time
/// of each iteration is printed, since the writer works on a second thread.
/// </summary>
public class RecordingOverheadBenchmarks
{
    private const double Duration = 600;
    private ExerciseWorld _world = null!;
    private string _dir = "";
    private int _file;
    private TimeSpan _cpuBefore;

    [GlobalSetup]
    public void Setup()
    {
        var path = Path.Combine(SimulationBenchmarks.RepoRoot(), "scenarios", "trilateral-defence.yaml");
        _world = ExerciseWorld.Build(ScenarioLoader.Load(path));
        _dir = Directory.CreateTempSubdirectory("kizuna-bench-overhead-").FullName;
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [IterationSetup]
    public void Before() => _cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;

    [IterationCleanup]
    public void After() =>
        Console.WriteLine($"// process CPU this iteration: {(Process.GetCurrentProcess().TotalProcessorTime - _cpuBefore).TotalSeconds:0.000} s");

    [Benchmark(Baseline = true, Description = "10 min trilateral, counting sink")]
    public long WithoutRecording()
    {
        var sink = new CountingSink();
        new ExerciseEngine(_world, new ExerciseOptions { Duration = Duration }).RunAsync(sink).GetAwaiter().GetResult();
        return sink.Detections;
    }

    [Benchmark(Description = "10 min trilateral, recording detections + truth")]
    public long WithRecording()
    {
        var path = Path.Combine(_dir, $"run-{_file++}.db");
        var scenario = _world.Scenario;
        long rows;
        using (var rec = RunRecorder.Create(path, new RunMetadata(scenario.Name, scenario.Seed, scenario.Epoch, [.. scenario.Nations], "bench")))
        {
            var sink = new RecordingSink(rec, scenario.Epoch);
            new ExerciseEngine(_world, new ExerciseOptions { Duration = Duration }).RunAsync(sink).GetAwaiter().GetResult();
            rec.Dispose();
            rows = rec.RowsWritten;
        }

        Console.WriteLine($"// rows recorded: {rows:N0}, file {new FileInfo(path).Length / 1e6:0.0} MB");
        File.Delete(path);
        return rows;
    }
}
