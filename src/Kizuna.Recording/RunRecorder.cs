using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Kizuna.Core;
using Kizuna.Core.Picture;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Kizuna.Recording;

/// <summary>
/// Records one run into one SQLite file (schema: <see cref="RecordingSchema"/>, docs/recording.md).
/// <c>Record*</c> calls only append to double-buffered queues (thread-safe; no per-row allocation
/// in steady state); a background writer swaps the buffers and drains them into prepared
/// statements — truth, detections, picture tracks, alerts and release decisions packed up to 1,024 rows per blob — one
/// transaction per <see cref="RunRecorderOptions.FlushInterval"/> of wall time, per
/// <see cref="RunRecorderOptions.MaxRowsPerTransaction"/> rows, or per half
/// <see cref="RunRecorderOptions.MaxBacklog"/> of recorded (simulated) time, whichever comes first.
/// </summary>
/// <remarks>
/// <para>The file uses <c>journal_mode=WAL</c> and <c>synchronous=NORMAL</c>: a commit is one append to
/// the write-ahead log without an fsync, so it survives a crash of the process (the log is in
/// the OS page cache) but may be lost on a power failure since the last checkpoint (SQLite
/// documentation, "Write-Ahead Logging" and "PRAGMA synchronous").</para>
/// <para>Backpressure: the recorder keeps a clock, the latest row time queued so far. A
/// <c>Record*</c> call that would move that clock more than <see cref="RunRecorderOptions.MaxBacklog"/>
/// past the clock at which the oldest uncommitted row was queued blocks until the writer has
/// committed. Hence at any instant every row queued at a clock earlier than (clock − MaxBacklog)
/// is committed, and a crash loses at most the rows of the last MaxBacklog of recorded time.</para>
/// <para>Thread safety: every <c>Record*</c> method and <see cref="FlushAsync"/> may be called from any thread.</para>
/// </remarks>
public sealed class RunRecorder : IDisposable, IAsyncDisposable
{
    private const int UtfCacheLimit = 4096;
    private const long NoRow = long.MaxValue;

    private readonly SqliteConnection _connection;
    private readonly RunRecorderOptions _options;
    private readonly object _gate = new();
    private readonly RowBuffer<Detection> _detections = new();
    private readonly RowBuffer<TruthState> _truth = new();
    private readonly RowBuffer<TrackRow> _tracks = new();
    private readonly RowBuffer<Alert> _alerts = new();
    private readonly RowBuffer<ReleaseRow> _releases = new();
    private readonly RowBuffer<object> _other = new();
    private readonly ConcurrentQueue<TaskCompletionSource> _flushWaiters = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Dictionary<string, byte[]> _utf8 = new(StringComparer.Ordinal);
    private readonly Dictionary<object, string> _joined = new(ReferenceEqualityComparer.Instance);
    private readonly BatchEncoder _batch = new();
    private readonly long _maxBacklogUs;
    private readonly Task _writer;
    private readonly Statements _statements;
    private volatile bool _stopping;
    private volatile Exception? _fault;
    private long _pending;
    private long _rowsWritten;
    private long _transactions;
    private long _producerWaits;
    private long _clockUs = long.MinValue;
    private long _frontOldestUs = NoRow;
    private long _inFlightOldestUs = NoRow;
    private bool _spanWakeSent;
    private bool _disposed;

    private RunRecorder(SqliteConnection connection, RunRecorderOptions options)
    {
        _connection = connection;
        _options = options;
        _maxBacklogUs = (long)options.MaxBacklog.TotalMicroseconds;
        _statements = new Statements(connection.Handle!);
        _writer = Task.Run(WriterLoopAsync);
    }

    /// <summary>The file being written.</summary>
    public string Path { get; private init; } = "";

    /// <summary>Rows committed so far (a row is one truth sample, detection, track, alert … not one blob).</summary>
    public long RowsWritten => Interlocked.Read(ref _rowsWritten);

    /// <summary>Transactions committed so far.</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>How many times a <c>Record*</c> call waited for the writer (backpressure).</summary>
    public long ProducerWaits => Interlocked.Read(ref _producerWaits);

