using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Recording;
using Kizuna.Server.Picture;

namespace Kizuna.Cli.Coalition;

/// <summary>
/// A run recording served as a picture (<c>kizuna replay</c>, and <c>kizuna demo</c> after its run):
/// each viewer sees the picture its nation's node recorded, at the replay clock's time, with
/// play / pause / speed / seek. Decisions are refused (a recording is history).
/// </summary>
/// <remarks>
/// <para>The picture at t is <see cref="RunReader.PictureAt"/>(viewer, t) (latest state of each track at
/// or before t, dropped after 30 s without an update), alerts are the latest issue of each alert at
/// or before t released to the viewer, and engagements <see cref="RunReader.EngagementStatesAt"/>(t)
/// released to the viewer. A seek computes that picture and sends it as a resync; play advances the
/// clock by wall-elapsed × speed per <see cref="Advance"/> and sends, per viewer, the tracks whose state
/// changed since the last tick and the ones that left the picture (a diff of consecutive
/// <see cref="RunReader.PictureAt"/> results, so play and seek can never disagree).</para>
/// <para>A nation with no recorded picture (GBR in the trilateral run) sees an empty picture.
/// Thread safety: every member may be called from any thread (one lock around the reader).</para>
/// </remarks>
internal sealed class ReplayPictureSource : IPictureSource, IEngagementAuthority
{
    private readonly Lock _gate = new();
    private readonly RunReader _reader;
    private readonly RunTimeRange _range;
    private readonly ImmutableArray<DefendedAssetSite> _assets;
    private readonly Dictionary<Nation, Dictionary<TrackNumber, PictureTrack>> _sent = [];
    private readonly Dictionary<Nation, Dictionary<string, object>> _sentItems = [];
    private ImmutableArray<Subscription> _subscribers = [];
    private DateTime _time;
    private bool _playing;
    private double _speed;

