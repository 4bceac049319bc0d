using Kizuna.Cli.Distributed;
using Kizuna.Core;

namespace Kizuna.Cli.Tests;

/// <summary>The coalition as separate processes (one <c>kizuna node</c> per nation) over a real nats-server.</summary>
[Collection(NodeProcesses.Name)]
public sealed class DistributedNatsTests(ITestOutputHelper output) : IDisposable
{
    private const string Scenario = "scenarios/trilateral-defence.yaml";
    private readonly string _dir = Directory.CreateTempSubdirectory("kizuna-dist-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ThreeNodeProcesses_OverNats_OneNumberPerObjectAtEveryNode()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var run = await DistributedCoalition.StartAsync(Scenario, _dir, null, ct);
        // Paced at real time on one shared schedule, as a deployed network runs: unpaced, on a loaded
        // 2-core machine, the nodes race ahead of each other's reports and the figure measures the
        // scheduler (measured 0.976 released-pair commonality unpaced at load ≈ 30, 0.981 at lower load).
        var start = DateTimeOffset.UtcNow.AddSeconds(8).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var nodes = run.Nations.Select(n => (n, run.StartNode(Scenario, n, ["--duration", "90", "--pace", "1", "--start-unix-ms", start, "--partner-wait-ms", "5000"]))).ToList();
        foreach (var (nation, process) in nodes)
        {
            Assert.True(await DistributedCoalition.WaitAsync(process, TimeSpan.FromMinutes(6), ct), $"node {nation} failed:\n{File.ReadAllText(Path.Combine(_dir, nation.Code + ".log"))}");
        }

        var pictures = run.ReadPictures();
        Assert.Equal(3, pictures.Count);
        var agreements = Kizuna.Network.Sharing.AgreementFile.Load(Kizuna.TestSupport.Paths.InRepo("scenarios", "agreements-trilateral.yaml"));
        var c = PictureAnalysis.Consistency(pictures, from: 30, agreements: agreements);
        var flows = new[] { (Nation.Usa, Nation.Japan), (Nation.Japan, Nation.Usa), (Nation.Usa, Nation.Australia), (Nation.Australia, Nation.Usa) };
        var latency = PictureAnalysis.Latencies(pictures, flows);
        var log = new FigureLog(output, "distributed-nats.txt");
        log.WriteLine($"ambiguity {c.Ambiguity:0.0000}, commonality over released pairs {c.ReleasedCommonality:0.0000} ({c.ReleasedPairs} pairs), over all holding pairs {c.Commonality:0.0000} ({c.NodePairs} pairs), {c.ObjectCycles} object-cycles");
        foreach (var (a, b) in new[] { (Nation.Usa, Nation.Japan), (Nation.Usa, Nation.Australia), (Nation.Japan, Nation.Australia) })
        {
            var pair = PictureAnalysis.Consistency(new Dictionary<Nation, SortedDictionary<long, PictureLine>> { [a] = pictures[a], [b] = pictures[b] }, from: 30, agreements: agreements);
            log.WriteLine($"  {a}-{b}: commonality over released pairs {pair.ReleasedCommonality:0.0000} ({pair.ReleasedPairs} pairs), all holding pairs {pair.Commonality:0.0000} ({pair.NodePairs})");
        }

        log.WriteLine($"detection -> partner picture latency: median {PictureAnalysis.Quantile(latency, 0.5):0.0} ms, p99 {PictureAnalysis.Quantile(latency, 0.99):0.0} ms ({latency.Count} samples)");
        foreach (var n in run.Nations)
        {
            var s = run.ReadSummary(n)!;
            log.WriteLine($"{n}: cycles {s.Cycles}, late {s.LateCycles}, published {s.MessagesPublished}, bytes {s.BytesSent}, reports {s.TrackReportsSent} ({(s.TrackReportsSent > 0 ? s.TrackReportBytes / (double)s.TrackReportsSent : 0):0} B each), detections {s.DetectionsSent} in {s.BatchesSent} batches ({s.BatchBytes} B), wall {s.WallSeconds:0.0} s");
            Assert.Equal(91, s.Cycles);
        }

        Assert.True(c.ObjectCycles > 1000, $"only {c.ObjectCycles} object-cycles");
        Assert.True(c.Ambiguity <= 1.02, $"ambiguity {c.Ambiguity}");
        // The issue's goal: commonality >= 0.98 over released pairs (a pair counts for an object when the
        // agreements let its track flow between the two nodes, derived-data markings and classification by
        // content included). The all-pairs figure is logged for comparison.
        Assert.True(c.ReleasedPairs > 1000, $"only {c.ReleasedPairs} released pairs");
        // Measured 0.991 (USA-JPN 0.990, USA-AUS 0.991, JPN-AUS 0.992) with the processes alone on the
        // machine, but 0.977 while the fault tests' nine node processes ran beside them on 2 cores (the
        // embedded lock-step run reaches 0.9999). The assertion floor is 0.97 so a contended CI machine
        // does not fail the suite; the figure is logged and reported in docs/benchmarks.md.
        Assert.True(c.ReleasedCommonality >= 0.98, $"commonality over released pairs {c.ReleasedCommonality}");
    }
}

/// <summary>Tests that start node processes run one at a time: each starts 3–4 processes on a 2-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class NodeProcesses
{
    /// <summary>The collection's name.</summary>
    public const string Name = "node processes";
}
