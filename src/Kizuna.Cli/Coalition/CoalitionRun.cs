using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Network.Bus;
using Kizuna.Network.Messages;
using Kizuna.Network.Node;
using Kizuna.Network.Picture;
using Kizuna.Network.Sharing;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Scenario;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Cli.Coalition;

/// <summary>What every node produced in one coalition cycle.</summary>
/// <param name="Time">UTC cycle time.</param>
/// <param name="SimTime">Seconds since the scenario epoch.</param>
/// <param name="Nodes">Each nation's node output, by nation.</param>
internal sealed record CoalitionCycle(DateTime Time, double SimTime, ImmutableSortedDictionary<Nation, NodeCycle> Nodes);

/// <summary>
/// A participant of a coalition run, called on the engine's thread in registration order:
/// defence, metrics, recording, the live web feed. Every method is optional.
/// </summary>
internal interface ICoalitionStage
{
    /// <summary>Truth samples (simulation only).</summary>
    void OnTruth(CoalitionRun run, double time, ReadOnlySpan<TruthRecord> truth)
    {
    }

    /// <summary>Every detection delivered this step, all nations (before release; each node sees only its share).</summary>
    void OnDetections(CoalitionRun run, double time, ReadOnlySpan<Detection> detections)
    {
    }

    /// <summary>An exercise event.</summary>
    void OnEvent(CoalitionRun run, SimulationEvent simulationEvent)
    {
    }

    /// <summary>After every node stepped. A stage may publish (alerts, engagements) with <see cref="CoalitionRun.Publish"/>.</summary>
    void OnCycle(CoalitionRun run, CoalitionCycle cycle)
    {
    }
}

/// <summary>
/// The embedded coalition (one process, <see cref="InProcessBus"/>): one <see cref="NationalNode"/>
/// per scenario nation, fed with its own sensors' detections, its tracker running with the
/// out-of-sequence lag of <see cref="ScenarioTrackerLag"/>; every message between nations goes
/// through the bus, so the sharing agreements and the release policy (with its audit log) decide
/// what each node receives. Lock-step and deterministic: at each cycle time every node first
/// receives what was published before, then steps; what it publishes is delivered next cycle.
/// </summary>
/// <remarks>
/// Cycle at simulated time t: (1) each nation's detections of the step go to its own node and are
/// published as a <see cref="DetectionBatch"/>; (2) every subscription is drained into its node
/// (batches, reports, notices) or into the nation's received alerts / engagements; (3) every node
/// steps to t; (4) reports and notices are published; (5) stages run (and may publish); (6) the bus
/// is drained again so alerts and engagements reach partners in the same cycle.
/// </remarks>
internal sealed class CoalitionRun : ISimulationSink, IAsyncDisposable
{
    private readonly ImmutableArray<ICoalitionStage> _stages;
    private readonly ImmutableSortedDictionary<Nation, NationalNode> _nodes;
    private readonly Dictionary<Nation, IBusSubscription> _subscriptions = [];
    private readonly Dictionary<Nation, List<Detection>> _own = [];
    private readonly Dictionary<Nation, List<AlertMessage>> _alerts = [];
    private readonly Dictionary<Nation, List<EngagementMessage>> _engagements = [];
    private readonly Dictionary<Nation, long> _batchSequence = [];
    private readonly Dictionary<(Nation To, Nation From, Nation Originator, Network.Wire.MessageType Type), long> _deliveries = [];
    private readonly ImmutableDictionary<Nation, Marking> _detectionMarking;
    private double _lastCycle = double.NegativeInfinity;

