using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Microsoft.Data.Sqlite;

namespace Kizuna.Recording;

/// <summary>First and last recorded times of a run.</summary>
/// <param name="Start">Run start (the earlier of the metadata start and the first row).</param>
/// <param name="End">Time of the last row.</param>
public readonly record struct RunTimeRange(DateTime Start, DateTime End)
{
    /// <summary>End − Start.</summary>
    public TimeSpan Duration => End - Start;
}

/// <summary>What a <see cref="ReplayItem"/> carries.</summary>
public enum ReplayItemKind
{
    /// <summary>A true state (<see cref="ReplayItem.Truth"/>).</summary>
    Truth,

    /// <summary>A detection (<see cref="ReplayItem.Detection"/>).</summary>
    Detection,

    /// <summary>A picture track of <see cref="ReplayItem.Viewer"/> (<see cref="ReplayItem.Track"/>).</summary>
    Track,

    /// <summary>An alert (<see cref="ReplayItem.Alert"/>).</summary>
    Alert,

    /// <summary>An engagement status (<see cref="ReplayItem.Engagement"/>).</summary>
    Engagement,

    /// <summary>A decision (<see cref="ReplayItem.Decision"/>).</summary>
    Decision,

    /// <summary>A release decision (<see cref="ReplayItem.Release"/>).</summary>
    Release,

    /// <summary>An event (<see cref="ReplayItem.Event"/>).</summary>
    Event,
}

/// <summary>One recorded row in replay order; exactly the member named by <see cref="Kind"/> is set.</summary>
public sealed record ReplayItem(DateTime Time, ReplayItemKind Kind)
{
    /// <summary>Truth state.</summary>
    public TruthState? Truth { get; init; }

    /// <summary>Detection.</summary>
    public Detection? Detection { get; init; }

    /// <summary>The nation whose picture <see cref="Track"/> belongs to.</summary>
    public Nation Viewer { get; init; }

    /// <summary>Picture track.</summary>
    public PictureTrack? Track { get; init; }

    /// <summary>Alert.</summary>
    public Alert? Alert { get; init; }

    /// <summary>Engagement status.</summary>
    public Engagement? Engagement { get; init; }

    /// <summary>Decision.</summary>
    public DecisionRecord? Decision { get; init; }

    /// <summary>Release decision.</summary>
    public ReleaseDecisionRecord? Release { get; init; }

    /// <summary>Event.</summary>
    public RunEventRecord? Event { get; init; }
}

/// <summary>
/// Reads a run recording written by <see cref="RunRecorder"/>: metadata, the picture of one nation
/// at a time, alerts and engagements up to a time, and every row in time order from a seek point.
/// Opens the file read-only; fails with <see cref="RecordingFormatException"/> on another schema
/// version. Not thread-safe (one connection).
/// </summary>
public sealed class RunReader : IDisposable
{
    /// <summary>Default time after its last update at which a track leaves the picture (30 s).</summary>
    public static readonly TimeSpan DefaultTrackTimeout = TimeSpan.FromSeconds(30);

    private readonly SqliteConnection _connection;
    private readonly Dictionary<(long, string, string), Marking> _markings = [];
    private readonly Dictionary<string, ImmutableArray<string>> _sensorLists = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _maxSpan = new(StringComparer.Ordinal);

    private RunReader(SqliteConnection connection, string path, int schemaVersion)
    {
        _connection = connection;
        Path = path;
        SchemaVersion = schemaVersion;
        Metadata = ReadMetadata();
    }

    /// <summary>The recording file.</summary>
    public string Path { get; }

    /// <summary>
    /// The schema version the file was written with (<see cref="RecordingSchema.OldestReadableVersion"/> …
    /// <see cref="RecordingSchema.Version"/>). Below 4 its detections carry no range rate.
    /// </summary>
    public int SchemaVersion { get; }

    /// <summary>Run metadata.</summary>
    public RunMetadata Metadata { get; }

