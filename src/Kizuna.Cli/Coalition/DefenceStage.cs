using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Defence;
using Kizuna.Defence.Assignment;
using Kizuna.Defence.Classification;
using Kizuna.Defence.Command;
using Kizuna.Defence.Flyout;
using Kizuna.Defence.ThreatEvaluation;
using Kizuna.Defence.Warning;
using Kizuna.Defence.Weapons;
using Kizuna.Network.Messages;
using Kizuna.Network.Node;
using Kizuna.Server.Picture;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Motion;
using Kizuna.Tracking.Trackers;
using Kizuna.Tracking.Types;

namespace Kizuna.Cli.Coalition;

/// <summary>
/// Closes the defence loop in the coalition run: per nation, classification, threat evaluation and
/// early warning on that nation's own picture; joint planning on the joint commander's picture over
/// every nation's batteries; the command workflow with per-nation authority (pre-delegation,
/// simulated or human commanders); simulated interceptor flyout with outcomes drawn against truth;
/// kill assessment from the tracker; figures per raid and per nation (<see cref="DefenceFigures"/>).
/// </summary>
/// <remarks>
/// <para><b>Cycle</b> (every coalition cycle, on the engine's thread): (1) partner alerts and engagements
/// released to each nation since the last cycle are taken in; (2) the engagement simulator launches
/// due rounds and resolves intercepts — the outcome uses the <i>simulation oracle</i>: the target
/// track is matched to the Red truth object nearest to it (within <see cref="DefenceOptions.TruthGateM"/>),
/// and that object's true position at the intercept time decides "outside divert" (no object ⇒ miss);
/// a kill destroys the truth object; (3) rounds whose look time came are assessed from the joint
/// commander's picture: killed when the track is gone or its local track received no detection after
/// the intercept, else missed; (4) every <see cref="DefenceOptions.EvaluationInterval"/>: evaluation,
/// warning, planning and recommendation; (5) the simulated commanders decide; (6) recommendations
/// whose launch-by passed are withdrawn by the joint commander; (7) engagement changes are published
/// from their owning nation.</para>
/// <para><b>Track state.</b> A picture track backed by a local tracker track uses that track's full
/// 6×6 ECEF covariance at its own time; a remote-only picture track carries just its largest position
/// σ, so its state is N(x, σ²I₃ ⊕ σ_v²I₃) with σ_v = max(σ/5 s, 10 m/s) (a stated assumption).</para>
/// <para><b>Identification</b> (stand-in for the identification authority, which the simulation
/// has no other input for): a ballistic classification in free flight (confidence ≥ 0.9), or a
/// sea-skimming cruise classification (confidence ≥ 0.85: ≥ 150 m/s below 300 m, no ADS-B), is declared
/// <see cref="Affiliation.Hostile"/> and stays so for the track's life; everything else keeps the
/// classifier's affiliation (civil neutral, otherwise pending). Under weapons tight only hostile
/// tracks are engaged.</para>
/// <para><b>Decision delay in planning.</b> A battery whose owner did not pre-delegate its class is
/// planned as ready only after the expected decision delay (its launch is not planned before the
/// commander can have decided); pre-delegated batteries are planned at their true readiness.</para>
/// <para>Thread-safety: the engine thread and the web's <see cref="Decide"/> and views are serialised by one lock.</para>
/// </remarks>
internal sealed class DefenceStage : ICoalitionStage, IDefenceView
{
    private readonly object _gate = new();
    private readonly DefenceOptions _o;
    private readonly Simulation.Scenario.ScenarioDefinition _scenario;
    private readonly ThreatEvaluator _evaluator;
    private readonly EngagementPlanner _planner = new();
    private readonly ThreatScreen _screen = new();
    private readonly Dictionary<TrackNumber, ScreenVerdict> _suppressed = [];
    private readonly SortedDictionary<Nation, NationState> _nations = [];
    private readonly Dictionary<string, Vec3> _hostEcef = new(StringComparer.Ordinal);
    private readonly HashSet<string> _hosts;
    private readonly ImmutableHashSet<string> _delegatedBatteries;
    private readonly Dictionary<int, RedObject> _red = [];
    private HashSet<int> _alivePrevious = [];
    private HashSet<int> _aliveNow = [];
    private readonly Dictionary<TrackNumber, int> _trackTruth = [];
    private readonly Dictionary<string, string> _latestEngagementOfShot = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Engagement> _engagements = new(StringComparer.Ordinal);
    private readonly List<(string EngagementId, TrackNumber Threat, DateTime InterceptTime, Nation Owner)> _toAssess = [];
    private readonly List<LaunchRecord> _launches = [];
    private readonly List<InterceptRecord> _intercepts = [];
    private readonly Dictionary<string, int> _engagementTruth = new(StringComparer.Ordinal);
    private readonly Dictionary<(Nation Warned, int Truth), WarningRecord> _warnings = [];
    private readonly List<TrackNumber> _gone = [];
    private readonly Dictionary<int, (SimObject Object, Vec3 Position)> _allTruth = [];
    private readonly Dictionary<TrackNumber, List<KindChange>> _jfcKinds = [];
    private readonly Dictionary<TrackNumber, EngagedTrackTrace> _engagedTraces = [];
    private EngagementCoordinator? _coordinator;
    private EngagementSimulator? _simulator;
    private ImmutableArray<Battery> _initialBatteries = [];
    private DateTime _nextEvaluation = DateTime.MinValue;
    private CoalitionRun? _run;
    private double _lastTruthTime = double.NaN;

