using Kizuna.Cli.Pipeline;
using Kizuna.Metrics;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Motion;
using Kizuna.Simulation.Scenario;
using Kizuna.TestSupport;

namespace Kizuna.Cli.Tests;

/// <summary>
/// Issue 3: the default scenario's ballistic missiles are tracked from the first radar detection
/// to impact with one track number each. Runs the first raid of scenarios/trilateral-defence.yaml
/// (7 missiles launched at 300–420 s) with every sensor and all civil traffic, through the
/// default tracker, and checks each missile's track numbers over its covered flight.
/// </summary>
public class BallisticTrackingTests(ITestOutputHelper testOutput)
{
    private readonly FigureLog output = new(testOutput, "ballistic-figures.txt");

    [Fact]
    public async Task TrilateralFirstRaid_EachBallisticMissile_OneTrackNumber()
    {
        var scenario = ScenarioLoader.Load(Paths.InRepo("scenarios", "trilateral-defence.yaml"));
        var world = ExerciseWorld.Build(scenario);
        var firstRaid = world.Objects.Where(o => o.Kind == ObjectKind.BallisticMissile && o.Trajectory.StartTime < 600).ToArray();
        var duration = Math.Ceiling(firstRaid.Max(o => o.Trajectory.EndTime)) + 4;
        var tracking = new TrackingSink(Commands.TrackCommand.Defaults.Ecef.Build(), scenario.Epoch, sampleInterval: 2);
        await new ExerciseEngine(world, new ExerciseOptions { Duration = duration }).RunAsync(tracking, null, TestContext.Current.CancellationToken);

        var missiles = firstRaid.Select(o => o.Id).ToHashSet();
        var truth = tracking.TruthInCoverage(k => k == ObjectKind.BallisticMissile).Where(t => missiles.Contains(t.TruthId)).ToList();
        var associations = new TrackToTruthAssociator(2_000).Associate(tracking.Tracks, truth);
        Assert.Equal(7, missiles.Count);
        var failures = new List<string>();
        foreach (var id in missiles.Order())
        {
            var samples = truth.Where(t => t.TruthId == id).Select(t => t.Time).ToArray();
            var mine = associations.Where(a => a.TruthId == id).ToArray();
            var numbers = mine.Select(a => a.TrackId).Distinct().ToArray();
            var covered = samples.Count(t => mine.Any(a => t >= a.Start && t <= a.End));
            var line = $"missile {id}: covered {samples.Min():0}-{samples.Max():0} s, {samples.Length} samples, held {covered} ({(double)covered / samples.Length:P0}) by track number(s) {string.Join(", ", numbers)}";
            output.WriteLine(line);
            if (numbers.Length != 1)
            {
                failures.Add(line);
            }
        }

        Assert.True(failures.Count == 0, "missiles without exactly one track number:\n" + string.Join("\n", failures));
    }
}
