namespace Kizuna.TestSupport;

/// <summary>Measures managed allocation of a hot path in steady state.</summary>
public static class Allocation
{
    /// <summary>
    /// Runs <paramref name="action"/> <paramref name="warmups"/> times, then measures the bytes the
    /// current thread allocates over each of <paramref name="rounds"/> further calls and returns the
    /// smallest. Steady state means some round allocates nothing; one-off costs (tiered JIT
    /// recompilation, a lazily built cache, a buffer growing once) can land in any single round under
    /// load, so the minimum, not the first round, is the steady-state figure.
    /// </summary>
    public static long SteadyStateBytes(Action action, int warmups = 2, int rounds = 8)
    {
        ArgumentNullException.ThrowIfNull(action);
        for (var i = 0; i < warmups; i++)
        {
            action();
        }

        var min = long.MaxValue;
        for (var r = 0; r < rounds; r++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            action();
            min = Math.Min(min, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return min;
    }
}
