using System.Collections.Concurrent;
using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Network.Messages;
using Kizuna.Network.Sharing;
using Kizuna.Network.Wire;
using Kizuna.Recording;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Motion;

namespace Kizuna.Cli.Coalition;

/// <summary>
/// Records a coalition run into a <see cref="RunRecorder"/> (docs/recording.md): truth objects and
/// truth (at most every <see cref="TruthInterval"/>), every detection, each node's picture tracks
/// (every <see cref="TrackInterval"/>), alerts and engagements on every change (from
/// <see cref="IDefenceView"/>), decisions taken from the web, every release decision (this stage is
/// also the run's <see cref="IReleaseAuditLog"/>, passing each entry on to an inner log), and events:
/// launch, intercept (the engine's <c>Destroyed</c>), and impact (a threat whose truth ends without
/// being destroyed, stamped at its last truth sample).
/// </summary>
/// <remarks>
/// Called on the engine thread only, except <see cref="RecordDecision"/> and
/// <see cref="Record(in ReleaseAuditEntry)"/> which may come from any thread
/// (<see cref="RunRecorder"/> is thread-safe). Record calls only enqueue; SQLite writes happen on the
/// recorder's own thread.
/// </remarks>
internal sealed class RecordingStage : ICoalitionStage, IReleaseAuditLog
{
    private readonly RunRecorder _recorder;
    private readonly IReleaseAuditLog _inner;
    private readonly IDefenceView _defence;
    private readonly DateTime _epoch;
    private readonly HashSet<int> _knownObjects = [];
    private readonly Dictionary<int, (string Name, bool IsThreat)> _objects = [];
    private readonly Dictionary<string, int> _idByName = new(StringComparer.Ordinal);
    private readonly HashSet<int> _destroyed = [];
    private readonly Dictionary<int, double> _lastSeen = [];
    private readonly HashSet<int> _present = [];
    private readonly Dictionary<(string Id, Nation Warned), Alert> _alerts = [];
    private readonly ConcurrentDictionary<Nation, string> _originatorText = new();
    private readonly Dictionary<string, Engagement> _engagements = new(StringComparer.Ordinal);
    private double _lastTruth = double.NegativeInfinity;
    private double _lastTracks = double.NegativeInfinity;

    /// <summary>Creates the stage.</summary>
    /// <param name="recorder">Where rows go (owned by the caller).</param>
    /// <param name="epoch">Scenario epoch (UTC).</param>
    /// <param name="defence">Alerts and engagements per nation.</param>
    /// <param name="inner">The run's other audit log (entries are passed on).</param>
    public RecordingStage(RunRecorder recorder, DateTime epoch, IDefenceView defence, IReleaseAuditLog inner)
    {
        _recorder = recorder;
        _epoch = epoch;
        _defence = defence;
        _inner = inner;
    }

    /// <summary>Minimum simulated interval between recorded truth samples (s); default 1 (1 Hz).</summary>
    public double TruthInterval { get; init; } = 1.0;

    /// <summary>Minimum simulated interval between recorded picture-track cycles (s); 0 records every cycle.</summary>
    public double TrackInterval { get; init; } = 2.0;

    /// <summary>Picture-track rows queued so far.</summary>
    public long TrackRows { get; private set; }

    /// <summary>The recorder.</summary>
    public RunRecorder Recorder => _recorder;

    /// <inheritdoc />
    public void OnTruth(CoalitionRun run, double time, ReadOnlySpan<TruthRecord> truth)
    {
        var stamp = _epoch.AddSeconds(time);
        _present.Clear();
        foreach (ref readonly var r in truth)
        {
            var o = r.Object;
            _present.Add(o.Id);
            _lastSeen[o.Id] = time;
            if (_knownObjects.Add(o.Id))
            {
                var threat = o.IsRed && o.Kind is ObjectKind.BallisticMissile or ObjectKind.CruiseMissile;
                _objects[o.Id] = (o.Name, threat);
                _idByName[o.Name] = o.Id;
                _recorder.RecordTruthObject(new TruthObjectRecord(o.Id, o.Name, o.Kind.ToString(), threat));
            }
        }

        // A threat seen before and absent now ended: destroyed (intercept event already written) or impact.
        foreach (var (id, (name, threat)) in _objects)
        {
            if (threat && !_present.Contains(id) && _lastSeen.TryGetValue(id, out var last) && last >= 0 && !_destroyed.Contains(id))
            {
                _recorder.RecordEvent(new RunEventRecord(_epoch.AddSeconds(last), RunEventKinds.Impact, name, id, "truth ended without intercept"));
                _destroyed.Add(id);
            }
        }

        if (time - _lastTruth < TruthInterval - 1e-9)
        {
            return;
        }

        _lastTruth = time;
        foreach (ref readonly var r in truth)
        {
            _recorder.RecordTruth(new TruthState(stamp, r.Object.Id, r.State.PositionEcef, r.State.VelocityEcef, r.Object.Icao));
        }
    }

