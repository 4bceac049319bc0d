using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Network.Bus;
using Kizuna.Network.Messages;
using Kizuna.Network.Nats;
using Kizuna.Network.Sharing;
using Kizuna.Network.Wire;

namespace Kizuna.Benchmarks.Network;

/// <summary>
/// End-to-end coalition bus benchmark (issue 5, "Speed"): 4 nodes (USA, JPN, AUS, GBR; trilateral
/// agreements), each publishing a <see cref="DetectionBatch"/> and one <see cref="TrackReport"/>
/// per track every second, paced in real time at 1 Hz; every partner receives through the release
/// policy, decodes (NATS) and applies each message to its picture table. Latency is measured from
/// the moment the publisher starts publishing a message (in-process: its own
/// <c>PublishAsync</c> call; NATS: the start of the <c>PublishManyAsync</c> call holding it — the
/// whole slice, or <c>--chunk N</c> messages) to
/// the moment the receiver's picture table holds it. BenchmarkDotNet does not fit a paced,
/// multi-node latency measurement, hence this console entry:
/// <c>dotnet run -c Release --project benchmarks/Kizuna.Benchmarks -- network [--nats]</c>.
/// </summary>
internal static class CoalitionNetworkRun
{
    private static readonly Nation[] Nations = [Nation.Usa, Nation.Japan, Nation.Australia, Nation.UnitedKingdom];

    // Notional radar sites (public geography, no real sensor positions implied).
    private static readonly Geodetic[] Sites =
    [
        Geodetic.FromDegrees(13.45, 144.79, 100),   // Guam
        Geodetic.FromDegrees(35.68, 139.77, 50),    // Tokyo
        Geodetic.FromDegrees(-12.46, 130.84, 30),   // Darwin
        Geodetic.FromDegrees(26.21, 127.68, 20),    // Okinawa (GBR exercise ship)
    ];

