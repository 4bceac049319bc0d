using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Kizuna.Tracking.Trackers;

/// <summary>
/// Software prefetch of data a hot loop will read a few iterations later, where the address is known
/// early but is random (so the hardware's stream prefetcher cannot guess it). A prefetch is a hint:
/// it never faults, never changes a result, and is a no-op on CPUs without SSE (e.g. ARM64).
/// </summary>
/// <remarks>
/// The only unsafe code of this assembly: <c>PREFETCHT0</c> takes an address, which C# gives only
/// through a pointer. The pointer is taken from a <c>ref</c> into a managed array and is not kept
/// (if the GC moved the array in between, the hint would merely be wasted). Measured in
/// docs/benchmarks.md ("Step 9": the update pass's reads of the assigned detection).
/// </remarks>
internal static class CachePrefetch
{
    /// <summary>Prefetches the <paramref name="bytes"/> bytes (one or two cache lines) that start at <paramref name="value"/> into all cache levels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Read<T>(ref T value, int bytes = 64)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        var p = (byte*)Unsafe.AsPointer(ref value);
        Sse.Prefetch0(p);
        if (bytes > 64)
        {
            Sse.Prefetch0(p + 64);
        }
    }
}
