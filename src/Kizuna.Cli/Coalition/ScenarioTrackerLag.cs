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
/// <para>Position sensors are the surface and airborne radars and the ADS-B receivers (the trilateral
/// scenario: ADS-B 0.5 s, radars 0 s, so L = 0.5 s + 1 s = 1.5 s). Space infrared (angles-only, 10 s
/// latency in the scenarios) is left out of the lag: covering it would make every track 10 s late.</para>
/// <para>Its plots, and any other plot later than the lag, take the tracker's out-of-sequence path
/// instead (<see cref="TrackerOptions.MaxOutOfSequenceAge"/>: retrodiction, Bar-Shalom's Bl1), set to
/// A = λ_max,all + Δ with λ_max,all the longest latency of <i>all</i> the scenario's sensors (space IR
/// included) and Δ the cycle. By the argument of <see cref="NodeTrackerLag"/>, a plot delivered at
/// cycle T was measured after T − Δ − λ (after T − 2Δ − λ if forwarded one cycle late) while the
/// watermark is at most T − L, so its age behind the watermark is below λ + 2Δ − L ≤ λ + Δ (L ≥ Δ):
/// A covers every sensor's plots.</para>
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

    /// <summary>Longest reporting latency of all the scenario's sensors, space infrared included; zero when none has one.</summary>
    public static TimeSpan LongestLatency(ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var longest = 0.0;
        foreach (var s in scenario.Sensors)
        {
            longest = Math.Max(longest, s.Latency);
        }

        return TimeSpan.FromSeconds(longest);
    }

    /// <summary>The out-of-sequence age A = λ_max,all + <paramref name="cycle"/> (see the remarks).</summary>
    public static TimeSpan OutOfSequenceAge(ScenarioDefinition scenario, TimeSpan cycle) => LongestLatency(scenario) + cycle;

    /// <summary>The lag for <paramref name="scenario"/> run in cycles of <paramref name="cycle"/>.</summary>
    public static TimeSpan For(ScenarioDefinition scenario, TimeSpan cycle) => NodeTrackerLag.For(LongestPositionLatency(scenario), cycle);

    /// <summary>
    /// <paramref name="tracker"/> with its lag raised to <see cref="For"/> and its out-of-sequence age to
    /// <see cref="OutOfSequenceAge"/> (longer configured values are kept).
    /// </summary>
    public static TrackerSettings Apply(TrackerSettings tracker, ScenarioDefinition scenario, TimeSpan cycle)
    {
        var lagged = NodeTrackerLag.Covering(tracker, For(scenario, cycle));
        var age = OutOfSequenceAge(scenario, cycle).TotalSeconds;
        return lagged.MaxOutOfSequenceAgeSeconds >= age ? lagged : lagged with { MaxOutOfSequenceAgeSeconds = age };
    }
}