    /// <summary>Opens a replay of <paramref name="reader"/> (owned by the caller) at the start of the run.</summary>
    /// <param name="reader">The recording.</param>
    /// <param name="speed">Initial speed (multiple of real time).</param>
    /// <param name="playing">True to start playing.</param>
    public ReplayPictureSource(RunReader reader, double speed = 20, bool playing = true)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _range = reader.TimeRange();
        _time = _range.Start;
        _speed = speed;
        _playing = playing;
        var nations = reader.Metadata.Nations.ToImmutableSortedSet().Add(Nation.UnitedKingdom);
        _assets = [.. reader.Assets().Select(a => new DefendedAssetSite(a.Name, a.Nation, a.Position, 10_000,
            new Marking(Classification.Secret, a.Nation, nations.Remove(a.Nation))))];
    }

    /// <summary>The recorded run's time range.</summary>
    public RunTimeRange Range => _range;

    /// <inheritdoc />
    public ClockState Clock
    {
        get
        {
            lock (_gate)
            {
                return new ClockState(_time, _playing, _speed, _range.Start, _range.End, CanPause: true, CanSeek: true);
            }
        }
    }

    /// <inheritdoc />
    public PictureSnapshot GetSnapshot(Nation viewer)
    {
        lock (_gate)
        {
            return SnapshotAt(viewer, _time);
        }
    }

    /// <inheritdoc />
    public IDisposable Subscribe(Nation viewer, Action<PictureDelta> onTick)
    {
        ArgumentNullException.ThrowIfNull(onTick);
        var s = new Subscription(this, viewer, onTick);
        lock (_gate)
        {
            if (!_sent.ContainsKey(viewer))
            {
                var snap = SnapshotAt(viewer, _time);
                _sent[viewer] = snap.Tracks.ToDictionary(t => t.Number);
                _sentItems[viewer] = Items(snap);
            }

            _subscribers = _subscribers.Add(s);
        }

        return s;
    }

    /// <inheritdoc />
    public bool Control(ClockCommand command, out string reason)
    {
        lock (_gate)
        {
            switch (command.Action)
            {
                case ClockAction.Play:
                    _playing = true;
                    if (_time >= _range.End)
                    {
                        _time = _range.Start;
                        Tick(resync: true);
                    }

                    break;
                case ClockAction.Pause:
                    _playing = false;
                    break;
                case ClockAction.Speed when command.Speed is > 0 and <= 1000 && double.IsFinite(command.Speed):
                    _speed = command.Speed;
                    break;
                case ClockAction.Speed:
                    reason = "speed must be in (0, 1000]";
                    return false;
                case ClockAction.Seek:
                    var to = command.SeekTo.ToUniversalTime();
                    _time = to < _range.Start ? _range.Start : to > _range.End ? _range.End : to;
                    Tick(resync: true);
                    break;
                default:
                    reason = "unknown command";
                    return false;
            }
        }

        reason = "ok";
        return true;
    }

    /// <inheritdoc />
    public EngagementDecisionResult Decide(string engagementId, Nation nation, ViewerRole role, bool approve) =>
        EngagementDecisionResult.Refused("a replay cannot decide: the recording is history");

    /// <summary>Advances the replay clock by <paramref name="wallElapsed"/> × speed (when playing) and sends one delta per subscribed viewer.</summary>
    public void Advance(TimeSpan wallElapsed)
    {
        lock (_gate)
        {
            if (!_playing)
            {
                return;
            }

            var next = _time + TimeSpan.FromTicks((long)(wallElapsed.Ticks * _speed));
            if (next >= _range.End)
            {
                next = _range.End;
                _playing = false;
            }

            _time = next;
            Tick(resync: false);
        }
    }

    /// <summary>Calls <see cref="Advance"/> every <paramref name="tick"/> of <paramref name="wallClock"/> until cancelled.</summary>
    public async Task RunAsync(TimeProvider wallClock, TimeSpan tick, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(tick, wallClock);
        var last = wallClock.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = wallClock.GetTimestamp();
                Advance(wallClock.GetElapsedTime(last, now));
                last = now;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private PictureSnapshot SnapshotAt(Nation viewer, DateTime t)
    {
        var tracks = _reader.PictureAt(viewer, t).OrderBy(x => x.Number).ToImmutableArray();
        var alerts = _reader.AlertsUpTo(t)
            .Where(a => a.Marking.IsReleasableTo(viewer))
            .GroupBy(a => (a.Id, a.Warned))
            .Select(g => g.Last())
            .Where(a => a.State != AlertState.Cleared)
            .OrderBy(a => a.Id, StringComparer.Ordinal)
            .ToImmutableArray();
        var engagements = _reader.EngagementStatesAt(t).Where(e => e.Marking.IsReleasableTo(viewer)).OrderBy(e => e.Id, StringComparer.Ordinal).ToImmutableArray();
        return new PictureSnapshot(t, tracks, alerts, engagements, [], [.. _assets.Where(a => a.Marking.IsReleasableTo(viewer))], []);
    }

    private static Dictionary<string, object> Items(PictureSnapshot s)
    {
        var d = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var a in s.Alerts)
        {
            d["a/" + a.Id + "/" + a.Warned.Code] = a;
        }

        foreach (var e in s.Engagements)
        {
            d["e/" + e.Id] = e;
        }

        return d;
    }

    private void Tick(bool resync)
    {
        foreach (var viewer in _sent.Keys.ToList())
        {
            var snap = SnapshotAt(viewer, _time);
            var before = _sent[viewer];
            var now = snap.Tracks.ToDictionary(t => t.Number);
            var changed = resync ? snap.Tracks : [.. snap.Tracks.Where(t => !before.TryGetValue(t.Number, out var b) || b.Time != t.Time)];
            var dropped = resync ? [] : before.Keys.Where(k => !now.ContainsKey(k)).Order().ToImmutableArray();
            var items = Items(snap);
            var beforeItems = _sentItems[viewer];
            var changedItems = resync ? items.Values.ToList() : [.. items.Where(kv => !beforeItems.TryGetValue(kv.Key, out var b) || !b.Equals(kv.Value)).Select(kv => kv.Value)];
            _sent[viewer] = now;
            _sentItems[viewer] = items;
            var delta = new PictureDelta(_time, changed, dropped, [.. changedItems.OfType<Alert>()], [.. changedItems.OfType<Engagement>()], resync);
            foreach (var s in _subscribers)
            {
                if (s.Viewer == viewer)
                {
                    s.OnTick(delta);
                }
            }
        }
    }

    private void Unsubscribe(Subscription s)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Remove(s);
        }
    }

    private sealed class Subscription(ReplayPictureSource owner, Nation viewer, Action<PictureDelta> onTick) : IDisposable
    {
        public Nation Viewer { get; } = viewer;

        public Action<PictureDelta> OnTick { get; } = onTick;

        public void Dispose() => owner.Unsubscribe(this);
    }
}
