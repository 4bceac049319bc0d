using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;

namespace Kizuna.Defence.Command;

/// <summary>Weapon control status (rules of engagement) of one nation in one area.</summary>
public enum WeaponControlStatus : byte
{
    /// <summary>Weapons hold: no shots (except in self-defence, not modelled).</summary>
    Hold = 0,

    /// <summary>Weapons tight: fire only at targets identified hostile.</summary>
    Tight = 1,

    /// <summary>Weapons free: fire at any threat not identified friend, assumed friend or neutral.</summary>
    Free = 2,
}

/// <summary>A circular ROE area in which a nation's weapon control status differs from its default.</summary>
/// <param name="Name">Area name (e.g. "Kanto").</param>
/// <param name="Nation">Nation whose weapons the area's status governs.</param>
/// <param name="Centre">Area centre (height ignored).</param>
/// <param name="Radius">Ground radius (great-circle, mean-radius sphere; the ROE boundary is not a geodetic-accuracy matter).</param>
/// <param name="Status">Weapon control status for intercepts inside the area.</param>
public sealed record RoeArea(string Name, Nation Nation, Geodetic Centre, Length Radius, WeaponControlStatus Status)
{
    /// <summary>True when the point lies within the area (haversine distance on the mean sphere).</summary>
    public bool Contains(Geodetic point)
    {
        var dLat = point.LatitudeRad - Centre.LatitudeRad;
        var dLon = point.LongitudeRad - Centre.LongitudeRad;
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(Centre.LatitudeRad) * Math.Cos(point.LatitudeRad) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        var d = 2 * Wgs84.MeanRadius * Math.Asin(Math.Min(1, Math.Sqrt(a)));
        return d <= Radius.Metres;
    }
}

/// <summary>
/// Rules of engagement of the coalition: each nation sets its own default weapon control status and
/// optional area overrides (first matching area wins). Nations without an entry are on
/// <see cref="WeaponControlStatus.Hold"/> (default deny).
/// </summary>
public sealed record RulesOfEngagement
{
    private RulesOfEngagement(ImmutableDictionary<Nation, WeaponControlStatus> defaults, ImmutableArray<RoeArea> areas)
    {
        Defaults = defaults;
        Areas = areas;
    }

    /// <summary>Status per nation outside its areas.</summary>
    public ImmutableDictionary<Nation, WeaponControlStatus> Defaults { get; }

    /// <summary>Area overrides, in precedence order.</summary>
    public ImmutableArray<RoeArea> Areas { get; }

    /// <summary>Everyone on hold.</summary>
    public static RulesOfEngagement AllHold { get; } = new(ImmutableDictionary<Nation, WeaponControlStatus>.Empty, []);

    /// <summary>Returns a copy with <paramref name="nation"/>'s default status set.</summary>
    public RulesOfEngagement WithStatus(Nation nation, WeaponControlStatus status) => new(Defaults.SetItem(nation, status), Areas);

    /// <summary>Returns a copy with an area override appended.</summary>
    public RulesOfEngagement WithArea(RoeArea area) => new(Defaults, Areas.Add(area));

    /// <summary>Status for <paramref name="nation"/>'s weapons intercepting at <paramref name="interceptPointEcef"/>.</summary>
    public WeaponControlStatus StatusFor(Nation nation, Vec3 interceptPointEcef)
    {
        if (!Areas.IsEmpty)
        {
            var g = Wgs84.EcefToGeodetic(interceptPointEcef);
            foreach (var area in Areas)
            {
                if (area.Nation == nation && area.Contains(g))
                {
                    return area.Status;
                }
            }
        }

        return Defaults.TryGetValue(nation, out var s) ? s : WeaponControlStatus.Hold;
    }

    /// <summary>True when <paramref name="status"/> allows firing at a target of identity <paramref name="identity"/>.</summary>
    public static bool Permits(WeaponControlStatus status, Affiliation identity) => status switch
    {
        WeaponControlStatus.Free => identity is not (Affiliation.Friend or Affiliation.AssumedFriend or Affiliation.Neutral),
        WeaponControlStatus.Tight => identity == Affiliation.Hostile,
        _ => false,
    };

    /// <summary>True when <paramref name="nation"/> may fire at a target of <paramref name="identity"/> intercepted at the point.</summary>
    public bool Permits(Nation nation, Vec3 interceptPointEcef, Affiliation identity) =>
        Permits(StatusFor(nation, interceptPointEcef), identity);
}
