using Kizuna.Core.Picture;

namespace Kizuna.Network.Picture;

/// <summary>
/// Allocates track numbers from one <see cref="TrackNumberBlock"/>: never a live number, never a
/// number retired less than <see cref="Quarantine"/> ago.
/// </summary>
/// <remarks>
/// <para><b>Rule</b> (docs/network.md, "Track numbers"). A cursor walks the block in increasing
/// order and wraps; allocation takes the first number at or after the cursor that is neither live
/// nor in quarantine, then moves the cursor past it. So a retired number comes back only after the
/// cursor has gone round the whole block <i>and</i> its quarantine has run out — the longest
/// possible reuse distance, which keeps late messages about an old object from landing on a new one.</para>
/// <para><b>Determinism.</b> The allocator's state depends only on the sequence of
/// <see cref="Allocate"/> / <see cref="Retire"/> calls and their times, never on the wall clock, so
/// nodes that replay the same decisions (a measurement-sharing cluster) allocate the same numbers.</para>
/// <para>Not thread-safe.</para>
/// </remarks>
public sealed class TrackNumberAllocator
{
    private readonly HashSet<int> _live = [];
    private readonly Dictionary<int, DateTime> _retired = [];
    private int _cursor;

    /// <summary>Creates an allocator over <paramref name="block"/>.</summary>
    public TrackNumberAllocator(TrackNumberBlock block, TimeSpan quarantine)
    {
        if (block.Owner.IsUnset || block.Size < 1)
        {
            throw new ArgumentException("The block is not valid (use TrackNumberBlock.Create).", nameof(block));
        }

        if (quarantine < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(quarantine), quarantine, "Quarantine must not be negative.");
        }

        Block = block;
        Quarantine = quarantine;
        _cursor = block.First;
    }

    /// <summary>The block allocated from.</summary>
    public TrackNumberBlock Block { get; }

    /// <summary>How long a retired number stays unusable.</summary>
    public TimeSpan Quarantine { get; }

    /// <summary>Numbers currently live.</summary>
    public int LiveCount => _live.Count;

    /// <summary>True when <paramref name="number"/> is live (allocated and not retired).</summary>
    public bool IsLive(TrackNumber number) => _live.Contains(number.Value);

    /// <summary>Allocates a number at <paramref name="time"/>; false when every number is live or in quarantine.</summary>
    public bool TryAllocate(DateTime time, out TrackNumber number)
    {
        var n = _cursor;
        for (var i = 0; i < Block.Size; i++)
        {
            if (!_live.Contains(n) && !(_retired.TryGetValue(n, out var at) && time - at < Quarantine))
            {
                _retired.Remove(n);
                _live.Add(n);
                _cursor = n == Block.Last ? Block.First : n + 1;
                number = new TrackNumber(n);
                return true;
            }

            n = n == Block.Last ? Block.First : n + 1;
        }

        number = TrackNumber.None;
        return false;
    }

    /// <summary>Allocates a number; throws <see cref="InvalidOperationException"/> when the block is exhausted.</summary>
    public TrackNumber Allocate(DateTime time) =>
        TryAllocate(time, out var n) ? n : throw new InvalidOperationException($"Track-number block {Block.First:D5}-{Block.Last:D5} of {Block.Owner} is exhausted.");

    /// <summary>
    /// Retires <paramref name="number"/> at <paramref name="time"/> (starts its quarantine). Numbers
    /// outside the block are ignored; retiring a number that is not live only (re)starts its quarantine.
    /// </summary>
    public void Retire(TrackNumber number, DateTime time)
    {
        if (!Block.Contains(number))
        {
            return;
        }

        _live.Remove(number.Value);
        _retired[number.Value] = time;
    }

    /// <summary>
    /// Marks <paramref name="number"/> live without allocating it (a number of this block learnt from
    /// the network, e.g. after a restart); numbers outside the block are ignored.
    /// </summary>
    public void MarkLive(TrackNumber number)
    {
        if (Block.Contains(number))
        {
            _live.Add(number.Value);
            _retired.Remove(number.Value);
        }
    }
}
