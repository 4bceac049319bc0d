using System.Globalization;
using Kizuna.Cli.Distributed;
using Kizuna.Core;

namespace Kizuna.Cli.Tests;

/// <summary>
/// Faults on the coalition as separate processes over a real nats-server: a node killed (no clean
/// shutdown) and restarted from its journal and JetStream, and a node cut from the server for 60 s of
/// simulated time. The nodes are paced (<c>--pace</c>, one shared <c>--start-unix-ms</c>) so the
/// survivors do not run away from a missing partner and a restarted node can catch up.
/// </summary>
[Collection(NodeProcesses.Name)]
public sealed class DistributedFaultTests(ITestOutputHelper output) : IDisposable
{
    private const string Scenario = "scenarios/trilateral-defence.yaml";
    private const double Pace = 1;

    /// <summary>
    /// Bound for a partner never heard from (still starting): beside other test processes one node process
    /// started 80–90 s after the test launched it (load ≈ 40), past the 60-s default, and its partners then
    /// declared it absent at cycle 1 — a timing-dependent start. The test waits up to 10 min for a node anyway.
    /// </summary>
    private const string StartupMs = "600000";
    private static readonly Nation Victim = Nation.Japan;
    private readonly string _dir = Directory.CreateTempSubdirectory("kizuna-fault-").FullName;

    private string? _keep;

    /// <summary>Keeps the run's node logs, picture logs and summaries beside the test binary (<c>distributed-&lt;name&gt;-run/</c>), then deletes the run folder.</summary>
    public void Dispose()
    {
        if (_keep is not null)
        {
            var target = Path.Combine(AppContext.BaseDirectory, $"distributed-{_keep}-run");
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.CreateDirectory(target);
            foreach (var file in Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".log", StringComparison.Ordinal) || f.EndsWith(".picture.jsonl", StringComparison.Ordinal) || f.EndsWith(".summary.json", StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
            }
        }

        Directory.Delete(_dir, recursive: true);
    }

    private static bool JapanBlock(int number) => number is >= 10_000 and <= 17_999;

    private static string[] Args(double duration, long startUnixMs) =>
    [
        "--duration", duration.ToString(CultureInfo.InvariantCulture), "--partner-wait-ms", "5000", "--partner-startup-ms", StartupMs,
        "--pace", Pace.ToString(CultureInfo.InvariantCulture), "--start-unix-ms", startUnixMs.ToString(CultureInfo.InvariantCulture),
        "--rejoin-wait-ms", StartupMs,
    ];

    private string Log(Nation nation) => File.ReadAllText(Path.Combine(_dir, nation.Code + ".log"));

