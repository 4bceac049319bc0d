namespace Kizuna.Asterix.Common;

/// <summary>How an item is laid out on the wire (EUROCONTROL ASTERIX Part 1, ed. 2.4, section 4.3 "Data Fields").</summary>
public enum ItemKind : byte
{
    /// <summary>No item at this FRN (spare slot of the UAP).</summary>
    Absent,
    /// <summary>Fixed length data field.</summary>
    Fixed,
    /// <summary>Extended length: octet parts chained by an FX bit in the last bit of each part.</summary>
    Extended,
    /// <summary>Repetitive: a REP counter followed by REP fixed-length elements.</summary>
    Repetitive,
    /// <summary>Repetitive without counter: elements chained by an FX bit (e.g. I048/030).</summary>
    RepetitiveFx,
    /// <summary>Explicit length: the first octet holds the total length including itself (SP, RE).</summary>
    Explicit,
    /// <summary>Compound: a primary sub-field (FX-chained presence bits) followed by the present sub-items.</summary>
    Compound,
    /// <summary>Random field sequencing (CAT001 ed. 1.x FRN 21): N, then N pairs (FRN, item).</summary>
    RandomFieldSequencing,
}

/// <summary>The wire layout of one data item or compound sub-item, generated from the asterix-specs definitions.</summary>
public sealed class ItemShape
{
    private ItemShape(string name, ItemKind kind, int size, byte[]? parts, bool lastHasFx, int counterBytes, ItemShape[]? subItems)
    {
        Name = name;
        Kind = kind;
        Size = size;
        Parts = parts ?? [];
        LastHasFx = lastHasFx;
        CounterBytes = counterBytes;
        SubItems = subItems ?? [];
    }

    /// <summary>Item name as in the specification ("040", "SP", or a sub-item name such as "SRL").</summary>
    public string Name { get; }

    /// <summary>The layout kind.</summary>
    public ItemKind Kind { get; }

    /// <summary>Fixed length, or element length of a repetitive item, in octets.</summary>
    public int Size { get; }

    /// <summary>Octet lengths of the parts of an extended item (the last one repeats while FX is set).</summary>
    public IReadOnlyList<byte> Parts { get; }

    internal byte[] PartsArray => (byte[])Parts;

    /// <summary>Whether the last declared part of an extended item still carries an FX bit.</summary>
    public bool LastHasFx { get; }

    /// <summary>Octets of the REP counter of a repetitive item.</summary>
    public int CounterBytes { get; }

    /// <summary>Sub-items of a compound item, by position in its primary sub-field.</summary>
    public IReadOnlyList<ItemShape> SubItems { get; }

    internal ItemShape[] SubItemsArray => (ItemShape[])SubItems;

    /// <summary>An empty UAP slot.</summary>
    public static readonly ItemShape Absent = new("-", ItemKind.Absent, 0, null, false, 0, null);

    /// <summary>Random field sequencing slot.</summary>
    public static readonly ItemShape RandomFieldSequencing = new("RFS", ItemKind.RandomFieldSequencing, 0, null, false, 0, null);

    /// <summary>A fixed-length item of <paramref name="size"/> octets.</summary>
    public static ItemShape Fixed(string name, int size) => new(name, ItemKind.Fixed, size, null, false, 0, null);

    /// <summary>An extended item made of the given parts.</summary>
    public static ItemShape Extended(string name, byte[] parts, bool lastHasFx) => new(name, ItemKind.Extended, 0, parts, lastHasFx, 0, null);

    /// <summary>A repetitive item with a REP counter.</summary>
    public static ItemShape Repetitive(string name, int elementSize, int counterBytes) => new(name, ItemKind.Repetitive, elementSize, null, false, counterBytes, null);

    /// <summary>A repetitive item whose elements are chained by FX.</summary>
    public static ItemShape RepetitiveFx(string name, int elementSize) => new(name, ItemKind.RepetitiveFx, elementSize, null, false, 0, null);

    /// <summary>An explicit-length item (length octet included in the length).</summary>
    public static ItemShape Explicit(string name) => new(name, ItemKind.Explicit, 0, null, false, 0, null);

    /// <summary>A compound item.</summary>
    public static ItemShape Compound(string name, ItemShape[] subItems) => new(name, ItemKind.Compound, 0, null, false, 0, subItems);
}

/// <summary>A user application profile: the item shape at each field reference number (FRN 1 = index 0).</summary>
public sealed class Uap
{
    /// <summary>Creates a UAP table.</summary>
    public Uap(int category, string edition, string variation, ItemShape[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Length > 63)
        {
            throw new ArgumentOutOfRangeException(nameof(items), items.Length, "A UAP has at most 63 FRNs (nine FSPEC octets).");
        }

        Category = category;
        Edition = edition;
        Variation = variation;
        ItemsArray = items;
        var frns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i].Kind is not (ItemKind.Absent or ItemKind.RandomFieldSequencing))
            {
                frns[items[i].Name] = i + 1;
            }
        }

        _frns = frns;
        MaxFspecOctets = (items.Length + 6) / 7;
        DefinedMask = items.Length == 0 ? 0 : ulong.MaxValue >> (64 - items.Length);
        FixedSizes = new byte[64];
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            FixedSizes[i] = item.Kind == ItemKind.Fixed && item.Size is > 0 and < 256 ? (byte)item.Size : (byte)0;
            if (item.Kind == ItemKind.Extended && item.PartsArray.All(p => p == 1) && item.PartsArray.Length is > 0 and < 255)
            {
                ExtendedOctets[i] = item.LastHasFx ? byte.MaxValue : (byte)item.PartsArray.Length;
            }

            if (item.Kind == ItemKind.Repetitive && item.CounterBytes == 1 && item.Size is > 0 and < 256)
            {
                RepetitionSizes[i] = (byte)item.Size;
            }
        }
    }

    /// <summary>Per FRN−1: for an extended item made of one-octet parts, its most octets (255: unbounded FX chain); 0 otherwise.</summary>
    internal byte[] ExtendedOctets { get; } = new byte[64];

    /// <summary>Per FRN−1: for a repetitive item with a one-octet REP counter, the element size; 0 otherwise.</summary>
    internal byte[] RepetitionSizes { get; } = new byte[64];

    /// <summary>Most FSPEC octets a record of this UAP can have.</summary>
    internal int MaxFspecOctets { get; }

    /// <summary>FRN n (bit n−1) set for every FRN of the table.</summary>
    internal ulong DefinedMask { get; }

    /// <summary>Per FRN−1 (64 entries): octets of a fixed-length item, 0 for every other kind (walked by shape).</summary>
    internal byte[] FixedSizes { get; }

    private readonly Dictionary<string, int> _frns;

    /// <summary>FRN of the item named <paramref name="item"/> ("040", "SP"), or 0 if the UAP has no such item.</summary>
    public int FrnOf(string item) => _frns.TryGetValue(item, out var frn) ? frn : 0;

    /// <summary>Category number.</summary>
    public int Category { get; }

    /// <summary>Edition of the specification the table was generated from.</summary>
    public string Edition { get; }

    /// <summary>UAP variation name ("plot" / "track" for CAT001), empty if single.</summary>
    public string Variation { get; }

    /// <summary>Items by FRN − 1.</summary>
    public IReadOnlyList<ItemShape> Items => ItemsArray;

    internal ItemShape[] ItemsArray { get; }

    /// <summary>Number of FRNs.</summary>
    public int Count => ItemsArray.Length;
}
