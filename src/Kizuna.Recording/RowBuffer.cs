namespace Kizuna.Recording;

/// <summary>
/// A double-buffered queue: producers append to the front <see cref="Queue{T}"/> under a lock; the
/// single consumer swaps front and back and drains the back without the lock. Both circular
/// arrays are reused, so a steady stream allocates nothing per row (unlike a
/// <see cref="System.Collections.Concurrent.ConcurrentQueue{T}"/>, whose segments are discarded once drained).
/// </summary>
internal sealed class RowBuffer<T>
{
    private readonly Lock _lock = new();
    private Queue<T> _front = new(1024);
    private Queue<T> _back = new(1024);

    /// <summary>Rows swapped out and not yet taken by the consumer.</summary>
    public int BackCount => _back.Count;

    public void Add(in T row)
    {
        lock (_lock)
        {
            _front.Enqueue(row);
        }
    }

    public void AddRange(ReadOnlySpan<T> rows)
    {
        lock (_lock)
        {
            foreach (ref readonly var r in rows)
            {
                _front.Enqueue(r);
            }
        }
    }

    /// <summary>Consumer only: moves everything added so far to the back buffer (call when the back is empty).</summary>
    public void Swap()
    {
        lock (_lock)
        {
            (_front, _back) = (_back, _front);
        }
    }

    /// <summary>Consumer only: takes one row from the back buffer.</summary>
    public bool TryTake(out T row) => _back.TryDequeue(out row!);
}