    [Fact]
    public async Task KilledNode_RestartedWithSameOutput_RecoversPictureWithoutReissuingNumbers()
    {
        const int killAfter = 25;
        _keep = "kill-restart";
        var ct = TestContext.Current.CancellationToken;
        await using var run = await DistributedCoalition.StartAsync(Scenario, _dir, null, ct);
        var args = Args(60, DateTimeOffset.UtcNow.AddSeconds(8).ToUnixTimeMilliseconds());
        // The victim hangs after journaling cycle 25 (--halt-after: nothing more published, keep-alive stopped) and is
        // then killed, so the crash falls on the same cycle boundary in every run; its partners detect it by silence
        // and hold it until the re-join slot agreed on the wire, where they wait for the restarted node (--rejoin-wait-ms).
        var nodes = run.Nations.ToDictionary(n => n, n => run.StartNode(Scenario, n, n == Victim ? [.. args, "--halt-after", killAfter.ToString(CultureInfo.InvariantCulture)] : args));

        Assert.True(await run.WaitForHaltAsync(Victim, nodes[Victim], TimeSpan.FromMinutes(10), ct), $"{Victim} never halted after cycle {killAfter}:\n{Log(Victim)}");
        DistributedCoalition.Kill(nodes[Victim]);
        nodes[Victim] = run.StartNode(Scenario, Victim, args);
        foreach (var (nation, process) in nodes)
        {
            Assert.True(await DistributedCoalition.WaitAsync(process, TimeSpan.FromMinutes(10), ct), $"node {nation} failed:\n{Log(nation)}");
        }

        var pictures = run.ReadPictures();
        var s = run.ReadSummary(Victim)!;
        var log = new FigureLog(output, "distributed-kill-restart.txt");
        log.WriteLine($"{Victim} killed after cycle {killAfter}; restarted: {s.ReplayedCycles} cycles replayed, {s.ReplayMismatches} hash mismatches, {s.ReplayMissing} journaled messages missing from JetStream, {s.ConnectRetries} connect retries");
        foreach (var n in run.Nations)
        {
            var ns = run.ReadSummary(n)!;
            log.WriteLine($"{n}: cycles {ns.Cycles}, late {ns.LateCycles}, held partner-cycles {ns.HeldCycles}, keep-alives {ns.KeepAlives}, publish retries {ns.PublishRetries}, received {ns.MessagesReceived}, wall {ns.WallSeconds:0.0} s; re-join: {string.Join("; ", ns.Rejoins)}");
        }

        // The re-join cycle is agreed: every partner held the victim and re-admitted it at the same cycle.
        var admitted = run.Nations.Where(n => n != Victim).Select(n => run.ReadSummary(n)!.Rejoins.Where(e => e.StartsWith($"{Victim} re-admitted at ", StringComparison.Ordinal)).ToList()).ToList();
        Assert.All(admitted, a => Assert.Single(a));
        Assert.Single(admitted.Select(a => a[0]).Distinct());

        // Exact recovery of the state: every journaled cycle replayed to the same track-table hash.
        Assert.True(s.ReplayedCycles >= killAfter, $"replayed {s.ReplayedCycles}");
        Assert.Equal(0, s.ReplayMismatches);
        Assert.Equal(0, s.ReplayMissing);
        Assert.Equal(61, s.Cycles);

        // Recovery of the coalition picture: the first live cycle after the restart from which the
        // victim's numbers agree with its partners' (same number for the same object) at the level it
        // had before the kill, for 5 cycles in a row.
        var victim = pictures[Victim];
        var firstLive = s.ReplayedCycles + 1;
        var before = Sum(pictures, Victim, firstLive - 10, firstLive - 1);
        var level = Math.Min(0.95, before.Ratio);
        var recovered = FirstSustained(pictures, Victim, firstLive, victim.Keys.Max(), level);
        Assert.True(recovered is not null, $"never recovered to {level:0.000}");
        var recoverySeconds = victim[recovered.Value].SimTime - victim[firstLive].SimTime;
        var after = Sum(pictures, Victim, recovered.Value, victim.Keys.Max());
        log.WriteLine($"commonality of {Victim} with partners: {before.Ratio:0.000} over the 10 cycles before the kill; recovered to >= {level:0.000} at t = {victim[recovered.Value].SimTime:0} s, {recoverySeconds:0} s of simulated time after the first live cycle (t = {victim[firstLive].SimTime:0} s); {after.Ratio:0.000} from then to the end");

        // No number issued before the kill stands for another object after the restart.
        var issuedBefore = PictureAnalysis.NumberObjects(victim, JapanBlock, 1, firstLive - 1);
        var usedAfter = PictureAnalysis.NumberObjects(victim, JapanBlock, firstLive, victim.Keys.Max());
        var reissued = usedAfter.Where(kv => issuedBefore.TryGetValue(kv.Key, out var o) && o != kv.Value).ToList();
        var ambiguity = victim.Where(kv => kv.Key >= recovered.Value).Average(kv => PictureAnalysis.Ambiguity(kv.Value));
        var settled = victim.Where(kv => kv.Key > victim.Keys.Max() - 10).Average(kv => PictureAnalysis.Ambiguity(kv.Value));
        log.WriteLine($"{Victim} numbers: {issuedBefore.Count} issued before the kill, {usedAfter.Count} in use after, {usedAfter.Keys.Count(issuedBefore.ContainsKey)} of them carried over, {reissued.Count} reissued for another object; ambiguity after recovery {ambiguity:0.0000}, over the last 10 cycles {settled:0.0000}");

        Assert.True(recoverySeconds <= 5, $"recovery took {recoverySeconds} s of simulated time");
        Assert.Empty(reissued);
        // Known defect (docs/network.md, issue 5 open): when the kill falls after the last journaled
        // cycle, the restarted node re-initiates most tracks under new numbers (4 of 207 carried over in
        // one run) and holds two numbers for ~10 % of objects until correlation resolves them — measured
        // 1.003 and 1.099 after recovery in two runs. Asserted: no reissued number, a bounded transient,
        // and a settled picture at the end.
        Assert.True(ambiguity <= 1.02, $"ambiguity after recovery {ambiguity}");
        Assert.True(settled <= 1.02, $"ambiguity over the last 10 cycles {settled}");
    }

