using Kizuna.Asterix.Cat001;
using Kizuna.Asterix.Cat034;
using Kizuna.Asterix.Cat048;
using Kizuna.Asterix.Cat021;
using Kizuna.Asterix.Cat062;
using Kizuna.Asterix.Common;

namespace Kizuna.Asterix;

/// <summary>
/// One decoded record, reused by the decoder (no allocation per record). Holds the category, the UAP it was read
/// with, the items present (by FRN), the raw bytes of every item, and typed fields for the items of meaning.
/// Only the fields of <see cref="Category"/> are valid; only items in <see cref="Present"/> are valid.
/// </summary>
public sealed class AsterixRecord
{
    private readonly byte[] _bytes = new byte[ushort.MaxValue];
    private readonly int[] _offsets = new int[RecordWalker.MaxFrn];
    private readonly int[] _lengths = new int[RecordWalker.MaxFrn];
    private int _length;

    /// <summary>Category of the record (48, 34, 1, 2, 21, 62, 65).</summary>
    public int Category { get; internal set; }

    /// <summary>UAP used to read the record (edition and variation).</summary>
    public Uap? Uap { get; internal set; }

    /// <summary>Items present, by FRN.</summary>
    public ItemSet Present { get; set; }

    /// <summary>Offset of the record in the buffer given to the decoder.</summary>
    public int Offset { get; internal set; }

    /// <summary>CAT048 fields.</summary>
    public Cat048Fields Cat048 { get; } = new();

    /// <summary>CAT034 fields.</summary>
    public Cat034Fields Cat034 { get; } = new();

    /// <summary>CAT001 / CAT002 fields.</summary>
    public Cat001Fields Cat001 { get; } = new();

    /// <summary>CAT021 fields.</summary>
    public Cat021Fields Cat021 { get; } = new();

    /// <summary>CAT062 fields (also SAC/SIC/time of CAT065).</summary>
    public Cat062Fields Cat062 { get; } = new();

    /// <summary>The bytes of the whole record (FSPEC and items).</summary>
    public ReadOnlySpan<byte> RawBytes => _bytes.AsSpan(0, _length);

    /// <summary>Raw bytes of the item at <paramref name="frn"/>, empty if absent.</summary>
    public ReadOnlySpan<byte> GetItemBytes(int frn) =>
        Present.Contains(frn) && HasRaw(frn) ? _bytes.AsSpan(_offsets[frn - 1], _lengths[frn - 1]) : default;

    /// <summary>Whether the item at <paramref name="frn"/> is present.</summary>
    public bool Has(int frn) => Present.Contains(frn);

    /// <summary>Starts a new record to encode: sets the category and UAP, clears presence and raw item bytes.</summary>
    public void Reset(int category, Uap uap)
    {
        Category = category;
        Uap = uap;
        Present = default;
        RawItems = 0;
        _length = 0;
    }

    /// <summary>Supplies the raw bytes of an item without typed fields (copied); marks it present.</summary>
    public void SetItemBytes(int frn, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_bytes.AsSpan(_length));
        _offsets[frn - 1] = _length;
        _lengths[frn - 1] = bytes.Length;
        _length += bytes.Length;
        RawItems |= 1UL << (frn - 1);
        Present = Present.With(frn);
    }

    /// <summary>Items whose raw bytes are available (all items of a decoded record).</summary>
    internal ulong RawItems { get; set; }

    internal bool HasRaw(int frn) => (RawItems & (1UL << (frn - 1))) != 0;

    internal Span<int> Offsets => _offsets;

    /// <summary>The record buffer (valid bytes: <see cref="RawBytes"/>); typed decoders index it with <see cref="OffsetTable"/>.</summary>
    internal byte[] Buffer => _bytes;

    /// <summary>Item offsets by FRN−1 into <see cref="Buffer"/>.</summary>
    internal int[] OffsetTable => _offsets;

    internal Span<int> Lengths => _lengths;

    internal void SetRaw(ReadOnlySpan<byte> record)
    {
        record.CopyTo(_bytes);
        _length = record.Length;
        RawItems = Present.Bits;
    }
}
