
using System.Text.Json;
using Kizuna.Core;
using Kizuna.Network.Wire;

namespace Kizuna.Network.Sharing;

/// <summary>One release decision, as written to the audit log.</summary>
/// <param name="DecidedAt">UTC time of the decision (from the injected clock).</param>
/// <param name="From">Releasing (sending) nation.</param>
/// <param name="To">Destination nation.</param>
/// <param name="Originator">The data's originating nation (from its marking; differs from <paramref name="From"/> when forwarded).</param>
/// <param name="Type">Message type.</param>
/// <param name="Allowed">True when released.</param>
/// <param name="Reason">Why refused, or which degradations were applied.</param>
public readonly record struct ReleaseAuditEntry(
    DateTime DecidedAt,
    Nation From,
    Nation To,
    Nation Originator,
    MessageType Type,
    bool Allowed,
    string Reason);

/// <summary>Receives every release decision (allowed or refused). Implementations are thread-safe.</summary>
public interface IReleaseAuditLog
{
    /// <summary>Records one decision.</summary>
    void Record(in ReleaseAuditEntry entry);
}

/// <summary>Keeps decisions in memory (tests, the demo's per-nation summary). Thread-safe.</summary>
public sealed class InMemoryReleaseAuditLog : IReleaseAuditLog
{
    private readonly List<ReleaseAuditEntry> _entries = [];
    private readonly Lock _gate = new();

    /// <summary>A snapshot of the decisions so far, in recording order.</summary>
    public IReadOnlyList<ReleaseAuditEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <inheritdoc />
    public void Record(in ReleaseAuditEntry entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
        }
    }
}

/// <summary>
/// Writes one JSON object per line (JSON Lines): <c>{"time":"…Z","from":"USA","to":"JPN","originator":"USA",
/// "type":"tracks","decision":"allowed","reason":"…"}</c>. Thread-safe; flushed per line so a crash loses
/// at most the line being written.
/// </summary>
public sealed class JsonLinesReleaseAuditLog : IReleaseAuditLog, IDisposable
{
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _json;
    private readonly Lock _gate = new();
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    /// <summary>Appends to (or creates) <paramref name="path"/>.</summary>
    public JsonLinesReleaseAuditLog(string path)
        : this(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read))
    {
    }

    /// <summary>Writes to <paramref name="stream"/> (owned: disposed with this log).</summary>
    public JsonLinesReleaseAuditLog(Stream stream)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _json = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <inheritdoc />
    public void Record(in ReleaseAuditEntry entry)
    {
        lock (_gate)
        {
            _json.Reset();
            _json.WriteStartObject();
            _json.WriteString("time"u8, entry.DecidedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            _json.WriteString("from"u8, entry.From.Code);
            _json.WriteString("to"u8, entry.To.Code);
            _json.WriteString("originator"u8, entry.Originator.Code);
            _json.WriteString("type"u8, MessageTypes.SubjectToken(entry.Type));
            _json.WriteString("decision"u8, entry.Allowed ? "allowed"u8 : "refused"u8);
            _json.WriteString("reason"u8, entry.Reason);
            _json.WriteEndObject();
            _json.Flush();
            _stream.Write(NewLine);
            _stream.Flush();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _json.Dispose();
            _stream.Dispose();
        }
    }
}

/// <summary>Discards decisions (only where auditing is done elsewhere).</summary>
public sealed class NullReleaseAuditLog : IReleaseAuditLog
{
    /// <summary>The instance.</summary>
    public static NullReleaseAuditLog Instance { get; } = new();

    private NullReleaseAuditLog()
    {
    }

    /// <inheritdoc />
    public void Record(in ReleaseAuditEntry entry)
    {
    }
}

