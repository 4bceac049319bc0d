using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using System.Threading.Channels;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Network.Bus;
using Kizuna.Network.Messages;
using Kizuna.Network.Nats;
using Kizuna.Network.Node;
using Kizuna.Network.Picture;
using Kizuna.Network.Sharing;
using Kizuna.Network.Wire;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Scenario;
using Kizuna.Tracking.Trackers;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Kizuna.Cli.Distributed;

/// <summary>Configuration of one national node process (<c>kizuna node</c>).</summary>
internal sealed record NodeRunOptions
{
    /// <summary>The scenario (every node of a run loads the same file: same seed ⇒ same world).</summary>
    public required ScenarioDefinition Scenario { get; init; }

    /// <summary>The node's nation.</summary>
    public required Nation Nation { get; init; }

    /// <summary>NATS server URL.</summary>
    public required string Url { get; init; }

    /// <summary>The nation's credentials (from <c>kizuna nats-config</c>).</summary>
    public required NatsNodeCredentials Credentials { get; init; }

    /// <summary>Tracker settings (ECEF); every node of the run must use the same.</summary>
    public required TrackerSettings Tracker { get; init; }

    /// <summary>The agreements in force (the same file the server configuration was generated from).</summary>
    public required SharingAgreements Agreements { get; init; }

    /// <summary>Folder for the picture log, the journal, the audit log and the summary.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Stop after this many simulated seconds (null: the scenario's duration).</summary>
    public double? Duration { get; init; }

