using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Picture;

namespace Kizuna.Network.Picture;

/// <summary>
/// A contiguous block of coalition track numbers owned by one node: only the owner allocates
/// numbers from it (docs/network.md, "Track numbers").
/// </summary>
/// <remarks>
/// Numbers are decimal integers shown as five digits (<see cref="TrackNumber.ToString"/>), 1 … 99999.
/// Blocks are Kizuna's own convention, modelled on the per-unit track-number blocks of tactical
/// data links (public description: c2-anchors §2.4); no value here comes from a military standard.
/// </remarks>
/// <param name="Owner">The nation (node) that allocates from the block.</param>
/// <param name="First">The first number of the block.</param>
/// <param name="Last">The last number of the block (inclusive).</param>
public readonly record struct TrackNumberBlock(Nation Owner, int First, int Last)
{
    /// <summary>The largest number that still displays in five digits.</summary>
    public const int MaxNumber = 99_999;

    /// <summary>How many numbers the block holds.</summary>
    public int Size => Last - First + 1;

    /// <summary>Creates a block, checking 1 ≤ first ≤ last ≤ <see cref="MaxNumber"/> and a set owner.</summary>
    public static TrackNumberBlock Create(Nation owner, int first, int last)
    {
        if (owner.IsUnset)
        {
            throw new ArgumentException("A track-number block needs an owner.", nameof(owner));
        }

        if (first < 1 || last < first || last > MaxNumber)
        {
            throw new ArgumentOutOfRangeException(nameof(first), $"A block must satisfy 1 <= first ({first}) <= last ({last}) <= {MaxNumber}.");
        }

        return new TrackNumberBlock(owner, first, last);
    }

    /// <summary>True when <paramref name="number"/> lies in the block.</summary>
    public bool Contains(TrackNumber number) => number.Value >= First && number.Value <= Last;

    /// <summary>True when the two blocks share a number.</summary>
    public bool Overlaps(TrackNumberBlock other) => First <= other.Last && other.First <= Last;
}

/// <summary>
/// The coalition's track-number plan: one non-overlapping <see cref="TrackNumberBlock"/> per nation.
/// Every node holds the same plan (it comes from the scenario / configuration).
/// </summary>
public sealed class TrackNumberPlan
{
    private readonly ImmutableSortedDictionary<Nation, TrackNumberBlock> _blocks;

    private TrackNumberPlan(ImmutableSortedDictionary<Nation, TrackNumberBlock> blocks) => _blocks = blocks;

    /// <summary>
    /// Project default: USA 01000–07999, JPN 10000–17999, AUS 20000–27999, GBR 30000–37999
    /// (8,000 numbers each; 00001–00999 are kept free for exercise control).
    /// </summary>
    public static TrackNumberPlan Default { get; } = Create(
        TrackNumberBlock.Create(Nation.Usa, 1_000, 7_999),
        TrackNumberBlock.Create(Nation.Japan, 10_000, 17_999),
        TrackNumberBlock.Create(Nation.Australia, 20_000, 27_999),
        TrackNumberBlock.Create(Nation.UnitedKingdom, 30_000, 37_999));

    /// <summary>The blocks, by owner.</summary>
    public IReadOnlyDictionary<Nation, TrackNumberBlock> Blocks => _blocks;

    /// <summary>Builds a plan; throws when two blocks overlap or a nation has two blocks.</summary>
    public static TrackNumberPlan Create(params TrackNumberBlock[] blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var builder = ImmutableSortedDictionary.CreateBuilder<Nation, TrackNumberBlock>();
        foreach (var b in blocks)
        {
            foreach (var other in builder.Values)
            {
                if (b.Overlaps(other))
                {
                    throw new ArgumentException($"Track-number blocks of {b.Owner} and {other.Owner} overlap.", nameof(blocks));
                }
            }

            if (!builder.TryAdd(b.Owner, b))
            {
                throw new ArgumentException($"{b.Owner} has two track-number blocks.", nameof(blocks));
            }
        }

        return new TrackNumberPlan(builder.ToImmutable());
    }

    /// <summary>The block of <paramref name="nation"/>; throws <see cref="KeyNotFoundException"/> when it has none.</summary>
    public TrackNumberBlock BlockOf(Nation nation) =>
        _blocks.TryGetValue(nation, out var b) ? b : throw new KeyNotFoundException($"The track-number plan has no block for {nation}.");

    /// <summary>The owner of the block holding <paramref name="number"/>; unset when no block holds it.</summary>
    public Nation OwnerOf(TrackNumber number)
    {
        foreach (var (nation, block) in _blocks)
        {
            if (block.Contains(number))
            {
                return nation;
            }
        }

        return default;
    }
}
