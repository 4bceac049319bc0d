using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Network.Messages;
using Kizuna.Network.Picture;
using Kizuna.Network.Sharing;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Network.Node;

/// <summary>
/// One nation's node: a tracker fed with the nation's own detections and the measurements its
/// cluster partners share, plus the coalition picture built with the track reports of
/// track-sharing partners. Messages in, messages out: no transport, no clock, no threads.
/// </summary>
/// <remarks>
/// <para><b>Cycle</b> (<see cref="Step"/>): (1) every buffered detection at or before the cycle time
/// goes to the tracker in one canonical order — time, sensor id, nation, kind, value, identity — so
/// the arrival order of batches within a cycle cannot change the result; (2) notices, then reports,
/// at or before the cycle time are applied in canonical order; (3) local tracks are synchronised with
/// the picture (origination, adoption, loss); (4) correlation tests with hysteresis; (5) reporting
/// responsibility; (6) drops after silence; (7) outputs. The rules are in docs/network.md.</para>
/// <para><b>Measurement-sharing cluster.</b> Nodes that share all measurements run identical trackers
/// on identical inputs and so hold identical track tables. The cluster acts as one reporting unit,
/// named by its lowest nation code (the <i>lead</i>): numbers come from the lead's block, allocated
/// by every member with the same deterministic allocator from the same table, so members agree on
/// numbers without negotiation; only the lead publishes reports and notices; reports from cluster
/// members are ignored (their data is already in the shared measurements).</para>
/// <para>Not thread-safe. Reports carry the local track only (never the fused state), so no data is
/// echoed back to its source (no rumour propagation).</para>
/// </remarks>
public sealed class NationalNode
{
    private readonly NodeOptions _options;
    private readonly PictureRules _rules;
    private readonly MultiTargetTracker _tracker;
    private readonly TrackNumberAllocator _allocator;
    private readonly Nation _unit;
    private readonly bool _publishes;
    private readonly double _gate;
    private readonly Marking _marking;
    private readonly ClassificationGuide _guide;
    private readonly DerivedDataMarking _derived;
    private readonly Dictionary<string, Nation> _sensorNations = new(StringComparer.Ordinal);
    private readonly List<ulong> _sensorBits = [];
    private readonly List<Marking> _remoteMarkings = [];
    private ulong _allSensorNations;
    private readonly List<Detection> _pendingDetections = [];
    private readonly List<Detection> _ready = [];
    private readonly List<TrackReport> _pendingReports = [];
    private readonly List<TrackNumberNotice> _pendingNotices = [];
    private readonly SortedDictionary<int, Entry> _entries = [];
    private readonly Dictionary<long, int> _localToNumber = [];
    private readonly Dictionary<long, DateTime> _unnumbered = [];
    private readonly Dictionary<(long Local, int Number), CorrelationHysteresis> _candidates = [];
    private readonly Dictionary<int, int> _aliases = [];
    private readonly Dictionary<long, Track> _live = [];
    private readonly List<TrackNumberNotice> _notices = [];
    private ImmutableArray<PictureTrack> _picture = [];
    private DateTime _time = DateTime.MinValue;

    /// <summary>Creates a node.</summary>
    public NationalNode(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Rules.Validate();
        if (options.Tracker.Frame != TrackFrame.Ecef)
        {
            throw new ArgumentException("A national node tracks in the ECEF frame.", nameof(options));
        }

        _options = options;
        _rules = options.Rules;
        _tracker = options.Tracker.Build();
        _unit = options.MeasurementCluster.Add(options.Nation).Min;
        _publishes = _unit == options.Nation;
        _allocator = new TrackNumberAllocator(options.NumberPlan.BlockOf(_unit), _rules.NumberQuarantine);
        _gate = TrackCorrelation.Gate(_rules.CorrelationGateProbability);
        _guide = options.Agreements.GuideOf(options.Nation);
        _derived = new DerivedDataMarking(options.Nation, _guide.Tracks, options.ReleasableTo, options.Agreements);

        // Notices carry numbers only: classified by the guide's track-number level (content), released like the node's own data.
        _marking = new Marking(_guide.TrackNumbers, options.Nation, _derived.Own.ReleasableTo);
    }

    /// <summary>The node's nation.</summary>
    public Nation Nation => _options.Nation;

    /// <summary>The reporting unit this node belongs to: its cluster's lead (itself when alone).</summary>
    public Nation ReportingUnit => _unit;

    /// <summary>The picture of the last cycle.</summary>
    public ImmutableArray<PictureTrack> Picture => _picture;

