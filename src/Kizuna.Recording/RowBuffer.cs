namespace Kizuna.Recording;

/// <summary>
/// A double-buffered queue: producers append to the front <see cref="Queue{T}"/>; the single
/// consumer swaps front and back and drains the back. Both circular arrays are reused, so a steady
/// stream allocates nothing per row (unlike a <see cref="System.Collections.Concurrent.ConcurrentQueue{T}"/>,
/// whose segments are discarded once drained). Not synchronized: the owner (<see cref="RunRecorder"/>)
/// calls <see cref="Add"/>, <see cref="AddRange"/> and <see cref="Swap"/> under its own lock; the back
/// buffer belongs to the consumer alone.
/// </summary>
internal sealed class RowBuffer<T>
{
    private Queue<T> _front = new(1024);
    private Queue<T> _back = new(1024);

    public void Add(in T row) => _front.Enqueue(row);

    public void AddRange(ReadOnlySpan<T> rows)
    {
        foreach (ref readonly var r in rows)
        {
            _front.Enqueue(r);
        }
    }

    /// <summary>Moves everything added so far to the back buffer (call under the owner's lock, when the back is empty).</summary>
    public void Swap() => (_front, _back) = (_back, _front);

    /// <summary>Consumer only: takes one row from the back buffer.</summary>
    public bool TryTake(out T row) => _back.TryDequeue(out row!);

    /// <summary>Consumer only: the next row of the back buffer, not taken.</summary>
    public bool TryPeek(out T row) => _back.TryPeek(out row!);
}
