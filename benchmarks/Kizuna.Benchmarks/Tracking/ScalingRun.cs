using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Benchmarks.Tracking;

/// <summary>
/// How the tracker's time per scan grows with N, measured as a <b>paired</b> experiment: every round
/// steps each size once (fresh tracker, <see cref="TrackerThroughputBenchmarks.WarmupScans"/> warm-up
/// scans, then <see cref="TrackerThroughputBenchmarks.MeasuredScans"/> measured ones, the same data and
/// tracker as <see cref="TrackerThroughputBenchmarks"/>) within about a second, so all sizes of a round
/// see the same state of the machine; the scaling statistics are computed per round and then summarised
/// over the rounds. Run: <c>dotnet run -c Release -- scaling [--sizes 1000,3000,10000] [--rounds 40]
/// [--imm] [--jpda]</c>.
/// </summary>
/// <remarks>
/// <para><b>Why paired.</b> This VM's memory latency drifts by ±25 % between and within processes
/// (docs/benchmarks.md, "Step 7" and the probe): BenchmarkDotNet measures each N in its own process
/// minutes apart, so its ratio of two sizes mixes the tracker's growth with the machine's drift (a
/// 10k case in the slow mode over a 1k case in the fast one). Within a round the sizes are measured
/// back to back, in ascending order on even rounds and descending on odd ones so that a drift inside
/// a round does not favour one end.</para>
/// <para><b>Statistics per round.</b> t_N is the CPU time of the stepping thread
/// (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, which other processes' CPU time does not enter;
/// wall time is reported beside it). The growth exponent b is the least-squares slope of ln t_N on
/// ln N; the bound it is compared with is the same slope for t = N·ln N (1.125 for 1k/3k/10k). The
/// ratio t_max / t_min is compared with (N_max ln N_max) / (N_min ln N_min) (×13.33 for 10k / 1k).</para>
/// <para><b>Summary over rounds.</b> The median and a distribution-free 95 % confidence interval of the
/// median from order statistics: ranks ⌊n/2 − 0.98√n⌋ and ⌈n/2 + 0.98√n⌉ + 1 (1-based), the normal
/// approximation of the binomial(n, ½) interval (Conover, <i>Practical Nonparametric Statistics</i>,
/// 3rd ed., §3.2). The criterion "no worse than N·log N" is shown when the interval's upper end is
/// at or below the bound.</para>
/// </remarks>
internal static class ScalingRun
{
    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID, Linux

