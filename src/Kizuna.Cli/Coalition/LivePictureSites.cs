using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Network.Sharing;
using Kizuna.Server.Picture;
using Kizuna.Simulation.Scenario;

namespace Kizuna.Cli.Coalition;

/// <summary>The fixed map furniture of a scenario (sensor coverages, defended assets, batteries) with their release markings.</summary>
/// <param name="Sensors">Sensor coverages.</param>
/// <param name="Assets">Defended assets.</param>
/// <param name="Batteries">Firing units.</param>
internal sealed record LivePictureSites(
    ImmutableArray<SensorCoverage> Sensors,
    ImmutableArray<DefendedAssetSite> Assets,
    ImmutableArray<BatterySite> Batteries)
{
    /// <summary>Nothing on the map.</summary>
    public static LivePictureSites Empty { get; } = new([], [], []);

    /// <summary>
    /// Builds the sites of <paramref name="scenario"/>, marking each as the agreements allow:
    /// a sensor is releasable to the nations whose agreement from its owner shares
    /// <see cref="ShareCategories.SensorPositions"/>; a battery to those that receive
    /// <see cref="ShareCategories.EngagementStatus"/> (an engagement line needs its origin);
    /// a defended asset to every coalition nation (the defended-asset list is the coalition's
    /// common planning data, and the alerts name the assets anyway).
    /// </summary>
    /// <remarks>
    /// A sensor on a moving platform is drawn at its platform's start position (the scenario's
    /// <c>position</c>); its coverage circle is the notional instrumented range.
    /// </remarks>
    public static LivePictureSites FromScenario(ScenarioDefinition scenario, SharingAgreements agreements)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(agreements);
        var everyone = agreements.Nations.Union(scenario.Nations);
        var platforms = scenario.Platforms.ToDictionary(p => p.Id, StringComparer.Ordinal);
        Marking MarkingFor(Nation owner, ShareCategories needed)
        {
            var to = everyone.Where(n => n != owner && agreements.TryGet(owner, n, out var a) && a.Allows(needed));
            return new Marking(Classification.Secret, owner, [.. to]);
        }

        var sensors = ImmutableArray.CreateBuilder<SensorCoverage>();
        foreach (var s in scenario.Sensors)
        {
            if (platforms.TryGetValue(s.Platform, out var p))
            {
                sensors.Add(new SensorCoverage(s.Id, s.Nation, p.Position, s.MaxRange, MarkingFor(s.Nation, ShareCategories.SensorPositions)));
            }
        }

        var assets = scenario.DefendedAssets
            .Select(a => new DefendedAssetSite(a.Name, a.Nation, a.Position, a.RadiusM, new Marking(Classification.Secret, a.Nation, everyone.Remove(a.Nation))))
            .ToImmutableArray();
        var batteries = scenario.Batteries
            .Select(b => new BatterySite(b.Id, b.Nation, b.PlatformId is { } pid && platforms.TryGetValue(pid, out var bp) ? bp.Position : b.Position,
                MarkingFor(b.Nation, ShareCategories.EngagementStatus)))
            .ToImmutableArray();
        return new LivePictureSites(sensors.ToImmutable(), assets, batteries);
    }

    /// <summary>The sites <paramref name="viewer"/> may see.</summary>
    public (ImmutableArray<SensorCoverage> Sensors, ImmutableArray<DefendedAssetSite> Assets, ImmutableArray<BatterySite> Batteries) For(Nation viewer) =>
        ([.. Sensors.Where(s => s.Marking.IsReleasableTo(viewer))],
         [.. Assets.Where(a => a.Marking.IsReleasableTo(viewer))],
         [.. Batteries.Where(b => b.Marking.IsReleasableTo(viewer))]);
}