    /// <summary>Creates the stage for <paramref name="scenario"/>.</summary>
    public DefenceStage(Simulation.Scenario.ScenarioDefinition scenario, DefenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _scenario = scenario;
        _o = options ?? DefenceOptions.Default;
        _evaluator = new ThreatEvaluator(DefenceSetup.Assets(scenario));
        _hosts = [.. scenario.Batteries.Where(b => b.PlatformId is not null).Select(b => b.PlatformId!)];
        var delegated = DefenceSetup.PreDelegations(scenario);
        _delegatedBatteries = [.. scenario.Batteries
            .Where(b => delegated.Any(p => p.Nation == b.Nation && p.WeaponClass == DefenceSetup.WeaponClassOf(b.Weapon)))
            .Select(b => b.Id)];
        var identification = DefenceSetup.Identification(scenario);
        foreach (var n in scenario.Nations)
        {
            _nations[n] = new NationState(n, identification);
        }
    }

    /// <summary>The settings.</summary>
    public DefenceOptions Options => _o;

    /// <summary>The command workflow (null before the first truth sample).</summary>
    public EngagementCoordinator? Coordinator => _coordinator;

    /// <summary>The engagement simulator (null before the first truth sample).</summary>
    public EngagementSimulator? Simulator => _simulator;

    /// <summary>Batteries at the start of the run.</summary>
    public ImmutableArray<Battery> InitialBatteries => _initialBatteries;

    /// <inheritdoc />
    public void OnTruth(CoalitionRun run, double time, ReadOnlySpan<TruthRecord> truth)
    {
        lock (_gate)
        {
            _run = run;
            _aliveNow.Clear();
            foreach (ref readonly var r in truth)
            {
                var o = r.Object;
                _allTruth[o.Id] = (o, r.State.PositionEcef);
                if (o.IsRed)
                {
                    _aliveNow.Add(o.Id);
                    if (!_red.TryGetValue(o.Id, out var red))
                    {
                        red = new RedObject(o, RaidOf(o.Name), time);
                        _red[o.Id] = red;
                    }

                    red.LastTime = time;
                    red.LastPosition = r.State.PositionEcef;
                }
                else if (_hosts.Contains(o.Name))
                {
                    _hostEcef[o.Name] = r.State.PositionEcef;
                }
            }

            // A Red object that vanished without being destroyed ended its flight: impact (leaker) or arrival.
            foreach (var id in _alivePrevious)
            {
                if (!_aliveNow.Contains(id) && _red[id] is { Ended: false } red)
                {
                    red.Ended = true;
                    red.EndTime = time;
                }
            }

            (_alivePrevious, _aliveNow) = (_aliveNow, _alivePrevious);
            _lastTruthTime = time;
            if (_coordinator is null)
            {
                CreateWorkflow();
            }
        }
    }

