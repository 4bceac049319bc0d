using System.Globalization;
using System.Text;
using Kizuna.Core;

namespace Kizuna.Cli.Distributed;

/// <summary>The key of one coalition message: its sender and the sender's wire sequence number (unique per sender).</summary>
/// <param name="From">The sending nation.</param>
/// <param name="Sequence">The sender's envelope sequence.</param>
internal readonly record struct MessageKey(Nation From, long Sequence)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{From.Code}:{Sequence}");

    public static bool TryParse(string text, out MessageKey key)
    {
        key = default;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !Nation.TryParse(text[..colon], out var from)
            || !long.TryParse(text.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seq))
        {
            return false;
        }

        key = new MessageKey(from, seq);
        return true;
    }
}

/// <summary>One journaled cycle: which partner messages the node was given before stepping, and the resulting table hash.</summary>
/// <param name="Cycle">Cycle index (1-based).</param>
/// <param name="Hash">The node's track-table hash after the step.</param>
/// <param name="Applied">Partner messages handed to the node in this cycle, in order.</param>
internal sealed record JournalEntry(long Cycle, ulong Hash, IReadOnlyList<MessageKey> Applied);

/// <summary>
/// The node process's input journal (event sourcing): per cycle, the keys of the partner messages
/// handed to the <see cref="Network.Node.NationalNode"/> and the track-table hash it produced. The
/// messages themselves stay in JetStream (the node's inbound stream); the node's own detections
/// come again from the deterministic exercise engine (same seed ⇒ same world). A restarted node
/// replays the journal and so rebuilds its tracker, picture and track-number allocator exactly —
/// it cannot reissue a number it had already used — and checks each replayed hash.
/// </summary>
/// <remarks>
/// One text line per cycle, <c>cycle hash key key …</c> (hash in hex, keys <c>NAT:seq</c>), appended
/// and flushed after the cycle's outputs were published; a torn last line (crash while writing) is
/// ignored, and that cycle is executed again live.
/// </remarks>
internal sealed class NodeJournal : IDisposable
{
    private readonly StreamWriter _writer;

    private NodeJournal(StreamWriter writer, IReadOnlyList<JournalEntry> entries)
    {
        _writer = writer;
        Entries = entries;
    }

    /// <summary>Entries read at open (the cycles to replay).</summary>
    public IReadOnlyList<JournalEntry> Entries { get; }

    /// <summary>Opens (or creates) the journal at <paramref name="path"/> and reads its complete entries.</summary>
    public static NodeJournal Open(string path)
    {
        var entries = new List<JournalEntry>();
        long validLength = 0;
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path);
            var start = 0;
            while (start < text.Length)
            {
                var end = text.IndexOf('\n', start);
                if (end < 0)
                {
                    break; // torn last line
                }

                var line = text[start..end];
                if (!TryParse(line, entries.Count + 1, out var entry))
                {
                    break;
                }

                entries.Add(entry);
                start = end + 1;
                validLength = Encoding.UTF8.GetByteCount(text.AsSpan(0, start));
            }
        }

        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        stream.SetLength(validLength);
        stream.Seek(0, SeekOrigin.End);
        return new NodeJournal(new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = false }, entries);
    }

    /// <summary>Appends one cycle and flushes it to the file.</summary>
    public void Append(long cycle, ulong hash, IReadOnlyList<MessageKey> applied)
    {
        var sb = new StringBuilder();
        sb.Append(cycle.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(hash.ToString("x16", CultureInfo.InvariantCulture));
        foreach (var k in applied)
        {
            sb.Append(' ').Append(k.ToString());
        }

        sb.Append('\n');
        _writer.Write(sb.ToString());
        _writer.Flush();
        _writer.BaseStream.Flush();
    }

    private static bool TryParse(string line, long expected, out JournalEntry entry)
    {
        entry = null!;
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var cycle) || cycle != expected
            || !ulong.TryParse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hash))
        {
            return false;
        }

        var keys = new List<MessageKey>(parts.Length - 2);
        for (var i = 2; i < parts.Length; i++)
        {
            if (!MessageKey.TryParse(parts[i], out var k))
            {
                return false;
            }

            keys.Add(k);
        }

        entry = new JournalEntry(cycle, hash, keys);
        return true;
    }

    public void Dispose() => _writer.Dispose();
}
