using System.Buffers;
using System.Collections.Immutable;
using Kizuna.Core;

namespace Kizuna.Network.Wire;

/// <summary>
/// Values a receiver sees over and over (markings, nation codes, sensor ids, sensor-id lists),
/// kept so that decoding a track report allocates only the report itself: the decoder compares the
/// encoded bytes with the cached entries and hands back the cached immutable value on a match.
/// One per receiving loop; not thread-safe.
/// </summary>
/// <remarks>
/// Bounded: at most <see cref="MaxEntries"/> entries per kind, replaced round-robin when full, so
/// hostile traffic with ever-new values costs a cache miss (the allocation without the cache),
/// never unbounded memory. Only values of at most <see cref="MaxKeyBytes"/> encoded bytes are cached.
/// The cached values are immutable (<see cref="Marking"/>, <see cref="string"/>,
/// <see cref="ImmutableArray{T}"/>), so sharing one instance between decoded messages is safe.
/// </remarks>
public sealed class WireDecodeCache
{
    /// <summary>Entries per kind.</summary>
    public const int MaxEntries = 64;

    /// <summary>Longest encoded value cached.</summary>
    public const int MaxKeyBytes = 256;

    private readonly Table<Marking> _markings = new();
    private readonly Table<string> _strings = new();
    private readonly ImmutableArray<string>[] _lists = new ImmutableArray<string>[MaxEntries];
    private readonly string[] _scratch = new string[WireCodec.MaxListLength];
    private readonly string[] _nationCodes = new string[MaxEntries];
    private readonly Nation[] _nations = new Nation[MaxEntries];
    private int _nationCount;
    private int _nationNext;
    private int _listCount;
    private int _listNext;

    /// <summary>Cache hits since creation (diagnostics and tests).</summary>
    public long Hits { get; private set; }

    /// <summary>Cache misses since creation.</summary>
    public long Misses { get; private set; }

    internal string[] Scratch => _scratch;

    internal bool TryGetMarking(in ReadOnlySequence<byte> raw, out Marking marking) => Count(_markings.TryGet(raw, out marking!));

    internal bool TryGetMarking(ReadOnlySpan<byte> raw, out Marking marking) => Count(_markings.TryGet(raw, out marking!));

    internal void AddMarking(in ReadOnlySequence<byte> raw, Marking marking) => _markings.Add(raw, marking);

    internal bool TryGetString(in ReadOnlySequence<byte> raw, out string value) => Count(_strings.TryGet(raw, out value!));

    internal bool TryGetString(ReadOnlySpan<byte> raw, out string value) => Count(_strings.TryGet(raw, out value!));

    internal void AddString(in ReadOnlySequence<byte> raw, string value) => _strings.Add(raw, value);

    /// <summary>A cached list holding exactly the (interned) strings <c>Scratch[0..count)</c>, or a new one (then cached).</summary>
    internal ImmutableArray<string> List(int count)
    {
        if (count == 0)
        {
            return [];
        }

        for (var i = 0; i < _listCount; i++)
        {
            var candidate = _lists[i];
            if (candidate.Length != count)
            {
                continue;
            }

            var same = true;
            for (var k = 0; k < count && same; k++)
            {
                same = ReferenceEquals(candidate[k], _scratch[k]);
            }

            if (same)
            {
                Hits++;
                return candidate;
            }
        }

        Misses++;
        var list = ImmutableArray.Create(_scratch, 0, count);
        _lists[_listNext] = list;
        _listNext = (_listNext + 1) % MaxEntries;
        _listCount = Math.Min(MaxEntries, _listCount + 1);
        return list;
    }

    internal bool TryGetNation(string code, out Nation nation)
    {
        for (var i = 0; i < _nationCount; i++)
        {
            if (ReferenceEquals(_nationCodes[i], code))
            {
                nation = _nations[i];
                return true;
            }
        }

        nation = default;
        return false;
    }

    internal void AddNation(string code, Nation nation)
    {
        _nationCodes[_nationNext] = code;
        _nations[_nationNext] = nation;
        _nationNext = (_nationNext + 1) % MaxEntries;
        _nationCount = Math.Min(MaxEntries, _nationCount + 1);
    }

    private bool Count(bool hit)
    {
        if (hit)
        {
            Hits++;
        }
        else
        {
            Misses++;
        }

        return hit;
    }

    /// <summary>Encoded bytes → value, linear search (few entries, short keys).</summary>
    private sealed class Table<T>
        where T : class
    {
        private readonly byte[][] _keys = new byte[MaxEntries][];
        private readonly T[] _values = new T[MaxEntries];
        private int _count;
        private int _next;

        public bool TryGet(in ReadOnlySequence<byte> raw, out T? value)
        {
            value = null;
            if (!raw.IsSingleSegment || raw.Length > MaxKeyBytes)
            {
                return false;
            }

            return TryGet(raw.FirstSpan, out value);
        }

        public bool TryGet(ReadOnlySpan<byte> span, out T? value)
        {
            value = null;
            if (span.Length > MaxKeyBytes)
            {
                return false;
            }

            for (var i = 0; i < _count; i++)
            {
                if (span.SequenceEqual(_keys[i]))
                {
                    value = _values[i];
                    return true;
                }
            }

            return false;
        }

        public void Add(in ReadOnlySequence<byte> raw, T value)
        {
            if (raw.Length > MaxKeyBytes)
            {
                return;
            }

            _keys[_next] = raw.ToArray();
            _values[_next] = value;
            _next = (_next + 1) % MaxEntries;
            _count = Math.Min(MaxEntries, _count + 1);
        }
    }
}
