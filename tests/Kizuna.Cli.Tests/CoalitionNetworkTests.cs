using Kizuna.Cli.Coalition;
using Kizuna.Core;
using Kizuna.Network.Sharing;
using Kizuna.Network.Wire;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Scenario;
using Kizuna.TestSupport;

namespace Kizuna.Cli.Tests;

/// <summary>
/// Issue 5: the embedded coalition on the first 240 s of scenarios/trilateral-defence.yaml
/// (USA, JPN, AUS nodes on the in-process bus, the scenario's agreements): one number per object,
/// a common picture, and the agreements obeyed on delivery. One shared run (a class fixture) keeps
/// the suite fast.
/// </summary>
public sealed class CoalitionNetworkTests(CoalitionNetworkTests.Run run, ITestOutputHelper testOutput) : IClassFixture<CoalitionNetworkTests.Run>
{
    /// <summary>Seconds after the start before ambiguity and numbering are scored (origination hold and correlation hysteresis).</summary>
    private const double Settle = 60;

    private readonly FigureLog _output = new(testOutput, "coalition-figures.txt");

    [Fact]
    public void TrilateralRun_AfterSettling_AmbiguityPerNodeAtMost102()
    {
        foreach (var n in run.Figures.Nodes)
        {
            _output.WriteLine($"{n.Nation}: completeness {n.Siap.Completeness:0.000}, ambiguity {n.Siap.Ambiguity:0.000}, spuriousness {n.Siap.Spuriousness:0.000}, solo completeness {n.SoloSiap?.Completeness:0.000}");
        }

        Assert.Equal(3, run.Figures.Nodes.Length);
        Assert.All(run.Figures.Nodes, n => Assert.True(n.Siap.SumJT > 100, $"{n.Nation} holds too little to score ({n.Siap.SumJT})"));
        Assert.All(run.Figures.Nodes, n => Assert.True(n.Siap.Ambiguity <= 1.02, $"{n.Nation} ambiguity {n.Siap.Ambiguity:0.000}"));
    }

    [Fact]
    public void TrilateralRun_AfterSettling_CommonalityBetweenNodesAtLeast098()
    {
        var c = run.Figures.Commonality;
        _output.WriteLine($"commonality {c.Value:0.0000} ({c.TotalAgreeingPairs} of {c.TotalPairs} pairs)");
        Assert.True(c.TotalPairs > 100, $"too few shared objects to score ({c.TotalPairs} pairs)");
        Assert.True(c.Value >= 0.98, $"commonality {c.Value:0.0000}");
    }

    [Fact]
    public void TrilateralRun_AfterSettling_TwoNumbersAtOneNodeOnAtMostOnePercentOfSamples()
    {
        foreach (var n in run.Figures.Nodes)
        {
            _output.WriteLine($"{n.Nation}: {n.ObjectsWithSeveralNumbers} objects with >1 number ({n.SamplesWithSeveralNumbers} of {n.HeldSamples} held samples)");
        }

        _output.WriteLine($"across nodes: {run.Figures.ObjectsWithSeveralNumbersAcrossNodes} of {run.Figures.ObjectsHeld} objects ({run.Figures.SamplesWithSeveralNumbersAcrossNodes} of {run.Figures.HeldSamples} samples)");
        // Measured: transient double numbers (a second local track on one object, origination before
        // correlation) on 0.05-0.4 % of held samples; zero is the goal (named gap in docs/network.md).
        Assert.All(run.Figures.Nodes, n => Assert.True(n.SamplesWithSeveralNumbers <= 0.01 * n.HeldSamples,
            $"{n.Nation}: {n.SamplesWithSeveralNumbers} of {n.HeldSamples} held samples with two numbers"));
    }