    /// <summary>The node's tracker (read between cycles only).</summary>
    public MultiTargetTracker Tracker => _tracker;

    /// <summary>The unit holding reporting responsibility for <paramref name="number"/>; unset when the number is not in the picture.</summary>
    public Nation ReportingResponsibilityOf(TrackNumber number) =>
        _entries.TryGetValue(number.Value, out var e) ? e.Holder : default;

    /// <summary>The number this node gives local track <paramref name="localTrackId"/>; None when it has none (yet).</summary>
    public TrackNumber NumberOfLocalTrack(long localTrackId) =>
        _localToNumber.TryGetValue(localTrackId, out var n) ? new TrackNumber(n) : TrackNumber.None;

    /// <summary>The rules that mark data this node derives from partners' contributions.</summary>
    public DerivedDataMarking Markings => _derived;

    /// <summary>
    /// The nations whose data the picture entry <paramref name="number"/> was derived from: the owners
    /// of the sensors that ever updated the local track, and the originators of the fused remote
    /// reports (as of the last cycle). Empty when the number is not in the picture.
    /// </summary>
    public ImmutableSortedSet<Nation> ContributorsOf(TrackNumber number) =>
        _entries.TryGetValue(number.Value, out var e) ? _derived.NationsOf(e.Contributors) : [];

    /// <summary>The nations whose sensors ever updated local track <paramref name="localTrackId"/>; empty when it is not live.</summary>
    public ImmutableSortedSet<Nation> ContributorsOfLocalTrack(long localTrackId) =>
        _live.TryGetValue(localTrackId, out var t) ? _derived.NationsOf(LocalContributors(t)) : [];

    /// <summary>Buffers detections (of the node's own sensors, or a partner's: each detection's nation names its owner).</summary>
    public void ReceiveDetections(ReadOnlySpan<Detection> detections)
    {
        foreach (ref readonly var d in detections)
        {
            _pendingDetections.Add(d);
            if (!_sensorNations.ContainsKey(d.SensorId))
            {
                _sensorNations.Add(d.SensorId, d.Nation);
                _allSensorNations |= _derived.BitOf(d.Nation);
            }
        }
    }

    /// <summary>Buffers a measurement batch shared by a partner; its marking narrows where data derived from it may go.</summary>
    public void Receive(DetectionBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _derived.Restrict(batch.Marking);
        ReceiveDetections(batch.Detections.AsSpan());
    }

    /// <summary>Buffers a track report of a track-sharing partner.</summary>
    public void Receive(TrackReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _pendingReports.Add(report);
    }

    /// <summary>Buffers a track-number notice.</summary>
    public void Receive(TrackNumberNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        _pendingNotices.Add(notice);
    }

