using System.Text;
using SQLitePCL;

namespace Kizuna.Recording;

/// <summary>
/// A prepared <c>INSERT</c> bound by position through the SQLite C API (no boxing of values, no
/// per-row allocation for cached UTF-8 strings). Used on the recorder's writer thread only.
/// </summary>
internal sealed class RawInsert : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;

    public RawInsert(sqlite3 db, string table, int columns)
    {
        _db = db;
        var sql = new StringBuilder("INSERT INTO ").Append(table).Append(" VALUES (");
        for (var i = 0; i < columns; i++)
        {
            sql.Append(i == 0 ? "?" : ",?");
        }

        sql.Append(')');
        Check(raw.sqlite3_prepare_v2(db, sql.ToString(), out _stmt));
    }

    public void Real(int index, double value) => Check(raw.sqlite3_bind_double(_stmt, index, value));

    public void Integer(int index, long value) => Check(raw.sqlite3_bind_int64(_stmt, index, value));

    public void Text(int index, ReadOnlySpan<byte> utf8) => Check(raw.sqlite3_bind_text(_stmt, index, utf8));

    public void Blob(int index, ReadOnlySpan<byte> bytes) => Check(raw.sqlite3_bind_blob(_stmt, index, bytes));

    public void Text(int index, string value) => Check(raw.sqlite3_bind_text(_stmt, index, value));

    /// <summary>Executes the bound row and resets the statement for the next one.</summary>
    public void Execute()
    {
        var rc = raw.sqlite3_step(_stmt);
        raw.sqlite3_reset(_stmt);
        if (rc != raw.SQLITE_DONE)
        {
            Throw(rc);
        }
    }

    public void Dispose() => _stmt.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            Throw(rc);
        }
    }

    private void Throw(int rc) =>
        throw new InvalidOperationException($"SQLite error {rc}: {raw.sqlite3_errmsg(_db).utf8_to_string()}");
}
