using Microsoft.Data.Sqlite;

namespace Kizuna.Recording;

/// <summary>
/// The SQLite schema of a run recording (documented table by table in docs/recording.md). Every
/// time column is <c>*_us</c>: microseconds since 1970-01-01T00:00:00Z (UTC), an INTEGER. Angles
/// are degrees, lengths metres, speeds metres per second, unless a column name says otherwise.
/// </summary>
public static class RecordingSchema
{
    /// <summary>The schema version this build writes (it also reads <see cref="OldestReadableVersion"/> and later).</summary>
    /// <remarks>
    /// Version 4 added the range rate to detection rows (flags bit 1, docs/recording.md "Batch blobs"). A version 3
    /// file has the same tables and never sets that bit, so it reads unchanged; an older build refuses a version 4
    /// file by its version instead of misreading its detection rows.
    /// </remarks>
    public const int Version = 4;

    /// <summary>The oldest schema version this build reads (3: batch blobs for alerts and releases, no range rate).</summary>
    public const int OldestReadableVersion = 3;

    internal const string CreateSql = """
        CREATE TABLE schema_version (version INTEGER NOT NULL, written_by TEXT NOT NULL);
        CREATE TABLE run (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            scenario TEXT NOT NULL, seed INTEGER NOT NULL, start_us INTEGER NOT NULL,
            nations TEXT NOT NULL, versions TEXT NOT NULL, description TEXT NOT NULL);
        CREATE TABLE asset (
            name TEXT PRIMARY KEY, nation TEXT NOT NULL, lat_deg REAL NOT NULL, lon_deg REAL NOT NULL, height_m REAL NOT NULL);
        CREATE TABLE truth_object (
            truth_id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, is_threat INTEGER NOT NULL);
        CREATE TABLE truth_batch (
            time_us INTEGER NOT NULL, end_us INTEGER NOT NULL, count INTEGER NOT NULL, rows BLOB NOT NULL);
        CREATE INDEX truth_batch_time ON truth_batch (time_us);
        CREATE TABLE detection_batch (
            time_us INTEGER NOT NULL, end_us INTEGER NOT NULL, count INTEGER NOT NULL, rows BLOB NOT NULL);
        CREATE INDEX detection_batch_time ON detection_batch (time_us);
        CREATE TABLE track_batch (
            time_us INTEGER NOT NULL, end_us INTEGER NOT NULL, viewer TEXT NOT NULL, count INTEGER NOT NULL, rows BLOB NOT NULL);
        CREATE INDEX track_batch_viewer_time ON track_batch (viewer, time_us);
        CREATE INDEX track_batch_time ON track_batch (time_us);
        CREATE TABLE alert_batch (
            time_us INTEGER NOT NULL, end_us INTEGER NOT NULL, count INTEGER NOT NULL, rows BLOB NOT NULL);
        CREATE INDEX alert_batch_time ON alert_batch (time_us);
        CREATE TABLE engagement (
            time_us INTEGER NOT NULL, id TEXT NOT NULL, status INTEGER NOT NULL, threat_tn INTEGER NOT NULL,
            battery TEXT NOT NULL, owner TEXT NOT NULL, decided_by TEXT NOT NULL, intercept_us INTEGER NOT NULL,
            kill_probability REAL NOT NULL, classification INTEGER NOT NULL, originator TEXT NOT NULL, releasable_to TEXT NOT NULL);
        CREATE INDEX engagement_time ON engagement (time_us);
        CREATE TABLE decision (
            time_us INTEGER NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, nation TEXT NOT NULL,
            action TEXT NOT NULL, subject TEXT NOT NULL, reason TEXT NOT NULL);
        CREATE INDEX decision_time ON decision (time_us);
        CREATE TABLE release_batch (
            time_us INTEGER NOT NULL, end_us INTEGER NOT NULL, count INTEGER NOT NULL, rows BLOB NOT NULL);
        CREATE INDEX release_batch_time ON release_batch (time_us);
        CREATE TABLE event (
            time_us INTEGER NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, truth_id INTEGER NOT NULL, detail TEXT NOT NULL);
        CREATE INDEX event_time ON event (time_us);
        """;

    /// <summary>Microseconds since the Unix epoch of a UTC time.</summary>
    public static long ToMicros(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>The UTC time of a microsecond count since the Unix epoch.</summary>
    public static DateTime FromMicros(long micros) => new(DateTime.UnixEpoch.Ticks + (micros * 10), DateTimeKind.Utc);

    /// <summary>
    /// Returns the version in the open database's <c>schema_version</c> table; throws
    /// <see cref="RecordingFormatException"/> unless it is <see cref="OldestReadableVersion"/> … <see cref="Version"/>.
    /// </summary>
    internal static int Verify(SqliteConnection connection, string path)
    {
        using var check = connection.CreateCommand();
        check.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
        if (Convert.ToInt64(check.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            throw new RecordingFormatException($"{path}: not a Kizuna run recording (no schema_version table).");
        }

        check.CommandText = "SELECT version FROM schema_version";
        var found = check.ExecuteScalar();
        if (found is not long version)
        {
            throw new RecordingFormatException($"{path}: the schema_version table is empty.");
        }

        if (version is < OldestReadableVersion or > Version)
        {
            throw new RecordingFormatException(
                $"{path}: recording schema version {version}, but this build of Kizuna reads version {Version} (and the older version {OldestReadableVersion}) only. " +
                (version switch
                {
                    1 => "Version 1 (one SQL row per truth sample, detection and track) was replaced by batch blobs in version 2, and version 2 by version 3. ",
                    2 => "Version 2 (one SQL row per alert issue and per release decision) was replaced by alert and release batch blobs in version 3. ",
                    > Version => "It was written by a newer build. ",
                    _ => string.Empty,
                }) +
                "Use the Kizuna version that wrote it (see the schema_version.written_by column).");
        }

        return (int)version;
    }
}

/// <summary>A file is not a run recording this build can read (wrong or missing schema version, damaged file).</summary>
public sealed class RecordingFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RecordingFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public RecordingFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public RecordingFormatException()
    {
    }
}