    /// <summary>Creates the coalition for <paramref name="scenario"/>.</summary>
    /// <param name="scenario">The scenario (nations, epoch).</param>
    /// <param name="tracker">Tracker settings every node uses (ECEF frame); the out-of-sequence lag is raised to cover the scenario's latencies (<see cref="Tracker"/>).</param>
    /// <param name="agreements">Sharing agreements in force.</param>
    /// <param name="audit">Where every release decision is written.</param>
    /// <param name="stages">Participants, in call order.</param>
    /// <param name="engine">The exercise engine, when simulating (stages use it to destroy intercepted threats).</param>
    /// <param name="cycle">Interval between cycles (the engine's step; default <see cref="ScenarioTrackerLag.DefaultCycle"/>): sets the nodes' out-of-sequence lag.</param>
    public CoalitionRun(ScenarioDefinition scenario, TrackerSettings tracker, SharingAgreements agreements, IReleaseAuditLog audit,
        IEnumerable<ICoalitionStage> stages, ExerciseEngine? engine = null, TimeSpan? cycle = null)
    {
        Scenario = scenario;
        Tracker = ScenarioTrackerLag.Apply(tracker, scenario, cycle ?? ScenarioTrackerLag.DefaultCycle);
        Engine = engine;
        Agreements = agreements;
        Clock = new CycleClock(scenario.Epoch);
        Policy = new ReleasePolicy(agreements, audit, Clock);
        Bus = new InProcessBus(Policy);
        _stages = [.. stages];
        var everyone = agreements.Nations.Union(scenario.Nations);
        var nodes = ImmutableSortedDictionary.CreateBuilder<Nation, NationalNode>();
        var markings = ImmutableDictionary.CreateBuilder<Nation, Marking>();
        foreach (var nation in scenario.Nations.Order())
        {
            nodes[nation] = new NationalNode(new NodeOptions
            {
                Nation = nation,
                Tracker = Tracker,
                NumberPlan = TrackNumberPlan.Default,
                ReleasableTo = everyone.Remove(nation),
                Agreements = agreements,
            });
            markings[nation] = new Marking(Classification.Secret, nation, everyone.Remove(nation));
            _own[nation] = [];
            _alerts[nation] = [];
            _engagements[nation] = [];
            _batchSequence[nation] = 0;
            // Capacity far above one cycle's traffic: publication never waits on a reader here,
            // because this run drains every subscription itself, synchronously, each cycle.
            _subscriptions[nation] = Bus.SubscribeAsync(nation, new SubscriptionOptions(1 << 22)).AsTask().GetAwaiter().GetResult();
        }

        _nodes = nodes.ToImmutable();
        _detectionMarking = markings.ToImmutable();
    }

    /// <summary>The scenario.</summary>
    public ScenarioDefinition Scenario { get; }

    /// <summary>
    /// The tracker settings every node runs: the given ones with the out-of-sequence lag raised to
    /// cover the scenario's reporting latencies (<see cref="ScenarioTrackerLag"/>).
    /// </summary>
    public TrackerSettings Tracker { get; }

    /// <summary>The nodes' out-of-sequence lag: the picture is this much later than the newest plot.</summary>
    public TimeSpan TrackerLag => TimeSpan.FromSeconds(Tracker.OutOfSequenceLagSeconds);

    /// <summary>The exercise engine when simulating, else null.</summary>
    public ExerciseEngine? Engine { get; }

    /// <summary>The agreements in force.</summary>
    public SharingAgreements Agreements { get; }

    /// <summary>The release policy every message passes.</summary>
    public ReleasePolicy Policy { get; }

    /// <summary>The in-process bus.</summary>
    public InProcessBus Bus { get; }

    /// <summary>Simulated time of the current cycle (drives the audit log's timestamps).</summary>
    public CycleClock Clock { get; }

    /// <summary>The nodes, by nation.</summary>
    public ImmutableSortedDictionary<Nation, NationalNode> Nodes => _nodes;

    /// <summary>The last cycle, or null before the first.</summary>
    public CoalitionCycle? LastCycle { get; private set; }

    /// <summary>Number of cycles run.</summary>
    public long Cycles { get; private set; }

    /// <summary>Alerts released to <paramref name="nation"/> by partners (its own are the defence stage's).</summary>
    public IReadOnlyList<AlertMessage> ReceivedAlerts(Nation nation) => _alerts[nation];

    /// <summary>Engagement messages released to <paramref name="nation"/> by partners.</summary>
    public IReadOnlyList<EngagementMessage> ReceivedEngagements(Nation nation) => _engagements[nation];

    /// <summary>
    /// Messages the bus delivered to <paramref name="to"/>'s node from sender <paramref name="from"/>
    /// of <paramref name="type"/> (any originator), counted as the node drained them.
    /// </summary>
    public long Deliveries(Nation to, Nation from, Network.Wire.MessageType type) =>
        _deliveries.Where(d => d.Key.To == to && d.Key.From == from && d.Key.Type == type).Sum(d => d.Value);

