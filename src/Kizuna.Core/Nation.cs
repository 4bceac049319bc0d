using System.Diagnostics.CodeAnalysis;

namespace Kizuna.Core;

/// <summary>
/// A nation, by its ISO 3166-1 alpha-3 code (e.g. USA, JPN, AUS, GBR). Immutable value type;
/// the code is validated as three upper-case ASCII letters.
/// </summary>
public readonly record struct Nation : IComparable<Nation>
{
    private readonly string? _code;

    private Nation(string code) => _code = code;

    /// <summary>The alpha-3 code; "" for the default (unset) value.</summary>
    public string Code => _code ?? string.Empty;

    /// <summary>United States of America.</summary>
    public static Nation Usa { get; } = new("USA");

    /// <summary>Japan.</summary>
    public static Nation Japan { get; } = new("JPN");

    /// <summary>Australia.</summary>
    public static Nation Australia { get; } = new("AUS");

    /// <summary>United Kingdom.</summary>
    public static Nation UnitedKingdom { get; } = new("GBR");

    /// <summary>True when this value was never set.</summary>
    public bool IsUnset => _code is null;

    /// <summary>Parses an alpha-3 code; throws <see cref="FormatException"/> when it is not three letters A–Z.</summary>
    public static Nation Parse(string code) =>
        TryParse(code, out var n) ? n : throw new FormatException($"'{code}' is not an ISO 3166-1 alpha-3 code (three letters A-Z).");

    /// <summary>Parses an alpha-3 code (case-insensitive input, stored upper case).</summary>
    public static bool TryParse([NotNullWhen(true)] string? code, out Nation nation)
    {
        nation = default;
        if (code is null || code.Length != 3)
        {
            return false;
        }

        Span<char> c = stackalloc char[3];
        for (var i = 0; i < 3; i++)
        {
            var ch = char.ToUpperInvariant(code[i]);
            if (ch is < 'A' or > 'Z')
            {
                return false;
            }

            c[i] = ch;
        }

        var s = new string(c);
        nation = s switch
        {
            "USA" => Usa,
            "JPN" => Japan,
            "AUS" => Australia,
            "GBR" => UnitedKingdom,
            _ => new Nation(string.Intern(s)),
        };
        return true;
    }

    public int CompareTo(Nation other) => string.CompareOrdinal(Code, other.Code);

    public override string ToString() => Code;
}