    /// <summary>
    /// Lock-step bound: a partner silent this long (wall time) while this node waits for its batch
    /// is held absent; the node proceeds, counts a late cycle, and waits for that partner again at the
    /// re-join slot agreed on the wire (<see cref="RejoinAfter"/>).
    /// </summary>
    public TimeSpan PartnerSilence { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Lock-step bound for a partner never heard from yet (its process may still be starting).</summary>
    public TimeSpan PartnerStartup { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Simulated time (s) at which the node drops its NATS connection (fault injection); null for none.</summary>
    public double? PartitionAt { get; init; }

    /// <summary>How long (simulated s) the partition lasts; the node then reconnects and catches up.</summary>
    public double PartitionFor { get; init; } = 60;

    /// <summary>
    /// Scheduled partitions of partners (fault injection known to this node): during a partner's window
    /// this node neither waits for it nor expects its batches, and from the first cycle after the window it
    /// waits for it again (its batch at once, its end-of-cycle mark from the cycle after). Without an entry
    /// a cut-off partner is only detected by silence (<see cref="PartnerSilence"/>), whose cycles depend on
    /// wall-clock timing.
    /// </summary>
    public ImmutableArray<PartnerPartition> PartnerPartitions { get; init; } = [];

    /// <summary>
    /// Pace: at most this many simulated seconds per wall second, on the schedule anchored at
    /// <see cref="StartAt"/> (cycle at simulated t starts no earlier than StartAt + t / Pace); null runs as
    /// fast as lock-step allows. A node behind the schedule (restarted, or slow) does not wait, so it
    /// catches up with its partners; nodes on schedule do not run away from a missing partner.
    /// </summary>
    public double? Pace { get; init; }

    /// <summary>Wall time of simulated t = 0 for <see cref="Pace"/> (every node of a run, and a restarted node, use the same); null: this process's start.</summary>
    public DateTimeOffset? StartAt { get; init; }

    /// <summary>
    /// Re-join slot length (simulated s; at least <see cref="RejoinRules.MinimumSlotCycles"/> cycles): a partner held
    /// absent from cycle a is re-admitted at cycle a + W, or at a larger slot a fellow holder announced (the largest
    /// wins; docs/network.md "Re-join cycle").
    /// </summary>
    public double RejoinAfter { get; init; } = 5;

    /// <summary>How long (wall) the node waits at a re-join slot for the held partner's inputs before it moves the slot on by one slot length (counted late).</summary>
    public TimeSpan RejoinWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Fault injection: after journaling this cycle the node publishes nothing more (keep-alive stopped) and hangs until killed, so a kill lands on a known cycle boundary; null for none.</summary>
    public long? HaltAfter { get; init; }

    /// <summary>How long (wall time) the node keeps retrying a refused or timed-out connection before it fails.</summary>
    public TimeSpan ConnectFor { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Wall clock, for latency stamps and the lock-step bound only (never for the picture).</summary>
    public TimeProvider WallClock { get; init; } = TimeProvider.System;
}

/// <summary>A partner's scheduled partition: cut off from simulated time <paramref name="At"/> for <paramref name="For"/> seconds.</summary>
/// <param name="Partner">The partner cut off.</param>
/// <param name="At">Start of the window (simulated s).</param>
/// <param name="For">Length of the window (simulated s).</param>
internal readonly record struct PartnerPartition(Nation Partner, double At, double For)
{
    /// <summary>True when the cycle at simulated time <paramref name="simTime"/> falls in the window (the same test the cut-off node applies to itself).</summary>
    public bool Covers(double simTime) => simTime >= At && simTime < At + For;

    /// <summary>Parses <c>NAT:at:for</c> (seconds, invariant culture), e.g. <c>JPN:20:60</c>.</summary>
    public static bool TryParse(string text, out PartnerPartition value)
    {
        value = default;
        var parts = text.Split(':');
        if (parts.Length == 3 && Nation.TryParse(parts[0], out var nation)
            && double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var at)
            && double.TryParse(parts[2], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var length)
            && at >= 0 && length > 0)
        {
            value = new PartnerPartition(nation, at, length);
            return true;
        }

        return false;
    }
}

/// <summary>The figures of one node process, also written to <c>NAT.summary.json</c>.</summary>
internal sealed record NodeRunSummary
{
    public required string Nation { get; init; }

    public long Cycles { get; init; }

    public long ReplayedCycles { get; init; }

    public long ReplayMismatches { get; init; }

    public long ReplayMissing { get; init; }

    public long LateCycles { get; init; }

    public long PartitionedCycles { get; init; }

    /// <summary>Cycles at which a partner was held absent (partner-cycles).</summary>
    public long HeldCycles { get; init; }

    /// <summary>The re-join events, in order: "JPN held at 26 (slot 31)", "JPN re-admitted at 31", ….</summary>
    public IReadOnlyList<string> Rejoins { get; init; } = [];

    public long MessagesPublished { get; init; }

    public long ReleasedCopies { get; init; }

    public long ReleasesRefused { get; init; }

    public long BytesSent { get; init; }

    public long DetectionsSent { get; init; }

    public long BatchesSent { get; init; }

    public long BatchBytes { get; init; }

    public long TrackReportsSent { get; init; }

    public long TrackReportBytes { get; init; }

    public long NoticesSent { get; init; }

    public long MessagesReceived { get; init; }

    public long ConnectRetries { get; init; }

    public long KeepAlives { get; init; }

    public long PublishRetries { get; init; }

    public int PictureTracks { get; init; }

    public double WallSeconds { get; init; }
}

/// <summary>
/// One nation's node as its own process over NATS: the scenario's exercise engine (deterministic)
/// supplies the nation's own detections, the <see cref="NatsBus"/> carries everything between
/// nations under the agreements, and a lock-step loop mirrors the embedded coalition run.
/// </summary>
/// <remarks>
/// <para><b>Cycle k</b> at simulated time t_k: (1) own detections to the node, and published as the
/// <see cref="DetectionBatch"/> with sequence k (empty allowed); (2) wait until every present partner has sent
/// its end-of-cycle mark of cycle k−1 (<see cref="CycleMark"/>) and every present measurement partner its batch
/// k (or the partner has moved past them, or it has been silent for <see cref="NodeRunOptions.PartnerSilence"/>:
/// hold it, count a late cycle); (3) from each present partner exactly the messages it published before that
/// mark (envelope sequence below the mark's) plus its batch k go to the node, later ones wait for the next
/// cycle; from a held partner nothing (beyond what preceded its last counted mark); (4) step; (5) publish
/// notices, reports, this cycle's lock-step controls and the cycle's mark; (6) write the picture line, then
/// the journal line (<see cref="NodeJournal"/>). The node's inputs at cycle k are thus fixed by the protocol
/// (the embedded run's order: partners' reports of k−1, batches of k), not by wall-clock timing.</para>
/// <para><b>Re-join cycle</b> (docs/network.md "Re-join cycle"). A partner whose inputs for cycle a are missing
/// — silent for the bound, or restarted (its <see cref="LockStepControlKind.Resume"/> makes only what it published
/// before the crash count, so the cycle a does not depend on when the restart was seen) — is held from a and
/// re-admitted at the slot R = a + W (<see cref="NodeRunOptions.RejoinAfter"/>). Each holder announces its slot
/// (<see cref="LockStepControlKind.Hold"/>, before its mark of a) and takes the largest it receives
/// (<see cref="RejoinRules"/>: agreed before anyone reaches it). At R the holders wait for the partner's mark of
/// R−1 and batch R (<see cref="NodeRunOptions.RejoinWait"/>), then apply everything it published up to that
/// mark and drop its batches of cycles before R. So every node re-admits it at the same cycle with the same
/// inputs, whatever the machine's load; a partner that does not make the slot in time moves it on by W
/// (counted late: that path is timing-dependent).</para>
/// <para><b>Restart.</b> The journal lists, per cycle, the partner messages given to the node. On
/// start, the node announces the restart, reads its whole inbound JetStream stream, replays the journaled
/// cycles (publishing nothing, checking each track-table hash) and so recovers its tracker, picture and
/// track-number allocator exactly; messages in the stream not yet applied are applied next; the
/// durable consumer then continues from its last acknowledgement (duplicates are dropped by
/// sender sequence). A batch re-published after a crash carries the same cycle sequence and is
/// ignored by partners that already have it.</para>
/// <para><b>Liveness.</b> A background keep-alive re-publishes the latest batch when nothing newer went
/// out for a third of the silence bound, so only a node that is gone falls silent; a partner never
/// heard from gets <see cref="NodeRunOptions.PartnerStartup"/>; connections and publications are
/// retried. With <see cref="NodeRunOptions.Pace"/> the cycles follow a shared wall schedule, so the
/// survivors of a crash do not run away from the restarted node, which catches up.</para>
/// <para><b>Partitions.</b> A node cut off (<see cref="NodeRunOptions.PartitionAt"/>) cuts at a cycle
/// boundary fixed by the marks: it awaits its first partitioned cycle's inputs, then disconnects without
/// sending that cycle's batch. Partners given the schedule (<see cref="NodeRunOptions.PartnerPartitions"/>)
/// do not wait for it inside the window and wait for it again from the heal cycle, so the split and the
/// heal fall at the same cycles on both sides whatever the load. A partner not given the schedule holds the
/// cut-off node by silence and re-admits it at a re-join slot (above).</para>
/// </remarks>
internal sealed class NodeRunner : IAsyncDisposable
{
    private readonly NodeRunOptions _o;
    private readonly Nation _self;
    private readonly NationalNode _node;
    private readonly ReleasePolicy _policy;
    private readonly SimClock _clock;
    private readonly Marking _detectionMarking;
    private readonly Nation[] _measurementPartners;
    private readonly Nation[] _partners;
    private readonly Marking _markMarking;
    private readonly Dictionary<Nation, DateTime> _lastMark = [];
    private readonly Dictionary<(Nation, DateTime), long> _markSequence = [];
    private readonly Dictionary<Nation, long> _lastBatch = [];
    private readonly Dictionary<Nation, long> _lastHeard = [];
    private readonly HashSet<Nation> _absent = [];
    private readonly Dictionary<Nation, long> _slot = [];
    private readonly Dictionary<Nation, long> _peerSlot = [];
    private readonly Dictionary<Nation, long> _admittedAt = [];
    private readonly Dictionary<Nation, long> _holdBoundary = [];
    private readonly Dictionary<Nation, (DateTime Mark, long Batch)> _frozen = [];
    private readonly List<TrackNumberNotice> _pendingControl = [];
    private readonly List<string> _rejoins = [];
    private readonly long _slotCycles;
    private readonly HashSet<Nation> _cutNow = [];
    private readonly HashSet<Nation> _cutBefore = [];
    private readonly HashSet<MessageKey> _seen = [];
    private readonly HashSet<(Nation, long)> _seenBatches = [];
    private readonly List<BusDelivery> _inbox = [];
    private readonly ArrayBufferWriter<byte> _sizeBuffer = new(1024);
    private readonly JsonLinesReleaseAuditLog _audit;
    private readonly SemaphoreSlim _keepAliveGate = new(1, 1);
    private NatsBus? _bus;
    private IBusSubscription? _sub;
    private long _cycle;
    private long _replayMismatches;
    private long _replayMissing;
    private long _late;
    private long _partitioned;
    private long _held;
    private bool _catchingUp;
    private long _published;
    private long _released;
    private long _refused;
    private long _bytes;
    private long _detectionsSent;
    private long _batchesSent;
    private long _batchBytes;
    private long _reportsSent;
    private long _reportBytes;
    private long _noticesSent;
    private long _received;
    private long _connectRetries;
    private long _keepAlives;
    private long _publishRetries;
    private ICoalitionMessage[]? _keepAliveBatch;
    private TrackNumberNotice? _lastOwnMark;

    public NodeRunner(NodeRunOptions options)
    {
        _o = options;
        _self = options.Nation;
        Directory.CreateDirectory(options.OutputDirectory);
        _clock = new SimClock(options.Scenario.Epoch);
        _audit = new JsonLinesReleaseAuditLog(PathFor("audit.jsonl"));
        _policy = new ReleasePolicy(options.Agreements, _audit, _clock);
        var everyone = options.Agreements.Nations.Union(options.Scenario.Nations);
        _node = new NationalNode(new NodeOptions
        {
            Nation = _self,
            Tracker = Coalition.ScenarioTrackerLag.Apply(options.Tracker, options.Scenario, Coalition.ScenarioTrackerLag.DefaultCycle), // the out-of-sequence lag every node of the run derives alike
            NumberPlan = TrackNumberPlan.Default,
            ReleasableTo = everyone.Remove(_self),
            Agreements = options.Agreements,
        });
        _detectionMarking = new Marking(Classification.Secret, _self, everyone.Remove(_self));
        _measurementPartners = [.. options.Scenario.Nations.Where(p => p != _self
            && options.Agreements.TryGet(p, _self, out var a) && a.Allows(ShareCategories.Measurements)).Order()];
        _partners = [.. options.Scenario.Nations.Where(p => p != _self
            && options.Agreements.TryGet(p, _self, out var a) && (a.Allows(ShareCategories.Measurements) || a.Allows(ShareCategories.Tracks))).Order()];
        _markMarking = new Marking(Classification.Unclassified, _self, everyone.Remove(_self));
        _slotCycles = RejoinRules.SlotCycles(options.RejoinAfter, Coalition.ScenarioTrackerLag.DefaultCycle.TotalSeconds);
        foreach (var p in _measurementPartners)
        {
            _lastBatch[p] = 0;
        }

        foreach (var p in _partners)
        {
            _lastHeard[p] = 0;
            _lastMark[p] = DateTime.MinValue;
        }
    }

    /// <summary>
    /// The end-of-cycle mark of <paramref name="issuer"/>'s cycle at <paramref name="time"/>: a
    /// <see cref="TrackNumberNotice"/> of kind <see cref="TrackNumberNoticeKind.Takeover"/> with no number
    /// (<see cref="TrackNumber.None"/> kept and retired), unclassified, released under the <c>tracks</c>
    /// category, so it reaches track-only partners too. Node processes consume it; it never reaches a
    /// <see cref="NationalNode"/>.
    /// </summary>
    public static TrackNumberNotice CycleMark(Nation issuer, DateTime time, Marking marking) =>
        new(TrackNumberNoticeKind.Takeover, issuer, time, TrackNumber.None, TrackNumber.None, marking);

    /// <summary>True when <paramref name="message"/> is a partner's end-of-cycle mark (<see cref="CycleMark"/>).</summary>
    public static bool IsCycleMark(ICoalitionMessage message, out DateTime time)
    {
        if (message is TrackNumberNotice { Kind: TrackNumberNoticeKind.Takeover, Control: null } n && n.Kept == TrackNumber.None && n.Retired == TrackNumber.None)
        {
            time = n.Time;
            return true;
        }

        time = default;
        return false;
    }

    /// <summary>
    /// A lock-step control message (<see cref="LockStepControl"/>): shaped as a cycle mark of the issuer's first cycle
    /// (time = the scenario epoch) with the control appended, so a reader of the previous payload takes it for a
    /// repeated mark and ignores it; released like a mark.
    /// </summary>
    public static TrackNumberNotice Control(Nation issuer, DateTime epoch, Marking marking, LockStepControl control) =>
        CycleMark(issuer, epoch, marking) with { Control = control };

    /// <summary>The marker file a node halted by <see cref="NodeRunOptions.HaltAfter"/> writes.</summary>
    public static string HaltedPath(string directory, Nation nation) => Path.Combine(directory, nation.Code + ".halted");

    /// <summary>The picture log of <paramref name="nation"/> in <paramref name="directory"/>.</summary>
    public static string PicturePath(string directory, Nation nation) => Path.Combine(directory, nation.Code + ".picture.jsonl");

    /// <summary>The summary file of <paramref name="nation"/> in <paramref name="directory"/>.</summary>
    public static string SummaryPath(string directory, Nation nation) => Path.Combine(directory, nation.Code + ".summary.json");

    private string PathFor(string suffix) => Path.Combine(_o.OutputDirectory, _self.Code + "." + suffix);

    /// <summary>Runs the node to the end of the scenario (or <see cref="NodeRunOptions.Duration"/>).</summary>
    public async Task<NodeRunSummary> RunAsync(CancellationToken ct)
    {
        var wallStart = _o.WallClock.GetTimestamp();
        using var journal = NodeJournal.Open(PathFor("journal"));
        await ConnectAsync(ct).ConfigureAwait(false);
        var replay = journal.Entries.Count > 0 ? await ReadInboundAsync(ct).ConfigureAwait(false) : [];
        if (journal.Entries.Count > 0)
        {
            // Restart: announce it before re-executing anything, so partners count only what was published before the
            // crash towards the cycles they still run with this node present, and hold it from the first cycle that
            // needs more (a deterministic cycle, whatever the restart took).
            var resume = Control(_self, _o.Scenario.Epoch, _markMarking, LockStepControl.Resume(_self, journal.Entries.Count + 1));
            await RetryAsync(() => PublishAsync(resume, ct), ct).ConfigureAwait(false);
            _rejoins.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{_self} resumed at {journal.Entries.Count + 1}"));
        }

        using var picture = new PictureLogWriter(PicturePath(_o.OutputDirectory, _self));

        var feed = Channel.CreateBounded<CycleInput>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var engine = new ExerciseEngine(ExerciseWorld.Build(_o.Scenario), new ExerciseOptions { Duration = _o.Duration, Speed = 0 });
        using var stopEngine = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var engineTask = Task.Run(
            async () =>
            {
                try
                {
                    await engine.RunAsync(new EngineFeed(_self, feed.Writer), null, stopEngine.Token).ConfigureAwait(false);
                    feed.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    feed.Writer.TryComplete(ex);
                }
            },
            CancellationToken.None);

        var startAt = _o.StartAt ?? _o.WallClock.GetUtcNow();
        using var stopKeepAlive = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var keepAliveTask = Task.Run(() => KeepAliveAsync(stopKeepAlive.Token), CancellationToken.None);
        var partitionEnd = _o.PartitionAt + _o.PartitionFor;
        var partitioned = false;
        var applied = new List<MessageKey>();
        DateTime? previous = null;
        try
        {
            await foreach (var input in feed.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                var k = ++_cycle;
                var time = _o.Scenario.Epoch.AddSeconds(input.SimTime);
                var prev = previous;
                previous = time;
                _cutBefore.Clear();
                _cutBefore.UnionWith(_cutNow);
                _cutNow.Clear();
                foreach (var pp in _o.PartnerPartitions)
                {
                    if (pp.Covers(input.SimTime))
                    {
                        _cutNow.Add(pp.Partner);
                    }
                }

                _clock.Now = time;
                _node.ReceiveDetections(input.Own);
                applied.Clear();

                if (k <= journal.Entries.Count)
                {
                    // Replay: the same inputs, nothing published.
                    foreach (var key in journal.Entries[(int)k - 1].Applied)
                    {
                        if (replay.Remove(key, out var stored))
                        {
                            MarkSeen(stored.Delivery);
                            Apply(stored.Delivery, applied);
                        }
                        else
                        {
                            _replayMissing++;
                        }
                    }

                    if (_node.Step(time).TrackTableHash != journal.Entries[(int)k - 1].Hash)
                    {
                        _replayMismatches++;
                    }

                    if (k == journal.Entries.Count)
                    {
                        // Stream messages not yet applied when the node died come first, in stream order (lock-step
                        // controls among them are from before this restart: see Accept).
                        _catchingUp = true;
                        foreach (var d in replay.Values.OrderBy(d => d.Order))
                        {
                            Accept(d.Delivery);
                        }

                        _catchingUp = false;

                        replay.Clear();
                    }

                    continue;
                }

                var behindMs = 0L;
                if (_o.Pace is { } pace)
                {
                    var wait = startAt.AddSeconds(input.SimTime / pace) - _o.WallClock.GetUtcNow();
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, _o.WallClock, ct).ConfigureAwait(false);
                    }
                    else
                    {
                        behindMs = (long)-wait.TotalMilliseconds;
                    }
                }

                if (_o.PartitionAt is { } pa && !partitioned && input.SimTime >= pa && input.SimTime < partitionEnd)
                {
                    // The cut falls at a cycle boundary fixed by the marks, not by the scheduler: this cycle's
                    // inputs (partners' messages up to their marks of the previous cycle, and their batches of
                    // this cycle) are awaited first; the node's own batch of this cycle is never sent (partners
                    // given the schedule, --partner-partition, expect none). Cutting on whatever had arrived made
                    // the cut-off node's first partitioned cycle, and so its whole split picture, vary from run to run.
                    if (await WaitForPartnersAsync(k, prev, ct).ConfigureAwait(false))
                    {
                        _late++;
                    }

                    Drain();
                    Volatile.Write(ref _keepAliveBatch, null);
                    await _keepAliveGate.WaitAsync(ct).ConfigureAwait(false);
                    try
                    {
                        await DisconnectAsync().ConfigureAwait(false);
                    }
                    finally
                    {
                        _keepAliveGate.Release();
                    }

                    partitioned = true;
                }
                else if (partitioned && input.SimTime >= partitionEnd)
                {
                    await ConnectAsync(ct).ConfigureAwait(false);
                    partitioned = false;
                    var now = _o.WallClock.GetTimestamp();
                    foreach (var p in _partners)
                    {
                        _lastHeard[p] = now;
                    }
                }

                var published = 0L;
                if (partitioned)
                {
                    _partitioned++;
                }
                else
                {
                    var batch = new DetectionBatch(_self, time, k, [.. input.Own], _detectionMarking);
                    await RetryAsync(() => PublishAsync(batch, ct), ct).ConfigureAwait(false);
                    Volatile.Write(ref _keepAliveBatch, _lastOwnMark is { } lastMark ? [batch, lastMark] : [batch]);
                    _batchesSent++;
                    _detectionsSent += input.Own.Length;
                    published = WallMicros();
                    if (await WaitForPartnersAsync(k, prev, ct).ConfigureAwait(false))
                    {
                        _late++;
                    }

                    Drain();
                }

                Nation[] absent = [.. _absent.Order()];
                _held += absent.Length;
                ApplyInbox(k, prev, applied);
                var cycle = _node.Step(time);
                if (!partitioned && _bus is { } bus)
                {
                    var outgoing = new List<ICoalitionMessage>(cycle.Notices.Length + cycle.Reports.Length + 1);
                    outgoing.AddRange(cycle.Notices);
                    foreach (var r in cycle.Reports)
                    {
                        _sizeBuffer.ResetWrittenCount();
                        WireCodec.Encode(_sizeBuffer, _self, 0, r);
                        _reportBytes += _sizeBuffer.WrittenCount;
                        outgoing.Add(r);
                    }

                    // Then this cycle's re-join holds, and last the end-of-cycle mark (partners apply exactly what precedes
                    // it at their next cycle; a hold decided at cycle k so reaches every fellow holder by its cycle k + 1).
                    outgoing.AddRange(_pendingControl);
                    _pendingControl.Clear();
                    var mark = CycleMark(_self, time, _markMarking);
                    outgoing.Add(mark);
                    _lastOwnMark = mark;
                    await RetryAsync(() => bus.PublishManyAsync(_self, outgoing, cancellationToken: ct).AsTask(), ct).ConfigureAwait(false);
                    _noticesSent += cycle.Notices.Length;
                    _reportsSent += cycle.Reports.Length;
                }

                picture.Write(k, input.SimTime, cycle, input.Truth, published, WallMicros(), partitioned, absent, behindMs);
                journal.Append(k, cycle.TrackTableHash, applied);
                if (k == _o.HaltAfter)
                {
                    // Fault injection: a hang on a known cycle boundary (the test then kills the process).
                    await stopKeepAlive.CancelAsync().ConfigureAwait(false);
                    await keepAliveTask.ConfigureAwait(false);
                    await File.WriteAllTextAsync(HaltedPath(_o.OutputDirectory, _self), k.ToString(System.Globalization.CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                }
            }

            await engineTask.ConfigureAwait(false);
        }
        finally
        {
            await stopEngine.CancelAsync().ConfigureAwait(false);
            await stopKeepAlive.CancelAsync().ConfigureAwait(false);
            await keepAliveTask.ConfigureAwait(false);
        }

        await DisconnectAsync().ConfigureAwait(false);
        var summary = new NodeRunSummary
        {
            Nation = _self.Code,
            Cycles = _cycle,
            ReplayedCycles = journal.Entries.Count,
            ReplayMismatches = _replayMismatches,
            ReplayMissing = _replayMissing,
            LateCycles = _late,
            PartitionedCycles = _partitioned,
            HeldCycles = _held,
            Rejoins = [.. _rejoins],
            MessagesPublished = _published,
            ReleasedCopies = _released,
            ReleasesRefused = _refused,
            BytesSent = _bytes,
            DetectionsSent = _detectionsSent,
            BatchesSent = _batchesSent,
            BatchBytes = _batchBytes,
            TrackReportsSent = _reportsSent,
            TrackReportBytes = _reportBytes,
            NoticesSent = _noticesSent,
            MessagesReceived = _received,
            ConnectRetries = _connectRetries,
            KeepAlives = _keepAlives,
            PublishRetries = _publishRetries,
            PictureTracks = _node.Picture.Length,
            WallSeconds = _o.WallClock.GetElapsedTime(wallStart).TotalSeconds,
        };
        await File.WriteAllTextAsync(SummaryPath(_o.OutputDirectory, _self), JsonSerializer.Serialize(summary, SummaryJson.Options), ct).ConfigureAwait(false);
        return summary;
    }

    /// <summary>
    /// Keep-alive: every third of the silence bound, re-publishes the node's latest batch (partners keep
    /// the first copy of a cycle's batch and only note that the sender is alive), together with its latest
    /// end-of-cycle mark, which also reaches track-only partners (a batch does not). A node that is waiting
    /// for a third node, or starved of CPU, must not be declared absent by its partners — only a node
    /// that is gone (killed, partitioned) falls silent. Runs beside the cycle loop.
    /// </summary>
    private async Task KeepAliveAsync(CancellationToken ct)
    {
        var period = _o.PartnerSilence / 3;
        ICoalitionMessage[]? last = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(period, _o.WallClock, ct).ConfigureAwait(false);
                var batch = Volatile.Read(ref _keepAliveBatch);
                if (batch is null || !ReferenceEquals(batch, last))
                {
                    last = batch; // a new batch went out this period: nothing to add
                    continue;
                }

                await _keepAliveGate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    if (_bus is { } bus && ReferenceEquals(Volatile.Read(ref _keepAliveBatch), batch))
                    {
                        await bus.PublishManyAsync(_self, batch, cancellationToken: ct).ConfigureAwait(false);
                        Interlocked.Increment(ref _keepAlives);
                    }
                }
                catch (NatsException)
                {
                    // connection trouble: the cycle loop sees it too
                }
                finally
                {
                    _keepAliveGate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Runs a publication, retrying up to 5 times (0.5 s apart) when the server does not acknowledge in
    /// time: on a loaded machine a JetStream acknowledgement can exceed the client's request timeout
    /// ("No response received from the server"), which killed a node in the first fault runs. A retry
    /// carries new sender sequences, so a partner may receive a copy twice: batches are deduplicated
    /// by (source, cycle), a report received twice is the same state twice.
    /// </summary>
    private async Task RetryAsync(Func<Task> publish, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await publish().ConfigureAwait(false);
                return;
            }
            catch (NatsException) when (attempt < 5 && !ct.IsCancellationRequested)
            {
                _publishRetries++;
                await Task.Delay(TimeSpan.FromMilliseconds(500), _o.WallClock, ct).ConfigureAwait(false);
            }
        }
    }

    private long WallMicros() => _o.WallClock.GetUtcNow().UtcTicks / 10;

    /// <summary>
    /// Connects and subscribes, retrying (0.25 s doubling to 2 s) until <see cref="NodeRunOptions.ConnectFor"/>
    /// has passed: a node started or healed while the server is busy (or restarting) must not give up
    /// on the first refused or timed-out connection.
    /// </summary>
    private async Task ConnectAsync(CancellationToken ct)
    {
        var start = _o.WallClock.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                _bus = await NatsBus.ConnectAsync(NatsBusOptions.From(_o.Url, _o.Credentials), _policy, ct).ConfigureAwait(false);
                _sub = await _bus.SubscribeAsync(_self, new SubscriptionOptions(1 << 16), ct).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is NatsException or TimeoutException && !ct.IsCancellationRequested
                && _o.WallClock.GetElapsedTime(start) + delay < _o.ConnectFor)
            {
                await DisconnectAsync().ConfigureAwait(false);
                _connectRetries++;
                await Task.Delay(delay, _o.WallClock, ct).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    private async Task DisconnectAsync()
    {
        if (_bus is { } bus)
        {
            AddCounters(bus);
            if (_sub is { } sub)
            {
                await sub.DisposeAsync().ConfigureAwait(false);
            }

            await bus.DisposeAsync().ConfigureAwait(false);
        }

        _bus = null;
        _sub = null;
    }

    private void AddCounters(NatsBus bus)
    {
        var c = bus.Counters;
        _published += c.Published;
        _released += c.Delivered;
        _refused += c.Refused;
        _bytes += c.BytesSent;
    }

    private async Task PublishAsync(ICoalitionMessage message, CancellationToken ct)
    {
        if (_bus is null)
        {
            return;
        }

        _sizeBuffer.ResetWrittenCount();
        WireCodec.Encode(_sizeBuffer, _self, 0, message);
        if (message is TrackReport)
        {
            _reportBytes += _sizeBuffer.WrittenCount;
        }
        else if (message is DetectionBatch)
        {
            _batchBytes += _sizeBuffer.WrittenCount;
        }

        await _bus.PublishAsync(_self, message, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until every present partner has finished its previous cycle (its end-of-cycle mark at
    /// <paramref name="previous"/> has arrived) and every present measurement partner's batch of this
    /// cycle has arrived; true when it gave up on one. A partner never heard from yet (still starting)
    /// is given <see cref="NodeRunOptions.PartnerStartup"/>. A partner held absent is not waited for before
    /// its re-join slot; at the slot it is waited for (<see cref="NodeRunOptions.RejoinWait"/>) and re-admitted.
    /// </summary>
    private async Task<bool> WaitForPartnersAsync(long k, DateTime? previous, CancellationToken ct)
    {
        var start = _o.WallClock.GetTimestamp();
        var late = false;
        while (_sub is { } sub)
        {
            var wait = TimeSpan.MaxValue;
            foreach (var p in _partners)
            {
                TimeSpan left;
                if (_slot.TryGetValue(p, out var slot))
                {
                    if (k < slot)
                    {
                        continue; // held: its inputs do not count before the slot
                    }

                    if (Caught(p, k, previous))
                    {
                        Admit(p, k);
                        continue;
                    }

                    left = _o.RejoinWait - _o.WallClock.GetElapsedTime(start);
                    if (left <= TimeSpan.Zero)
                    {
                        Hold(p, k, previous, slot + _slotCycles, "slot missed");
                        late = true;
                        continue;
                    }
                }
                else if (Caught(p, k, previous))
                {
                    continue;
                }
                else if (_frozen.ContainsKey(p))
                {
                    // Restarted (its Resume is in): what it published before the crash does not cover this cycle.
                    Hold(p, k, previous, k + _slotCycles, "restarted");
                    continue;
                }
                else
                {
                    var bound = _lastHeard[p] == 0 ? _o.PartnerStartup : _o.PartnerSilence;
                    left = bound - _o.WallClock.GetElapsedTime(Math.Max(start, _lastHeard[p]));
                    if (left <= TimeSpan.Zero)
                    {
                        Hold(p, k, previous, k + _slotCycles, "silent");
                        late = true;
                        continue;
                    }
                }

                wait = left < wait ? left : wait;
            }

            if (wait == TimeSpan.MaxValue)
            {
                return late;
            }

            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(wait);
            try
            {
                if (!await sub.Reader.WaitToReadAsync(cts.Token).ConfigureAwait(false))
                {
                    return true; // the subscription ended (connection lost)
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
            }

            Drain();
        }

        return late;
    }

    /// <summary>
    /// Holds <paramref name="partner"/> absent from cycle <paramref name="k"/> until the re-join slot: the larger of
    /// <paramref name="slot"/> and any slot a fellow holder announced, and announces it (a <see cref="LockStepControlKind.Hold"/>
    /// published before this cycle's mark). What it published before its mark of the previous cycle, when that mark
    /// was in (before any restart announcement), still counts now; the rest waits for the slot.
    /// </summary>
    private void Hold(Nation partner, long k, DateTime? previous, long slot, string why)
    {
        var mark = _frozen.TryGetValue(partner, out var f) ? f.Mark : _lastMark[partner];
        if (previous is { } t && mark >= t && _markSequence.TryGetValue((partner, t), out var boundary))
        {
            _holdBoundary[partner] = boundary;
        }
        else
        {
            _holdBoundary.Remove(partner);
        }

        slot = RejoinRules.Agree(slot, _peerSlot.GetValueOrDefault(partner));
        _slot[partner] = slot;
        _absent.Add(partner);
        _frozen.Remove(partner);
        _pendingControl.Add(Control(_self, _o.Scenario.Epoch, _markMarking, LockStepControl.Hold(partner, slot)));
        _rejoins.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{partner} held at {k} ({why}), slot {slot}"));
    }

    private void Admit(Nation partner, long k)
    {
        _slot.Remove(partner);
        _absent.Remove(partner);
        _peerSlot.Remove(partner);
        _admittedAt[partner] = k;
        _rejoins.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{partner} re-admitted at {k}"));
    }

    /// <summary>
    /// True when <paramref name="partner"/> has sent everything cycle <paramref name="k"/> needs from it: its
    /// mark of the previous cycle (unless the previous cycle fell in a scheduled partition of the partner:
    /// it published none) and, from a measurement partner, its batch k (unless this cycle falls in one).
    /// After a partner's restart announcement, only what it published before the announcement counts.
    /// </summary>
    private bool Caught(Nation partner, long k, DateTime? previous)
    {
        var frozen = _frozen.TryGetValue(partner, out var f);
        var mark = frozen ? f.Mark : _lastMark[partner];
        return (previous is not { } t || _cutBefore.Contains(partner) || mark >= t)
            && (_cutNow.Contains(partner) || !_lastBatch.TryGetValue(partner, out var b) || (frozen ? f.Batch : b) >= k);
    }

    private void Drain()
    {
        if (_sub is not { } sub)
        {
            return;
        }

        while (sub.Reader.TryRead(out var d))
        {
            Accept(d);
        }
    }

    /// <summary>
    /// Hands the node, from each present partner, exactly the messages it published up to its
    /// end-of-cycle mark of the previous cycle, plus its batch of this cycle; later messages (a partner
    /// already ahead) stay in the inbox for the next cycle. From a partner held absent, only what it
    /// published before its last mark counted at the hold; its other messages wait for its re-join slot, where the same rule applies (so everything it published up to its mark of
    /// the cycle before the slot goes in then) and its batches of cycles before the slot are dropped. From a
    /// sender that is not a partner of this node, everything received goes in. So every node's inputs at
    /// cycle k are fixed by the protocol, not by wall-clock timing — the embedded run's order (reports of
    /// k−1 and batches of k before step k).
    /// </summary>
    private void ApplyInbox(long k, DateTime? previous, List<MessageKey> applied)
    {
        var kept = 0;
        for (var i = 0; i < _inbox.Count; i++)
        {
            var d = _inbox[i];
            if (Stale(d))
            {
                continue;
            }

            if (Due(d, k, previous))
            {
                Apply(d, applied);
            }
            else
            {
                _inbox[kept++] = d;
            }
        }

        _inbox.RemoveRange(kept, _inbox.Count - kept);
    }

    /// <summary>A batch of a re-admitted partner for a cycle before its re-join slot (stepped without it): dropped.</summary>
    private bool Stale(BusDelivery d) =>
        d.Message is DetectionBatch b && _admittedAt.TryGetValue(d.From, out var at) && b.Sequence < at;

    private bool Due(BusDelivery d, long k, DateTime? previous)
    {
        var p = d.From;
        if (!_lastMark.ContainsKey(p))
        {
            return true;
        }

        if (_slot.TryGetValue(p, out var slot) && k < slot)
        {
            return d.Message is not DetectionBatch && _holdBoundary.TryGetValue(p, out var counted) && d.Sequence < counted;
        }

        if (d.Message is DetectionBatch b)
        {
            return b.Sequence <= k;
        }

        return previous is { } t && _markSequence.TryGetValue((p, t), out var boundary) && d.Sequence < boundary;
    }

    /// <summary>
    /// A lock-step control from a partner: a fellow holder's re-join slot (the largest wins), or a partner's restart
    /// announcement (from here on only what it published before counts until it is held and re-admitted).
    /// </summary>
    private void OnControl(Nation from, LockStepControl c)
    {
        switch (c.Kind)
        {
            case LockStepControlKind.Hold when c.Node != _self && _lastMark.ContainsKey(c.Node):
                _peerSlot[c.Node] = RejoinRules.Agree(c.Cycle, _peerSlot.GetValueOrDefault(c.Node));
                if (_slot.TryGetValue(c.Node, out var mine) && c.Cycle > mine)
                {
                    _slot[c.Node] = c.Cycle;
                    _rejoins.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{c.Node} slot {c.Cycle} (from {from})"));
                }
                else if (!_slot.ContainsKey(c.Node) && _admittedAt.TryGetValue(c.Node, out var at) && c.Cycle > at && _cycle >= c.Cycle)
                {
                    _rejoins.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{c.Node} slot {c.Cycle} from {from} came after this node passed it (cycle {_cycle})"));
                }

                break;
            case LockStepControlKind.Resume when c.Node == from && _lastMark.TryGetValue(from, out var lastMark) && !_slot.ContainsKey(from):
                _frozen[from] = (lastMark, _lastBatch.GetValueOrDefault(from));
                _rejoins.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{from} resumed at {c.Cycle} (seen at {_cycle})"));
                break;
        }
    }

    private void MarkSeen(BusDelivery d)
    {
        _seen.Add(new MessageKey(d.From, d.Sequence));
        if (d.Message is DetectionBatch b)
        {
            _seenBatches.Add((b.Source, b.Sequence));
            if (_lastBatch.TryGetValue(d.From, out var last) && b.Sequence > last)
            {
                _lastBatch[d.From] = b.Sequence;
            }
        }
    }

    /// <summary>Takes a delivery into the inbox unless it is a duplicate (by sender sequence, or a batch of a cycle already received).</summary>
    private void Accept(BusDelivery d)
    {
        if (!_seen.Add(new MessageKey(d.From, d.Sequence)))
        {
            return;
        }

        _received++;
        if (_lastHeard.ContainsKey(d.From))
        {
            _lastHeard[d.From] = _o.WallClock.GetTimestamp();
        }

        if (d.Message is TrackNumberNotice { Control: { } control })
        {
            // A control read back from the stream after this node's own restart is history (holds are not journaled, and a
            // partner's old restart announcement would freeze its presence at a stale mark): only live controls count.
            if (!_catchingUp)
            {
                OnControl(d.From, control);
            }

            return;
        }

        if (IsCycleMark(d.Message, out var markTime))
        {
            if (_lastMark.TryGetValue(d.From, out var lastMark))
            {
                // The first copy of a cycle's mark is the boundary (a re-executed cycle after a restart publishes it again).
                _markSequence.TryAdd((d.From, markTime), d.Sequence);
                _lastMark[d.From] = markTime > lastMark ? markTime : lastMark;
            }

            return;
        }

        if (d.Message is DetectionBatch b)
        {
            if (!_seenBatches.Add((b.Source, b.Sequence)))
            {
                return;
            }

            if (_lastBatch.TryGetValue(d.From, out var last) && b.Sequence > last)
            {
                _lastBatch[d.From] = b.Sequence;
            }
        }

        _inbox.Add(d);
    }

    private void Apply(BusDelivery d, List<MessageKey> applied)
    {
        switch (d.Message)
        {
            case DetectionBatch b:
                _node.Receive(b);
                break;
            case TrackReport r:
                _node.Receive(r);
                break;
            case TrackNumberNotice n:
                _node.Receive(n);
                break;
            default:
                return; // alerts / engagements: not used by the node process yet
        }

        applied.Add(new MessageKey(d.From, d.Sequence));
    }

    private readonly record struct Stored(long Order, BusDelivery Delivery);

    /// <summary>Reads every message of this node's inbound stream (catch-up after a restart), keyed by sender sequence.</summary>
    private async Task<Dictionary<MessageKey, Stored>> ReadInboundAsync(CancellationToken ct)
    {
        // The bus unpacks its frames (wire schema 2: several messages per stored NATS message).
        var stored = await _bus!.ReadInboundAsync(ct).ConfigureAwait(false);
        var result = new Dictionary<MessageKey, Stored>(stored.Count);
        for (var i = 0; i < stored.Count; i++)
        {
            var d = stored[i];
            result[new MessageKey(d.From, d.Sequence)] = new Stored(i, d);
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync().ConfigureAwait(false);
        _audit.Dispose();
        _keepAliveGate.Dispose();
    }

    /// <summary>The simulated cycle time (drives the release audit's timestamps).</summary>
    private sealed class SimClock(DateTime epoch) : TimeProvider
    {
        public DateTime Now { get; set; } = epoch;

        public override DateTimeOffset GetUtcNow() => new(DateTime.SpecifyKind(Now, DateTimeKind.Utc));
    }
}

/// <summary>
/// The arithmetic of the re-join cycle (docs/network.md "Re-join cycle"): a partner held absent from cycle a is
/// re-admitted at the slot R = a + W, W ≥ <see cref="MinimumSlotCycles"/>; every holder announces its slot before its
/// mark of cycle a and takes the largest slot it receives.
/// </summary>
/// <remarks>
/// Why W ≥ 3 makes the slot agreed before anyone reaches it: two holders P and Q are partners in lock step, so
/// Q cannot start cycle c + 1 before P's mark of cycle c is in, and a partner's inputs run out at the same
/// cycle for every holder, give or take the one cycle between a batch and the next mark: |a_P − a_Q| ≤ 1. Q's
/// hold, announced before Q's mark of a_Q, is with P by P's cycle a_Q + 1 ≤ a_P + 2 &lt; a_P + W. So both hold
/// the same max(a_P, a_Q) + W before either reaches it.
/// </remarks>
internal static class RejoinRules
{
    /// <summary>The smallest slot length in cycles (see remarks).</summary>
    public const long MinimumSlotCycles = 3;

    /// <summary>The slot length in cycles for <paramref name="rejoinAfterSeconds"/> of simulated time at one cycle per <paramref name="cycleSeconds"/>.</summary>
    public static long SlotCycles(double rejoinAfterSeconds, double cycleSeconds) =>
        Math.Max(MinimumSlotCycles, (long)Math.Ceiling((rejoinAfterSeconds / cycleSeconds) - 1e-9));

    /// <summary>The agreed slot of two announcements: the later one (a node that waits longer never re-admits too early).</summary>
    public static long Agree(long slot, long other) => Math.Max(slot, other);
}

/// <summary>JSON options of the summary files.</summary>
internal static class SummaryJson
{
    public static JsonSerializerOptions Options { get; } = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