    public static int Run(string[] args)
    {
        var sizes = new[] { 1_000, 3_000, 10_000 };
        var rounds = 40;
        var imm = false;
        var gnn = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--sizes" when i + 1 < args.Length:
                    sizes = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).Order().ToArray();
                    break;
                case "--rounds" when i + 1 < args.Length:
                    rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--imm":
                    imm = true;
                    break;
                case "--jpda":
                    gnn = false;
                    break;
                default:
                    Console.Error.WriteLine($"scaling: unknown or incomplete argument '{args[i]}' (use --sizes a,b,c --rounds n --imm --jpda)");
                    return 2;
            }
        }

        if (sizes.Length < 2 || rounds < 5 || sizes.Any(n => n < 10))
        {
            Console.Error.WriteLine("scaling: need at least two sizes ≥ 10 and five rounds");
            return 2;
        }

        if (!TryThreadCpuMs(out _))
        {
            Console.Error.WriteLine("scaling: clock_gettime(CLOCK_THREAD_CPUTIME_ID) is not available (Linux only)");
            return 2;
        }

        const int warm = TrackerThroughputBenchmarks.WarmupScans;
        const int measured = TrackerThroughputBenchmarks.MeasuredScans;
        var data = sizes.ToDictionary(n => n, n => new TutorialScenarioData(n, warm + measured, seed: 1));
        var detections = sizes.ToDictionary(n => n, n => data[n].Scans.Skip(warm).Sum(s => (long)s.Length));
        var filter = (imm ? "IMM" : "NCV") + "+" + (gnn ? "GNN" : "JPDA");
        Console.WriteLine($"// scaling {filter}: sizes {string.Join(", ", sizes)}; {rounds} rounds; {warm} warm-up + {measured} measured scans per size and round; {Environment.ProcessorCount} CPUs; load {LoadAverage()}");

        // JIT and tiering: two whole rounds unmeasured.
        for (var r = 0; r < 2; r++)
        {
            foreach (var n in sizes)
            {
                _ = Measure(data[n], n, imm, gnn);
            }
        }

        var cpu = sizes.ToDictionary(n => n, _ => new List<double>());
        var wall = sizes.ToDictionary(n => n, _ => new List<double>());
        var exponents = new List<double>();
        var ratios = new List<double>();
        var allocated = sizes.ToDictionary(n => n, _ => 0L);
        var allocatingRounds = sizes.ToDictionary(n => n, _ => 0);
        var allocatingWithGc = 0;
        var windowsWithGc = 0;
        for (var r = 0; r < rounds; r++)
        {
            var order = r % 2 == 0 ? sizes : sizes.Reverse().ToArray();
            var round = new Dictionary<int, double>();
            foreach (var n in order)
            {
                var m = Measure(data[n], n, imm, gnn);
                cpu[n].Add(m.CpuMs);
                wall[n].Add(m.WallMs);
                allocated[n] += m.Allocated;
                allocatingRounds[n] += m.Allocated > 0 ? 1 : 0;
                allocatingWithGc += m.Allocated > 0 && m.Collections > 0 ? 1 : 0;
                windowsWithGc += m.Collections > 0 ? 1 : 0;
                round[n] = m.CpuMs;
            }

            exponents.Add(ScalingColumns.Slope(sizes.Select(n => (Math.Log(n), Math.Log(round[n])))));
            ratios.Add(round[sizes[^1]] / round[sizes[0]]);
        }

        var boundExponent = ScalingColumns.Slope(sizes.Select(n => (Math.Log(n), Math.Log(n * Math.Log(n)))));
        var boundRatio = sizes[^1] * Math.Log(sizes[^1]) / (sizes[0] * Math.Log(sizes[0]));
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine("| N | detections per scan | ms per scan, thread CPU: median (min–max) | wall: median | M det/s at the median | M det/s, best | B allocated per detection (rounds with any) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var n in sizes)
        {
            var perScan = detections[n] / (double)measured;
            var c = cpu[n].Order().ToArray();
            var median = Median(c);
            Console.WriteLine(string.Create(inv, $"| {n:N0} | {perScan:F0} | {median / measured:F3} ({c[0] / measured:F3}–{c[^1] / measured:F3}) | {Median(wall[n].Order().ToArray()) / measured:F3} | {detections[n] / median / 1e3:F3} | {detections[n] / c[0] / 1e3:F3} | {allocated[n] / (double)(rounds * detections[n]):G3} ({allocatingRounds[n]} of {rounds}) |"));
        }

        Console.WriteLine();
        Report("growth exponent b (t ∝ N^b), per round", exponents, boundExponent, "N·ln N", inv);
        Report($"ratio t({sizes[^1]:N0}) / t({sizes[0]:N0}), per round", ratios, boundRatio, "N·ln N", inv);
        Console.WriteLine(string.Create(inv, $"// unpaired (each size's median over all rounds): exponent {ScalingColumns.Slope(sizes.Select(n => (Math.Log(n), Math.Log(Median(cpu[n].Order().ToArray()))))):F3}, ratio ×{Median(cpu[sizes[^1]].Order().ToArray()) / Median(cpu[sizes[0]].Order().ToArray()):F2}"));
        Console.WriteLine(string.Create(inv, $"// allocated in measured scans: {allocated.Values.Sum()} B over {rounds * sizes.Sum(n => detections[n])} detections (GC.GetAllocatedBytesForCurrentThread); load at end {LoadAverage()}"));
        Console.WriteLine(string.Create(inv, $"// garbage collections inside a measured window: {windowsWithGc} of {rounds * sizes.Length} windows; windows with bytes counted: {allocatingRounds.Values.Sum()}, of which {allocatingWithGc} had a collection in the window"));
        return 0;
    }

    private static void Report(string what, List<double> values, double bound, string boundName, CultureInfo inv)
    {
        var v = values.Order().ToArray();
        var (lo, hi) = MedianInterval(v.Length);
        var median = Median(v);
        var verdict = v[hi] <= bound ? "shown: the interval's upper end is at or below the bound"
            : v[lo] > bound ? "NOT met: the whole interval is above the bound"
            : "not shown: the interval contains the bound";
        Console.WriteLine(string.Create(inv, $"{what}: median {median:F3}, 95 % CI of the median [{v[lo]:F3}, {v[hi]:F3}], range {v[0]:F3}–{v[^1]:F3} over {v.Length} rounds; {boundName} bound {bound:F3} → {verdict}"));
    }

    /// <summary>0-based ranks of the distribution-free 95 % interval of the median of n sorted values (Conover §3.2, normal approximation).</summary>
    internal static (int Lower, int Upper) MedianInterval(int n)
    {
        var half = 0.98 * Math.Sqrt(n);
        var lower = Math.Max(0, (int)Math.Floor((n / 2.0) - half) - 1);
        var upper = Math.Min(n - 1, (int)Math.Ceiling((n / 2.0) + half));
        return (lower, upper);
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);

    private static (double CpuMs, double WallMs, long Allocated, int Collections) Measure(TutorialScenarioData data, int n, bool imm, bool gnn)
    {
        var tracker = TrackerThroughputBenchmarks.CreateTracker(n, imm, gnn);
        const int warm = TrackerThroughputBenchmarks.WarmupScans;
        for (var k = 0; k < warm; k++)
        {
            tracker.Step(TutorialScenarioData.Epoch.AddSeconds(k), data.Scans[k]);
        }

        var collections = GC.CollectionCount(0);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        TryThreadCpuMs(out var cpu0);
        var wall0 = Stopwatch.GetTimestamp();
        for (var k = warm; k < warm + TrackerThroughputBenchmarks.MeasuredScans; k++)
        {
            tracker.Step(TutorialScenarioData.Epoch.AddSeconds(k), data.Scans[k]);
        }

        var wall = Stopwatch.GetElapsedTime(wall0).TotalMilliseconds;
        TryThreadCpuMs(out var cpu1);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        collections = GC.CollectionCount(0) - collections;
        GC.KeepAlive(tracker);
        return (cpu1 - cpu0, wall, allocated, collections);
    }

    private static bool TryThreadCpuMs(out double ms)
    {
        ms = 0;
        try
        {
            if (clock_gettime(ThreadCpuClock, out var ts) != 0)
            {
                return false;
            }

            ms = (ts.Seconds * 1e3) + (ts.Nanoseconds / 1e6);
            return true;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
        catch (UnauthorizedAccessException)
        {
            return "?";
        }
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int clock_gettime(int clock, out Timespec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
