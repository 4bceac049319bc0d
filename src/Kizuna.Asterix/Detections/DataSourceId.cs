using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Kizuna.Asterix.Detections;

/// <summary>An ASTERIX data source identifier: System Area Code and System Identification Code (I010 of every category).</summary>
/// <param name="Sac">System Area Code, 0–255.</param>
/// <param name="Sic">System Identification Code, 0–255.</param>
public readonly record struct DataSourceId(int Sac, int Sic)
{
    /// <summary>Parses <c>SAC/SIC</c>, e.g. <c>25/12</c>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DataSourceId id)
    {
        id = default;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash <= 0 ||
            !int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var sac) ||
            !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sic) ||
            sac > 255 || sic > 255)
        {
            return false;
        }

        id = new DataSourceId(sac, sic);
        return true;
    }

    /// <summary>A 16-bit key (SAC·256 + SIC).</summary>
    public int Key => (Sac << 8) | Sic;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Sac}/{Sic}");
}
