using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Kizuna.Asterix.IO;

namespace Kizuna.Asterix.Dump;

/// <summary>Options of <see cref="AsterixDump"/>.</summary>
public sealed record AsterixDumpOptions
{
    /// <summary>The defaults: default reader and decoder options.</summary>
    public static AsterixDumpOptions Default { get; } = new();

    /// <summary>Reader options (framing, resynchronisation, caps).</summary>
    public AsterixReaderOptions Reader { get; init; } = AsterixReaderOptions.Default;

    /// <summary>Decoder options (editions, damage policy).</summary>
    public AsterixDecoderOptions Decoder { get; init; } = AsterixDecoderOptions.Default;
}

/// <summary>What one dump saw: records per category, rejections per reason, and the reader's statistics.</summary>
public sealed class AsterixDumpSummary
{
    internal AsterixDumpSummary(AsterixSourceFormat format, ReaderStatistics reader, DecodeStatistics decoder, long[] perCategory)
    {
        Format = format;
        Reader = reader;
        Decoder = decoder;
        _perCategory = perCategory;
    }

    private readonly long[] _perCategory;

    /// <summary>The detected input format.</summary>
    public AsterixSourceFormat Format { get; }

    /// <summary>Packets, payloads and read issues.</summary>
    public ReaderStatistics Reader { get; }

    /// <summary>Blocks, records and rejections per reason.</summary>
    public DecodeStatistics Decoder { get; }

    /// <summary>Records decoded for <paramref name="category"/>.</summary>
    public long Records(int category) => (uint)category < 256u ? _perCategory[category] : 0;

    /// <summary>Writes the summary as text lines (for stderr).</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var ci = CultureInfo.InvariantCulture;
        var cats = string.Join(", ", Enumerable.Range(0, 256).Where(c => _perCategory[c] > 0).Select(c => string.Create(ci, $"CAT{c:D3} {_perCategory[c]}")));
        writer.WriteLine(string.Create(ci, $"summary: format {Format}, {Reader.Packets} packets, {Reader.Payloads} payloads, {Decoder.Blocks} blocks, {Decoder.Records} records ({(cats.Length > 0 ? cats : "none")})"));
        var rejected = Enum.GetValues<DecodeStatus>().Where(s => s != DecodeStatus.Ok && Decoder.Count(s) > 0).Select(s => string.Create(ci, $"{s} {Decoder.Count(s)}")).ToList();
        writer.WriteLine(string.Create(ci, $"rejected: {Decoder.RejectedBlocks} blocks{(rejected.Count > 0 ? " (" + string.Join(", ", rejected) + ")" : "")}"));
        var issues = Enum.GetValues<ReadIssue>().Where(i => Reader.Count(i) > 0).Select(i => string.Create(ci, $"{i} {Reader.Count(i)}")).ToList();
        writer.WriteLine("reader: " + (issues.Count > 0 ? string.Join(", ", issues) : "no issues"));
    }
}

/// <summary>
/// The engine of <c>kizuna asterix dump</c>: reads every payload of a file, decodes every data block,
/// writes each record as one JSON line and each rejection (decoder or reader) as one JSON line with
/// <c>"error"</c> and the file offset.
/// </summary>
/// <remarks>
/// Record line: <c>{"time":…,"src":…,"dst":…,"offset":…,</c> followed by the members written by
/// <see cref="AsterixJson.Write"/> (<c>"cat"</c>, <c>"edition"</c>, <c>"items"</c>); time, src and dst
/// only when the input has them (captures, not raw files); offset is the record's byte offset in the file.
/// Rejection line: <c>{"error":"Truncated","offset":1234}</c> (reader issues add <c>"count"</c>); a record rejected for
/// a damaged item also names the item and its first octet: <c>{"error":"ItemOverrun","offset":1234,"item":"I048/120","item_offset":1239}</c>
/// (the rest of that block is this one rejection).
/// </remarks>
public static class AsterixDump
{
    /// <summary>Dumps everything <paramref name="reader"/> yields.</summary>
    public static AsterixDumpSummary Run(IAsterixPayloadReader reader, TextWriter records, TextWriter errors, AsterixDumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(errors);
        options ??= AsterixDumpOptions.Default;
        var sink = new JsonLineSink(records, errors);
        var scratch = new AsterixRecord();
        var decodeStats = new DecodeStatistics();
        while (reader.TryRead(out var payload))
        {
            sink.Payload = payload;
            AsterixDecoder.DecodeAll(payload.Data.Span, scratch, sink, options.Decoder, decodeStats);
        }

        foreach (var e in reader.Statistics.Events)
        {
            if (e.Issue is not (ReadIssue.NotIp or ReadIssue.NotUdp))
            {
                errors.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"error\":\"{e.Issue}\",\"offset\":{e.Offset},\"count\":{e.Count}}}"));
            }
        }

        return new AsterixDumpSummary(reader.Format, reader.Statistics, decodeStats, sink.PerCategory);
    }

    private sealed class JsonLineSink(TextWriter records, TextWriter errors) : IAsterixRecordSink
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);
        private readonly Utf8JsonWriter _json = new(Stream.Null);

        public long[] PerCategory { get; } = new long[256];

        public AsterixPayload Payload { get; set; }

        public void OnRecord(AsterixRecord record)
        {
            PerCategory[record.Category & 0xFF]++;
            _buffer.ResetWrittenCount();
            _json.Reset(_buffer);
            _json.WriteStartObject();
            if (Payload.Timestamp is { } t)
            {
                _json.WriteString("time", t);
            }

            if (Payload.Source is { } s)
            {
                _json.WriteString("src", s.ToString());
            }

            if (Payload.Destination is { } d)
            {
                _json.WriteString("dst", d.ToString());
            }

            _json.WriteNumber("offset", FileOffset(record.Offset));
            _json.WriteEndObject();
            _json.Flush();
            var metaLength = _buffer.WrittenCount - 1; // drop the closing brace
            var meta = Encoding.UTF8.GetString(_buffer.WrittenSpan[..metaLength]);

            _buffer.ResetWrittenCount();
            _json.Reset(_buffer);
            AsterixJson.Write(_json, record);
            _json.Flush();
            var body = Encoding.UTF8.GetString(_buffer.WrittenSpan[1..]); // drop the opening brace
            records.Write(meta);
            records.Write(body.Length > 1 ? "," : "");
            records.WriteLine(body);
        }

        public void OnRejected(DecodeStatus status, int offset) =>
            errors.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"error\":\"{status}\",\"offset\":{FileOffset(offset)}}}"));

        public void OnRejectedItem(DecodeStatus status, int recordOffset, Common.Uap uap, int frn, int itemOffset)
        {
            var name = uap.Items[frn - 1].Name;
            var item = name.Length == 3 ? string.Create(CultureInfo.InvariantCulture, $"I{uap.Category:D3}/{name}") : name;
            errors.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"error\":\"{status}\",\"offset\":{FileOffset(recordOffset)},\"item\":\"{item}\",\"item_offset\":{FileOffset(itemOffset)}}}"));
        }

        private long FileOffset(int offsetInPayload) => Payload.Offset >= 0 ? Payload.Offset + offsetInPayload : offsetInPayload;
    }
}
