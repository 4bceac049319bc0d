using Kizuna.Cli.Coalition;
using Kizuna.Core;
using Kizuna.Network.Bus;
using Kizuna.Network.Messages;
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

    private readonly FigureLog _output = new(testOutput, $"coalition-figures-{TestContext.Current.TestMethod?.MethodName}.txt");

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
    public void TrilateralRun_AfterSettling_CommonalityOverReleasedPairsAtLeast098()
    {
        var all = run.Figures.Commonality;
        var c = run.Figures.ReleasedCommonality;
        _output.WriteLine($"commonality over released pairs {c.Value:0.0000} ({c.TotalAgreeingPairs} of {c.TotalPairs} pairs); over all holding pairs {all.Value:0.0000} ({all.TotalAgreeingPairs} of {all.TotalPairs})");
        Assert.True(c.TotalPairs > 100, $"too few released pairs to score ({c.TotalPairs} pairs)");
        Assert.True(c.TotalPairs <= all.TotalPairs);
        Assert.True(c.Value >= 0.98, $"commonality over released pairs {c.Value:0.0000}");
    }

    [Fact]
    public void TrilateralRun_JpnTracks_ReachAusRoundedTo100mAtConfidentialWithoutSensorIds()
    {
        var jpn = run.Listener.Reports(Nation.Australia).Where(r => r.Marking.Originator == Nation.Japan).ToList();
        _output.WriteLine($"JPN track reports delivered to AUS: {jpn.Count}");
        Assert.True(jpn.Count > 50, $"only {jpn.Count} JPN reports reached AUS");
        Assert.All(jpn, r =>
        {
            Assert.True(OnGrid(r.PositionEcef, 100), $"{r.PositionEcef} not on the 100 m grid");
            Assert.Equal(Classification.Confidential, r.Marking.Classification);
            Assert.Empty(r.Sensors);
            Assert.Equal(0u, r.Identity);
        });
    }

    [Fact]
    public void TrilateralRun_GbrPicture_UsaAndAusTracksRoundedTo500mAtRestricted()
    {
        var gbr = run.Listener.Reports(Nation.UnitedKingdom);
        var byReporter = gbr.GroupBy(r => r.Reporter).ToDictionary(g => g.Key, g => g.Count());
        _output.WriteLine($"track reports delivered to GBR: {string.Join(", ", byReporter.Select(kv => $"{kv.Key} {kv.Value}"))}; distinct numbers {gbr.Select(r => r.Number).Distinct().Count()}; with a JPN-block number {gbr.Count(r => r.Number.Value is >= 10_000 and < 18_000)}");
        // Most USA tracks are updated by JPN plots (USA and JPN share measurements), so their derived
        // marking keeps them from GBR; AUS tracks (AUS + USA plots; USA lets AUS forward to GBR) make
        // most of GBR's picture.
        Assert.True(byReporter.GetValueOrDefault(Nation.Usa) > 0, "no USA report reached GBR");
        Assert.True(byReporter.GetValueOrDefault(Nation.Australia) > 50, "too few AUS reports reached GBR");
        Assert.All(gbr, r =>
        {
            Assert.True(OnGrid(r.PositionEcef, 500), $"{r.PositionEcef} not on the 500 m grid");
            Assert.Equal(Classification.Restricted, r.Marking.Classification);
            Assert.Empty(r.Sensors);
        });
    }

    [Fact]
    public void TrilateralRun_Gbr_ReceivesNothingOriginatedByOrDerivedFromJpn()
    {
        var delivered = run.Listener.All(Nation.UnitedKingdom);
        Assert.NotEmpty(delivered);
        Assert.DoesNotContain(delivered, m => m.Marking.Originator == Nation.Japan);
        Assert.Equal(0, run.Listener.JpnDerivedReportsAtGbr);
        Assert.True(run.Listener.GbrReportsChecked > 50);

        var fromJpn = run.Audit.Entries.Where(e => e.To == Nation.UnitedKingdom && (e.From == Nation.Japan || e.Originator == Nation.Japan)).ToList();
        Assert.NotEmpty(fromJpn);
        Assert.All(fromJpn, e => Assert.False(e.Allowed));
        var derived = run.Audit.Entries.Count(e => e.To == Nation.UnitedKingdom && e.From == Nation.Usa && !e.Allowed && e.Reason.Contains("does not release to GBR", StringComparison.Ordinal));
        _output.WriteLine($"refused to GBR: {fromJpn.Count} JPN messages, {derived} USA messages derived from JPN plots");
        Assert.True(derived > 0, "no USA report derived from JPN plots was stopped (the derived-data rule was not exercised)");
    }

    [Fact]
    public void TrilateralRun_AfterSettling_TwoNumbersAtOneNodeOnAtMostOnePercentOfSamples()
    {
        foreach (var n in run.Figures.Nodes)
        {
            _output.WriteLine($"{n.Nation}: {n.ObjectsWithSeveralNumbers} objects with >1 number ({n.SamplesWithSeveralNumbers} of {n.HeldSamples} held samples)");
        }

        _output.WriteLine($"across nodes: {run.Figures.ObjectsWithSeveralNumbersAcrossNodes} of {run.Figures.ObjectsHeld} objects ({run.Figures.SamplesWithSeveralNumbersAcrossNodes} of {run.Figures.HeldSamples} samples)");
        // Measured: transient double numbers on 0.14-0.29 % of held samples (AUS 52, JPN 29, USA 62 of
        // ~21,100); zero is the goal (named gap in docs/network.md).
        Assert.All(run.Figures.Nodes, n => Assert.True(n.SamplesWithSeveralNumbers <= 0.01 * n.HeldSamples,
            $"{n.Nation}: {n.SamplesWithSeveralNumbers} of {n.HeldSamples} held samples with two numbers"));
    }

    [Fact]
    public void TrilateralRun_WithCoalition_EachNodeHoldsAtLeastWhatItsOwnSensorsGive()
    {
        foreach (var n in run.Figures.Nodes)
        {
            var stats = run.Coalition.Nodes[n.Nation].Tracker.Statistics;
            _output.WriteLine($"{n.Nation}: completeness picture {n.Siap.Completeness:0.0000}, own tracker with shared plots {n.LocalSiap.Completeness:0.0000}, solo node {n.SoloSiap!.Completeness:0.0000}; "
                + $"ambiguity picture {n.Siap.Ambiguity:0.0000}, own tracker {n.LocalSiap.Ambiguity:0.0000}; position accuracy picture {n.Siap.PositionAccuracy:0.0} m, own tracker {n.LocalSiap.PositionAccuracy:0.0} m; tracker lag {run.Coalition.TrackerLag.TotalSeconds:0.0} s, detections received {stats.DetectionsReceived}, rejected late {stats.RejectedLate}");
        }

        // Measured (nodes' tracker lag 1.5 s, issue 3): picture AUS 0.994 vs solo 0.590, JPN 0.997 vs 0.912,
        // USA 0.997 vs 0.434; JPN's own tracker fed USA plots 0.916 vs its solo tracker 0.912 (it was 0.014
        // below while its own late ADS-B plots were rejected behind the watermark: docs/benchmarks.md
        // "Coalition network"). No plot of a position sensor is rejected late at any node.
        Assert.All(run.Figures.Nodes, n => Assert.True(n.Siap.Completeness >= n.SoloSiap!.Completeness,
            $"{n.Nation}: coalition {n.Siap.Completeness:0.000} < own sensors only {n.SoloSiap.Completeness:0.000}"));
        Assert.Contains(run.Figures.Nodes, n => n.Siap.Completeness > n.SoloSiap!.Completeness + 0.05); // the network adds something somewhere
        var jpn = run.Figures.Nodes.Single(n => n.Nation == Nation.Japan);
        Assert.True(jpn.LocalSiap.Completeness >= jpn.SoloSiap!.Completeness,
            $"JPN own tracker with USA plots {jpn.LocalSiap.Completeness:0.0000} < solo {jpn.SoloSiap.Completeness:0.0000}");
        Assert.All(run.Coalition.Nodes.Values, node => Assert.Equal(0, node.Tracker.Statistics.RejectedLate));
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

    private static bool OnGrid(Vec3 p, double q) =>
        new[] { p.X, p.Y, p.Z }.All(x => Math.Abs((x / q) - Math.Round(x / q)) < 1e-6);

    /// <summary>
    /// Listens on the bus as AUS (beside its node) and as GBR (no node: what a GBR viewer gets), and
    /// checks each report reaching GBR against its reporter's local track contributors.
    /// </summary>
    internal sealed class BusListener : ICoalitionStage
    {
        private readonly Dictionary<Nation, IBusSubscription> _subs = [];
        private readonly Dictionary<Nation, List<ICoalitionMessage>> _got = [];

        public int JpnDerivedReportsAtGbr { get; private set; }

        public int GbrReportsChecked { get; private set; }

        public IReadOnlyList<ICoalitionMessage> All(Nation n) => _got.TryGetValue(n, out var l) ? l : [];

        public IReadOnlyList<TrackReport> Reports(Nation n) => [.. All(n).OfType<TrackReport>()];

        public void OnTruth(CoalitionRun run, double time, ReadOnlySpan<TruthRecord> truth)
        {
            if (_subs.Count == 0)
            {
                foreach (var n in new[] { Nation.Australia, Nation.UnitedKingdom })
                {
                    _subs[n] = run.Bus.SubscribeAsync(n, new SubscriptionOptions(1 << 22)).AsTask().GetAwaiter().GetResult();
                    _got[n] = [];
                }
            }
        }

        public void OnCycle(CoalitionRun run, CoalitionCycle cycle)
        {
            foreach (var (n, sub) in _subs)
            {
                while (sub.Reader.TryRead(out var d))
                {
                    _got[n].Add(d.Message);
                    if (n == Nation.UnitedKingdom && d.Message is TrackReport r && run.Nodes.TryGetValue(r.Reporter, out var node))
                    {
                        GbrReportsChecked++;
                        if (node.ContributorsOfLocalTrack(r.LocalTrackId).Contains(Nation.Japan))
                        {
                            JpnDerivedReportsAtGbr++;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The shared 240 s run.</summary>
    public sealed class Run : IAsyncLifetime
    {
        internal CoalitionRun Coalition { get; private set; } = null!;

        internal CoalitionFigures Figures { get; private set; } = null!;

        internal BusListener Listener { get; } = new();

        public InMemoryReleaseAuditLog Audit { get; } = new();

        public async ValueTask InitializeAsync()
        {
            var scenario = ScenarioLoader.Load(Paths.InRepo("scenarios", "trilateral-defence.yaml"));
            var world = ExerciseWorld.Build(scenario);
            var engine = new ExerciseEngine(world, new ExerciseOptions { Duration = 240 });
            var tracker = Commands.TrackCommand.Defaults.Ecef;
            var figures = new NetworkFigures(sampleInterval: 2, Commands.DemoCommand.SiapThreshold, tracker);
            Coalition = new CoalitionRun(scenario, tracker, AgreementFile.Load(scenario.AgreementsPath!), Audit, [figures, Listener], engine);
            await engine.RunAsync(Coalition, null, TestContext.Current.CancellationToken);
            Figures = figures.Compute(scoreFrom: Settle);
        }

        public async ValueTask DisposeAsync() => await Coalition.DisposeAsync();
    }
}
