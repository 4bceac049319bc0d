using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kizuna.Tracking.Association;
using Kizuna.Tracking.Deleters;
using Kizuna.Tracking.Initiators;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.MultipleModel;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Benchmarks.Tracking;

/// <summary>
/// Multi-target tracker throughput in steady state on the tutorial scenario with N = 1,000, 3,000 and
/// 10,000 targets (clutter scaled with area): each invocation steps <see cref="MeasuredScans"/>
/// scans after <see cref="WarmupScans"/> warm-up scans (done in the iteration setup, not measured).
/// The summary adds the time per scan, the detections per second and, per method, the fitted scaling
/// exponent b of t ∝ N^b over the three sizes next to the same fit of N·ln N (<see cref="ScalingColumns"/>);
/// bytes per detection = Allocated / detections (the global setup prints the count). One launch,
/// 2 warm-up and 9 measured iterations per case (each iteration re-warms a fresh tracker).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 8, iterationCount: 9)]
[Config(typeof(Config))]
public class TrackerThroughputBenchmarks
{
    /// <summary>Scans stepped before the measured ones, in the iteration setup.</summary>
    public const int WarmupScans = 10;

    /// <summary>Scans stepped per invocation (40: twice the first version's 20, so one iteration averages over more scans).</summary>
    public const int MeasuredScans = 40;

    private TutorialScenarioData _data = null!;
    private MultiTargetTracker _tracker = null!;

    /// <summary>Number of targets.</summary>
    [Params(1_000, 3_000, 10_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new TutorialScenarioData(N, WarmupScans + MeasuredScans, seed: 1);
        var measured = _data.Scans.Skip(WarmupScans).Sum(s => s.Length);
        Console.WriteLine($"// TrackerThroughput N={N}: {measured} detections in {MeasuredScans} measured scans ({measured / (double)MeasuredScans:F0} per scan)");
    }

    [IterationSetup(Target = nameof(NcvGnn))]
    public void SetupNcvGnn() => Warm(Estimator.Ncv, gnn: true);

    [IterationSetup(Target = nameof(ImmGnn))]
    public void SetupImmGnn() => Warm(Estimator.Imm, gnn: true);

    [IterationSetup(Target = nameof(NcvJpda))]
    public void SetupNcvJpda() => Warm(Estimator.Ncv, gnn: false);

    [Benchmark(Baseline = true)]
    public int NcvGnn() => Run();

    [Benchmark]
    public int ImmGnn() => Run();

    [Benchmark]
    public int NcvJpda() => Run();

    private int Run()
    {
        for (var k = WarmupScans; k < WarmupScans + MeasuredScans; k++)
        {
            _tracker.Step(TutorialScenarioData.Epoch.AddSeconds(k), _data.Scans[k]);
        }

        return _tracker.Tracks.Length;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(ScalingColumns.TimePerScan, ScalingColumns.DetectionsPerSecond, ScalingColumns.Exponent);
        }
    }

    private enum Estimator
    {
        Ncv,
        Imm,
    }

    /// <summary>
    /// The tracker every case measures (also used by <see cref="ScalingRun"/>): flat frame, 3-of-4
    /// confirmation, single-point initiation, deletion after 3 misses or a 50 m position σ, and an
    /// NCV (q = 0.05) or a 3-model IMM filter with GNN or JPDA association.
    /// </summary>
    internal static MultiTargetTracker CreateTracker(int n, bool imm, bool gnn)
    {
        var options = new TrackerOptions
        {
            Frame = TrackFrame.Flat,
            Association = new AssociationParameters(0.9, 0.99, TutorialScenarioData.ClutterDensity),
            Confirmation = MOfNConfirmation.ThreeOfFour,
            TrackCapacity = (2 * n) + 4096,
        };
        ITrackEstimator filter = !imm
            ? new KalmanTrackEstimator<NearlyConstantVelocity>(new NearlyConstantVelocity(0.05))
            : new ImmTrackEstimator(
                new InteractingMultipleModel(
                    [new NearlyConstantVelocity(0.05), new NearlyConstantVelocity(5), CoordinatedTurn.Flat(0.05, 1e-4)],
                    new double[,] { { 0.9, 0.05, 0.05 }, { 0.05, 0.9, 0.05 }, { 0.05, 0.05, 0.9 } }),
                [0.8, 0.1, 0.1]);
        IDataAssociator associator = gnn
            ? new GlobalNearestNeighbourAssociator(options.Association)
            : new JointProbabilisticDataAssociator(options.Association);
        return new MultiTargetTracker(options, filter, associator, new SinglePointInitiator(2),
            new AnyDeleter(new MissedUpdateDeleter(3, 2), new CovarianceDeleter(50)));
    }

    private void Warm(Estimator estimator, bool gnn)
    {
        _tracker = CreateTracker(N, estimator == Estimator.Imm, gnn);
        if (MemoryLatencyProbeBenchmarks.ProbeIfRequested() is { } probe)
        {
            Console.WriteLine($"// probe: pointer chase 8 MiB {probe:F1} ms");
        }

        for (var k = 0; k < WarmupScans; k++)
        {
            _tracker.Step(TutorialScenarioData.Epoch.AddSeconds(k), _data.Scans[k]);
        }
    }
}
