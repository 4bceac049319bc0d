using Microsoft.Data.Sqlite;

namespace Kizuna.Recording;

/// <summary>
/// The SQLite schema of a run recording (documented table by table in docs/recording.md). Every
/// time column is <c>*_us</c>: microseconds since 1970-01-01T00:00:00Z (UTC), an INTEGER. Angles
/// are degrees, lengths metres, speeds metres per second, unless a column name says otherwise.
/// </summary>
public static class RecordingSchema
{
    /// <summary>The schema version this build writes and reads.</summary>
    public const int Version = 1;

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
        CREATE TABLE truth (
            time_us INTEGER NOT NULL, truth_id INTEGER NOT NULL,
            x_m REAL NOT NULL, y_m REAL NOT NULL, z_m REAL NOT NULL,
            vx_mps REAL NOT NULL, vy_mps REAL NOT NULL, vz_mps REAL NOT NULL, identity INTEGER NOT NULL);
        CREATE INDEX truth_time ON truth (time_us);
        CREATE TABLE detection (
            time_us INTEGER NOT NULL, sensor_id TEXT NOT NULL, nation TEXT NOT NULL, kind INTEGER NOT NULL,
            z0 REAL NOT NULL, z1 REAL NOT NULL, z2 REAL NOT NULL,
            r00 REAL NOT NULL, r01 REAL NOT NULL, r02 REAL NOT NULL, r11 REAL NOT NULL, r12 REAL NOT NULL, r22 REAL NOT NULL,
            site_lat_deg REAL NOT NULL, site_lon_deg REAL NOT NULL, site_height_m REAL NOT NULL,
            truth_id INTEGER NOT NULL, identity INTEGER NOT NULL);
        CREATE INDEX detection_time ON detection (time_us);
        CREATE TABLE track (
            time_us INTEGER NOT NULL, viewer TEXT NOT NULL, track_number INTEGER NOT NULL,
            lat_deg REAL NOT NULL, lon_deg REAL NOT NULL, height_m REAL NOT NULL,
            ve_mps REAL NOT NULL, vn_mps REAL NOT NULL, vu_mps REAL NOT NULL,
            sigma_m REAL NOT NULL, quality INTEGER NOT NULL, kind INTEGER NOT NULL, affiliation INTEGER NOT NULL,
            reporting_nation TEXT NOT NULL, classification INTEGER NOT NULL, originator TEXT NOT NULL,
            releasable_to TEXT NOT NULL, sensors TEXT NOT NULL, identity INTEGER NOT NULL);
        CREATE INDEX track_viewer_time ON track (viewer, time_us);
        CREATE INDEX track_viewer_number_time ON track (viewer, track_number, time_us);
        CREATE INDEX track_time ON track (time_us);
        CREATE TABLE alert (
            time_us INTEGER NOT NULL, id TEXT NOT NULL, state INTEGER NOT NULL, warned TEXT NOT NULL,
            threat_tn INTEGER NOT NULL, kind INTEGER NOT NULL, asset TEXT NOT NULL,
            impact_lat_deg REAL NOT NULL, impact_lon_deg REAL NOT NULL, impact_height_m REAL NOT NULL,
            ellipse_major_m REAL NOT NULL, ellipse_minor_m REAL NOT NULL, ellipse_orientation_deg REAL NOT NULL,
            impact_us INTEGER NOT NULL, classification INTEGER NOT NULL, originator TEXT NOT NULL, releasable_to TEXT NOT NULL);
        CREATE INDEX alert_time ON alert (time_us);
        CREATE TABLE engagement (
            time_us INTEGER NOT NULL, id TEXT NOT NULL, status INTEGER NOT NULL, threat_tn INTEGER NOT NULL,
            battery TEXT NOT NULL, owner TEXT NOT NULL, decided_by TEXT NOT NULL, intercept_us INTEGER NOT NULL,
            kill_probability REAL NOT NULL, classification INTEGER NOT NULL, originator TEXT NOT NULL, releasable_to TEXT NOT NULL);
        CREATE INDEX engagement_time ON engagement (time_us);
        CREATE TABLE decision (
            time_us INTEGER NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, nation TEXT NOT NULL,
            action TEXT NOT NULL, subject TEXT NOT NULL, reason TEXT NOT NULL);
        CREATE INDEX decision_time ON decision (time_us);
        CREATE TABLE release_audit (
            time_us INTEGER NOT NULL, from_nation TEXT NOT NULL, to_nation TEXT NOT NULL, item_kind TEXT NOT NULL,
            item_id TEXT NOT NULL, released INTEGER NOT NULL, rule TEXT NOT NULL);
        CREATE INDEX release_audit_time ON release_audit (time_us);
        CREATE TABLE event (
            time_us INTEGER NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, truth_id INTEGER NOT NULL, detail TEXT NOT NULL);
        CREATE INDEX event_time ON event (time_us);
        """;

    /// <summary>Microseconds since the Unix epoch of a UTC time.</summary>
    public static long ToMicros(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>The UTC time of a microsecond count since the Unix epoch.</summary>
    public static DateTime FromMicros(long micros) => new(DateTime.UnixEpoch.Ticks + (micros * 10), DateTimeKind.Utc);

    /// <summary>
    /// Throws <see cref="RecordingFormatException"/> unless the open database carries
    /// <see cref="Version"/> in its <c>schema_version</c> table.
    /// </summary>
    internal static void Verify(SqliteConnection connection, string path)
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

        if (version != Version)
        {
            throw new RecordingFormatException(
                $"{path}: recording schema version {version}, but this build of Kizuna reads version {Version} only. " +
                "Use the Kizuna version that wrote it (see the schema_version.written_by column).");
        }
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