    /// <summary>Opens a recording; throws <see cref="FileNotFoundException"/> or <see cref="RecordingFormatException"/> with a clear message.</summary>
    public static RunReader Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: recording not found.", path);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            var version = RecordingSchema.Verify(connection, path);
            return new RunReader(connection, path, version);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new RecordingFormatException($"{path}: not a readable SQLite recording ({ex.Message}).", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>First and last recorded times.</summary>
    public RunTimeRange TimeRange()
    {
        var start = RecordingSchema.ToMicros(Metadata.Start);
        var end = start;
        foreach (var table in TimedTables)
        {
            var endColumn = table.EndsWith("_batch", StringComparison.Ordinal) ? "end_us" : "time_us";
            using var cmd = Command($"SELECT min(time_us), max({endColumn}) FROM {table}");
            using var r = cmd.ExecuteReader();
            if (r.Read() && !r.IsDBNull(0))
            {
                start = Math.Min(start, r.GetInt64(0));
                end = Math.Max(end, r.GetInt64(1));
            }
        }

        return new RunTimeRange(RecordingSchema.FromMicros(start), RecordingSchema.FromMicros(end));
    }

    /// <summary>Defended assets.</summary>
    public IReadOnlyList<DefendedAssetRecord> Assets() =>
        Query("SELECT name, nation, lat_deg, lon_deg, height_m FROM asset ORDER BY name", r =>
            new DefendedAssetRecord(r.GetString(0), Nation.Parse(r.GetString(1)), Geodetic.FromDegrees(r.GetDouble(2), r.GetDouble(3), r.GetDouble(4))));

    /// <summary>True objects.</summary>
    public IReadOnlyList<TruthObjectRecord> TruthObjects() =>
        Query("SELECT truth_id, name, kind, is_threat FROM truth_object ORDER BY truth_id", r =>
            new TruthObjectRecord(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetInt64(3) != 0));

    /// <summary>Every truth state in time order.</summary>
    public IReadOnlyList<TruthState> Truth() =>
        Batches("truth_batch", long.MinValue, long.MaxValue, null, static (ref BatchDecoder d) => BatchRows.ReadTruth(ref d), static s => s.Time);

    /// <summary>Detections with from ≤ time ≤ to, in time order.</summary>
    public IReadOnlyList<Detection> Detections(DateTime from, DateTime to) =>
        Batches("detection_batch", RecordingSchema.ToMicros(from), RecordingSchema.ToMicros(to), null, static (ref BatchDecoder d) => BatchRows.ReadDetection(ref d), static d => d.Time);

    /// <summary>Every recorded state of <paramref name="viewer"/>'s picture tracks, in time order.</summary>
    public IReadOnlyList<PictureTrack> TrackHistory(Nation viewer) =>
        Batches("track_batch", long.MinValue, long.MaxValue, viewer, (ref BatchDecoder d) => ReadTrack(ref d), static t => t.Time);

    /// <summary>
    /// The picture of <paramref name="viewer"/> at <paramref name="time"/>: the latest state of each
    /// track at or before the time, leaving out tracks whose last update is older than
    /// <paramref name="timeout"/> (default <see cref="DefaultTrackTimeout"/>). Ordered by track number.
    /// </summary>
    public IReadOnlyList<PictureTrack> PictureAt(Nation viewer, DateTime time, TimeSpan? timeout = null)
    {
        // The latest state at or before t of each track with a state in (t − timeout, t]; equal
        // times: the one recorded last. A batch holds states from time_us to end_us.
        var t = RecordingSchema.ToMicros(time);
        var lo = t - (long)(timeout ?? DefaultTrackTimeout).TotalMicroseconds;
        var latest = new Dictionary<int, PictureTrack>();
        using var cmd = Command("""
            SELECT rows FROM track_batch
            WHERE viewer = $v AND time_us <= $t AND time_us > $from AND end_us > $lo
            ORDER BY rowid
            """);
        cmd.Parameters.AddWithValue("$v", viewer.Code);
        cmd.Parameters.AddWithValue("$t", t);
        cmd.Parameters.AddWithValue("$lo", lo);
        cmd.Parameters.AddWithValue("$from", SaturatingSubtract(lo, MaxSpan("track_batch")));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var d = new BatchDecoder(r.GetFieldValue<byte[]>(0));
            while (!d.End)
            {
                var track = ReadTrack(ref d);
                var us = RecordingSchema.ToMicros(track.Time);
                if (us > lo && us <= t && (!latest.TryGetValue(track.Number.Value, out var before) || before.Time <= track.Time))
                {
                    latest[track.Number.Value] = track;
                }
            }
        }

        return [.. latest.Values.OrderBy(x => x.Number.Value)];
    }

    /// <summary>Every alert issue with time ≤ <paramref name="time"/> (optionally only those warning one nation), in time order.</summary>
    public IReadOnlyList<Alert> AlertsUpTo(DateTime time, Nation? warned = null)
    {
        var all = Batches("alert_batch", long.MinValue, RecordingSchema.ToMicros(time), null, (ref BatchDecoder d) => ReadAlert(ref d), static a => a.Time);
        return warned is { } w ? [.. all.Where(a => a.Warned == w)] : all;
    }

