using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Defence.Classification;
using Kizuna.Defence.Command;
using Kizuna.Defence.Weapons;
using Kizuna.Simulation.Scenario;
using DefendedAsset = Kizuna.Defence.ThreatEvaluation.DefendedAsset;
using ScenarioRoe = Kizuna.Simulation.Scenario.RulesOfEngagement;

namespace Kizuna.Cli.Coalition;

/// <summary>Settings of the defence stage (documented in docs/defence.md "In the run").</summary>
/// <param name="JointCommander">Nation of the joint force commander: the planner runs on its node's picture (USA by default).</param>
/// <param name="EvaluationInterval">Threat evaluation, warning and planning period (2 s).</param>
/// <param name="DecisionDelay">Delay after which the simulated national commander approves a recommendation it was not pre-delegated (20 s; null: no simulated commander, only humans decide).</param>
/// <param name="Seed">Seed of the intercept outcome draws.</param>
/// <param name="KillAssessmentTime">Time after an intercept when the tracker's picture is looked at (10 s).</param>
/// <param name="TruthGateM">Simulation oracle: a track is matched to the nearest Red truth object within this distance (m).</param>
public sealed record DefenceOptions(
    Nation JointCommander,
    TimeSpan EvaluationInterval,
    TimeSpan? DecisionDelay,
    int Seed,
    TimeSpan KillAssessmentTime,
    double TruthGateM = 30_000)
{
    /// <summary>USA joint commander, 2 s evaluation, 20 s simulated decision delay, seed 1, 10 s kill assessment.</summary>
    public static DefenceOptions Default { get; } = new(Nation.Usa, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20), 1, TimeSpan.FromSeconds(10));
}

/// <summary>Maps the scenario's defence sections (batteries, command, defended assets) to Kizuna.Defence types.</summary>
internal static class DefenceSetup
{
    /// <summary>The identification rule's settings: the scenario's civil airfields (background traffic) as civil zones.</summary>
    public static IdentificationOptions Identification(ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var airfields = scenario.BackgroundTraffic is { } traffic
            ? traffic.Airports.Select(code => Airports.TryGet(code, out var a) ? a.Position : (Geodetic?)null).OfType<Geodetic>().ToImmutableArray()
            : [];
        return IdentificationOptions.Default with { CivilAirfields = airfields };
    }

    /// <summary>Weapon class of a scenario weapon token.</summary>
    public static WeaponClass WeaponClassOf(string token) => token switch
    {
        "upper_tier" => WeaponClass.UpperTierExo,
        "lower_tier" => WeaponClass.LowerTierEndo,
        "ship_area" => WeaponClass.ShipAreaDefence,
        "short_range" => WeaponClass.ShortRange,
        _ => throw new ArgumentException($"Unknown weapon token '{token}'.", nameof(token)),
    };

    /// <summary>Battery snapshots at the epoch (a platform-hosted battery starts at its host's first truth position, set by the stage).</summary>
    public static ImmutableArray<Battery> Batteries(ScenarioDefinition scenario, IReadOnlyDictionary<string, Core.Geodesy.Geodetic> hostPositions) =>
        [.. scenario.Batteries.Select(b => new Battery(b.Id, b.Nation,
            b.PlatformId is { } host && hostPositions.TryGetValue(host, out var p) ? p : b.Position,
            WeaponCatalogue.For(WeaponClassOf(b.Weapon)), b.Inventory, scenario.Epoch))];

    /// <summary>Rules of engagement: each scenario nation's default status (a nation without a command entry holds).</summary>
    public static Defence.Command.RulesOfEngagement Roe(ScenarioDefinition scenario)
    {
        var roe = Defence.Command.RulesOfEngagement.AllHold;
        foreach (var c in scenario.Command)
        {
            roe = roe.WithStatus(c.Nation, c.Roe switch
            {
                ScenarioRoe.WeaponsFree => WeaponControlStatus.Free,
                ScenarioRoe.WeaponsTight => WeaponControlStatus.Tight,
                _ => WeaponControlStatus.Hold,
            });
        }

        return roe;
    }

    /// <summary>Pre-delegations: one per (nation, auto-approved weapon class), any threat kind.</summary>
    public static ImmutableArray<PreDelegation> PreDelegations(ScenarioDefinition scenario) =>
        [.. scenario.Command.SelectMany(c => c.AutoApprove.Select(w => new PreDelegation(c.Nation, WeaponClassOf(w), null)))];

    /// <summary>Defended assets as threat evaluation sees them.</summary>
    public static ImmutableArray<DefendedAsset> Assets(ScenarioDefinition scenario) =>
        [.. scenario.DefendedAssets.Select(a => new DefendedAsset(a.Name, a.Nation, a.Position, a.RadiusM, a.Value))];

    /// <summary>
    /// The scenario without <paramref name="nation"/>'s sensors, batteries, command entry and node
    /// (its platforms still move as truth: a ship without its radar and launchers is only a target).
    /// </summary>
    public static ScenarioDefinition Without(ScenarioDefinition scenario, Nation nation) => scenario with
    {
        Nations = scenario.Nations.Remove(nation),
        Sensors = [.. scenario.Sensors.Where(s => s.Nation != nation)],
        Batteries = [.. scenario.Batteries.Where(b => b.Nation != nation)],
        Command = [.. scenario.Command.Where(c => c.Nation != nation)],
    };
}
