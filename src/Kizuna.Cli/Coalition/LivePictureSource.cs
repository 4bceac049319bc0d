using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Network.Bus;
using Kizuna.Network.Messages;
using Kizuna.Server.Picture;
using Kizuna.Simulation.Engine;

namespace Kizuna.Cli.Coalition;

/// <summary>An <see cref="IDefenceView"/> with no alerts, no engagements and no authority (used until a defence stage runs).</summary>
internal sealed class NullDefenceView : IDefenceView
{
    /// <inheritdoc />
    public (TrackKind Kind, Affiliation Affiliation)? ClassificationOf(Nation viewer, TrackNumber track) => null;

    /// <summary>The instance.</summary>
    public static NullDefenceView Instance { get; } = new();

    private NullDefenceView()
    {
    }

    /// <inheritdoc />
    public IReadOnlyList<Alert> AlertsFor(Nation viewer) => [];

    /// <inheritdoc />
    public IReadOnlyList<Engagement> EngagementsFor(Nation viewer) => [];

    /// <inheritdoc />
    public EngagementDecisionResult Decide(string engagementId, Nation nation, ViewerRole role, bool approve) =>
        EngagementDecisionResult.Refused("no defence stage in this run");
}

/// <summary>
/// The live web picture of an embedded coalition run: a <see cref="ICoalitionStage"/> that copies
/// each nation's node picture after every cycle, and the <see cref="IPictureSource"/> the web server
/// reads (plus an <see cref="IEngagementAuthority"/> that hands decisions to the defence stage).
/// </summary>
/// <remarks>
/// <para><b>Views.</b> A scenario nation sees its own node's picture (<see cref="Network.Node.NodeCycle.Picture"/>)
/// and its alerts and engagements as <see cref="IDefenceView"/> gives them. A nation of the sharing
/// agreements without a node (GBR in the trilateral scenario) sees what the bus releases to it:
/// this stage subscribes to the bus for that nation, so the release policy (classification cap,
/// categories, position rounding, forwarding) decides, and the audit logs it. Its picture is the
/// latest <see cref="TrackReport"/> per track number, dropped after <see cref="RemoteTrackTimeout"/>
/// without a report; its alerts and engagements are the released <see cref="AlertMessage"/> and
/// <see cref="EngagementMessage"/>s. Under the trilateral agreements nothing reaches GBR (reports
/// are SECRET, the USA→GBR and AUS→GBR agreements cap at RESTRICTED), so GBR's picture is empty.</para>
/// <para><b>Threads.</b> The engine thread writes (the stage calls); server threads read. Each view
/// is one immutable object swapped under a short lock, so a reader always sees
/// one whole cycle. Deltas are sent on the engine thread, one at a time.</para>
/// <para><b>Clock.</b> The source paces the run itself (give the engine speed 0): after cycle t it
/// waits until the wall clock reaches anchor_wall + (t − anchor_sim) / speed, re-anchored at every
/// play or speed change, and waits without bound while paused. Speed 0 means unpaced (tests).
/// Seek is not possible in a live run (a replay can).</para>
/// </remarks>
internal sealed class LivePictureSource : ICoalitionStage, IPictureSource, IEngagementAuthority
{
    /// <summary>A track of a node-less nation's picture is dropped after this long without a report.</summary>
    public static readonly TimeSpan RemoteTrackTimeout = TimeSpan.FromSeconds(30);

    private readonly IDefenceView _defence;
    private readonly LivePictureSites _sites;
    private readonly TimeProvider _wall;
    private readonly DateTime _start;
    private readonly DateTime _end;
    private readonly object _gate = new(); // Monitor.Wait/Pulse pace the engine thread
    private readonly Dictionary<Nation, ViewState> _views = [];
    private readonly Dictionary<Nation, Working> _working = [];
    private readonly Dictionary<Nation, IBusSubscription> _remote = [];
    private ImmutableArray<Subscription> _subscribers = [];
    private ImmutableArray<Nation> _viewers = [];
    private DateTime _time;
    private bool _playing = true;
    private bool _finished;
    private double _speed;
    private long _anchorWall;
    private double _anchorSim;
    private double _anchorSimLast;