    /// <summary>Every engagement status change with time ≤ <paramref name="time"/>, in time order.</summary>
    public IReadOnlyList<Engagement> EngagementsUpTo(DateTime time) =>
        Query("SELECT * FROM engagement WHERE time_us <= $b ORDER BY time_us, rowid", ReadEngagement, DateTime.MinValue, time);

    /// <summary>The latest status of each engagement at <paramref name="time"/>, ordered by id.</summary>
    public IReadOnlyList<Engagement> EngagementStatesAt(DateTime time) =>
        [.. EngagementsUpTo(time).GroupBy(e => e.Id).Select(g => g.Last()).OrderBy(e => e.Id, StringComparer.Ordinal)];

    /// <summary>Decisions with time ≤ <paramref name="time"/>, in time order.</summary>
    public IReadOnlyList<DecisionRecord> DecisionsUpTo(DateTime time) =>
        Query("SELECT * FROM decision WHERE time_us <= $b ORDER BY time_us, rowid", ReadDecision, DateTime.MinValue, time);

    /// <summary>Release decisions with time ≤ <paramref name="time"/>, in time order.</summary>
    public IReadOnlyList<ReleaseDecisionRecord> ReleasesUpTo(DateTime time) =>
        Batches("release_batch", long.MinValue, RecordingSchema.ToMicros(time), null, static (ref BatchDecoder d) => BatchRows.ReadRelease(ref d), static r => r.Time);

    /// <summary>Events with time ≤ <paramref name="time"/>, in time order.</summary>
    public IReadOnlyList<RunEventRecord> EventsUpTo(DateTime time) =>
        Query("SELECT * FROM event WHERE time_us <= $b ORDER BY time_us, rowid", ReadEvent, DateTime.MinValue, time);

