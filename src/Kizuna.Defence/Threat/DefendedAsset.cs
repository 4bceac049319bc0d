using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Defence.ThreatEvaluation;

/// <summary>A defended asset as threat evaluation sees it (the CLI maps the scenario's assets to these).</summary>
/// <param name="Name">Name.</param>
/// <param name="Owner">Owning nation (warned when the asset is threatened).</param>
/// <param name="Position">Centre.</param>
/// <param name="RadiusM">Radius of the defended area (m); 0 for a point (the evaluator's minimum footprint applies).</param>
/// <param name="Value">Value (≥ 0, e.g. 1–10).</param>
public sealed record DefendedAsset(string Name, Nation Owner, Geodetic Position, double RadiusM, double Value);

/// <summary>A nation's territory as one simple polygon of (latitude, longitude) vertices in degrees (not crossing ±180°).</summary>
/// <param name="Owner">Owning nation.</param>
/// <param name="Name">Region name.</param>
/// <param name="Vertices">Vertices (lat°, lon°), in order.</param>
public sealed record TerritoryRegion(Nation Owner, string Name, ImmutableArray<(double LatDeg, double LonDeg)> Vertices)
{
    /// <summary>Axis-aligned box.</summary>
    public static TerritoryRegion Box(Nation owner, string name, double south, double north, double west, double east) =>
        new(owner, name, [(south, west), (south, east), (north, east), (north, west)]);

    /// <summary>Point-in-polygon by ray casting on (lon, lat) (W. R. Franklin's crossing test).</summary>
    public bool Contains(Geodetic p)
    {
        var lat = p.LatitudeDeg;
        var lon = p.LongitudeDeg;
        var inside = false;
        for (int i = 0, j = Vertices.Length - 1; i < Vertices.Length; j = i++)
        {
            var (yi, xi) = Vertices[i];
            var (yj, xj) = Vertices[j];
            if ((yi > lat) != (yj > lat) && lon < ((xj - xi) * (lat - yi) / (yj - yi)) + xi)
            {
                inside = !inside;
            }
        }

        return inside;
    }
}

/// <summary>
/// Coarse public-geography territory regions for JPN, AUS, USA (Guam, Hawaii, Alaska, contiguous
/// states) and GBR: hand-drawn polygons and boxes around the coastlines (read off public maps, e.g.
/// Natural Earth 1:110m), within ~20–50 km, including some sea. They decide who is warned, not
/// legal boundaries or EEZs.
/// </summary>
public static class Territories
{
    /// <summary>All regions.</summary>
    public static ImmutableArray<TerritoryRegion> Default { get; } =
    [
        new(Nation.Japan, "Honshu, Shikoku, Kyushu",
        [
            (31.0, 129.5), (33.9, 129.4), (35.6, 132.5), (37.0, 136.6), (38.0, 138.2), (41.6, 139.9), (41.6, 141.6),
            (40.0, 142.2), (36.9, 141.1), (35.0, 140.2), (34.5, 138.8), (33.4, 135.8), (32.7, 132.9), (31.0, 131.4),
        ]),
        TerritoryRegion.Box(Nation.Japan, "Hokkaido", 41.3, 45.6, 139.7, 145.9),
        TerritoryRegion.Box(Nation.Japan, "Ryukyu Islands", 24.0, 28.5, 122.9, 131.5),
        new(Nation.Australia, "Australian mainland",
        [
            (-10.7, 142.5), (-12.5, 130.8), (-14.0, 126.0), (-20.0, 118.8), (-22.0, 113.6), (-34.5, 115.0), (-35.0, 118.0),
            (-31.5, 131.0), (-35.5, 138.0), (-38.5, 141.0), (-39.2, 146.3), (-37.5, 150.0), (-32.0, 152.8), (-28.2, 153.6),
            (-24.5, 152.5), (-19.0, 146.5), (-14.5, 144.5),
        ]),
        TerritoryRegion.Box(Nation.Australia, "Tasmania", -43.7, -39.5, 143.8, 148.5),
        TerritoryRegion.Box(Nation.Usa, "Guam", 13.2, 13.7, 144.6, 145.0),
        TerritoryRegion.Box(Nation.Usa, "Hawaii", 18.9, 22.3, -160.3, -154.8),
        TerritoryRegion.Box(Nation.Usa, "Alaska", 51.0, 71.5, -170.0, -130.0),
        TerritoryRegion.Box(Nation.Usa, "Contiguous United States", 24.5, 49.4, -124.8, -66.9),
        TerritoryRegion.Box(Nation.UnitedKingdom, "Great Britain and Northern Ireland", 49.9, 58.7, -8.2, 1.8),
    ];
}