    /// <inheritdoc />
    public void OnEvent(CoalitionRun run, SimulationEvent simulationEvent)
    {
        ArgumentNullException.ThrowIfNull(simulationEvent);
        if (simulationEvent.Kind != SimulationEventKind.Destroyed)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var red in _red.Values)
            {
                if (red.Object.Name == simulationEvent.Subject)
                {
                    red.Destroyed = true;
                }
            }
        }
    }

    /// <inheritdoc />
    public void OnCycle(CoalitionRun run, CoalitionCycle cycle)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(cycle);
        lock (_gate)
        {
            _run = run;
            if (_coordinator is null)
            {
                CreateWorkflow();
            }

            var now = cycle.Time;
            TakeReceived(run, now);

            // Assess first: a round whose launch is due at the look of an earlier round is launched only after that look's verdict.
            AssessFromPicture(run, now);
            StepEngagements(run, cycle);
            if (now >= _nextEvaluation)
            {
                _nextEvaluation = now + _o.EvaluationInterval;
                Evaluate(run, cycle);
            }

            SimulatedCommanders(now);
            WithdrawExpired(now);
            PublishEngagements(run);
        }
    }

    /// <inheritdoc />
    public (TrackKind Kind, Affiliation Affiliation)? ClassificationOf(Nation viewer, TrackNumber track)
    {
        lock (_gate)
        {
            return _nations.TryGetValue(viewer, out var s) && s.Kinds.TryGetValue(track, out var kind) && s.Identity.TryGetValue(track, out var identity)
                ? (kind, identity)
                : null;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Alert> AlertsFor(Nation viewer)
    {
        lock (_gate)
        {
            return _nations.TryGetValue(viewer, out var s)
                ? [.. s.Visible.Values.Where(a => a.State != AlertState.Cleared).OrderBy(a => a.Id, StringComparer.Ordinal)]
                : [];
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Engagement> EngagementsFor(Nation viewer)
    {
        lock (_gate)
        {
            if (!_nations.TryGetValue(viewer, out var s))
            {
                return [];
            }

            // Own engagements, plus partners' as released to this nation.
            return [.. _engagements.Values.Where(e => e.Owner == viewer)
                .Concat(s.ReceivedEngagements.Values.Where(e => e.Owner != viewer))
                .OrderBy(e => e.Id, StringComparer.Ordinal)];
        }
    }

    /// <inheritdoc />
    public EngagementDecisionResult Decide(string engagementId, Nation nation, ViewerRole role, bool approve)
    {
        if (role != ViewerRole.Commander)
        {
            return EngagementDecisionResult.Refused("only a national commander decides engagements");
        }

        lock (_gate)
        {
            if (_coordinator is null || _run is null)
            {
                return EngagementDecisionResult.Refused("the run has not started");
            }

            var now = _run.Clock.Now;
            var by = Actor.NationalCommander($"{nation.Code} AD commander (web)", nation);
            var r = approve ? _coordinator.Approve(engagementId, by, now) : _coordinator.Deny(engagementId, by, now, "denied from the web picture");
            PublishEngagements(_run);
            return r.Accepted ? EngagementDecisionResult.Done() : EngagementDecisionResult.Refused(r.Reason);
        }
    }

    /// <summary>The figures so far (per raid, per nation, totals).</summary>
    public DefenceFigures Figures()
    {
        lock (_gate)
        {
            return DefenceFigures.Compute(this);
        }
    }

    // ---- data the figures read (called under the lock) ----

    internal Simulation.Scenario.ScenarioDefinition Scenario => _scenario;

    internal IReadOnlyCollection<RedObject> RedObjects => _red.Values;

    internal IReadOnlyList<LaunchRecord> Launches => _launches;

    internal IReadOnlyList<InterceptRecord> Intercepts => _intercepts;

    internal IReadOnlyDictionary<(Nation Warned, int Truth), WarningRecord> Warnings => _warnings;

    internal IReadOnlyDictionary<string, int> EngagementTruth => _engagementTruth;

    /// <summary>Tracks the screen kept out of planning at least once, with the latest reason.</summary>
    internal IReadOnlyDictionary<TrackNumber, ScreenVerdict> Suppressed => _suppressed;

    internal IEnumerable<Nation> Nations => _nations.Keys;

    /// <summary>Diagnosis (oracle): per engaged track, its kind/identity history at the joint commander and the nearest truth object at each launch.</summary>
    internal IReadOnlyDictionary<TrackNumber, EngagedTrackTrace> EngagedTraces => _engagedTraces;

    private void NoteKind(TrackNumber track, DateTime now, TrackClassification c, Affiliation identity)
    {
        if (!_jfcKinds.TryGetValue(track, out var list))
        {
            list = [];
            _jfcKinds[track] = list;
        }

        if (list.Count == 0 || list[^1].Kind != c.Kind || list[^1].Identity != identity)
        {
            list.Add(new KindChange(now, c.Kind, c.Confidence, identity));
        }
    }

    /// <summary>Diagnosis only (never seen by the planner): the truth object of any side nearest to the engaged track at launch.</summary>
    private void TraceLaunch(CoalitionRun run, Engagement e)
    {
        var p = run.Nodes.TryGetValue(_o.JointCommander, out var jfc) ? jfc.Picture.FirstOrDefault(x => x.Number == e.Threat) : null;
        var name = "(track not in picture)";
        var kind = "";
        var distance = double.NaN;
        var speed = double.NaN;
        var height = double.NaN;
        if (p is not null)
        {
            var pos = Wgs84.GeodeticToEcef(p.Position);
            speed = p.VelocityEnu.Norm;
            height = p.Position.HeightM;
            distance = double.PositiveInfinity;
            foreach (var (o, x) in _allTruth.Values)
            {
                if (o.Kind is ObjectKind.Interceptor or ObjectKind.GroundSite)
                {
                    continue;
                }

                var d = (x - pos).Norm;
                if (d < distance)
                {
                    distance = d;
                    name = o.Name;
                    kind = (o.IsRed ? "red " : o.Kind == ObjectKind.CivilAircraft ? "civil " : "blue ") + o.Kind;
                }
            }
        }

        if (!_engagedTraces.TryGetValue(e.Threat, out var t))
        {
            var history = _jfcKinds.TryGetValue(e.Threat, out var h)
                ? string.Join(" > ", h.Select(k => $"{(k.Time - _scenario.Epoch).TotalSeconds:F0}s {k.Kind}/{k.Confidence:F2}/{k.Identity}"))
                : "";
            t = new EngagedTrackTrace(e.Threat, name, kind, distance, speed, height, history,
                TruthOf(run, e.Threat, e.Time) is { } id && _red.TryGetValue(id, out var red) ? red.Object.Name : "");
            _engagedTraces[e.Threat] = t;
        }

        t.Rounds++;
    }

    internal int AlertsIssuedBy(Nation nation) => _nations[nation].AlertsIssued;

    private void CreateWorkflow()
    {
        var hosts = _hostEcef.ToDictionary(kv => kv.Key, kv => Wgs84.EcefToGeodetic(kv.Value), StringComparer.Ordinal);
        _initialBatteries = DefenceSetup.Batteries(_scenario, hosts);
        _coordinator = new EngagementCoordinator(_initialBatteries, DefenceSetup.Roe(_scenario), DefenceSetup.PreDelegations(_scenario));
        _simulator = new EngagementSimulator(_coordinator, _initialBatteries,
            new EngagementSimulatorOptions(_o.Seed, _o.KillAssessmentTime, TimeSpan.FromSeconds(2), AutoOrder: true, AutoAssess: false));
    }

    private string RaidOf(string name)
    {
        foreach (var raid in _scenario.Raids)
        {
            if (name.StartsWith(raid.Id + "-", StringComparison.Ordinal))
            {
                return raid.Id;
            }
        }

        return "";
    }

    private void TakeReceived(CoalitionRun run, DateTime now)
    {
        foreach (var (nation, s) in _nations)
        {
            var alerts = run.ReceivedAlerts(nation);
            for (; s.AlertsTaken < alerts.Count; s.AlertsTaken++)
            {
                var a = alerts[s.AlertsTaken].Alert;
                s.Visible[a.Id + "@" + a.Marking.Originator.Code] = a;
                if (a.Warned == nation)
                {
                    NoteWarning(run, nation, a, now);
                }
            }

            var engagements = run.ReceivedEngagements(nation);
            for (; s.EngagementsTaken < engagements.Count; s.EngagementsTaken++)
            {
                var e = engagements[s.EngagementsTaken].Engagement;
                s.ReceivedEngagements[e.Id] = e;
            }
        }
    }

    private void NoteWarning(CoalitionRun run, Nation warned, Alert a, DateTime now)
    {
        if (a.State == AlertState.Cleared || TruthOf(run, a.Threat, now) is not { } truth)
        {
            return;
        }

        var key = (warned, truth);
        _warnings[key] = _warnings.TryGetValue(key, out var w)
            ? w with { LatestPredictedImpact = a.TimeOfImpact }
            : new WarningRecord(warned, truth, now, a.TimeOfImpact, a.Marking.Originator);
    }

    private void StepEngagements(CoalitionRun run, CoalitionCycle cycle)
    {
        var now = cycle.Time;
        _simulator!.UpdateInFlight(now, PredictedAt, UplinkCutoff, DivertFraction);
        var outcomes = _simulator.Step(now, (track, at) => TruthPositionAt(run, track, at, now));

        foreach (var o in outcomes)
        {
            var truth = TruthOf(run, o.Threat, now);
            var destroyed = false;
            if (o.Killed && truth is { } id && run.Engine is { } engine)
            {
                destroyed = engine.Destroy(id, (o.InterceptTime - _scenario.Epoch).TotalSeconds);
                if (destroyed)
                {
                    _red[id].Destroyed = true;
                }
            }

            _intercepts.Add(new InterceptRecord(o.EngagementId, o.Threat, truth ?? 0, o.InterceptTime, o.Killed, destroyed, o.Reason));
            var owner = _coordinator!.ShotOf(o.EngagementId)?.Owner ?? default;
            _toAssess.Add((o.EngagementId, o.Threat, o.InterceptTime, owner));
        }
    }

    /// <summary>Kill assessment by the tracker: at intercept + assessment time, the joint commander's picture decides.</summary>
    private void AssessFromPicture(CoalitionRun run, DateTime now)
    {
        if (_toAssess.Count == 0)
        {
            return;
        }

        var node = run.Nodes.TryGetValue(_o.JointCommander, out var jfc) ? jfc : run.Nodes.Values.First();
        for (var k = 0; k < _toAssess.Count; k++)
        {
            var (id, threat, intercept, owner) = _toAssess[k];
            if (now < intercept + _o.KillAssessmentTime)
            {
                continue;
            }

            var continues = false;
            if (node.Picture.Any(p => p.Number == threat))
            {
                continues = true;
                foreach (var t in node.Tracker.Tracks)
                {
                    if (node.NumberOfLocalTrack(t.Id) == threat)
                    {
                        continues = t.LastUpdate > intercept + TimeSpan.FromSeconds(1);
                        break;
                    }
                }
            }

            _coordinator!.Assess(id, !continues, Actor.SystemOf(owner), now);
            if (continues)
            {
                _screen.NoteMiss(threat, intercept);
            }

            _toAssess.RemoveAt(k);
            k--;
        }
    }

    private void Evaluate(CoalitionRun run, CoalitionCycle cycle)
    {
        var now = cycle.Time;
        ImmutableArray<ThreatAssessment> jfcAssessments = [];
        foreach (var (nation, nodeCycle) in cycle.Nodes)
        {
            if (!_nations.TryGetValue(nation, out var s))
            {
                continue;
            }

            var node = run.Nodes[nation];
            var local = new Dictionary<TrackNumber, Track>();
            foreach (var t in node.Tracker.Tracks)
            {
                if (t.IsConfirmed && node.NumberOfLocalTrack(t.Id) is { IsAssigned: true } n)
                {
                    local[n] = t;
                }
            }

            var tracks = new List<ThreatTrack>(nodeCycle.Picture.Length);
            var present = new HashSet<TrackNumber>();
            foreach (var p in nodeCycle.Picture)
            {
                present.Add(p.Number);
                var c = s.Classifier.Classify(p);
                var identity = Identify(s, p, c);
                s.Kinds[p.Number] = c.Kind;
                if (nation == _o.JointCommander)
                {
                    NoteKind(p.Number, now, c, identity);
                }
                GaussianState state;
                DateTime time;
                if (local.TryGetValue(p.Number, out var lt))
                {
                    state = lt.State;
                    time = lt.Time;
                }
                else
                {
                    var frame = new EnuFrame(p.Position);
                    var sv = Math.Max(p.PositionSigmaM / 5, 10);
                    state = GaussianState.FromPositionVelocity(frame.OriginEcef, frame.RotateToEcef(p.VelocityEnu), p.PositionSigmaM * p.PositionSigmaM, sv * sv);
                    time = p.Time;
                }

                tracks.Add(new ThreatTrack(p.Number, time, state, c.Kind, identity));
            }

            _gone.Clear();
            _gone.AddRange(s.Identity.Keys.Where(k => !present.Contains(k)));
            foreach (var k in _gone)
            {
                s.Identity.Remove(k);
                s.Kinds.Remove(k);
                s.Classifier.Remove(k);
                s.Identification.Remove(k);
            }

            var assessments = _evaluator.Evaluate(tracks);
            foreach (var alert in s.Warnings.Step(now, assessments))
            {
                s.Visible[alert.Id + "@" + nation.Code] = alert;
                if (alert.State == AlertState.Issued)
                {
                    s.AlertsIssued++;
                }

                if (alert.Warned == nation)
                {
                    NoteWarning(run, nation, alert, now);
                }

                if (alert.Warned != nation)
                {
                    run.Publish(nation, new AlertMessage(alert));
                }
            }

            if (nation == _o.JointCommander)
            {
                jfcAssessments = assessments;
                foreach (var a in assessments)
                {
                    _latestPath[a.Threat.Track] = a.Threat.Path;
                }
            }
        }

        if (_nations.TryGetValue(_o.JointCommander, out var jfcState))
        {
            CancelNoLongerPermitted(now, jfcState);
            Plan(run, now, jfcAssessments, jfcState);
        }
    }

    private static Affiliation Identify(NationState s, PictureTrack track, TrackClassification c)
    {
        var identity = s.Identification.Identify(track, c);
        s.Identity[track.Number] = identity;
        return identity;
    }

    private void Plan(CoalitionRun run, DateTime now, ImmutableArray<ThreatAssessment> assessments, NationState jfc)
    {
        if (assessments.IsDefaultOrEmpty)
        {
            return;
        }

        var looks = _coordinator!.PendingLooks(_o.KillAssessmentTime);
        var screened = _screen.Screen(now, [.. assessments.Select(a => a.Threat)], looks.Keys.ToHashSet(), _coordinator.KilledThreats(), jfc.Identity);
        var threats = screened.Eligible;
        foreach (var (track, verdict) in screened.Suppressed)
        {
            _suppressed[track] = verdict;
        }

        var delay = _o.DecisionDelay ?? TimeSpan.Zero;
        var batteries = new List<Battery>();
        foreach (var b in _simulator!.Batteries)
        {
            var def = _scenario.Batteries.First(d => d.Id == b.Id);
            var x = b;
            if (def.PlatformId is { } host && _hostEcef.TryGetValue(host, out var ecef))
            {
                x = x with { Position = Wgs84.EcefToGeodetic(ecef) };
            }

            if (!_delegatedBatteries.Contains(b.Id) && x.ReadyTime < now + delay)
            {
                x = x with { ReadyTime = now + delay };
            }

            batteries.Add(x);
        }

        var plan = _planner.Plan(now, threats, batteries, _coordinator.Roe, jfc.Identity, _coordinator.CommittedSurvival(), looks);
        var jointCommander = Actor.JointCommander($"{_o.JointCommander.Code} joint force commander", _o.JointCommander);
        foreach (var shot in plan.Shots)
        {
            if (_latestEngagementOfShot.TryGetValue(shot.Id, out var last) && _coordinator.Get(last) is { } e
                && e.Status is not (EngagementStatus.Killed or EngagementStatus.Missed or EngagementStatus.Cancelled))
            {
                continue;
            }

            var identity = jfc.Identity.TryGetValue(shot.Threat, out var i) ? i : Affiliation.Pending;
            var r = _coordinator.Recommend(shot, identity, jointCommander, now);
            if (r.Accepted && r.Engagement is { } rec)
            {

                _latestEngagementOfShot[shot.Id] = rec.Id;
                if (TruthOf(run, shot.Threat, now) is { } truth)
                {
                    _engagementTruth[rec.Id] = truth;
                }
            }
        }
    }

    /// <summary>
    /// Rounds not yet launched at a track whose identity the ROE no longer permits (a revoked hostile
    /// declaration) are cancelled by the owner's system function.
    /// </summary>
    private void CancelNoLongerPermitted(DateTime now, NationState jfc)
    {
        foreach (var e in _coordinator!.Current.Where(e => e.Status is EngagementStatus.Recommended or EngagementStatus.Approved or EngagementStatus.Ordered).ToList())
        {
            if (jfc.Identity.TryGetValue(e.Threat, out var identity) && _coordinator.ShotOf(e.Id) is { } shot
                && !_coordinator.Roe.Permits(e.Owner, shot.InterceptPointEcef, identity))
            {
                _coordinator.Cancel(e.Id, Actor.SystemOf(e.Owner), now, $"threat identity now {identity}");
            }
        }
    }

    private void SimulatedCommanders(DateTime now)
    {
        if (_o.DecisionDelay is not { } delay)
        {
            return;
        }

        foreach (var e in _coordinator!.Current.Where(e => e.Status == EngagementStatus.Recommended && now - e.Time >= delay).ToList())
        {
            _coordinator.Approve(e.Id, Actor.NationalCommander($"{e.Owner.Code} AD commander (simulated)", e.Owner), now);
        }
    }

    private void WithdrawExpired(DateTime now)
    {
        var jointCommander = Actor.JointCommander($"{_o.JointCommander.Code} joint force commander", _o.JointCommander);
        foreach (var e in _coordinator!.Current.Where(e => e.Status == EngagementStatus.Recommended).ToList())
        {
            if (_coordinator.ShotOf(e.Id) is { } shot && now > shot.LaunchBy)
            {
                _coordinator.Cancel(e.Id, jointCommander, now, "window closed before a decision");
            }
        }
    }

    private void PublishEngagements(CoalitionRun run)
    {
        foreach (var e in _coordinator!.TakeEmitted())
        {
            _engagements[e.Id] = e;
            if (e.Status == EngagementStatus.Executing)
            {
                _launches.Add(new LaunchRecord(e.Id, e.Owner, e.BatteryId, e.Threat, e.Time));
                TraceLaunch(run, e);
                if (!_engagementTruth.ContainsKey(e.Id) && TruthOf(run, e.Threat, e.Time) is { } truth)
                {
                    _engagementTruth[e.Id] = truth;
                }
            }

            run.Publish(e.Owner, new EngagementMessage(e));
        }
    }

    /// <summary>Simulation oracle: the Red truth object a track stands for (nearest alive Red object within the gate), cached per track number.</summary>
    private int? TruthOf(CoalitionRun run, TrackNumber track, DateTime now)
    {
        if (_trackTruth.TryGetValue(track, out var cached))
        {
            return cached;
        }

        PictureTrack? p = null;
        if (run.Nodes.TryGetValue(_o.JointCommander, out var jfc))
        {
            p = jfc.Picture.FirstOrDefault(x => x.Number == track);
        }

        p ??= run.Nodes.Values.Select(n => n.Picture.FirstOrDefault(x => x.Number == track)).FirstOrDefault(x => x is not null);
        if (p is null)
        {
            return null;
        }

        var pos = Wgs84.GeodeticToEcef(p.Position);
        var t = (now - _scenario.Epoch).TotalSeconds;
        var best = _o.TruthGateM;
        int? found = null;
        foreach (var red in _red.Values)
        {
            if (red.Object.Kind is not (ObjectKind.BallisticMissile or ObjectKind.CruiseMissile or ObjectKind.Aircraft))
            {
                continue;
            }

            var at = red.Object.Trajectory.TryGetState(t, out var s) ? s.PositionEcef : red.LastPosition;
            if (!red.Object.Trajectory.TryGetState(t, out _) && Math.Abs(red.LastTime - t) > 2)
            {
                continue;
            }

            var d = (at - pos).Norm;
            if (d < best)
            {
                best = d;
                found = red.Object.Id;
            }
        }

        if (found is { } id)
        {
            _trackTruth[track] = id;
        }

        return found;
    }

    /// <summary>No in-flight update closer than this to the intercept (notional terminal homing takes over).</summary>
    internal static readonly TimeSpan UplinkCutoff = TimeSpan.FromSeconds(3);

    /// <summary>Notional lateral correction capability, as a fraction of the average flyout speed.</summary>
    internal const double DivertFraction = 0.2;

    private readonly Dictionary<TrackNumber, IThreatPath> _latestPath = [];

    /// <summary>The joint commander's latest predicted position of a threat at a time (the in-flight uplink).</summary>
    private Vec3? PredictedAt(TrackNumber track, DateTime at) =>
        _latestPath.TryGetValue(track, out var path) && at >= path.Start && at <= path.End ? path.PositionEcefAt(at) : null;

    private Vec3? TruthPositionAt(CoalitionRun run, TrackNumber track, DateTime at, DateTime now)
    {
        // No true object behind the track (or it no longer exists): a position no interceptor can reach, so the round misses.
        if (TruthOf(run, track, now) is not { } id || !_red[id].Object.Trajectory.TryGetState((at - _scenario.Epoch).TotalSeconds, out var s))
        {
            return Vec3.Zero;
        }

        return s.PositionEcef;
    }

    private sealed class NationState(Nation nation, IdentificationOptions identification)
    {
        public KinematicClassifier Classifier { get; } = new();

        public HostileIdentification Identification { get; } = new(identification);

        public WarningService Warnings { get; } = new(new WarningOptions(nation));

        public Dictionary<TrackNumber, Affiliation> Identity { get; } = [];

        public Dictionary<TrackNumber, TrackKind> Kinds { get; } = [];

        public Dictionary<string, Alert> Visible { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Engagement> ReceivedEngagements { get; } = new(StringComparer.Ordinal);

        public int AlertsTaken { get; set; }

        public int EngagementsTaken { get; set; }

        public int AlertsIssued { get; set; }
    }
}

/// <summary>A Red truth object as the defence stage followed it.</summary>
internal sealed class RedObject(SimObject o, string raid, double firstSeen)
{
    public SimObject Object { get; } = o;

    public string Raid { get; } = raid;

    public double FirstSeen { get; } = firstSeen;

    public double LastTime { get; set; }

    public Vec3 LastPosition { get; set; }

    public bool Ended { get; set; }

    public double EndTime { get; set; }

    public bool Destroyed { get; set; }

    /// <summary>Ended its flight without being destroyed: a missile that reached the ground (a leaker).</summary>
    public bool Leaked => Ended && !Destroyed && Object.Kind is ObjectKind.BallisticMissile or ObjectKind.CruiseMissile;
}

/// <summary>A change of a track's kind or identity at the joint commander.</summary>
internal readonly record struct KindChange(DateTime Time, TrackKind Kind, double Confidence, Affiliation Identity);

/// <summary>Diagnosis of one engaged track (oracle; at its first launch): nearest truth object, kinematics, kind history, oracle attribution.</summary>
internal sealed class EngagedTrackTrace(TrackNumber track, string nearest, string nearestKind, double distanceM, double speed, double height, string history, string oracle)
{
    public TrackNumber Track { get; } = track;

    public string Nearest { get; } = nearest;

    public string NearestKind { get; } = nearestKind;

    public double DistanceM { get; } = distanceM;

    public double SpeedMs { get; } = speed;

    public double HeightM { get; } = height;

    public string History { get; } = history;

    public string Oracle { get; } = oracle;

    public int Rounds { get; set; }
}

/// <summary>One interceptor launch.</summary>
internal sealed record LaunchRecord(string EngagementId, Nation Owner, string BatteryId, TrackNumber Threat, DateTime Time);

/// <summary>One resolved intercept (truth 0 when no truth object was matched).</summary>
internal sealed record InterceptRecord(string EngagementId, TrackNumber Threat, int Truth, DateTime Time, bool Killed, bool Destroyed, string Reason);

/// <summary>First warning of a nation about one Red object, and the latest predicted impact.</summary>
internal sealed record WarningRecord(Nation Warned, int Truth, DateTime FirstIssued, DateTime LatestPredictedImpact, Nation FirstIssuer);