    /// <summary>Creates the source.</summary>
    /// <param name="start">Scenario epoch (UTC).</param>
    /// <param name="end">Planned end of the run (UTC).</param>
    /// <param name="sites">Map furniture with markings.</param>
    /// <param name="defence">Alerts, engagements and decisions (a <see cref="NullDefenceView"/> when there is no defence stage).</param>
    /// <param name="speed">Initial pacing: multiple of real time; 0 = as fast as possible.</param>
    /// <param name="wallClock">Wall clock for pacing.</param>
    public LivePictureSource(DateTime start, DateTime end, LivePictureSites sites, IDefenceView defence, double speed, TimeProvider wallClock)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(speed);
        _start = _time = start;
        _end = end;
        _sites = sites;
        _defence = defence;
        _speed = speed;
        _wall = wallClock;
        _anchorWall = wallClock.GetTimestamp();
    }

    /// <summary>Nations with a view (scenario nodes first, then node-less agreement nations), known after the first stage call.</summary>
    public ImmutableArray<Nation> Viewers
    {
        get
        {
            lock (_gate)
            {
                return _viewers;
            }
        }
    }

    /// <summary>Cycles seen.</summary>
    public long Cycles { get; private set; }

    /// <summary>Marks the run finished: the clock stops and pacing waits end.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            _finished = true;
            _playing = false;
            Monitor.PulseAll(_gate);
        }
    }

    /// <inheritdoc />
    public ClockState Clock
    {
        get
        {
            lock (_gate)
            {
                return new ClockState(_time, _playing, _speed, _start, _end, CanPause: !_finished, CanSeek: false);
            }
        }
    }

    /// <inheritdoc />
    public PictureSnapshot GetSnapshot(Nation viewer)
    {
        ViewState? view;
        lock (_gate)
        {
            _views.TryGetValue(viewer, out view);
        }

        var (sensors, assets, batteries) = _sites.For(viewer);
        return view is null
            ? new PictureSnapshot(Clock.Time, [], [], [], sensors, assets, batteries)
            : new PictureSnapshot(view.Time, view.Tracks, view.Alerts, view.Engagements, sensors, assets, batteries);
    }

    /// <inheritdoc />
    public IDisposable Subscribe(Nation viewer, Action<PictureDelta> onTick)
    {
        ArgumentNullException.ThrowIfNull(onTick);
        var s = new Subscription(this, viewer, onTick);
        lock (_gate)
        {
            _subscribers = _subscribers.Add(s);
        }

        return s;
    }

    /// <inheritdoc />
    public bool Control(ClockCommand command, out string reason)
    {
        lock (_gate)
        {
            if (_finished)
            {
                reason = "the run has finished";
                return false;
            }

            switch (command.Action)
            {
                case ClockAction.Play:
                    _playing = true;
                    Reanchor();
                    break;
                case ClockAction.Pause:
                    _playing = false;
                    break;
                case ClockAction.Speed when command.Speed is > 0 and <= 1000 && double.IsFinite(command.Speed):
                    _speed = command.Speed;
                    Reanchor();
                    break;
                case ClockAction.Speed:
                    reason = "speed must be in (0, 1000]";
                    return false;
                case ClockAction.Seek:
                    reason = "a live run cannot seek (replay its recording to seek)";
                    return false;
                default:
                    reason = "unknown command";
                    return false;
            }

            Monitor.PulseAll(_gate);
        }

        reason = "ok";
        return true;
    }

    /// <inheritdoc />
    public EngagementDecisionResult Decide(string engagementId, Nation nation, ViewerRole role, bool approve) =>
        _defence.Decide(engagementId, nation, role, approve);

    /// <inheritdoc />
    public void OnTruth(CoalitionRun run, double time, ReadOnlySpan<TruthRecord> truth) => EnsureViewers(run);

    /// <inheritdoc />
    public void OnCycle(CoalitionRun run, CoalitionCycle cycle)
    {
        EnsureViewers(run);
        Cycles++;
        foreach (var (nation, node) in cycle.Nodes)
        {
            Update(nation, cycle.Time, Classified(nation, node.Picture), _defence.AlertsFor(nation), _defence.EngagementsFor(nation));
        }

        foreach (var (nation, sub) in _remote)
        {
            var w = _working[nation];
            while (sub.Reader.TryRead(out var delivery))
            {
                switch (delivery.Message)
                {
                    case TrackReport r:
                        w.Remote[r.Number] = ToPictureTrack(r);
                        break;
                    case AlertMessage a:
                        w.RemoteAlerts[a.Alert.Id] = a.Alert;
                        break;
                    case EngagementMessage e:
                        w.RemoteEngagements[e.Engagement.Id] = e.Engagement;
                        break;
                }
            }

            var cutoff = cycle.Time - RemoteTrackTimeout;
            foreach (var stale in w.Remote.Where(kv => kv.Value.Time < cutoff).Select(kv => kv.Key).ToList())
            {
                w.Remote.Remove(stale);
            }

            Update(nation, cycle.Time, [.. w.Remote.Values.OrderBy(t => t.Number)],
                [.. w.RemoteAlerts.Values.OrderBy(a => a.Id, StringComparer.Ordinal)],
                [.. w.RemoteEngagements.Values.OrderBy(e => e.Id, StringComparer.Ordinal)]);
        }

        Pace(cycle.SimTime, cycle.Time);
    }

    /// <summary>Converts a released track report into a picture track (geodetic position, ENU velocity at the track).</summary>
    /// <remarks>σ = √max(P_xx, P_yy, P_zz) of the ECEF position covariance (a lower bound on the node's √λ_max(P)); ENU velocity v_enu = R(φ, λ) v_ecef (ECEF→ENU rotation at the track).</remarks>
    internal static PictureTrack ToPictureTrack(TrackReport r)
    {
        var geo = Wgs84.EcefToGeodetic(r.PositionEcef);
        var frame = new EnuFrame(geo);
        var p = r.PositionCovariance;
        var sigma = Math.Sqrt(Math.Max(p.M00, Math.Max(p.M11, p.M22)));
        return new PictureTrack(r.Number, r.Time, geo, frame.RotateToEnu(r.VelocityEcef), sigma, r.Quality, r.Kind, r.Affiliation, r.Reporter, r.Marking, r.Sensors, r.Identity);
    }

    private void EnsureViewers(CoalitionRun run)
    {
        if (!_viewers.IsDefaultOrEmpty)
        {
            return;
        }

        var viewers = ImmutableArray.CreateBuilder<Nation>();
        foreach (var nation in run.Nodes.Keys)
        {
            viewers.Add(nation);
            _working[nation] = new Working();
        }

        foreach (var nation in run.Agreements.Nations.Except(run.Nodes.Keys).Order())
        {
            viewers.Add(nation);
            _working[nation] = new Working();
            _remote[nation] = run.Bus.SubscribeAsync(nation, new SubscriptionOptions(1 << 20)).AsTask().GetAwaiter().GetResult();
        }

        lock (_gate)
        {
            _viewers = viewers.ToImmutable();
        }
    }

    /// <summary>The node's tracks with the viewer nation's own classification (kind, identity) where it has one.</summary>
    private ImmutableArray<PictureTrack> Classified(Nation nation, ImmutableArray<PictureTrack> tracks)
    {
        var result = ImmutableArray.CreateBuilder<PictureTrack>(tracks.Length);
        foreach (var t in tracks)
        {
            result.Add(_defence.ClassificationOf(nation, t.Number) is { } c && (c.Kind != t.Kind || c.Affiliation != t.Affiliation)
                ? t with { Kind = c.Kind, Affiliation = c.Affiliation }
                : t);
        }

        return result.MoveToImmutable();
    }

    private void Update(Nation nation, DateTime time, ImmutableArray<PictureTrack> tracks, IReadOnlyList<Alert> alerts, IReadOnlyList<Engagement> engagements)
    {
        var w = _working[nation];
        var changed = ImmutableArray.CreateBuilder<PictureTrack>();
        var seen = new HashSet<TrackNumber>();
        foreach (var t in tracks)
        {
            seen.Add(t.Number);
            if (!w.Tracks.TryGetValue(t.Number, out var before) || !before.Equals(t))
            {
                changed.Add(t);
                w.Tracks[t.Number] = t;
            }
        }

        var dropped = w.Tracks.Keys.Where(k => !seen.Contains(k)).ToImmutableArray();
        foreach (var k in dropped)
        {
            w.Tracks.Remove(k);
        }

        var changedAlerts = Changed(w.Alerts, alerts, static a => a.Id);
        var changedEngagements = Changed(w.Engagements, engagements, static e => e.Id);
        var view = new ViewState(time, tracks, [.. alerts], [.. engagements]);
        ImmutableArray<Subscription> subscribers;
        lock (_gate)
        {
            _views[nation] = view;
            _time = time;
            subscribers = _subscribers;
        }

        var delta = new PictureDelta(time, changed.ToImmutable(), dropped, changedAlerts, changedEngagements);
        foreach (var s in subscribers)
        {
            if (s.Viewer == nation)
            {
                s.OnTick(delta);
            }
        }
    }

    private static ImmutableArray<T> Changed<T>(Dictionary<string, T> known, IReadOnlyList<T> current, Func<T, string> id)
        where T : class
    {
        var changed = ImmutableArray.CreateBuilder<T>();
        foreach (var item in current)
        {
            var key = id(item);
            if (!known.TryGetValue(key, out var before) || !before.Equals(item))
            {
                known[key] = item;
                changed.Add(item);
            }
        }

        return changed.ToImmutable();
    }

    private void Pace(double simTime, DateTime time)
    {
        lock (_gate)
        {
            while (!_finished)
            {
                if (!_playing)
                {
                    Monitor.Wait(_gate);
                    continue;
                }

                if (_speed <= 0)
                {
                    break;
                }

                var due = TimeSpan.FromSeconds((simTime - _anchorSim) / _speed);
                var elapsed = _wall.GetElapsedTime(_anchorWall);
                if (elapsed >= due)
                {
                    break;
                }

                Monitor.Wait(_gate, due - elapsed);
            }

            _time = time;
            _anchorSimLast = simTime;
        }
    }

    private void Reanchor()
    {
        _anchorWall = _wall.GetTimestamp();
        _anchorSim = _anchorSimLast;
    }

    private void Unsubscribe(Subscription s)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Remove(s);
        }
    }

    private sealed record ViewState(DateTime Time, ImmutableArray<PictureTrack> Tracks, ImmutableArray<Alert> Alerts, ImmutableArray<Engagement> Engagements);

    private sealed class Working
    {
        public Dictionary<TrackNumber, PictureTrack> Tracks { get; } = [];

        public Dictionary<string, Alert> Alerts { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Engagement> Engagements { get; } = new(StringComparer.Ordinal);

        public Dictionary<TrackNumber, PictureTrack> Remote { get; } = [];

        public Dictionary<string, Alert> RemoteAlerts { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Engagement> RemoteEngagements { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Subscription(LivePictureSource owner, Nation viewer, Action<PictureDelta> onTick) : IDisposable
    {
        public Nation Viewer { get; } = viewer;

        public Action<PictureDelta> OnTick { get; } = onTick;

        public void Dispose() => owner.Unsubscribe(this);
    }
}