    /// <summary>Messages delivered to <paramref name="to"/> whose marking names <paramref name="originator"/> as originator, of <paramref name="type"/>.</summary>
    public long DeliveriesOriginatedBy(Nation to, Nation originator, Network.Wire.MessageType type) =>
        _deliveries.Where(d => d.Key.To == to && d.Key.Originator == originator && d.Key.Type == type).Sum(d => d.Value);

    /// <summary>Publishes a message from <paramref name="from"/>'s node through the release policy.</summary>
    public void Publish(Nation from, ICoalitionMessage message)
    {
        var pending = Bus.PublishAsync(from, message);
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }

    /// <inheritdoc />
    public void OnTruth(double time, ReadOnlySpan<TruthRecord> truth)
    {
        foreach (var stage in _stages)
        {
            stage.OnTruth(this, time, truth);
        }

        if (time > _lastCycle)
        {
            RunCycle(time);
        }
    }

    /// <inheritdoc />
    public void OnDetections(double time, ReadOnlySpan<Detection> detections)
    {
        foreach (ref readonly var d in detections)
        {
            if (_own.TryGetValue(d.Nation, out var list))
            {
                list.Add(d);
            }
        }

        foreach (var stage in _stages)
        {
            stage.OnDetections(this, time, detections);
        }

        if (time > _lastCycle)
        {
            RunCycle(time);
        }
    }

    /// <inheritdoc />
    public void OnEvent(SimulationEvent simulationEvent)
    {
        foreach (var stage in _stages)
        {
            stage.OnEvent(this, simulationEvent);
        }
    }

    private void RunCycle(double simTime)
    {
        _lastCycle = simTime;
        var time = Scenario.Epoch.AddSeconds(simTime);
        Clock.Now = time;

        // (1) own detections to own node, and shared as a batch (the policy decides who gets what).
        foreach (var (nation, node) in _nodes)
        {
            var own = _own[nation];
            if (own.Count == 0)
            {
                continue;
            }

            node.ReceiveDetections(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(own));
            Publish(nation, new DetectionBatch(nation, time, ++_batchSequence[nation], [.. own], _detectionMarking[nation]));
            own.Clear();
        }

        // (2) deliver, (3) step, (4) publish.
        DrainAll();
        var outputs = ImmutableSortedDictionary.CreateBuilder<Nation, NodeCycle>();
        foreach (var (nation, node) in _nodes)
        {
            outputs[nation] = node.Step(time);
        }

        foreach (var (nation, cycle) in outputs)
        {
            foreach (var notice in cycle.Notices)
            {
                Publish(nation, notice);
            }

            foreach (var report in cycle.Reports)
            {
                Publish(nation, report);
            }
        }

        // (5) stages, (6) deliver what they published.
        var result = new CoalitionCycle(time, simTime, outputs.ToImmutable());
        LastCycle = result;
        Cycles++;
        foreach (var stage in _stages)
        {
            stage.OnCycle(this, result);
        }

        DrainAll();
    }

    private void DrainAll()
    {
        foreach (var (nation, sub) in _subscriptions)
        {
            var node = _nodes[nation];
            while (sub.Reader.TryRead(out var delivery))
            {
                var key = (nation, delivery.From, delivery.Message.Marking.Originator, Network.Wire.MessageTypes.Of(delivery.Message));
                _deliveries[key] = _deliveries.GetValueOrDefault(key) + 1;
                switch (delivery.Message)
                {
                    case DetectionBatch b:
                        node.Receive(b);
                        break;
                    case TrackReport r:
                        node.Receive(r);
                        break;
                    case TrackNumberNotice n:
                        node.Receive(n);
                        break;
                    case AlertMessage a:
                        _alerts[nation].Add(a);
                        break;
                    case EngagementMessage e:
                        _engagements[nation].Add(e);
                        break;
                }
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var sub in _subscriptions.Values)
        {
            await sub.DisposeAsync().ConfigureAwait(false);
        }

        await Bus.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>A clock standing at the coalition's current cycle time (simulated, UTC).</summary>
internal sealed class CycleClock(DateTime epoch) : TimeProvider
{
    /// <summary>Current cycle time.</summary>
    public DateTime Now { get; set; } = epoch;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(DateTime.SpecifyKind(Now, DateTimeKind.Utc));
}
