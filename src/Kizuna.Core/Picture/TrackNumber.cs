namespace Kizuna.Core.Picture;

/// <summary>
/// A coalition track number: the one number every node uses for one real object. Numbers are
/// allocated from per-node blocks (rules in docs/network.md — Kizuna's own, not a military
/// standard). Displayed as five digits, e.g. "01234"; 0 means "no number".
/// </summary>
public readonly record struct TrackNumber(int Value) : IComparable<TrackNumber>
{
    /// <summary>The absent track number.</summary>
    public static TrackNumber None => default;

    /// <summary>True when a number is assigned.</summary>
    public bool IsAssigned => Value > 0;

    /// <inheritdoc />
    public int CompareTo(TrackNumber other) => Value.CompareTo(other.Value);

    /// <summary>Five-digit text.</summary>
    public override string ToString() => Value.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
}
