using BenchmarkDotNet.Attributes;

namespace Kizuna.Benchmarks.Tracking;

/// <summary>
/// A machine probe to run next to <see cref="TrackerThroughputBenchmarks"/>: a dependent random walk
/// (pointer chase) over 8 MiB, a last-level-cache-sized working set like the tracker's hot data, and the
/// same number of steps of a dependent floating-point chain that touches no memory. The tracker at
/// N = 10,000 is bound by cache and memory latency, so its time per scan moves with the chase and not
/// with the arithmetic chain; a slow tracker figure next to a slow chase is the machine, not the tracker.
/// (A 24 MiB walk, tried first, is mostly DRAM-bound and separates the two modes less well.)
/// </summary>
/// <remarks>
/// Why it exists: issue 3's "bimodal" NCV+GNN figure at N = 10,000 (11.9 vs 16.4–16.7 ms per scan across
/// BenchmarkDotNet processes) followed the memory latency of this virtual machine over time
/// (docs/benchmarks.md, "Issue 3: why NCV+GNN at N = 10,000 is bimodal"). The walk visits the
/// slots in a random order (Fisher–Yates shuffle, D. E. Knuth, TAOCP vol. 2, 3rd ed., §3.4.2, Algorithm P)
/// linked into one cycle, next[order[i]] = order[i + 1 mod n], so each load depends on the previous one
/// and the hardware prefetchers cannot help: the time per step is the load-to-use latency (cache and TLB
/// misses included) of whichever level of the hierarchy holds the slot.
/// </remarks>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 9)]
public class MemoryLatencyProbeBenchmarks
{
    /// <summary>Slots in the walk (8 MiB of <see cref="int"/>).</summary>
    public const int Slots = 2 << 20;

    /// <summary>Dependent steps per invocation.</summary>
    public const int Steps = 2_000_000;

    private int[] _next = null!;

    /// <summary>
    /// With the environment variable <c>KIZUNA_PROBE=1</c>, times <see cref="PointerChase8MiB"/> once (wall
    /// clock, milliseconds) on a walk built on first use; otherwise returns <see langword="null"/>. The tracker
    /// benchmark calls it in its iteration setup so each iteration's log line carries the machine's latency.
    /// </summary>
    internal static double? ProbeIfRequested()
    {
        if (Environment.GetEnvironmentVariable("KIZUNA_PROBE") != "1")
        {
            return null;
        }

        if (_shared is null)
        {
            _shared = new MemoryLatencyProbeBenchmarks();
            _shared.Setup();
        }

        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        _ = _shared.PointerChase8MiB();
        return System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static MemoryLatencyProbeBenchmarks? _shared;

    /// <summary>Builds one random cycle through all slots with a fixed seed.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var order = new int[Slots];
        for (var i = 0; i < Slots; i++)
        {
            order[i] = i;
        }

        var random = new Random(7);
        for (var i = Slots - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        _next = new int[Slots];
        for (var i = 0; i < Slots; i++)
        {
            _next[order[i]] = order[(i + 1) % Slots];
        }
    }

    /// <summary>2,000,000 dependent loads spread over 8 MiB (ns per load = Mean / 2e6).</summary>
    [Benchmark(Baseline = true)]
    public int PointerChase8MiB()
    {
        var next = _next;
        var p = 0;
        for (var i = 0; i < Steps; i++)
        {
            p = next[p];
        }

        return p;
    }

    /// <summary>2,000,000 dependent multiply-adds, no memory traffic (the CPU-speed control).</summary>
    [Benchmark]
    public double ArithmeticChain()
    {
        var x = 1.0;
        for (var i = 0; i < Steps; i++)
        {
            x = (x * 1.0000001) + 1e-9;
        }

        return x;
    }
}