    [Fact]
    public async Task PartitionedNode_AfterHeal_PicturesReconvergeAndSplitDuplicatesAreCorrelated()
    {
        const double partitionAt = 20, partitionFor = 60, heal = partitionAt + partitionFor;
        _keep = "partition";
        var ct = TestContext.Current.CancellationToken;
        await using var run = await DistributedCoalition.StartAsync(Scenario, _dir, null, ct);
        var args = Args(115, DateTimeOffset.UtcNow.AddSeconds(8).ToUnixTimeMilliseconds());
        var nodes = run.Nations.ToDictionary(
            n => n,
            n => run.StartNode(Scenario, n, n == Victim
                ? [.. args, "--partition-at", "20", "--partition-for", "60"]
                : [.. args, "--partner-partition", $"{Victim.Code}:20:60"]));
        foreach (var (nation, process) in nodes)
        {
            Assert.True(await DistributedCoalition.WaitAsync(process, TimeSpan.FromMinutes(12), ct), $"node {nation} failed:\n{Log(nation)}");
        }

        var pictures = run.ReadPictures();
        var s = run.ReadSummary(Victim)!;
        var log = new FigureLog(output, "distributed-partition.txt");
        foreach (var n in run.Nations)
        {
            var ns = run.ReadSummary(n)!;
            log.WriteLine($"{n}: cycles {ns.Cycles}, partitioned {ns.PartitionedCycles}, late {ns.LateCycles}, keep-alives {ns.KeepAlives}, publish retries {ns.PublishRetries}, connect retries {ns.ConnectRetries}, received {ns.MessagesReceived}, wall {ns.WallSeconds:0.0} s");
        }

        Assert.InRange(s.PartitionedCycles, 59, 61);
        var victim = pictures[Victim];
        var lastSplit = victim.Last(kv => kv.Value.SimTime < heal).Key;
        var firstHealed = lastSplit + 1;

        // Split duplicates: objects the victim and a partner hold under different numbers at the heal.
        var split = SplitPairs(pictures, lastSplit);
        var notices = pictures.Values.SelectMany(p => p.Where(kv => kv.Key >= firstHealed).SelectMany(kv => kv.Value.Notices))
            .Where(n => n.Kind == 0).Select(n => (Math.Min(n.Kept, n.Retired), Math.Max(n.Kept, n.Retired))).ToHashSet();
        var resolvedByNotice = split.Count(p => notices.Contains((Math.Min(p.A, p.B), Math.Max(p.A, p.B))));

        // Re-convergence: commonality of the victim with its partners back to 0.95 (a settled run's level;
        // the pre-partition picture at t < 20 s is still settling), 5 cycles in a row.
        var before = Sum(pictures, Victim, lastSplit - 70, lastSplit - 60);
        const double level = 0.95;
        var during = Sum(pictures, Victim, lastSplit - 10, lastSplit);
        var converged = FirstSustained(pictures, Victim, firstHealed, victim.Keys.Max(), level);
        var end = victim.Keys.Max();
        var atEnd = Sum(pictures, Victim, end - 4, end);
        var stillSplit = split.Count(p => SameNumberAt(pictures, p, end));
        log.WriteLine($"commonality of {Victim} with partners: {before.Ratio:0.000} before the partition, {during.Ratio:0.000} in its last 10 s, {atEnd.Ratio:0.000} over the last 5 cycles");
        log.WriteLine(converged is { } c
            ? $"re-converged to >= {level:0.000} at t = {victim[c].SimTime:0} s, {victim[c].SimTime - victim[firstHealed].SimTime:0} s of simulated time after the heal (t = {victim[firstHealed].SimTime:0} s)"
            : $"never re-converged to {level:0.000}");
        log.WriteLine($"split duplicates at the heal: {split.Count} (object held under two numbers by {Victim} and a partner); {resolvedByNotice} correlated with a notice after the heal (one number kept, the other retired); {stillSplit} held under one number by both at the end");
        foreach (var group in split.Where(p => !SameNumberAt(pictures, p, end)).GroupBy(p => EndState(pictures, p, end)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            log.WriteLine($"  not under one number at the end: {group.Count()} {group.Key}");
        }

        var others = split.Where(p => !notices.Contains((Math.Min(p.A, p.B), Math.Max(p.A, p.B)))).ToList();
        foreach (var group in others.GroupBy(p => OtherResolution(pictures, p, firstHealed, end)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            log.WriteLine($"  not correlated on exactly that pair: {group.Count()} {group.Key} ({string.Join(", ", group.Select(p => $"{p.Partner} object {p.Truth}: {p.A}/{p.B}"))})");
        }

        Assert.True(split.Count > 0, "the partition created no duplicate numbers: the test proves nothing");
        Assert.True(converged is not null, "pictures never re-converged");
        Assert.True(victim[converged.Value].SimTime - victim[firstHealed].SimTime <= 30, "re-convergence took more than 30 s of simulated time");
        // With the partition on a schedule every node knows (--partner-partition), the run is deterministic:
        // measured 18 of 18 under one number at the end and 18 of 18 by a correlate notice on exactly that
        // pair, the same track-table hashes at every node and cycle in every run (docs/network.md). The
        // bounds stay below 100 % because a live partner starved of CPU for the 5-s silence bound still
        // takes the timing-dependent absent path (late cycles, logged above).
        Assert.True(stillSplit >= 0.9 * split.Count, $"{stillSplit} of {split.Count} split duplicates under one number at the end");
        Assert.True(resolvedByNotice >= 0.75 * split.Count, $"{resolvedByNotice} of {split.Count} split duplicates correlated by a notice");
    }

    private readonly record struct Agreement(long Agree, long Pairs)
    {
        public double Ratio => Pairs == 0 ? 0 : Agree / (double)Pairs;
    }

    private static Agreement Sum(Dictionary<Nation, SortedDictionary<long, PictureLine>> pictures, Nation nation, long from, long to)
    {
        long agree = 0, pairs = 0;
        for (var k = Math.Max(1, from); k <= to; k++)
        {
            var (a, p) = PictureAnalysis.NodeCommonality(pictures, nation, k);
            agree += a;
            pairs += p;
        }

        return new Agreement(agree, pairs);
    }

    private static long? FirstSustained(Dictionary<Nation, SortedDictionary<long, PictureLine>> pictures, Nation nation, long from, long last, double level)
    {
        for (var k = from; k + 4 <= last; k++)
        {
            var ok = true;
            for (var j = k; j < k + 5 && ok; j++)
            {
                var (a, p) = PictureAnalysis.NodeCommonality(pictures, nation, j);
                ok = p > 0 && a >= level * p;
            }

            if (ok)
            {
                return k;
            }
        }

        return null;
    }

    private readonly record struct SplitPair(Nation Partner, int Truth, int A, int B);

    private static List<SplitPair> SplitPairs(Dictionary<Nation, SortedDictionary<long, PictureLine>> pictures, long cycle)
    {
        var result = new List<SplitPair>();
        var mine = Single(pictures[Victim][cycle]);
        foreach (var (partner, picture) in pictures)
        {
            if (partner == Victim || !picture.TryGetValue(cycle, out var line))
            {
                continue;
            }

            foreach (var (truth, number) in Single(line))
            {
                if (mine.TryGetValue(truth, out var own) && own != number)
                {
                    result.Add(new SplitPair(partner, truth, own, number));
                }
            }
        }

        return result;
    }

    /// <summary>
    /// How a split pair that no correlate notice on exactly (A, B) resolved ended: the first notice
    /// after the heal naming A or B (any node), else what the two pictures hold at the end.
    /// </summary>
    private static string OtherResolution(Dictionary<Nation, SortedDictionary<long, PictureLine>> pictures, SplitPair p, long from, long end)
    {
        var first = pictures.SelectMany(kv => kv.Value.Where(l => l.Key >= from).SelectMany(l => l.Value.Notices.Select(n => (Cycle: l.Key, Issuer: kv.Key, Notice: n))))
            .Where(x => x.Notice.Kept == p.A || x.Notice.Kept == p.B || x.Notice.Retired == p.A || x.Notice.Retired == p.B)
            .OrderBy(x => x.Cycle).ThenBy(x => x.Issuer.Code, StringComparer.Ordinal).Select(x => (x.Notice.Kind, x.Notice.Kept, x.Notice.Retired, x.Issuer)).FirstOrDefault();
        var ending = SameNumberAt(pictures, p, end) ? "one number at the end" : "still apart at the end";
        if (first == default)
        {
            var victim = pictures[Victim];
            var lastA = victim.LastOrDefault(l => l.Key >= from && l.Value.Tracks.Any(t => t.Number == p.A)).Key;
            var firstB = victim.FirstOrDefault(l => l.Key >= from && l.Value.Tracks.Any(t => t.Number == p.B)).Key;
            var endNumbers = victim.TryGetValue(end, out var e) ? string.Join("/", e.Tracks.Where(t => t.Truth == p.Truth).Select(t => t.Number)) : "-";
            var own = lastA == 0 ? "not after the heal" : $"until cycle {lastA}";
            return $"by no notice naming either number ({Victim} held its own number {own}, the partner's from cycle {firstB}, {endNumbers} at the end), {ending}";
        }

        var kind = first.Kind switch { 0 => "correlate", 1 => "decorrelate", 2 => "drop", 3 => "takeover", _ => "notice " + first.Kind };
        return $"first by a {kind} notice naming one of them ({first.Issuer}), {ending}";
    }

    private static string EndState(Dictionary<Nation, SortedDictionary<long, PictureLine>> pictures, SplitPair p, long cycle)
    {
        static string Held(PictureLine? line, int truth)
        {
            var numbers = line?.Tracks.Where(t => t.Truth == truth).Select(t => t.Number).Distinct().Count() ?? 0;
            return numbers switch { 0 => "not held", 1 => "one number", _ => "two numbers" };
        }

        return $"({Victim} {Held(pictures[Victim].GetValueOrDefault(cycle), p.Truth)}, partner {Held(pictures[p.Partner].GetValueOrDefault(cycle), p.Truth)})";
    }

    private static bool SameNumberAt(Dictionary<Nation, SortedDictionary<long, PictureLine>> pictures, SplitPair p, long cycle) =>
        pictures[Victim].TryGetValue(cycle, out var a) && pictures[p.Partner].TryGetValue(cycle, out var b)
        && Single(a).TryGetValue(p.Truth, out var x) && Single(b).TryGetValue(p.Truth, out var y) && x == y;

    /// <summary>Objects held under exactly one number in a picture line.</summary>
    private static Dictionary<int, int> Single(PictureLine line) =>
        line.Tracks.Where(t => t.Truth > 0).GroupBy(t => t.Truth).Where(g => g.Select(t => t.Number).Distinct().Count() == 1)
            .ToDictionary(g => g.Key, g => g.First().Number);
}
