using System.Collections.Immutable;

namespace Kizuna.Core;

/// <summary>Security classification levels (ordered, lowest first). Kizuna's scenarios use notional data only.</summary>
public enum Classification
{
    /// <summary>Unclassified.</summary>
    Unclassified = 0,

    /// <summary>Restricted.</summary>
    Restricted = 1,

    /// <summary>Confidential.</summary>
    Confidential = 2,

    /// <summary>Secret.</summary>
    Secret = 3,

    /// <summary>Top secret.</summary>
    TopSecret = 4,
}

/// <summary>
/// The marking every piece of coalition data carries: classification, originating nation and the
/// nations it may be released to. Release is default-deny: a nation not in
/// <see cref="ReleasableTo"/> (and not the originator) may not see the data.
/// </summary>
public sealed record Marking
{
    /// <summary>Creates a marking.</summary>
    public Marking(Classification classification, Nation originator, ImmutableSortedSet<Nation> releasableTo)
    {
        if (originator.IsUnset)
        {
            throw new ArgumentException("A marking needs an originating nation.", nameof(originator));
        }

        Classification = classification;
        Originator = originator;
        ReleasableTo = releasableTo ?? ImmutableSortedSet<Nation>.Empty;
    }

    /// <summary>Classification level.</summary>
    public Classification Classification { get; }

    /// <summary>The nation that produced the data.</summary>
    public Nation Originator { get; }

    /// <summary>The nations the originator allows to receive it (besides itself).</summary>
    public ImmutableSortedSet<Nation> ReleasableTo { get; }

    /// <summary>A marking releasable to the originator only ("NOFORN"-style).</summary>
    public static Marking OriginatorOnly(Nation originator, Classification classification = Classification.Secret) =>
        new(classification, originator, ImmutableSortedSet<Nation>.Empty);

    /// <summary>A marking releasable to the given nations.</summary>
    public static Marking RelTo(Nation originator, Classification classification, params Nation[] nations) =>
        new(classification, originator, ImmutableSortedSet.CreateRange(nations));

    /// <summary>True when <paramref name="nation"/> may receive data with this marking.</summary>
    public bool IsReleasableTo(Nation nation) => nation == Originator || ReleasableTo.Contains(nation);

    /// <summary>Equal when classification, originator and the releasable-to set (by content) are equal.</summary>
    public bool Equals(Marking? other) =>
        other is not null &&
        Classification == other.Classification &&
        Originator == other.Originator &&
        ReleasableTo.SetEquals(other.ReleasableTo);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Classification);
        hash.Add(Originator);
        foreach (var n in ReleasableTo)
        {
            hash.Add(n);
        }

        return hash.ToHashCode();
    }

    /// <summary>Banner text such as "SECRET//REL TO AUS, JPN, USA".</summary>
    public override string ToString()
    {
        var level = Classification switch
        {
            Classification.TopSecret => "TOP SECRET",
            _ => Classification.ToString().ToUpperInvariant(),
        };
        if (ReleasableTo.IsEmpty)
        {
            return $"{level}//{Originator} ONLY";
        }

        var all = ReleasableTo.Add(Originator);
        return $"{level}//REL TO {string.Join(", ", all)}";
    }
}
