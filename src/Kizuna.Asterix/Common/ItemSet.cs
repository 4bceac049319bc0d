namespace Kizuna.Asterix;

/// <summary>The set of items present in a record, by field reference number (FRN 1..64).</summary>
public readonly record struct ItemSet(ulong Bits)
{
    /// <summary>Whether the item at <paramref name="frn"/> is present.</summary>
    public bool Contains(int frn) => frn is >= 1 and <= 64 && (Bits & (1UL << (frn - 1))) != 0;

    /// <summary>The set with <paramref name="frn"/> added.</summary>
    public ItemSet With(int frn) => new(Bits | (1UL << (frn - 1)));

    /// <summary>The set with <paramref name="frn"/> removed.</summary>
    public ItemSet Without(int frn) => new(Bits & ~(1UL << (frn - 1)));

    /// <summary>Number of items present.</summary>
    public int Count => System.Numerics.BitOperations.PopCount(Bits);
}