    /// <summary>Runs one cycle at <paramref name="time"/> (UTC, non-decreasing) and returns what it produced.</summary>
    public NodeCycle Step(DateTime time)
    {
        if (time < _time)
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, "Cycle times must not decrease.");
        }

        _time = time;
        _notices.Clear();

        // 1. Detections, canonical order.
        _ready.Clear();
        _pendingDetections.RemoveAll(d =>
        {
            if (d.Time <= time)
            {
                _ready.Add(d);
                return true;
            }

            return false;
        });
        _ready.Sort(CompareDetections);
        _tracker.Step(time, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_ready));

        _live.Clear();
        var processed = time - _tracker.Options.OutOfSequenceLag;
        foreach (var t in _tracker.Tracks)
        {
            // A confirmed track counts until it has been silent for StaleAfter (the tracker only
            // deletes tracks when frames arrive, so silence is judged here), measured from the time
            // the tracker has processed up to (the cycle time less the out-of-sequence lag).
            if (t.IsConfirmed && processed - t.LastUpdate <= _rules.StaleAfter)
            {
                _live.Add(t.Id, t);
            }
        }

        // 2. Notices, then reports.
        foreach (var n in Take(_pendingNotices, x => x.Time <= time, CompareNotices))
        {
            Apply(n);
        }

        foreach (var r in Take(_pendingReports, x => x.Time <= time, CompareReports))
        {
            Apply(r);
        }

        // 3.–6.
        SyncLocalTracks();
        TestCorrelations();
        Originate();
        AssignResponsibility();
        DropSilent();

        // 7. Outputs.
        var reports = ImmutableArray.CreateBuilder<TrackReport>();
        var picture = ImmutableArray.CreateBuilder<PictureTrack>(_entries.Count);
        var reportMarkings = ImmutableArray.CreateBuilder<Marking?>(_entries.Count);
        foreach (var e in _entries.Values)
        {
            if (e.Holder == _unit && e.LocalId != 0 && _publishes && (e.ReportDue || time - e.LastReported >= _rules.ReportInterval))
            {
                reports.Add(MakeReport(e, _live[e.LocalId]));
                e.LastReported = time;
                e.ReportDue = false;
            }

            if (TryPictureTrack(e, out var p))
            {
                picture.Add(p);
                reportMarkings.Add(e.LocalId != 0 ? _derived.ForContributors(LocalContributors(_live[e.LocalId])) : null);
            }
        }

        _picture = picture.ToImmutable();
        var notices = _publishes ? [.. _notices] : ImmutableArray<TrackNumberNotice>.Empty;
        return new NodeCycle(time, _picture, reports.ToImmutable(), notices, TrackTableHash()) { ReportMarkings = reportMarkings.ToImmutable() };
    }

    /// <summary>
    /// FNV-1a (64-bit) hash of the track table — for each confirmed and tentative track in table order:
    /// id, confirmation, quality, the 6-D mean and 6×6 covariance bit patterns, its coalition number —
    /// then each picture entry's number, local track and R2 holder. Equal hashes at two nodes mean
    /// identical tables, bit for bit.
    /// </summary>
    public ulong TrackTableHash()
    {
        var h = 14695981039346656037UL;
        foreach (var t in _tracker.Tracks)
        {
            h = Mix(h, (ulong)t.Id);
            h = Mix(h, t.IsConfirmed ? 1UL : 0UL);
            h = Mix(h, t.Quality.Value);
            var s = t.State;
            for (var i = 0; i < 6; i++)
            {
                h = Mix(h, (ulong)BitConverter.DoubleToInt64Bits(s.Mean[i]));
                for (var j = 0; j < 6; j++)
                {
                    h = Mix(h, (ulong)BitConverter.DoubleToInt64Bits(s.Cov(i, j)));
                }
            }

            h = Mix(h, (ulong)NumberOfLocalTrack(t.Id).Value);
        }

        foreach (var e in _entries.Values)
        {
            h = Mix(h, (ulong)e.Number);
            h = Mix(h, (ulong)e.LocalId);
            foreach (var c in e.Holder.Code)
            {
                h = Mix(h, c);
            }
        }

        return h;
    }

    private static ulong Mix(ulong h, ulong v)
    {
        for (var i = 0; i < 8; i++)
        {
            h ^= (v >> (8 * i)) & 0xFF;
            h *= 1099511628211UL;
        }

        return h;
    }

    private static List<T> Take<T>(List<T> pending, Predicate<T> due, Comparison<T> order)
    {
        var taken = pending.FindAll(due);
        pending.RemoveAll(due);
        taken.Sort(order);
        return taken;
    }

    private static int CompareDetections(Detection a, Detection b)
    {
        var c = a.Time.CompareTo(b.Time);
        if (c == 0) { c = string.CompareOrdinal(a.SensorId, b.SensorId); }
        if (c == 0) { c = a.Nation.CompareTo(b.Nation); }
        if (c == 0) { c = a.Kind.CompareTo(b.Kind); }
        if (c == 0) { c = a.Value.X.CompareTo(b.Value.X); }
        if (c == 0) { c = a.Value.Y.CompareTo(b.Value.Y); }
        if (c == 0) { c = a.Value.Z.CompareTo(b.Value.Z); }
        if (c == 0) { c = a.Identity.CompareTo(b.Identity); }
        if (c == 0) { c = a.TruthId.CompareTo(b.TruthId); }
        return c;
    }

    private static int CompareReports(TrackReport a, TrackReport b)
    {
        var c = a.Time.CompareTo(b.Time);
        if (c == 0) { c = a.Reporter.CompareTo(b.Reporter); }
        if (c == 0) { c = a.Number.CompareTo(b.Number); }
        if (c == 0) { c = a.LocalTrackId.CompareTo(b.LocalTrackId); }
        return c;
    }

    private static int CompareNotices(TrackNumberNotice a, TrackNumberNotice b)
    {
        var c = a.Time.CompareTo(b.Time);
        if (c == 0) { c = a.Issuer.CompareTo(b.Issuer); }
        if (c == 0) { c = a.Kind.CompareTo(b.Kind); }
        if (c == 0) { c = a.Kept.CompareTo(b.Kept); }
        if (c == 0) { c = a.Retired.CompareTo(b.Retired); }
        return c;
    }

    private bool InUnit(Nation n) => n == _options.Nation || n == _unit || _options.MeasurementCluster.Contains(n);

    private int Resolve(int number)
    {
        for (var i = 0; i < 8 && _aliases.TryGetValue(number, out var kept); i++)
        {
            number = kept;
        }

        return number;
    }

    private void Apply(TrackNumberNotice n)
    {
        if (InUnit(n.Issuer))
        {
            return;
        }

        switch (n.Kind)
        {
            case TrackNumberNoticeKind.Correlate:
                var kept = Resolve(n.Kept.Value);
                var retired = Resolve(n.Retired.Value);
                if (kept != retired && _entries.TryGetValue(retired, out var gone))
                {
                    Merge(gone, kept);
                    _allocator.Retire(new TrackNumber(retired), n.Time);
                }

                _aliases[n.Retired.Value] = kept;
                break;
            case TrackNumberNoticeKind.Decorrelate:
                if (_entries.TryGetValue(Resolve(n.Kept.Value), out var split))
                {
                    split.Remotes.Remove(n.Issuer);
                    split.Diverged.Remove(n.Issuer);
                    if (split.Holder == n.Issuer)
                    {
                        split.Holder = default;
                    }
                }

                break;
            case TrackNumberNoticeKind.Drop:
                if (_entries.TryGetValue(n.Kept.Value, out var dropped) && dropped.LocalId == 0)
                {
                    _entries.Remove(n.Kept.Value);
                    _allocator.Retire(n.Kept, n.Time);
                }

                break;
            case TrackNumberNoticeKind.Takeover:
                // A takeover is refused only while this unit holds the number with a live local track
                // that outranks the claimant (a local track deleted this cycle defends nothing).
                if (_entries.TryGetValue(Resolve(n.Kept.Value), out var taken) && taken.Holder != n.Issuer
                    && !(taken.Holder == _unit && taken.LocalId != 0 && taken.Remotes.TryGetValue(n.Issuer, out var claim)
                         && _live.TryGetValue(taken.LocalId, out var own)
                         && !ReportingResponsibility.Outranks(claim.Report.Quality, n.Issuer, own.Quality.Value, _unit)))
                {
                    taken.Holder = n.Issuer;
                    taken.HolderTime = n.Time;
                    taken.HolderQuality = taken.Remotes.TryGetValue(n.Issuer, out var r) ? r.Report.Quality : 0;
                }

                break;
        }
    }

    private void Apply(TrackReport r)
    {
        if (InUnit(r.Reporter) || !r.Number.IsAssigned)
        {
            return;
        }

        var number = Resolve(r.Number.Value);
        if (!_entries.TryGetValue(number, out var e))
        {
            e = new Entry(number);
            _entries.Add(number, e);
            _allocator.MarkLive(new TrackNumber(number));
        }

        if (e.Diverged.Contains(r.Reporter))
        {
            return;
        }

        if (e.Remotes.TryGetValue(r.Reporter, out var src))
        {
            if (r.Time < src.Report.Time)
            {
                return;
            }

            src.Report = r;
        }
        else
        {
            e.Remotes.Add(r.Reporter, new RemoteSource(r));
        }

        e.Touch(r.Time);

        // R2 on a claim (R2-4, R2-5): higher quality wins, tie → lower nation code; a stale holder loses.
        if (e.Holder.IsUnset || e.Holder == r.Reporter)
        {
            e.SetHolder(r.Reporter, r.Quality, r.Time);
        }
        else if (e.Holder == _unit)
        {
            var local = e.LocalId != 0 && _live.TryGetValue(e.LocalId, out var t) ? t.Quality.Value : 0;
            if (ReportingResponsibility.Outranks(r.Quality, r.Reporter, local, _unit))
            {
                e.SetHolder(r.Reporter, r.Quality, r.Time);
            }
        }
        else if (r.Time - e.HolderTime > _rules.StaleAfter || ReportingResponsibility.Outranks(r.Quality, r.Reporter, e.HolderQuality, e.Holder))
        {
            e.SetHolder(r.Reporter, r.Quality, r.Time);
        }
    }

    private void SyncLocalTracks()
    {
        foreach (var e in _entries.Values)
        {
            if (e.LocalId == 0)
            {
                continue;
            }

            if (_live.TryGetValue(e.LocalId, out var t))
            {
                e.Touch(t.LastUpdate);
                continue;
            }

            // Our track is gone: stop reporting; the others take over when we fall silent (R2-3).
            _localToNumber.Remove(e.LocalId);
            e.LocalId = 0;
            if (e.Holder == _unit)
            {
                e.Holder = default;
                PickRemoteHolder(e);
            }
        }

        foreach (var (id, _) in _live)
        {
            if (!_localToNumber.ContainsKey(id) && !_unnumbered.ContainsKey(id))
            {
                _unnumbered.Add(id, _time);
            }
        }

        foreach (var id in _unnumbered.Keys.Where(id => !_live.ContainsKey(id)).ToList())
        {
            _unnumbered.Remove(id);
        }

        foreach (var key in _candidates.Keys.Where(k => !_live.ContainsKey(k.Local) || !_entries.ContainsKey(k.Number)).ToList())
        {
            _candidates.Remove(key);
        }
    }

    private void TestCorrelations()
    {
        foreach (var e in _entries.Values.ToList())
        {
            if (!_entries.ContainsKey(e.Number))
            {
                continue;
            }

            if (e.LocalId != 0)
            {
                // C-3: a correlated remote source that keeps failing the test is split off.
                var local = KinematicState.FromTrack(_live[e.LocalId]);
                foreach (var (nation, src) in e.Remotes.ToList())
                {
                    if (src.Report.Time <= src.LastTested)
                    {
                        continue;
                    }

                    src.LastTested = src.Report.Time;
                    src.Test = src.Test.Record(Passes(local, _live[e.LocalId].Identity, src.Report));
                    if (src.Test.ShouldDecorrelate(_rules.DecorrelateAfter))
                    {
                        Split(e, nation);
                        break;
                    }
                }

                continue;
            }

            // C-1: a remote-only entry is tested once per new report against every local track.
            var latest = e.Latest();
            if (latest is null || latest.Report.Time <= latest.LastTested)
            {
                continue;
            }

            latest.LastTested = latest.Report.Time;
            long best = 0;
            var bestD2 = double.PositiveInfinity;
            foreach (var (id, t) in _live)
            {
                if (_localToNumber.TryGetValue(id, out var n) && _entries[n].Remotes.ContainsKey(latest.Report.Reporter))
                {
                    continue; // that local track is already correlated with this reporter's other number
                }

                var d2 = Distance(KinematicState.FromTrack(t), t.Identity, latest.Report);
                if (d2 <= _gate && (d2 < bestD2 || (d2 == bestD2 && id < best)))
                {
                    best = id;
                    bestD2 = d2;
                }
            }

            foreach (var id in _live.Keys)
            {
                var key = (id, e.Number);
                var h = _candidates.GetValueOrDefault(key).Record(id == best);
                if (h.Passes == 0 && h.Fails > 0)
                {
                    _candidates.Remove(key);
                }
                else
                {
                    _candidates[key] = h;
                }
            }

            if (best != 0 && _candidates[(best, e.Number)].ShouldCorrelate(_rules.CorrelateAfter))
            {
                _candidates.Remove((best, e.Number));
                Join(best, e);
            }
        }
    }

    private bool Passes(in KinematicState local, uint identity, TrackReport r) => Distance(local, identity, r) <= _gate;

    private double Distance(in KinematicState local, uint identity, TrackReport r)
    {
        if (identity != 0 && r.Identity != 0 && identity != r.Identity)
        {
            return double.PositiveInfinity; // C-1: conflicting cooperative identities never correlate
        }

        return TrackCorrelation.MahalanobisSquared(local, KinematicState.FromReport(r), _rules.ProcessNoise);
    }

    /// <summary>Local track <paramref name="localId"/> and remote-only entry <paramref name="remote"/> are one object.</summary>
    private void Join(long localId, Entry remote)
    {
        if (!_localToNumber.TryGetValue(localId, out var own))
        {
            // Adoption (R2-2): a new local track takes the remote number; nothing to announce.
            _unnumbered.Remove(localId);
            _localToNumber[localId] = remote.Number;
            remote.LocalId = localId;
            return;
        }

        // C-2: two numbers for one object — keep the lower, retire the other, announce it.
        var kept = ReportingResponsibility.KeptOnCorrelation(new TrackNumber(own), new TrackNumber(remote.Number)).Value;
        var retired = kept == own ? remote.Number : own;
        Merge(_entries[retired], kept);
        _allocator.Retire(new TrackNumber(retired), _time);
        _aliases[retired] = kept;
        _notices.Add(new TrackNumberNotice(TrackNumberNoticeKind.Correlate, Nation, _time, new TrackNumber(kept), new TrackNumber(retired), _marking));
    }

    /// <summary>Moves everything of <paramref name="from"/> into the entry numbered <paramref name="kept"/> (created when missing).</summary>
    private void Merge(Entry from, int kept)
    {
        _entries.Remove(from.Number);
        if (!_entries.TryGetValue(kept, out var into))
        {
            from.Number = kept;
            _entries.Add(kept, from);
            if (from.LocalId != 0)
            {
                _localToNumber[from.LocalId] = kept;
            }

            return;
        }

        if (from.LocalId != 0)
        {
            if (into.LocalId == 0)
            {
                into.LocalId = from.LocalId;
                _localToNumber[from.LocalId] = kept;
            }
            else
            {
                // Two local tracks on one object: the second goes back through origination.
                _localToNumber.Remove(from.LocalId);
                _unnumbered[from.LocalId] = _time;
            }
        }

        foreach (var (nation, src) in from.Remotes)
        {
            if (!into.Remotes.TryGetValue(nation, out var have) || have.Report.Time < src.Report.Time)
            {
                into.Remotes[nation] = src;
            }
        }

        into.Touch(from.LastHeard);
        if (into.Holder.IsUnset || (!from.Holder.IsUnset && ReportingResponsibility.Outranks(from.HolderQuality, from.Holder, into.HolderQuality, into.Holder)))
        {
            into.SetHolder(from.Holder, from.HolderQuality, from.HolderTime);
        }

        into.ReportDue = true;
    }

    /// <summary>C-3 / C-5: the remote source <paramref name="nation"/> of <paramref name="e"/> diverged from our local track.</summary>
    private void Split(Entry e, Nation nation)
    {
        var number = new TrackNumber(e.Number);
        if (ReportingResponsibility.Keeper(number, _unit, nation, _options.NumberPlan) == _unit)
        {
            // We keep the number; the other unit renumbers its track (it applies the same rule).
            e.Remotes.Remove(nation);
            e.Diverged.Add(nation);
            if (e.Holder == nation)
            {
                e.SetHolder(_unit, _live[e.LocalId].Quality.Value, _time);
                e.ReportDue = true;
            }

            return;
        }

        // The other keeps the number: our local track leaves with a new one, and we report it.
        var localId = e.LocalId;
        e.LocalId = 0;
        var fresh = _allocator.Allocate(_time);
        var entry = new Entry(fresh.Value) { LocalId = localId };
        entry.SetHolder(_unit, _live[localId].Quality.Value, _time);
        entry.Touch(_live[localId].LastUpdate);
        entry.ReportDue = true;
        _entries.Add(fresh.Value, entry);
        _localToNumber[localId] = fresh.Value;
        _candidates[(localId, e.Number)] = new CorrelationHysteresis(0, 1);
        e.Remotes[nation].Test = default;
        _notices.Add(new TrackNumberNotice(TrackNumberNoticeKind.Decorrelate, Nation, _time, number, fresh, _marking));
    }

    /// <summary>R2-2: confirmed local tracks without a number get one, unless they may still adopt a remote one.</summary>
    private void Originate()
    {
        foreach (var (id, since) in _unnumbered.OrderBy(x => x.Key).ToList())
        {
            var waiting = _candidates.Any(c => c.Key.Local == id && c.Value.Passes > 0);
            if (waiting && _time - since < _rules.OriginationHold)
            {
                continue;
            }

            _unnumbered.Remove(id);
            var n = _allocator.Allocate(_time);
            var e = new Entry(n.Value) { LocalId = id };
            e.SetHolder(_unit, _live[id].Quality.Value, _time);
            e.Touch(_live[id].LastUpdate);
            e.ReportDue = true;
            _entries.Add(n.Value, e);
            _localToNumber[id] = n.Value;
        }
    }

    /// <summary>R2-3 / R2-4 for every number we hold a local track on.</summary>
    private void AssignResponsibility()
    {
        foreach (var e in _entries.Values)
        {
            if (e.LocalId == 0)
            {
                continue;
            }

            var t = _live[e.LocalId];
            int q = t.Quality.Value;
            if (e.Holder == _unit)
            {
                e.HolderQuality = q;
                e.HolderTime = _time;
                if (q == 0)
                {
                    e.Holder = default;
                    PickRemoteHolder(e);
                }

                continue;
            }

            if (e.Holder.IsUnset)
            {
                if (q > 0)
                {
                    TakeOver(e, q);
                }

                continue;
            }

            if (_time - e.HolderTime > _rules.StaleAfter && q > 0)
            {
                TakeOver(e, q);
                continue;
            }

            if (t.LastUpdate <= e.LastCountedUpdate)
            {
                continue; // count local updates, not cycles
            }

            e.LastCountedUpdate = t.LastUpdate;
            e.TakeoverCount = ReportingResponsibility.ClearlyBetter(q, e.HolderQuality, _rules.TakeoverMargin) ? e.TakeoverCount + 1 : 0;
            if (e.TakeoverCount >= _rules.TakeoverUpdates)
            {
                TakeOver(e, q);
            }
        }
    }

    private void TakeOver(Entry e, int quality)
    {
        e.SetHolder(_unit, quality, _time);
        e.ReportDue = true;
        _notices.Add(new TrackNumberNotice(TrackNumberNoticeKind.Takeover, Nation, _time, new TrackNumber(e.Number), TrackNumber.None, _marking));
    }

    private void PickRemoteHolder(Entry e)
    {
        foreach (var (nation, src) in e.Remotes)
        {
            if (_time - src.Report.Time <= _rules.StaleAfter
                && (e.Holder.IsUnset || ReportingResponsibility.Outranks(src.Report.Quality, nation, e.HolderQuality, e.Holder)))
            {
                e.SetHolder(nation, src.Report.Quality, src.Report.Time);
            }
        }
    }

    /// <summary>R2-7: numbers nobody updated for <see cref="PictureRules.DropAfter"/> leave the picture.</summary>
    private void DropSilent()
    {
        foreach (var e in _entries.Values.ToList())
        {
            foreach (var (nation, src) in e.Remotes.ToList())
            {
                if (_time - src.Report.Time > _rules.DropAfter)
                {
                    e.Remotes.Remove(nation);
                }
            }

            if (e.LocalId != 0 || _time - e.LastHeard <= _rules.DropAfter)
            {
                continue;
            }

            _entries.Remove(e.Number);
            var number = new TrackNumber(e.Number);
            _allocator.Retire(number, _time);
            if (_options.NumberPlan.OwnerOf(number) == _unit)
            {
                _notices.Add(new TrackNumberNotice(TrackNumberNoticeKind.Drop, Nation, _time, number, TrackNumber.None, _marking));
            }
        }

        foreach (var key in _aliases.Where(a => !_entries.ContainsKey(a.Value)).Select(a => a.Key).ToList())
        {
            _aliases.Remove(key);
        }
    }

    private TrackReport MakeReport(Entry e, Track t)
    {
        var s = t.State;
        var sensors = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < 64; i++)
        {
            if ((t.ContributingSensors & (1UL << i)) != 0)
            {
                sensors.Add(_tracker.SensorName(i));
            }
        }

        return new TrackReport(Nation, new TrackNumber(e.Number), t.Id, t.Time, s.Position, s.Velocity, s.PositionCovariance, s.VelocityCovariance,
            t.Quality.Value, TrackKind.Unknown, Affiliation.Pending, t.Identity, sensors.ToImmutable(), _derived.ForContributors(LocalContributors(t)));
    }

    /// <summary>Mask (<see cref="DerivedDataMarking.BitOf"/>) of the nations whose sensors ever updated <paramref name="t"/>.</summary>
    private ulong LocalContributors(Track t)
    {
        var mask = 0UL;
        var sensors = t.ContributingSensors;
        for (var i = 0; sensors != 0 && i < 64; i++)
        {
            if ((sensors & (1UL << i)) != 0)
            {
                mask |= SensorBit(i);
                sensors &= ~(1UL << i);
            }
        }

        return mask;
    }

    /// <summary>The nation bit of tracker sensor index <paramref name="index"/>; index 63 is shared by every later sensor, so it stands for all of their nations.</summary>
    private ulong SensorBit(int index)
    {
        if (index == 63 && _sensorNations.Count > 64)
        {
            return _allSensorNations;
        }

        while (_sensorBits.Count <= index)
        {
            var name = _tracker.SensorName(_sensorBits.Count);
            _sensorBits.Add(_sensorNations.TryGetValue(name, out var n) ? _derived.BitOf(n) : _allSensorNations);
        }

        return _sensorBits[index];
    }

    private bool TryPictureTrack(Entry e, out PictureTrack track)
    {
        KinematicState? state = null;
        Marking? localMarking = null;
        var contributors = 0UL;
        _remoteMarkings.Clear();
        var sensors = ImmutableArray.CreateBuilder<string>();
        uint identity = 0;
        var kind = TrackKind.Unknown;
        var affiliation = Affiliation.Pending;
        if (e.LocalId != 0)
        {
            var t = _live[e.LocalId];
            state = KinematicState.FromTrack(t).PredictTo(_time, _rules.ProcessNoise);
            identity = t.Identity;
            contributors = LocalContributors(t);
            localMarking = _derived.ForContributors(contributors);
        }

        // Fuse every remote source with covariance intersection (unknown cross-correlation).
        foreach (var (_, src) in e.Remotes)
        {
            var remote = KinematicState.FromReport(src.Report).PredictTo(_time, _rules.ProcessNoise);
            state = state is { } s ? CovarianceIntersection.Fuse(s, remote, _rules.ProcessNoise).State : remote;
            _remoteMarkings.Add(src.Report.Marking);
            contributors |= _derived.BitOf(src.Report.Marking.Originator);
            sensors.AddRange(src.Report.Sensors);
            identity = identity != 0 ? identity : src.Report.Identity;
            kind = kind != TrackKind.Unknown ? kind : src.Report.Kind;
            affiliation = affiliation != Affiliation.Pending ? affiliation : src.Report.Affiliation;
        }

        e.Contributors = contributors;
        if (state is not { } x)
        {
            track = null!;
            return false;
        }

        var marking = _derived.Combine(localMarking, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_remoteMarkings));

        if (e.LocalId != 0)
        {
            var mask = _live[e.LocalId].ContributingSensors;
            for (var i = 0; i < 64; i++)
            {
                if ((mask & (1UL << i)) != 0)
                {
                    sensors.Add(_tracker.SensorName(i));
                }
            }
        }

        var geo = Wgs84.EcefToGeodetic(x.Position);
        var enu = new EnuFrame(geo).RotateToEnu(x.Velocity);
        track = new PictureTrack(new TrackNumber(e.Number), x.Time, geo, enu, Math.Sqrt(LargestEigenvalue(x.PositionCovariance)), x.Quality.Value,
            kind, affiliation, e.Holder.IsUnset ? _unit : e.Holder, marking, [.. sensors.Distinct().Order(StringComparer.Ordinal)], identity);
        return true;
    }

    /// <summary>
    /// Largest eigenvalue of a symmetric 3×3 matrix, closed form (O. K. Smith, "Eigenvalues of a
    /// symmetric 3 × 3 matrix", Communications of the ACM 4(4), 1961): with q = tr A / 3,
    /// p = √(‖A − qI‖²_F / 6), B = (A − qI)/p, φ = acos(det B / 2)/3, λ_max = q + 2p cos φ.
    /// </summary>
    internal static double LargestEigenvalue(in Mat3 a)
    {
        var q = a.Trace / 3;
        var off = (a.M01 * a.M01) + (a.M02 * a.M02) + (a.M12 * a.M12);
        var p2 = ((a.M00 - q) * (a.M00 - q)) + ((a.M11 - q) * (a.M11 - q)) + ((a.M22 - q) * (a.M22 - q)) + (2 * off);
        if (p2 <= 0)
        {
            return q;
        }

        var p = Math.Sqrt(p2 / 6);
        var b = new Mat3(a.M00 - q, a.M01, a.M02, a.M10, a.M11 - q, a.M12, a.M20, a.M21, a.M22 - q) * (1 / p);
        var phi = Math.Acos(Math.Clamp(b.Determinant / 2, -1, 1)) / 3;
        return q + (2 * p * Math.Cos(phi));
    }

    private sealed class RemoteSource(TrackReport report)
    {
        public TrackReport Report { get; set; } = report;

        public CorrelationHysteresis Test { get; set; }

        public DateTime LastTested { get; set; } = DateTime.MinValue;
    }

    private sealed class Entry(int number)
    {
        public int Number { get; set; } = number;

        public long LocalId { get; set; }

        public Nation Holder { get; set; }

        public int HolderQuality { get; set; }

        public DateTime HolderTime { get; set; }

        public int TakeoverCount { get; set; }

        /// <summary>Nation mask (<see cref="DerivedDataMarking.BitOf"/>) of everything fused into this entry at the last cycle.</summary>
        public ulong Contributors { get; set; }

        public DateTime LastCountedUpdate { get; set; } = DateTime.MinValue;

        public DateTime LastReported { get; set; } = DateTime.MinValue;

        public bool ReportDue { get; set; }

        public DateTime LastHeard { get; private set; } = DateTime.MinValue;

        public SortedDictionary<Nation, RemoteSource> Remotes { get; } = [];

        public HashSet<Nation> Diverged { get; } = [];

        public void Touch(DateTime time)
        {
            if (time > LastHeard)
            {
                LastHeard = time;
            }
        }

        public void SetHolder(Nation holder, int quality, DateTime time)
        {
            if (holder != Holder)
            {
                TakeoverCount = 0;
            }

            Holder = holder;
            HolderQuality = quality;
            HolderTime = time;
        }

        public RemoteSource? Latest()
        {
            RemoteSource? best = null;
            foreach (var (_, s) in Remotes)
            {
                if (best is null || s.Report.Time > best.Report.Time)
                {
                    best = s;
                }
            }

            return best;
        }
    }
}
