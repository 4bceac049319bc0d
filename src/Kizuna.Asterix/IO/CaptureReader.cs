using System.Buffers.Binary;

namespace Kizuna.Asterix.IO;

/// <summary>
/// Reads UDP payloads from a classic pcap or a pcapng capture (detected by magic) and hands them out
/// as ASTERIX payloads, optionally split by an <see cref="AsterixFraming"/>.
/// </summary>
/// <remarks>
/// <para>Classic pcap (IETF draft-ietf-opsawg-pcap, §4–5): a 24-octet file header whose magic gives
/// the byte order and the timestamp unit (0xA1B2C3D4 microseconds, 0xA1B23C4D nanoseconds), then
/// per packet a 16-octet header (seconds, fraction, captured length, original length) and the frame.</para>
/// <para>pcapng (draft-ietf-opsawg-pcapng, §3–4): blocks of type, total length, body, total length.
/// Section Header Blocks set the byte order (byte-order magic 0x1A2B3C4D) and reset the interface
/// list; Interface Description Blocks give the link type and the timestamp resolution (option
/// if_tsresol, 10^-n or 2^-n s, default 10^-6) and offset (if_tsoffset); Enhanced, Simple and the
/// obsolete Packet Blocks carry frames; every other block and every option is skipped by its length.</para>
/// <para>Hostile lengths: a pcap record longer than <see cref="AsterixReaderOptions.MaxPacketLength"/>
/// cannot be stepped over safely, so the reader counts it and stops; a pcapng block whose total length
/// is below 12, not a multiple of 4, or whose trailing copy differs stops the reader; an oversized
/// non-packet block is skipped without buffering. A file that ends mid-record counts as
/// <see cref="ReadIssue.TruncatedFile"/>. Frames go through <see cref="UdpFrameParser"/>; frames
/// without UDP are counted per reason. One pooled buffer; no per-packet allocation.</para>
/// </remarks>
public sealed class CaptureReader : IAsterixPayloadReader
{
    private const uint PcapNgShb = 0x0A0D0D0A;
    private const uint ByteOrderMagic = 0x1A2B3C4D;
    private const int MaxInterfaces = 1024;

    private readonly StreamWindow _window;
    private readonly AsterixReaderOptions _options;
    private readonly List<Interface> _interfaces = [];
    private DatagramFramer _framer;
    private DateTime? _timestamp;
    private PacketEndpoint _source;
    private PacketEndpoint _destination;
    private bool _headerRead;
    private bool _done;

    // classic pcap
    private bool _bigEndian;
    private bool _nanoseconds;
    private int _linkType;

    // pcapng
    private bool _inSection;

    internal CaptureReader(StreamWindow window, AsterixSourceFormat format, AsterixReaderOptions options)
    {
        _window = window;
        _options = options;
        Format = format;
        Statistics = new ReaderStatistics(options.MaxRecordedIssues);
    }

    /// <summary>Opens a pcap or pcapng capture; the format is read from the magic number.</summary>
    /// <exception cref="InvalidDataException">The stream starts with neither a pcap nor a pcapng magic.</exception>
    public static CaptureReader Open(Stream stream, AsterixReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= AsterixReaderOptions.Default;
        var window = new StreamWindow(stream, BufferCapacity(options), leaveOpen);
        window.Ensure(4);
        var format = AsterixFileReader.Detect(window.Span);
        if (format is not (AsterixSourceFormat.Pcap or AsterixSourceFormat.PcapNg))
        {
            window.Dispose();
            throw new InvalidDataException("Not a pcap or pcapng capture (unknown magic number).");
        }

        return new CaptureReader(window, format, options);
    }

    internal static int BufferCapacity(AsterixReaderOptions options) =>
        Math.Max(options.MaxPacketLength + 64, options.MaxBlockLength) + 64;

    /// <inheritdoc />
    public AsterixSourceFormat Format { get; }

    /// <inheritdoc />
    public ReaderStatistics Statistics { get; }

    /// <inheritdoc />
    public bool TryRead(out AsterixPayload payload)
    {
        while (true)
        {
            if (_framer.TryNext(Statistics, out var data, out var offset))
            {
                payload = new AsterixPayload(_timestamp, _source, _destination, data, offset);
                Statistics.AddPayload(data.Length);
                return true;
            }

            if (_done || !(Format == AsterixSourceFormat.Pcap ? NextPcapPacket() : NextPcapNgPacket()))
            {
                _done = true;
                payload = default;
                return false;
            }
        }
    }

    private bool Stop(ReadIssue issue, long offset)
    {
        Statistics.Add(issue, offset);
        _window.DiscardAll();
        return false;
    }