    /// <summary>
    /// Every recorded row with <paramref name="from"/> ≤ time ≤ <paramref name="to"/> in time order
    /// (ties: truth, detections, tracks, alerts, engagements, decisions, releases, events, then
    /// recording order), streamed: a seek is a new call with a new <paramref name="from"/>.
    /// </summary>
    public IEnumerable<ReplayItem> Replay(DateTime from, DateTime? to = null)
    {
        var a = RecordingSchema.ToMicros(from);
        var b = to is { } end ? RecordingSchema.ToMicros(end) : long.MaxValue;
        var sources = new List<IReplaySource>
        {
            BatchSource("truth_batch", a, b, (ref BatchDecoder d, Nation _) => { var s = BatchRows.ReadTruth(ref d); return new ReplayItem(s.Time, ReplayItemKind.Truth) { Truth = s }; }),
            BatchSource("detection_batch", a, b, (ref BatchDecoder d, Nation _) => { var x = BatchRows.ReadDetection(ref d); return new ReplayItem(x.Time, ReplayItemKind.Detection) { Detection = x }; }),
            BatchSource("track_batch", a, b, (ref BatchDecoder d, Nation viewer) => { var t = ReadTrack(ref d); return new ReplayItem(t.Time, ReplayItemKind.Track) { Track = t, Viewer = viewer }; }),
            BatchSource("alert_batch", a, b, (ref BatchDecoder d, Nation _) => { var x = ReadAlert(ref d); return new ReplayItem(x.Time, ReplayItemKind.Alert) { Alert = x }; }),
            Source("engagement", a, b, r => { var x = ReadEngagement(r); return new ReplayItem(x.Time, ReplayItemKind.Engagement) { Engagement = x }; }),
            Source("decision", a, b, r => { var x = ReadDecision(r); return new ReplayItem(x.Time, ReplayItemKind.Decision) { Decision = x }; }),
            BatchSource("release_batch", a, b, (ref BatchDecoder d, Nation _) => { var x = BatchRows.ReadRelease(ref d); return new ReplayItem(x.Time, ReplayItemKind.Release) { Release = x }; }),
            Source("event", a, b, r => { var x = ReadEvent(r); return new ReplayItem(x.Time, ReplayItemKind.Event) { Event = x }; }),
        };
        try
        {
            while (true)
            {
                IReplaySource? next = null;
                foreach (var s in sources)
                {
                    if (s.Head is { } h && (next is null || h.Time < next.Head!.Time))
                    {
                        next = s;
                    }
                }

                if (next is null)
                {
                    yield break;
                }

                yield return next.Head!;
                next.Advance();
            }
        }
        finally
        {
            foreach (var s in sources)
            {
                s.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private static readonly string[] TimedTables = ["truth_batch", "detection_batch", "track_batch", "alert_batch", "engagement", "decision", "release_batch", "event"];

    private BatchReplaySource BatchSource(string table, long from, long to, ReplayDecoder decode)
    {
        var viewer = table == "track_batch" ? ", viewer" : string.Empty;
        var cmd = Command($"SELECT rowid, time_us, rows{viewer} FROM {table} WHERE time_us >= $lo AND time_us <= $b AND end_us >= $a ORDER BY time_us, rowid");
        cmd.Parameters.AddWithValue("$lo", SaturatingSubtract(from, MaxSpan(table)));
        cmd.Parameters.AddWithValue("$a", from);
        cmd.Parameters.AddWithValue("$b", to);
        return new BatchReplaySource(cmd, from, to, decode);
    }

    /// <summary>
    /// Rows of a batch table whose time lies in [from, to] (and, for tracks, whose viewer is
    /// <paramref name="viewer"/>), in time order; equal times in recording order.
    /// </summary>
    private List<T> Batches<T>(string table, long from, long to, Nation? viewer, RowDecoder<T> decode, Func<T, DateTime> timeOf)
    {
        using var cmd = Command($"SELECT rows FROM {table} WHERE time_us <= $b AND time_us >= $lo AND end_us >= $a {(viewer is null ? string.Empty : "AND viewer = $v")} ORDER BY rowid");
        cmd.Parameters.AddWithValue("$lo", SaturatingSubtract(from, MaxSpan(table)));
        cmd.Parameters.AddWithValue("$a", from);
        cmd.Parameters.AddWithValue("$b", to);
        if (viewer is { } v)
        {
            cmd.Parameters.AddWithValue("$v", v.Code);
        }

        var rows = new List<T>();
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var d = new BatchDecoder(r.GetFieldValue<byte[]>(0));
                while (!d.End)
                {
                    var item = decode(ref d);
                    var us = RecordingSchema.ToMicros(timeOf(item));
                    if (us >= from && us <= to)
                    {
                        rows.Add(item);
                    }
                }
            }
        }

        // OrderBy is stable: equal times keep recording order.
        return [.. rows.OrderBy(timeOf)];
    }

    /// <summary>Longest time_us → end_us span of one batch in <paramref name="table"/> (bounds index range scans).</summary>
    private long MaxSpan(string table)
    {
        if (!_maxSpan.TryGetValue(table, out var span))
        {
            using var cmd = Command($"SELECT coalesce(max(end_us - time_us), 0) FROM {table}");
            span = Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            _maxSpan[table] = span;
        }

        return span;
    }

    private static long SaturatingSubtract(long a, long b) => a < long.MinValue + b ? long.MinValue : a - b;

    private PictureTrack ReadTrack(ref BatchDecoder d) => BatchRows.ReadTrack(ref d, MarkingOf, SensorList);

    private ImmutableArray<string> SensorList(string joined)
    {
        if (!_sensorLists.TryGetValue(joined, out var list))
        {
            list = joined.Length == 0 ? [] : [.. joined.Split(',')];
            _sensorLists[joined] = list;
        }

        return list;
    }

    private ReplaySource Source(string table, long from, long to, Func<SqliteDataReader, ReplayItem> read)
    {
        var cmd = Command($"SELECT * FROM {table} WHERE time_us >= $a AND time_us <= $b ORDER BY time_us, rowid");
        cmd.Parameters.AddWithValue("$a", from);
        cmd.Parameters.AddWithValue("$b", to);
        return new ReplaySource(cmd, read);
    }

    private RunMetadata ReadMetadata()
    {
        using var cmd = Command("SELECT scenario, seed, start_us, nations, versions, description FROM run");
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            throw new RecordingFormatException($"{Path}: the run table is empty.");
        }

        var nations = r.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Nation.Parse).ToImmutableArray();
        return new RunMetadata(r.GetString(0), r.GetInt64(1), RecordingSchema.FromMicros(r.GetInt64(2)), nations, r.GetString(4), r.GetString(5));
    }

    private SqliteCommand Command(string sql)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd;
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, DateTime? from = null, DateTime? to = null)
    {
        using var cmd = Command(sql);
        if (from is { } a)
        {
            cmd.Parameters.AddWithValue("$a", a == DateTime.MinValue ? long.MinValue : RecordingSchema.ToMicros(a));
        }

        if (to is { } b)
        {
            cmd.Parameters.AddWithValue("$b", RecordingSchema.ToMicros(b));
        }

        return ReadAll(cmd, read);
    }

    private static List<T> ReadAll<T>(SqliteCommand cmd, Func<SqliteDataReader, T> read)
    {
        var list = new List<T>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(read(r));
        }

        return list;
    }

    private static DateTime Time(SqliteDataReader r, int i) => RecordingSchema.FromMicros(r.GetInt64(i));

    private Alert ReadAlert(ref BatchDecoder d) => BatchRows.ReadAlert(ref d, MarkingOf);

    private Engagement ReadEngagement(SqliteDataReader r) =>
        new(
            r.GetString(1),
            Time(r, 0),
            (EngagementStatus)r.GetInt64(2),
            new TrackNumber(r.GetInt32(3)),
            r.GetString(4),
            Nation.Parse(r.GetString(5)),
            r.GetString(6),
            Time(r, 7),
            r.GetDouble(8),
            MarkingOf(r.GetInt64(9), r.GetString(10), r.GetString(11)));

    private static DecisionRecord ReadDecision(SqliteDataReader r) =>
        new(Time(r, 0), r.GetString(1), r.GetString(2), Nation.Parse(r.GetString(3)), r.GetString(4), r.GetString(5), r.GetString(6));

    private static RunEventRecord ReadEvent(SqliteDataReader r) =>
        new(Time(r, 0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetString(4));

    private Marking MarkingOf(long classification, string originator, string releasable)
    {
        if (!_markings.TryGetValue((classification, originator, releasable), out var marking))
        {
            var to = releasable.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Nation.Parse);
            marking = new Marking((Classification)classification, Nation.Parse(originator), ImmutableSortedSet.CreateRange(to));
            _markings[(classification, originator, releasable)] = marking;
        }

        return marking;
    }

    private delegate T RowDecoder<T>(ref BatchDecoder decoder);

    private delegate ReplayItem ReplayDecoder(ref BatchDecoder decoder, Nation viewer);

    private interface IReplaySource : IDisposable
    {
        ReplayItem? Head { get; }

        void Advance();
    }

    /// <summary>
    /// Replays a batch table: batches come in time_us (their earliest row) order; their rows go
    /// through a min-heap keyed (time, rowid, index), and the heap's head is released once no
    /// unread batch can hold an earlier row (the next batch starts later than the head).
    /// </summary>
    private sealed class BatchReplaySource : IReplaySource
    {
        private readonly SqliteCommand _command;
        private readonly SqliteDataReader _reader;
        private readonly long _from;
        private readonly long _to;
        private readonly ReplayDecoder _decode;
        private readonly PriorityQueue<ReplayItem, (long Time, long RowId, int Index)> _heap = new();
        private bool _more;

        public BatchReplaySource(SqliteCommand command, long from, long to, ReplayDecoder decode)
        {
            _command = command;
            _from = from;
            _to = to;
            _decode = decode;
            _reader = command.ExecuteReader();
            _more = _reader.Read();
            Advance();
        }

        public ReplayItem? Head { get; private set; }

        public void Advance()
        {
            while (_more && (!_heap.TryPeek(out _, out var head) || _reader.GetInt64(1) <= head.Time))
            {
                Load();
            }

            Head = _heap.TryDequeue(out var item, out _) ? item : null;
        }

        public void Dispose()
        {
            _reader.Dispose();
            _command.Dispose();
        }

        private void Load()
        {
            var rowId = _reader.GetInt64(0);
            var viewer = _reader.FieldCount > 3 ? Nation.Parse(_reader.GetString(3)) : default;
            var d = new BatchDecoder(_reader.GetFieldValue<byte[]>(2));
            for (var i = 0; !d.End; i++)
            {
                var item = _decode(ref d, viewer);
                var us = RecordingSchema.ToMicros(item.Time);
                if (us >= _from && us <= _to)
                {
                    _heap.Enqueue(item, (us, rowId, i));
                }
            }

            _more = _reader.Read();
        }
    }

    private sealed class ReplaySource : IReplaySource
    {
        private readonly SqliteCommand _command;
        private readonly SqliteDataReader _reader;
        private readonly Func<SqliteDataReader, ReplayItem> _read;

        public ReplaySource(SqliteCommand command, Func<SqliteDataReader, ReplayItem> read)
        {
            _command = command;
            _read = read;
            _reader = command.ExecuteReader();
            Advance();
        }

        public ReplayItem? Head { get; private set; }

        public void Advance() => Head = _reader.Read() ? _read(_reader) : null;

        public void Dispose()
        {
            _reader.Dispose();
            _command.Dispose();
        }
    }
}