    private static readonly DateTime SimStart = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public static async Task<int> RunAsync(string[] args)
    {
        var nats = args.Contains("--nats");
        var livePath = StringOption(args, "--live") == "jetstream" ? NatsLivePath.JetStream : NatsLivePath.Core;
        var tracks = IntOption(args, "--tracks", 10_000);
        var cycles = IntOption(args, "--cycles", 40);
        var warmup = IntOption(args, "--warmup", 10);
        var chunk = IntOption(args, "--chunk", 0);
        var slices = Math.Max(1, IntOption(args, "--slices", 1));
        var agreementsPath = StringOption(args, "--agreements") ?? RepoFiles.Find("scenarios/agreements-trilateral.yaml");
        var agreements = AgreementFile.Load(agreementsPath);
        var perNode = tracks / Nations.Length;
        var messagesPerCycle = perNode + 1;

        var marking = (Nation n) => Marking.RelTo(n, Classification.Restricted, [.. Nations.Where(x => x != n)]);
        var generators = Nations.Select((n, i) => new SyntheticCoalition(n, Sites[i], perNode, seed: 5_000 + i, marking(n))).ToArray();

        var sizing = new ReleasePolicy(agreements, NullReleaseAuditLog.Instance, TimeProvider.System);
        long expectedPerCycle = 0;
        Console.WriteLine($"# Coalition bus benchmark: {(nats ? (livePath == NatsLivePath.Core ? "NATS on loopback, core live path + JetStream capture" : "NATS on loopback, JetStream live path") : "in-process")}, {Nations.Length} nodes x {perNode} tracks at 1 Hz, {cycles} cycles ({warmup} warm-up), {slices} publication slice(s) per cycle, marking RESTRICTED rel. all");
        Console.WriteLine($"load average at start: {LoadAverage()}");
        Console.WriteLine("| from -> to | track report released? | bytes per track update (envelope) | detection batch released? | bytes per batch / per plot |");
        Console.WriteLine("|---|---|---|---|---|");
        for (var f = 0; f < Nations.Length; f++)
        {
            var report = generators[f].Report(0, SimStart);
            var batch = generators[f].Batch(1, SimStart);
            foreach (var to in Nations.Where(x => x != Nations[f]))
            {
                var r = sizing.Decide(Nations[f], to, report);
                var b = sizing.Decide(Nations[f], to, batch);
                var rBytes = r.IsAllowed ? WireCodec.Encode(Nations[f], 1, r.Released!).Length : 0;
                var bBytes = b.IsAllowed ? WireCodec.Encode(Nations[f], 1, b.Released!).Length : 0;
                expectedPerCycle += (r.IsAllowed ? perNode : 0) + (b.IsAllowed ? 1 : 0);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {Nations[f]} -> {to} | {(r.IsAllowed ? "yes" : "no: " + r.Reason)} | {(r.IsAllowed ? rBytes.ToString(CultureInfo.InvariantCulture) : "-")} | {(b.IsAllowed ? "yes" : "no")} | {(b.IsAllowed ? $"{bBytes} / {bBytes / (double)perNode:F1}" : "-")} |"));
            }
        }

        var stamps = Nations.Select(_ => new long[(cycles * messagesPerCycle) + 2]).ToArray();
        var policy = new ReleasePolicy(agreements, NullReleaseAuditLog.Instance, TimeProvider.System);
        await using var transport = nats ? await NatsTransport.StartAsync(agreements, policy, livePath) : (ITransport)new InProcessTransport(policy);
        var cycleStarts = new long[cycles];
        var perSlice = (messagesPerCycle + slices - 1) / slices;
        var receivers = new Receiver[Nations.Length];
        for (var i = 0; i < Nations.Length; i++)
        {
            var sub = await transport.SubscribeAsync(Nations[i]);
            receivers[i] = new Receiver(Nations[i], sub, stamps, cycleStarts, messagesPerCycle, perSlice, slices, warmup, cycles);
        }

        using var stop = new CancellationTokenSource();
        var receiveTasks = receivers.Select(r => Task.Run(() => r.RunAsync(stop.Token))).ToArray();

        // Let subscriptions settle, then start cycle 0 on a whole-second boundary from now.
        await Task.Delay(500);
        var t0 = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        for (var k = 0; k < cycles; k++)
        {
            cycleStarts[k] = t0 + (k * Stopwatch.Frequency);
        }

        long allocStart = 0;
        var cpuStart = TimeSpan.Zero;
        var pauseStart = TimeSpan.Zero;
        var jitStart = TimeSpan.Zero;
        long jitMethodsStart = 0;
        var gcStart = new int[3];
        var publishCalls = Nations.Select(_ => new List<long>(cycles * slices)).ToArray();
        var publishTasks = Nations.Select((n, i) => Task.Run(async () =>
        {
            var gen = generators[i];
            var batchMessages = new ICoalitionMessage[messagesPerCycle];
            for (var k = 0; k < cycles; k++)
            {
                await WaitUntilAsync(cycleStarts[k]);
                if (k == warmup && i == 0)
                {
                    allocStart = GC.GetTotalAllocatedBytes(precise: false);
                    cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
                    pauseStart = GC.GetTotalPauseDuration();
                    jitStart = System.Runtime.JitInfo.GetCompilationTime();
                    jitMethodsStart = System.Runtime.JitInfo.GetCompiledMethodCount();
                    for (var g = 0; g < 3; g++)
                    {
                        gcStart[g] = GC.CollectionCount(g);
                    }
                }

                if (k > 0)
                {
                    gen.Advance(1.0);
                }

                var time = SimStart.AddSeconds(k);
                var seqBase = (long)k * messagesPerCycle;
                batchMessages[0] = gen.Batch(k + 1, time);
                for (var t = 0; t < perNode; t++)
                {
                    batchMessages[t + 1] = gen.Report(t, time);
                }

                for (var s = 0; s * perSlice < messagesPerCycle; s++)
                {
                    await WaitUntilAsync(cycleStarts[k] + (s * Stopwatch.Frequency / slices));
                    var offset = s * perSlice;
                    var callStart = Stopwatch.GetTimestamp();
                    await transport.PublishAsync(n, new ArraySegment<ICoalitionMessage>(batchMessages, offset, Math.Min(perSlice, messagesPerCycle - offset)), stamps[i], seqBase + offset, chunk);
                    if (k >= warmup)
                    {
                        publishCalls[i].Add(Stopwatch.GetTimestamp() - callStart);
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(publishTasks);
        var publishedAt = Stopwatch.GetTimestamp();

        // Wait for every expected delivery (readiness, bounded): 60 s after the last cycle.
        var deadline = publishedAt + (60 * Stopwatch.Frequency);
        while (receivers.Sum(r => r.Received) < expectedPerCycle * cycles && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20);
        }

        var allocEnd = GC.GetTotalAllocatedBytes(precise: false);
        var cpuEnd = Process.GetCurrentProcess().TotalProcessorTime;
        var pauseEnd = GC.GetTotalPauseDuration();
        var jitEnd = System.Runtime.JitInfo.GetCompilationTime();
        var jitMethodsEnd = System.Runtime.JitInfo.GetCompiledMethodCount();
        var gcCounts = Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - gcStart[g]).ToArray();
        await stop.CancelAsync();
        await Task.WhenAll(receiveTasks);

        var received = receivers.Sum(r => r.Received);
        var measuredCycles = cycles - warmup;
        var measuredDeliveries = expectedPerCycle * measuredCycles;
        var reportLat = Merge(receivers.Select(r => r.ReportLatencies));
        var batchLat = Merge(receivers.Select(r => r.BatchLatencies));
        var scheduledLat = Merge(receivers.Select(r => r.ReportLatenciesFromSchedule));
        var lastApplied = receivers.Max(r => r.LastApplied[^1]);
        var serverCpu = transport.ServerCpu();
        var completion = new double[measuredCycles];
        for (var k = warmup; k < cycles; k++)
        {
            completion[k - warmup] = Ms(receivers.Max(r => r.LastApplied[k]) - cycleStarts[k]);
        }

        Array.Sort(completion);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"published: {Nations.Length * messagesPerCycle} messages/s ({Nations.Length} batches + {tracks} track reports); released copies expected {expectedPerCycle}/s, received {received} of {expectedPerCycle * cycles} over {cycles} cycles; refused decisions {transport.Refused}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"offered: {expectedPerCycle} copies/s at 1 Hz; cycle done (last copy of the cycle applied, measured cycles): worst {completion[^1]:F1} ms after cycle start, median {Percentile(completion, 0.5):F1} ms (more than 1,000 ms: the transport does not keep up)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"track report latency publish -> partner picture updated (ms): median {Percentile(reportLat, 0.5):F2}, p99 {Percentile(reportLat, 0.99):F2}, max {reportLat[^1]:F2} ({reportLat.Length} samples)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"track report latency scheduled publication (data ready) -> partner picture updated (ms): median {Percentile(scheduledLat, 0.5):F2}, p99 {Percentile(scheduledLat, 0.99):F2}, max {scheduledLat[^1]:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"achieved: {received} copies in {Ms(lastApplied - cycleStarts[0]) / 1000:F1} s from cycle 0 start to last copy applied = {received / (Ms(lastApplied - cycleStarts[0]) / 1000):F0} copies/s (offered {expectedPerCycle}/s; equal to the offered rate when the transport keeps up)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"detection batch latency publish -> partner plot table updated (ms): median {Percentile(batchLat, 0.5):F2}, p99 {Percentile(batchLat, 0.99):F2}, max {(batchLat.Length > 0 ? batchLat[^1] : double.NaN):F2} ({batchLat.Length} samples)"));
        var calls = Merge(publishCalls);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stage: publication call per slice (release policy + encode + send; NATS core: + one round trip; JetStream: + acknowledgements), measured cycles (ms): median {Percentile(calls, 0.5):F2}, p99 {Percentile(calls, 0.99):F2}, max {calls[^1]:F2} ({calls.Length} calls)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stage: runtime during measured cycles: GC pauses {(pauseEnd - pauseStart).TotalMilliseconds:F0} ms total, collections gen0/1/2 {gcCounts[0]}/{gcCounts[1]}/{gcCounts[2]} (server GC {System.Runtime.GCSettings.IsServerGC}, latency mode {System.Runtime.GCSettings.LatencyMode}); JIT {(jitEnd - jitStart).TotalMilliseconds:F0} ms compiling {jitMethodsEnd - jitMethodsStart} methods (tiering)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"whole process, measured cycles: {(allocEnd - allocStart) / (double)measuredDeliveries:F0} B allocated per delivered copy (includes synthetic message creation, policy copies, decoding, client); CPU {(cpuEnd - cpuStart).TotalSeconds:F1} s for {measuredCycles} s of traffic"));
        Console.WriteLine($"picture tables: {string.Join(", ", receivers.Select(r => $"{r.Nation} {r.PictureCount} tracks, {r.PlotCount} plots"))}");
        if (transport.BytesSent > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wire bytes sent {transport.BytesSent:N0} ({transport.BytesSent / (double)(expectedPerCycle * cycles):F1} B per copy incl. batches)"));
        }

        if (serverCpu > TimeSpan.Zero)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nats-server CPU over the whole run: {serverCpu.TotalSeconds:F1} s"));
        }

        Console.WriteLine($"load average at end: {LoadAverage()}");
        return received == expectedPerCycle * cycles ? 0 : 1;
    }

    private static async Task WaitUntilAsync(long timestamp)
    {
        var left = timestamp - Stopwatch.GetTimestamp();
        if (left > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(left / (double)Stopwatch.Frequency));
        }
    }

    internal static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double[] Merge(IEnumerable<List<long>> lists)
    {
        var all = lists.SelectMany(l => l).Select(Ms).ToArray();
        Array.Sort(all);
        return all;
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string? StringOption(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Picture entry a receiver keeps per (reporter, local track).</summary>
    private readonly record struct PictureEntry(DateTime Time, Vec3 Position, Vec3 Velocity, int Quality);

    /// <summary>One node's receiving end: applies each delivery to its picture (track reports) or plot table (batches) and records latency.</summary>
    private sealed class Receiver(Nation nation, IBusSubscription subscription, long[][] stamps, long[] cycleStarts, int messagesPerCycle, int perSlice, int slices, int warmup, int cycles)
    {
        private readonly Dictionary<(Nation, long), PictureEntry> _picture = new(16_384);
        private readonly Dictionary<Nation, (DateTime Time, int Plots)> _plots = [];
        private long _received;

        public Nation Nation { get; } = nation;

        public List<long> ReportLatencies { get; } = new(cycles * messagesPerCycle * 3);

        public List<long> BatchLatencies { get; } = new(cycles * 3);

        /// <summary>Track reports: from the scheduled publication time (cycle start + slice offset: the data exists) to applied.</summary>
        public List<long> ReportLatenciesFromSchedule { get; } = new(cycles * messagesPerCycle * 3);

        public long[] LastApplied { get; } = new long[cycles];

        public long Received => Interlocked.Read(ref _received);

        public int PictureCount => _picture.Count;

        public long PlotCount => _plots.Values.Sum(p => (long)p.Plots);

        public async Task RunAsync(CancellationToken ct)
        {
            var reader = subscription.Reader;
            try
            {
                while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
                {
                    while (reader.TryRead(out var d))
                    {
                        Apply(d);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        private void Apply(in BusDelivery d)
        {
            var isReport = false;
            switch (d.Message)
            {
                case TrackReport r:
                    CollectionsMarshal.GetValueRefOrAddDefault(_picture, (r.Reporter, r.LocalTrackId), out _) =
                        new PictureEntry(r.Time, r.PositionEcef, r.VelocityEcef, r.Quality);
                    isReport = true;
                    break;
                case DetectionBatch b:
                    _plots[b.Source] = (b.Time, _plots.TryGetValue(b.Source, out var p) ? p.Plots + b.Detections.Length : b.Detections.Length);
                    break;
                default:
                    break;
            }

            var now = Stopwatch.GetTimestamp();
            var from = Array.IndexOf(Nations, d.From);
            var cycle = (int)((d.Sequence - 1) / messagesPerCycle);
            if (from >= 0 && cycle >= 0 && cycle < cycles)
            {
                var latency = now - Volatile.Read(ref stamps[from][d.Sequence]);
                LastApplied[cycle] = Math.Max(LastApplied[cycle], now);
                if (cycle >= warmup)
                {
                    (isReport ? ReportLatencies : BatchLatencies).Add(latency);
                    if (isReport)
                    {
                        var slice = (int)((d.Sequence - 1 - ((long)cycle * messagesPerCycle)) / perSlice);
                        ReportLatenciesFromSchedule.Add(now - (cycleStarts[cycle] + (slice * Stopwatch.Frequency / slices)));
                    }
                }
            }

            Interlocked.Increment(ref _received);
        }
    }

    private interface ITransport : IAsyncDisposable
    {
        long Refused { get; }

        long BytesSent { get; }

        ValueTask<IBusSubscription> SubscribeAsync(Nation nation);

        /// <summary>CPU time of the broker process so far (zero in-process).</summary>
        TimeSpan ServerCpu();

        /// <summary>Publishes messages with sequences seqBase + 1 …, stamping each before its publication starts.</summary>
        Task PublishAsync(Nation from, ArraySegment<ICoalitionMessage> messages, long[] stamps, long seqBase, int chunk);
    }

    private sealed class InProcessTransport(ReleasePolicy policy) : ITransport
    {
        private readonly InProcessBus _bus = new(policy);

        public long Refused => _bus.Counters.Refused;

        public long BytesSent => 0;

        public TimeSpan ServerCpu() => TimeSpan.Zero;

        public ValueTask<IBusSubscription> SubscribeAsync(Nation nation) => _bus.SubscribeAsync(nation);

        public async Task PublishAsync(Nation from, ArraySegment<ICoalitionMessage> messages, long[] stamps, long seqBase, int chunk)
        {
            for (var i = 0; i < messages.Count; i++)
            {
                Volatile.Write(ref stamps[seqBase + 1 + i], Stopwatch.GetTimestamp());
                await _bus.PublishAsync(from, messages[i]).ConfigureAwait(false);
            }
        }

        public ValueTask DisposeAsync() => _bus.DisposeAsync();
    }

    /// <summary>A nats-server (generated config, fresh JetStream store on a free loopback port) and one <see cref="NatsBus"/> per node.</summary>
    private sealed class NatsTransport : ITransport
    {
        private readonly Process _server;
        private readonly string _directory;
        private readonly Dictionary<Nation, NatsBus> _buses;

        private NatsTransport(Process server, string directory, Dictionary<Nation, NatsBus> buses)
        {
            _server = server;
            _directory = directory;
            _buses = buses;
        }

        public long Refused => _buses.Values.Sum(b => b.Counters.Refused);

        public long BytesSent => _buses.Values.Sum(b => b.Counters.BytesSent);

        public TimeSpan ServerCpu()
        {
            _server.Refresh();
            return _server.HasExited ? TimeSpan.Zero : _server.TotalProcessorTime;
        }

        public static async Task<NatsTransport> StartAsync(SharingAgreements agreements, ReleasePolicy policy, NatsLivePath livePath)
        {
            var dir = Path.Combine(Path.GetTempPath(), "kizuna-netbench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            int port;
            using (var l = new TcpListener(IPAddress.Loopback, 0))
            {
                l.Start();
                port = ((IPEndPoint)l.LocalEndpoint).Port;
            }

            var configPath = Path.Combine(dir, "nats.conf");
            var config = NatsConfigGenerator.Write(configPath, agreements, new NatsConfigOptions(port, Path.Combine(dir, "js")), Nations);
            var psi = new ProcessStartInfo(File.Exists("/usr/sbin/nats-server") ? "/usr/sbin/nats-server" : "nats-server")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(configPath);
            var server = Process.Start(psi) ?? throw new InvalidOperationException("could not start nats-server (apt-get install nats-server)");
            server.OutputDataReceived += (_, _) => { };
            server.ErrorDataReceived += (_, _) => { };
            server.BeginOutputReadLine();
            server.BeginErrorReadLine();
            for (var attempt = 0; ; attempt++)
            {
                using var c = new TcpClient();
                try
                {
                    await c.ConnectAsync(IPAddress.Loopback, port);
                    break;
                }
                catch (SocketException) when (attempt < 200 && !server.HasExited)
                {
                    await Task.Delay(50);
                }
            }

            var url = $"nats://127.0.0.1:{port}";
            var buses = new Dictionary<Nation, NatsBus>();
            foreach (var n in Nations)
            {
                buses[n] = await NatsBus.ConnectAsync(NatsBusOptions.From(url, config.For(n)) with { LivePath = livePath }, policy);
            }

            return new NatsTransport(server, dir, buses);
        }

        public ValueTask<IBusSubscription> SubscribeAsync(Nation nation) =>
            _buses[nation].SubscribeAsync(nation, new SubscriptionOptions(Capacity: 4096));

        public async Task PublishAsync(Nation from, ArraySegment<ICoalitionMessage> messages, long[] stamps, long seqBase, int chunk)
        {
            var bus = _buses[from];
            var step = chunk > 0 ? chunk : messages.Count;
            for (var start = 0; start < messages.Count; start += step)
            {
                var count = Math.Min(step, messages.Count - start);
                var now = Stopwatch.GetTimestamp();
                for (var i = 0; i < count; i++)
                {
                    Volatile.Write(ref stamps[seqBase + 1 + start + i], now);
                }

                await bus.PublishManyAsync(from, messages.Slice(start, count)).ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var b in _buses.Values)
            {
                await b.DisposeAsync();
            }

            if (!_server.HasExited)
            {
                _server.Kill(entireProcessTree: true);
                await _server.WaitForExitAsync();
            }

            _server.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>Finds a file of this repository by walking up from the working directory and the binary's directory.</summary>
internal static class RepoFiles
{
    public static string Find(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException($"{relative} not found above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}");
    }
}