    /// <summary>
    /// Creates a new recording file (it must not exist), writes the schema, the schema version and
    /// the run metadata, and starts the background writer.
    /// </summary>
    public static RunRecorder Create(string path, RunMetadata metadata, RunRecorderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        options ??= new RunRecorderOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRowsPerTransaction, 1);
        if (options.FlushInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "FlushInterval must be positive.");
        }

        if (options.MaxBacklog <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxBacklog must be positive.");
        }

        if (File.Exists(path))
        {
            throw new IOException($"{path}: a file already exists; a recording is never overwritten.");
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();
        try
        {
            using (var pragma = connection.CreateCommand())
            {
                // page_size must be set before the first table and before WAL mode.
                pragma.CommandText = "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
                pragma.ExecuteNonQuery();
            }

            using var tx = connection.BeginTransaction();
            using (var create = connection.CreateCommand())
            {
                create.CommandText = RecordingSchema.CreateSql;
                create.ExecuteNonQuery();
                create.CommandText = "INSERT INTO schema_version VALUES ($v, $by)";
                create.Parameters.AddWithValue("$v", RecordingSchema.Version);
                create.Parameters.AddWithValue("$by", "Kizuna.Recording " + typeof(RunRecorder).Assembly.GetName().Version);
                create.ExecuteNonQuery();
            }

            using (var run = connection.CreateCommand())
            {
                run.CommandText = "INSERT INTO run VALUES (1, $scenario, $seed, $start, $nations, $versions, $description)";
                run.Parameters.AddWithValue("$scenario", metadata.Scenario);
                run.Parameters.AddWithValue("$seed", metadata.Seed);
                run.Parameters.AddWithValue("$start", RecordingSchema.ToMicros(metadata.Start));
                run.Parameters.AddWithValue("$nations", string.Join(",", metadata.Nations.Select(n => n.Code)));
                run.Parameters.AddWithValue("$versions", metadata.Versions);
                run.Parameters.AddWithValue("$description", metadata.Description);
                run.ExecuteNonQuery();
            }

            tx.Commit();
            return new RunRecorder(connection, options) { Path = path };
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Queues one detection (may wait for the writer: see the class remarks on backpressure).</summary>
    public void RecordDetection(in Detection detection)
    {
        ThrowIfFaulted();
        lock (_gate)
        {
            Admit(RecordingSchema.ToMicros(detection.Time), 1);
            _detections.Add(in detection);
        }

        Queued(1);
    }

    /// <summary>Queues a batch of detections (may wait for the writer).</summary>
    public void RecordDetections(ReadOnlySpan<Detection> detections)
    {
        ThrowIfFaulted();
        if (detections.IsEmpty)
        {
            return;
        }

        var latest = long.MinValue;
        foreach (ref readonly var d in detections)
        {
            latest = Math.Max(latest, RecordingSchema.ToMicros(d.Time));
        }

        lock (_gate)
        {
            Admit(latest, detections.Length);
            _detections.AddRange(detections);
        }

        Queued(detections.Length);
    }

    /// <summary>Queues one truth state (may wait for the writer).</summary>
    public void RecordTruth(in TruthState state)
    {
        ThrowIfFaulted();
        lock (_gate)
        {
            Admit(RecordingSchema.ToMicros(state.Time), 1);
            _truth.Add(in state);
        }

        Queued(1);
    }

    /// <summary>Queues one track of <paramref name="viewer"/>'s picture (the track as that nation's node holds it; may wait for the writer).</summary>
    public void RecordTrack(Nation viewer, PictureTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        ThrowIfFaulted();
        lock (_gate)
        {
            Admit(RecordingSchema.ToMicros(track.Time), 1);
            _tracks.Add(new TrackRow(viewer, track));
        }

        Queued(1);
    }

    /// <summary>Queues a true object's description.</summary>
    public void RecordTruthObject(TruthObjectRecord truthObject) => EnqueueOther(truthObject, long.MinValue);

    /// <summary>Queues a defended asset.</summary>
    public void RecordAsset(DefendedAssetRecord asset) => EnqueueOther(asset, long.MinValue);

    /// <summary>Queues an alert issue (issued, updated, cleared; packed into <c>alert_batch</c> blobs; may wait for the writer).</summary>
    public void RecordAlert(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ThrowIfFaulted();
        lock (_gate)
        {
            Admit(RecordingSchema.ToMicros(alert.Time), 1);
            _alerts.Add(alert);
        }

        Queued(1);
    }

    /// <summary>Queues an engagement status change (call on every change).</summary>
    public void RecordEngagement(Engagement engagement) => EnqueueOther(engagement, RecordingSchema.ToMicros(engagement?.Time ?? default));

    /// <summary>Queues a decision.</summary>
    public void RecordDecision(DecisionRecord decision) => EnqueueOther(decision, RecordingSchema.ToMicros(decision?.Time ?? default));

    /// <summary>Queues a release-audit decision.</summary>
    public void RecordRelease(ReleaseDecisionRecord decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        RecordRelease(decision.Time, decision.From, decision.To, decision.ItemKind, decision.ItemId, decision.Released, decision.Rule);
    }

    /// <summary>
    /// Queues a release-audit decision without allocating (the fields of a <see cref="ReleaseDecisionRecord"/>;
    /// packed into <c>release_batch</c> blobs; may wait for the writer). Pass strings that are reused
    /// across decisions (item kinds, rules): each blob stores a distinct string once.
    /// </summary>
    public void RecordRelease(DateTime time, Nation from, Nation to, string itemKind, string itemId, bool released, string rule)
    {
        ArgumentNullException.ThrowIfNull(itemKind);
        ArgumentNullException.ThrowIfNull(itemId);
        ArgumentNullException.ThrowIfNull(rule);
        ThrowIfFaulted();
        var micros = RecordingSchema.ToMicros(time);
        lock (_gate)
        {
            Admit(micros, 1);
            _releases.Add(new ReleaseRow(micros, from, to, itemKind, itemId, released, rule));
        }

        Queued(1);
    }

    /// <summary>Queues an exercise event.</summary>
    public void RecordEvent(RunEventRecord runEvent) => EnqueueOther(runEvent, RecordingSchema.ToMicros(runEvent?.Time ?? default));

    /// <summary>Completes when every row queued before the call is committed.</summary>
    public Task FlushAsync()
    {
        ThrowIfFaulted();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _flushWaiters.Enqueue(done);
        _wake.Release();
        return done.Task;
    }

    /// <summary>Commits everything queued, stops the writer, checkpoints the log into the file and closes it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping = true;
        _wake.Release();
        try
        {
            await _writer.ConfigureAwait(false);
        }
        finally
        {
            _statements.Dispose();
            if (_fault is null)
            {
                using var checkpoint = _connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                checkpoint.ExecuteNonQuery();
            }

            await _connection.DisposeAsync().ConfigureAwait(false);
            _wake.Dispose();
        }

        if (_fault is { } fault)
        {
            throw new InvalidOperationException($"{Path}: the recorder's writer failed: {fault.Message}", fault);
        }
    }

    /// <inheritdoc cref="DisposeAsync"/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void EnqueueOther(object row, long micros)
    {
        ArgumentNullException.ThrowIfNull(row);
        ThrowIfFaulted();
        lock (_gate)
        {
            Admit(micros, 1);
            _other.Add(row);
        }

        Queued(1);
    }

    /// <summary>
    /// Under <see cref="_gate"/>: advances the clock to <paramref name="micros"/> (when later), first
    /// waiting while that would leave an uncommitted row more than MaxBacklog behind it; stamps the
    /// rows about to be queued.
    /// </summary>
    private void Admit(long micros, int rows)
    {
        var clock = Math.Max(_clockUs, micros);
        while (Oldest() != NoRow && clock - Oldest() > _maxBacklogUs && _fault is null && !_stopping)
        {
            Interlocked.Increment(ref _producerWaits);
            _wake.Release();
            Monitor.Wait(_gate);
        }

        _clockUs = clock;
        if (_frontOldestUs == NoRow && rows > 0)
        {
            _frontOldestUs = clock;
            _spanWakeSent = false;
        }

        if (!_spanWakeSent && clock - Oldest() >= _maxBacklogUs / 2)
        {
            // Half the backlog is queued: commit now, so producers rarely have to wait.
            _spanWakeSent = true;
            _wake.Release();
        }
    }

    private long Oldest() => Math.Min(_frontOldestUs, _inFlightOldestUs);

    private void Queued(int rows)
    {
        var before = Interlocked.Add(ref _pending, rows) - rows;
        var max = _options.MaxRowsPerTransaction;
        if (before / max != (before + rows) / max)
        {
            _wake.Release();
        }
    }

    private void ThrowIfFaulted()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fault is { } fault)
        {
            throw new InvalidOperationException($"{Path}: the recorder's writer failed: {fault.Message}", fault);
        }
    }

    private async Task WriterLoopAsync()
    {
        try
        {
            while (!_stopping)
            {
                using (var timeout = new CancellationTokenSource(_options.FlushInterval, _options.WallClock))
                {
                    try
                    {
                        await _wake.WaitAsync(timeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // Flush interval elapsed.
                    }
                }

                DrainAndRelease();
            }

            DrainAndRelease();
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException or RecordingFormatException)
        {
            _fault = ex;
            while (_flushWaiters.TryDequeue(out var waiter))
            {
                waiter.TrySetException(ex);
            }

            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void DrainAndRelease()
    {
        // Waiters registered before the drain starts see all their rows committed by its end.
        var waiters = _flushWaiters.Count;
        Drain();
        for (var i = 0; i < waiters && _flushWaiters.TryDequeue(out var waiter); i++)
        {
            waiter.TrySetResult();
        }
    }

    private void Drain()
    {
        var db = _connection.Handle!;
        var max = _options.MaxRowsPerTransaction;
        lock (_gate)
        {
            _detections.Swap();
            _truth.Swap();
            _tracks.Swap();
            _alerts.Swap();
            _releases.Swap();
            _other.Swap();
            _inFlightOldestUs = _frontOldestUs;
            _frontOldestUs = NoRow;
            _spanWakeSent = false;
        }

        while (true)
        {
            var inTransaction = 0;
            Exec(db, "BEGIN");
            int written;
            while (inTransaction < max && (written = WriteSome(max - inTransaction)) > 0)
            {
                inTransaction += written;
            }

            if (inTransaction == 0)
            {
                Exec(db, "ROLLBACK");
                break;
            }

            Exec(db, "COMMIT");
            Interlocked.Add(ref _pending, -inTransaction);
            Interlocked.Add(ref _rowsWritten, inTransaction);
            Interlocked.Increment(ref _transactions);
            if (inTransaction < max)
            {
                break;
            }
        }

        lock (_gate)
        {
            // Everything swapped out above is committed: producers waiting on it may go on.
            _inFlightOldestUs = NoRow;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Writes the next rows of the back buffers (a blob of up to <paramref name="budget"/> rows, or one other row); returns how many.</summary>
    private int WriteSome(int budget)
    {
        var limit = Math.Min(budget, BatchEncoder.MaxRows);
        if (_detections.TryPeek(out _))
        {
            _batch.Reset();
            while (_batch.Count < limit && _detections.TryTake(out var d))
            {
                BatchRows.Write(_batch, in d);
            }

            return WriteBatch(_statements.DetectionBatch, viewer: null);
        }

        if (_truth.TryPeek(out _))
        {
            _batch.Reset();
            while (_batch.Count < limit && _truth.TryTake(out var s))
            {
                BatchRows.Write(_batch, in s);
            }

            return WriteBatch(_statements.TruthBatch, viewer: null);
        }

        if (_tracks.TryPeek(out var first))
        {
            // One blob per run of consecutive tracks of the same viewer (a node's picture of one cycle).
            _batch.Reset();
            while (_batch.Count < limit && _tracks.TryPeek(out var t) && t.Viewer == first.Viewer)
            {
                _tracks.TryTake(out _);
                BatchRows.Write(_batch, t.Track, ReleasableText(t.Track.Marking), SensorsText(t.Track.Sensors));
            }

            return WriteBatch(_statements.TrackBatch, first.Viewer.Code);
        }

        if (_alerts.TryPeek(out _))
        {
            _batch.Reset();
            while (_batch.Count < limit && _alerts.TryTake(out var a))
            {
                BatchRows.Write(_batch, a, ReleasableText(a.Marking));
            }

            return WriteBatch(_statements.AlertBatch, viewer: null);
        }

        if (_releases.TryPeek(out _))
        {
            _batch.Reset();
            while (_batch.Count < limit && _releases.TryTake(out var r))
            {
                BatchRows.Write(_batch, in r);
            }

            return WriteBatch(_statements.ReleaseBatch, viewer: null);
        }

        if (_other.TryTake(out var o))
        {
            WriteOther(o);
            return 1;
        }

        return 0;
    }

    private int WriteBatch(RawInsert s, string? viewer)
    {
        var i = 1;
        s.Integer(i++, _batch.MinTime);
        s.Integer(i++, _batch.MaxTime);
        if (viewer is not null)
        {
            s.Text(i++, Utf8(viewer));
        }

        s.Integer(i++, _batch.Count);
        s.Blob(i, _batch.Finish());
        s.Execute();
        return _batch.Count;
    }

    private void WriteOther(object row)
    {
        switch (row)
        {
            case Engagement e:
                {
                    var s = _statements.Engagement;
                    s.Integer(1, RecordingSchema.ToMicros(e.Time));
                    s.Text(2, e.Id);
                    s.Integer(3, (long)e.Status);
                    s.Integer(4, e.Threat.Value);
                    s.Text(5, e.BatteryId);
                    s.Text(6, Utf8(e.Owner.Code));
                    s.Text(7, e.DecidedBy);
                    s.Integer(8, RecordingSchema.ToMicros(e.PlannedIntercept));
                    s.Real(9, e.KillProbability);
                    s.Integer(10, (long)e.Marking.Classification);
                    s.Text(11, Utf8(e.Marking.Originator.Code));
                    s.Text(12, ReleasableText(e.Marking));
                    s.Execute();
                    break;
                }

            case DecisionRecord d:
                {
                    var s = _statements.Decision;
                    s.Integer(1, RecordingSchema.ToMicros(d.Time));
                    s.Text(2, d.Actor);
                    s.Text(3, d.Role);
                    s.Text(4, Utf8(d.Nation.Code));
                    s.Text(5, d.Action);
                    s.Text(6, d.Subject);
                    s.Text(7, d.Reason);
                    s.Execute();
                    break;
                }

            case RunEventRecord ev:
                {
                    var s = _statements.Event;
                    s.Integer(1, RecordingSchema.ToMicros(ev.Time));
                    s.Text(2, ev.Kind);
                    s.Text(3, ev.Subject);
                    s.Integer(4, ev.TruthId);
                    s.Text(5, ev.Detail);
                    s.Execute();
                    break;
                }

            case TruthObjectRecord o:
                {
                    var s = _statements.TruthObject;
                    s.Integer(1, o.TruthId);
                    s.Text(2, o.Name);
                    s.Text(3, o.Kind);
                    s.Integer(4, o.IsThreat ? 1 : 0);
                    s.Execute();
                    break;
                }

            case DefendedAssetRecord a:
                {
                    var s = _statements.Asset;
                    s.Text(1, a.Name);
                    s.Text(2, Utf8(a.Nation.Code));
                    s.Real(3, a.Position.LatitudeDeg);
                    s.Real(4, a.Position.LongitudeDeg);
                    s.Real(5, a.Position.HeightM);
                    s.Execute();
                    break;
                }

            default:
                throw new InvalidOperationException($"Unknown row type {row.GetType().Name}.");
        }
    }

    private byte[] Utf8(string text)
    {
        if (!_utf8.TryGetValue(text, out var bytes))
        {
            if (_utf8.Count >= UtfCacheLimit)
            {
                _utf8.Clear();
            }

            bytes = Encoding.UTF8.GetBytes(text);
            _utf8[text] = bytes;
        }

        return bytes;
    }

    private string ReleasableText(Marking marking)
    {
        if (!_joined.TryGetValue(marking, out var text))
        {
            text = string.Join(",", marking.ReleasableTo.Select(n => n.Code));
            Remember(marking, text);
        }

        return text;
    }

    private string SensorsText(ImmutableArray<string> sensors)
    {
        if (sensors.IsDefaultOrEmpty)
        {
            return string.Empty;
        }

        var key = ImmutableCollectionsMarshal.AsArray(sensors)!;
        if (!_joined.TryGetValue(key, out var text))
        {
            text = string.Join(",", key);
            Remember(key, text);
        }

        return text;
    }

    private void Remember(object key, string text)
    {
        if (_joined.Count >= UtfCacheLimit)
        {
            _joined.Clear();
        }

        _joined[key] = text;
    }

    private static void Exec(sqlite3 db, string sql)
    {
        var rc = raw.sqlite3_exec(db, sql);
        if (rc != raw.SQLITE_OK)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"SQLite error {rc} on {sql}: {raw.sqlite3_errmsg(db).utf8_to_string()}"));
        }
    }

    private readonly record struct TrackRow(Nation Viewer, PictureTrack Track);

    private sealed class Statements(sqlite3 db) : IDisposable
    {
        public RawInsert DetectionBatch { get; } = new(db, "detection_batch", 4);

        public RawInsert TruthBatch { get; } = new(db, "truth_batch", 4);

        public RawInsert TrackBatch { get; } = new(db, "track_batch", 5);

        public RawInsert AlertBatch { get; } = new(db, "alert_batch", 4);

        public RawInsert Engagement { get; } = new(db, "engagement", 12);

        public RawInsert Decision { get; } = new(db, "decision", 7);

        public RawInsert ReleaseBatch { get; } = new(db, "release_batch", 4);

        public RawInsert Event { get; } = new(db, "event", 5);

        public RawInsert TruthObject { get; } = new(db, "truth_object", 4);

        public RawInsert Asset { get; } = new(db, "asset", 5);

        public void Dispose()
        {
            foreach (var s in new[] { DetectionBatch, TruthBatch, TrackBatch, AlertBatch, Engagement, Decision, ReleaseBatch, Event, TruthObject, Asset })
            {
                s.Dispose();
            }
        }
    }
}