    private uint U32(ReadOnlySpan<byte> s) => _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);

    private ushort U16(ReadOnlySpan<byte> s) => _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);

    private bool NextPcapPacket()
    {
        if (!_headerRead)
        {
            if (!_window.Ensure(24))
            {
                return Stop(ReadIssue.TruncatedFile, _window.Position);
            }

            var magic = BinaryPrimitives.ReadUInt32LittleEndian(_window.Span);
            _bigEndian = magic is 0xD4C3B2A1 or 0x4D3CB2A1;
            _nanoseconds = magic is 0xA1B23C4D or 0x4D3CB2A1;
            _linkType = (int)(U32(_window.Span[20..]) & 0xFFFF);
            _window.Advance(24);
            _headerRead = true;
        }

        while (true)
        {
            var recordOffset = _window.Position;
            if (!_window.Ensure(16))
            {
                return _window.Available > 0 && Stop(ReadIssue.TruncatedFile, recordOffset);
            }

            var header = _window.Span;
            var seconds = U32(header);
            var fraction = U32(header[4..]);
            var captured = U32(header[8..]);
            if (captured > (uint)_options.MaxPacketLength)
            {
                return Stop(ReadIssue.CaptureRecordLengthInvalid, recordOffset);
            }

            var length = (int)captured;
            if (!_window.Ensure(16 + length))
            {
                return Stop(ReadIssue.TruncatedFile, recordOffset);
            }

            Statistics.AddPacket();
            DateTime? time = null;
            if (fraction < (_nanoseconds ? 1_000_000_000u : 1_000_000u))
            {
                time = DateTime.UnixEpoch.AddTicks((seconds * 10_000_000L) + (_nanoseconds ? fraction / 100 : fraction * 10L));
            }
            else
            {
                Statistics.Add(ReadIssue.TimestampInvalid, recordOffset);
            }

            var found = StartFrame(_linkType, 16, length, time, recordOffset);
            _window.Advance(16 + length);
            if (found)
            {
                return true;
            }
        }
    }

    private bool StartFrame(int linkType, int frameStart, int frameLength, DateTime? time, long recordOffset)
    {
        var frame = _window.Span.Slice(frameStart, frameLength);
        var issue = UdpFrameParser.TryParse(linkType, frame, out var info);
        if (issue is { } reason)
        {
            Statistics.Add(reason, recordOffset);
            return false;
        }

        _timestamp = time;
        _source = info.Source;
        _destination = info.Destination;
        var start = frameStart + info.PayloadOffset;
        _framer.Start(_window.Slice(start, info.PayloadLength), _window.Position + start, _options.Framing);
        return true;
    }

    private bool NextPcapNgPacket()
    {
        while (true)
        {
            var blockOffset = _window.Position;
            if (!_window.Ensure(12))
            {
                return _window.Available > 0 && Stop(ReadIssue.TruncatedFile, blockOffset);
            }

            var span = _window.Span;
            if (BinaryPrimitives.ReadUInt32LittleEndian(span) == PcapNgShb)
            {
                var bom = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
                if (bom == ByteOrderMagic)
                {
                    _bigEndian = false;
                }
                else if (BinaryPrimitives.ReverseEndianness(bom) == ByteOrderMagic)
                {
                    _bigEndian = true;
                }
                else
                {
                    return Stop(ReadIssue.SectionHeaderInvalid, blockOffset);
                }

                _inSection = true;
                _interfaces.Clear();
            }
            else if (!_inSection)
            {
                return Stop(ReadIssue.SectionHeaderInvalid, blockOffset);
            }

            var type = U32(span);
            var total = U32(span[4..]);
            if (total < 12 || total % 4 != 0)
            {
                return Stop(ReadIssue.BlockTotalLengthInvalid, blockOffset);
            }

            var isPacket = type is 2 or 3 or 6;
            if (total > (uint)_options.MaxBlockLength || (isPacket && total > (uint)_options.MaxPacketLength + 64))
            {
                if (isPacket)
                {
                    Statistics.AddPacket();
                    Statistics.Add(ReadIssue.PacketLengthInvalid, blockOffset);
                }

                if (!_window.Skip(total))
                {
                    return Stop(ReadIssue.TruncatedFile, blockOffset);
                }

                continue;
            }

            var length = (int)total;
            if (!_window.Ensure(length))
            {
                return Stop(ReadIssue.TruncatedFile, blockOffset);
            }

            span = _window.Span;
            if (U32(span[(length - 4)..]) != total)
            {
                return Stop(ReadIssue.BlockTotalLengthMismatch, blockOffset);
            }

            var body = span[8..(length - 4)];
            var found = false;
            switch (type)
            {
                case 1:
                    AddInterface(body, blockOffset);
                    break;
                case 6 or 2:
                    found = EnhancedOrObsoletePacket(body, type == 2, blockOffset);
                    break;
                case 3:
                    found = SimplePacket(body, blockOffset);
                    break;
            }

            _window.Advance(length);
            if (found)
            {
                return true;
            }
        }
    }

    private void AddInterface(ReadOnlySpan<byte> body, long blockOffset)
    {
        if (body.Length < 8 || _interfaces.Count >= MaxInterfaces)
        {
            Statistics.Add(ReadIssue.InterfaceInvalid, blockOffset);
            return;
        }

        var linkType = U16(body);
        var snapLength = U32(body[4..]);
        byte resolution = 6;
        long offsetSeconds = 0;
        var options = body[8..];
        while (options.Length >= 4)
        {
            var code = U16(options);
            var len = U16(options[2..]);
            var padded = (len + 3) & ~3;
            if (code == 0 || 4 + padded > options.Length)
            {
                break;
            }

            var value = options.Slice(4, len);
            if (code == 9 && len >= 1)
            {
                resolution = value[0];
            }
            else if (code == 14 && len >= 8)
            {
                offsetSeconds = (long)(_bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(value) : BinaryPrimitives.ReadUInt64LittleEndian(value));
            }

            options = options[(4 + padded)..];
        }

        ulong unitsPerSecond = 0;
        if ((resolution & 0x80) != 0)
        {
            var exponent = resolution & 0x7F;
            unitsPerSecond = exponent <= 62 ? 1UL << exponent : 0;
        }
        else if (resolution <= 18)
        {
            unitsPerSecond = 1;
            for (var i = 0; i < resolution; i++)
            {
                unitsPerSecond *= 10;
            }
        }

        _interfaces.Add(new Interface(linkType, snapLength, unitsPerSecond, offsetSeconds));
    }

    private bool EnhancedOrObsoletePacket(ReadOnlySpan<byte> body, bool obsolete, long blockOffset)
    {
        Statistics.AddPacket();
        if (body.Length < 20)
        {
            Statistics.Add(ReadIssue.PacketLengthInvalid, blockOffset);
            return false;
        }

        var id = obsolete ? U16(body) : U32(body);
        var high = U32(body[4..]);
        var low = U32(body[8..]);
        var captured = U32(body[12..]);
        if (id >= (uint)_interfaces.Count)
        {
            Statistics.Add(ReadIssue.InterfaceInvalid, blockOffset);
            return false;
        }

        if (captured > (uint)(body.Length - 20) || captured > (uint)_options.MaxPacketLength)
        {
            Statistics.Add(ReadIssue.PacketLengthInvalid, blockOffset);
            return false;
        }

        var iface = _interfaces[(int)id];
        var time = ToDateTime(((ulong)high << 32) | low, iface, blockOffset);
        return StartFrame(iface.LinkType, 8 + 20, (int)captured, time, blockOffset);
    }

    private bool SimplePacket(ReadOnlySpan<byte> body, long blockOffset)
    {
        Statistics.AddPacket();
        if (body.Length < 4 || _interfaces.Count == 0)
        {
            Statistics.Add(body.Length < 4 ? ReadIssue.PacketLengthInvalid : ReadIssue.InterfaceInvalid, blockOffset);
            return false;
        }

        var iface = _interfaces[0];
        var captured = Math.Min(U32(body), (uint)(body.Length - 4));
        if (iface.SnapLength > 0)
        {
            captured = Math.Min(captured, iface.SnapLength);
        }

        return StartFrame(iface.LinkType, 8 + 4, (int)captured, null, blockOffset);
    }

    private DateTime? ToDateTime(ulong units, Interface iface, long blockOffset)
    {
        const long maxSeconds = 253_402_300_799L - 62_135_596_800L; // 9999-12-31T23:59:59 − 1970-01-01 (DateTime range)
        if (iface.UnitsPerSecond == 0)
        {
            Statistics.Add(ReadIssue.TimestampInvalid, blockOffset);
            return null;
        }

        var seconds = units / iface.UnitsPerSecond;
        var fraction = units % iface.UnitsPerSecond;
        if (seconds > maxSeconds || (long)seconds + iface.OffsetSeconds is < 0 or > maxSeconds)
        {
            Statistics.Add(ReadIssue.TimestampInvalid, blockOffset);
            return null;
        }

        var ticks = (long)((UInt128)fraction * 10_000_000UL / iface.UnitsPerSecond);
        return DateTime.UnixEpoch.AddTicks((((long)seconds + iface.OffsetSeconds) * 10_000_000L) + ticks);
    }

    /// <inheritdoc />
    public void Dispose() => _window.Dispose();

    private readonly record struct Interface(int LinkType, uint SnapLength, ulong UnitsPerSecond, long OffsetSeconds);
}