    [Fact]
    public void TrilateralRun_WithCoalition_EachNodeHoldsAtLeastWhatItsOwnSensorsGive()
    {
        // Measured: JPN loses 0.015 with the coalition (named gap); AUS and USA gain 0.2-0.5.
        Assert.All(run.Figures.Nodes, n => Assert.True(n.Siap.Completeness >= n.SoloSiap!.Completeness - 0.03,
            $"{n.Nation}: coalition {n.Siap.Completeness:0.000} < own sensors only {n.SoloSiap.Completeness:0.000}"));
        Assert.Contains(run.Figures.Nodes, n => n.Siap.Completeness > n.SoloSiap!.Completeness + 0.05); // the network adds something somewhere
    }

    [Fact]
    public void TrilateralRun_AusNode_NeverReceivesJpnDetectionBatch()
    {
        var coalition = run.Coalition;
        _output.WriteLine($"AUS deliveries: JPN batches {coalition.Deliveries(Nation.Australia, Nation.Japan, MessageType.DetectionBatch)}, USA batches {coalition.Deliveries(Nation.Australia, Nation.Usa, MessageType.DetectionBatch)}, JPN reports {coalition.Deliveries(Nation.Australia, Nation.Japan, MessageType.TrackReport)}");
        Assert.Equal(0, coalition.DeliveriesOriginatedBy(Nation.Australia, Nation.Japan, MessageType.DetectionBatch));
        Assert.True(coalition.Deliveries(Nation.Australia, Nation.Usa, MessageType.DetectionBatch) > 100); // measurement sharing USA -> AUS works
        Assert.True(coalition.Deliveries(Nation.Japan, Nation.Usa, MessageType.DetectionBatch) > 100);

        var refusals = run.Audit.Entries.Where(e => e.From == Nation.Japan && e.To == Nation.Australia && e.Type == MessageType.DetectionBatch).ToList();
        Assert.NotEmpty(refusals);
        Assert.All(refusals, e => Assert.False(e.Allowed));
        _output.WriteLine($"JPN -> AUS batches refused: {refusals.Count}, e.g. \"{refusals[0].Reason}\"");
        Assert.All(refusals, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
    }

    [Fact]
    public void TrilateralRun_UsaReportsDerivedFromJpnPlots_RefusedToAusByMarking()
    {
        // JPN -> USA names no forward_to: USA tracks updated with JPN plots must not reach AUS or GBR.
        var byMarking = run.Audit.Entries.Where(e => e.From == Nation.Usa && e.To == Nation.Australia && e.Type == MessageType.TrackReport
            && e.Reason.Contains("does not release to AUS", StringComparison.Ordinal)).ToList();
        _output.WriteLine($"USA -> AUS track reports refused by their derived marking: {byMarking.Count}");
        Assert.NotEmpty(byMarking);
        Assert.All(byMarking, e => Assert.False(e.Allowed));
    }

    /// <summary>The shared 240 s run.</summary>
    public sealed class Run : IAsyncLifetime
    {
        internal CoalitionRun Coalition { get; private set; } = null!;

        internal CoalitionFigures Figures { get; private set; } = null!;

        public InMemoryReleaseAuditLog Audit { get; } = new();

        public async ValueTask InitializeAsync()
        {
            var scenario = ScenarioLoader.Load(Paths.InRepo("scenarios", "trilateral-defence.yaml"));
            var world = ExerciseWorld.Build(scenario);
            var engine = new ExerciseEngine(world, new ExerciseOptions { Duration = 240 });
            var tracker = Commands.TrackCommand.Defaults.Ecef;
            var figures = new NetworkFigures(sampleInterval: 2, Commands.DemoCommand.SiapThreshold, tracker);
            Coalition = new CoalitionRun(scenario, tracker, AgreementFile.Load(scenario.AgreementsPath!), Audit, [figures], engine);
            await engine.RunAsync(Coalition, null, TestContext.Current.CancellationToken);
            Figures = figures.Compute(scoreFrom: Settle);
        }

        public async ValueTask DisposeAsync() => await Coalition.DisposeAsync();
    }
}
