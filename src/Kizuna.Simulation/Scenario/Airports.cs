using System.Collections.Frozen;
using Kizuna.Core.Geodesy;

namespace Kizuna.Simulation.Scenario;

/// <summary>A real airport (public aeronautical data; reference point, rounded to ~0.001°).</summary>
/// <param name="Icao">ICAO location indicator.</param>
/// <param name="Name">Common name.</param>
/// <param name="Position">Aerodrome reference point (height 0).</param>
public sealed record Airport(string Icao, string Name, Geodetic Position);

/// <summary>The built-in table of airports in the Western Pacific used for background traffic.</summary>
public static class Airports
{
    private static readonly FrozenDictionary<string, Airport> Table = new Airport[]
    {
        new("RJTT", "Tokyo Haneda", Geodetic.FromDegrees(35.5523, 139.7798)),
        new("RJAA", "Tokyo Narita", Geodetic.FromDegrees(35.7647, 140.3864)),
        new("RJBB", "Osaka Kansai", Geodetic.FromDegrees(34.4347, 135.2440)),
        new("RJOO", "Osaka Itami", Geodetic.FromDegrees(34.7855, 135.4382)),
        new("RJGG", "Nagoya Chubu", Geodetic.FromDegrees(34.8584, 136.8054)),
        new("RJCC", "Sapporo New Chitose", Geodetic.FromDegrees(42.7752, 141.6923)),
        new("RJFF", "Fukuoka", Geodetic.FromDegrees(33.5859, 130.4507)),
        new("ROAH", "Naha", Geodetic.FromDegrees(26.1958, 127.6459)),
        new("RJSS", "Sendai", Geodetic.FromDegrees(38.1397, 140.9170)),
        new("RJFK", "Kagoshima", Geodetic.FromDegrees(31.8034, 130.7194)),
        new("RJOA", "Hiroshima", Geodetic.FromDegrees(34.4361, 132.9194)),
        new("RJNK", "Komatsu", Geodetic.FromDegrees(36.3946, 136.4065)),
        new("RJCH", "Hakodate", Geodetic.FromDegrees(41.7700, 140.8219)),
        new("RJSN", "Niigata", Geodetic.FromDegrees(37.9559, 139.1206)),
        new("RJOM", "Matsuyama", Geodetic.FromDegrees(33.8272, 132.6997)),
        new("RKSI", "Seoul Incheon", Geodetic.FromDegrees(37.4691, 126.4505)),
        new("RKSS", "Seoul Gimpo", Geodetic.FromDegrees(37.5583, 126.7906)),
        new("RKPK", "Busan Gimhae", Geodetic.FromDegrees(35.1795, 128.9382)),
        new("RKPC", "Jeju", Geodetic.FromDegrees(33.5113, 126.4930)),
        new("RCTP", "Taipei Taoyuan", Geodetic.FromDegrees(25.0777, 121.2328)),
        new("ZSPD", "Shanghai Pudong", Geodetic.FromDegrees(31.1443, 121.8083)),
        new("VHHH", "Hong Kong", Geodetic.FromDegrees(22.3080, 113.9185)),
        new("RPLL", "Manila", Geodetic.FromDegrees(14.5086, 121.0194)),
        new("PGUM", "Guam", Geodetic.FromDegrees(13.4834, 144.7960)),
        new("UHWW", "Vladivostok", Geodetic.FromDegrees(43.3990, 132.1480)),
    }.ToFrozenDictionary(a => a.Icao, StringComparer.Ordinal);

    /// <summary>All airports in the table, ordered by ICAO code.</summary>
    public static IReadOnlyList<Airport> All { get; } = Table.Values.OrderBy(a => a.Icao, StringComparer.Ordinal).ToArray();

    /// <summary>Looks up an airport by ICAO code (upper case).</summary>
    public static bool TryGet(string icao, out Airport airport) => Table.TryGetValue(icao, out airport!);
}
