using Kizuna.Network.Node;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Scenario;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Cli.Coalition;

/// <summary>
/// The out-of-sequence lag of a scenario's national nodes (<see cref="NodeTrackerLag"/>): the longest
/// reporting latency of the scenario's position sensors plus one cycle. Every node of a run (embedded
/// or a <c>kizuna node</c> process) derives it from the same scenario, so measurement-sharing nodes
/// agree on it.
/// </summary>
/// <remarks>
/// Position sensors are the surface and airborne radars and the ADS-B receivers (the trilateral
/// scenario: ADS-B 0.5 s, radars 0 s, so L = 0.5 s + 1 s = 1.5 s). Space infrared (angles-only, 10 s
/// latency in the scenarios) is left out: covering it would make every track 10 s late; its plots
/// stay rejected when later than the lag (named gap, docs/network.md "Node").
/// </remarks>
internal static class ScenarioTrackerLag
{
    /// <summary>The engine's cycle when none is given: <see cref="ExerciseOptions.Step"/>'s default.</summary>
    public static TimeSpan DefaultCycle { get; } = TimeSpan.FromSeconds(new ExerciseOptions().Step);

    /// <summary>Longest reporting latency (s → <see cref="TimeSpan"/>) of the scenario's position sensors; zero when none has one.</summary>
    public static TimeSpan LongestPositionLatency(ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var longest = 0.0;
        foreach (var s in scenario.Sensors)
        {
            if (s.Type != SensorType.SpaceInfrared && s.Latency > longest)
            {
                longest = s.Latency;
            }
        }

        return TimeSpan.FromSeconds(longest);
    }

    /// <summary>The lag for <paramref name="scenario"/> run in cycles of <paramref name="cycle"/>.</summary>
    public static TimeSpan For(ScenarioDefinition scenario, TimeSpan cycle) => NodeTrackerLag.For(LongestPositionLatency(scenario), cycle);

    /// <summary><paramref name="tracker"/> with its lag raised to <see cref="For"/> (a longer configured lag is kept).</summary>
    public static TrackerSettings Apply(TrackerSettings tracker, ScenarioDefinition scenario, TimeSpan cycle) =>
        NodeTrackerLag.Covering(tracker, For(scenario, cycle));
}