    /// <inheritdoc />
    public void OnDetections(CoalitionRun run, double time, ReadOnlySpan<Detection> detections) => _recorder.RecordDetections(detections);

    /// <inheritdoc />
    public void OnEvent(CoalitionRun run, SimulationEvent simulationEvent)
    {
        var time = _epoch.AddSeconds(simulationEvent.Time);
        var id = _idByName.GetValueOrDefault(simulationEvent.Subject);
        switch (simulationEvent.Kind)
        {
            case SimulationEventKind.Launch:
                _recorder.RecordEvent(new RunEventRecord(time, RunEventKinds.Launch, simulationEvent.Subject, id));
                break;
            case SimulationEventKind.Destroyed:
                if (id != 0)
                {
                    _destroyed.Add(id);
                }

                _recorder.RecordEvent(new RunEventRecord(time, RunEventKinds.Intercept, simulationEvent.Subject, id, "destroyed"));
                break;
            default:
                _recorder.RecordEvent(new RunEventRecord(time, simulationEvent.Kind.ToString(), simulationEvent.Subject, id));
                break;
        }
    }

    /// <inheritdoc />
    public void OnCycle(CoalitionRun run, CoalitionCycle cycle)
    {
        if (cycle.SimTime - _lastTracks >= TrackInterval - 1e-9)
        {
            _lastTracks = cycle.SimTime;
            foreach (var (nation, node) in cycle.Nodes)
            {
                foreach (var t in node.Picture)
                {
                    _recorder.RecordTrack(nation, t);
                }

                TrackRows += node.Picture.Length;
            }
        }

        foreach (var nation in cycle.Nodes.Keys)
        {
            foreach (var a in _defence.AlertsFor(nation))
            {
                var key = (a.Id, a.Warned);
                if (!_alerts.TryGetValue(key, out var before) || !before.Equals(a))
                {
                    _alerts[key] = a;
                    _recorder.RecordAlert(a);
                }
            }

            foreach (var e in _defence.EngagementsFor(nation))
            {
                if (!_engagements.TryGetValue(e.Id, out var before) || before.Status != e.Status || before.Time != e.Time)
                {
                    _engagements[e.Id] = e;
                    _recorder.RecordEngagement(e);
                }
            }
        }
    }

    /// <summary>Records a decision taken in the web picture.</summary>
    public void RecordDecision(DecisionRecord decision) => _recorder.RecordDecision(decision);

    /// <inheritdoc />
    public void Record(in ReleaseAuditEntry entry)
    {
        _inner.Record(entry);
        // No allocation per decision: the item id is one cached string per originator, the reason is
        // the policy's own string (stored once per blob by the recorder's string table).
        var itemId = _originatorText.GetOrAdd(entry.Originator, static n => "originator " + n.Code);
        _recorder.RecordRelease(entry.DecidedAt, entry.From, entry.To, MessageTypes.SubjectToken(entry.Type), itemId, entry.Allowed, entry.Reason);
    }

    /// <summary>The run metadata of a demo recording.</summary>
    public static RunMetadata Metadata(Simulation.Scenario.ScenarioDefinition scenario, string scenarioFile) =>
        new(scenario.Name, scenario.Seed, scenario.Epoch, [.. scenario.Nations.Order()],
            "kizuna " + typeof(RecordingStage).Assembly.GetName().Version, $"kizuna demo --scenario {scenarioFile}");

    /// <summary>Defended assets of <paramref name="scenario"/> as recording rows.</summary>
    public static ImmutableArray<DefendedAssetRecord> Assets(Simulation.Scenario.ScenarioDefinition scenario) =>
        [.. scenario.DefendedAssets.Select(a => new DefendedAssetRecord(a.Name, a.Nation, a.Position))];
}
