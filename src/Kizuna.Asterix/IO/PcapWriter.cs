using System.Buffers.Binary;

namespace Kizuna.Asterix.IO;

/// <summary>
/// Writes UDP datagrams to a classic pcap file (little-endian, microsecond timestamps, link type
/// Ethernet), each wrapped in Ethernet II / IPv4 / UDP with correct lengths and checksums, so
/// Wireshark and tshark dissect what we send exactly as they would a live capture.
/// </summary>
/// <remarks>
/// <para>pcap file and record headers: draft-ietf-opsawg-pcap §4–5. IPv4 header (RFC 791 §3.1) of
/// 20 octets, DF set, TTL 64, identification incremented per datagram; header checksum = ones'
/// complement of the ones'-complement sum of the header's 16-bit words (RFC 1071 §1). UDP checksum
/// (RFC 768) over the pseudo-header (source, destination, zero, protocol 17, UDP length), the UDP
/// header and the payload padded to an even length; a computed 0 is sent as 0xFFFF.</para>
/// <para>Ethernet destination: 01:00:5E + the low 23 bits of a multicast group (RFC 1112 §6.4),
/// otherwise the locally administered 02:00:00:00:00:02; source 02:00:00:00:00:01.</para>
/// <para>One reusable frame buffer; no allocation per datagram. Not thread-safe.</para>
/// </remarks>
public sealed class PcapWriter : IDisposable
{
    /// <summary>Largest UDP payload in one IPv4 datagram: 65,535 − 20 (IPv4) − 8 (UDP).</summary>
    public const int MaxPayload = 65_507;

    private const int HeaderLength = 14 + 20 + 8;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _frame = new byte[16 + HeaderLength + MaxPayload];
    private ushort _identification;

    private PcapWriter(Stream stream, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 262_144); // snapshot length
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], UdpFrameParser.LinkTypeEthernet);
        _stream.Write(header);
    }

    /// <summary>Starts a pcap file on <paramref name="stream"/> (writes the 24-byte file header).</summary>
    public static PcapWriter Create(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new PcapWriter(stream, leaveOpen);
    }

    /// <summary>Datagrams written so far.</summary>
    public long Count { get; private set; }

    /// <summary>Writes one UDP datagram.</summary>
    /// <param name="timestampUtc">Capture time (UTC, at or after 1970; microsecond resolution is kept).</param>
    /// <param name="source">IPv4 source address and port.</param>
    /// <param name="destination">IPv4 destination address (unicast or multicast group) and port.</param>
    /// <param name="payload">The UDP payload, at most <see cref="MaxPayload"/> bytes.</param>
    public void WriteUdp(DateTime timestampUtc, PacketEndpoint source, PacketEndpoint destination, ReadOnlySpan<byte> payload)
    {
        if (source.IsIPv6 || destination.IsIPv6)
        {
            throw new ArgumentException("PcapWriter writes IPv4 datagrams only.", nameof(destination));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(payload.Length, MaxPayload, nameof(payload));
        var sinceEpoch = timestampUtc.ToUniversalTime() - DateTime.UnixEpoch;
        ArgumentOutOfRangeException.ThrowIfLessThan(sinceEpoch, TimeSpan.Zero, nameof(timestampUtc));

        var frameLength = HeaderLength + payload.Length;
        var f = _frame.AsSpan(0, 16 + frameLength);
        var microseconds = sinceEpoch.Ticks / 10;
        BinaryPrimitives.WriteUInt32LittleEndian(f, (uint)(microseconds / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(f[4..], (uint)(microseconds % 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(f[8..], (uint)frameLength);
        BinaryPrimitives.WriteUInt32LittleEndian(f[12..], (uint)frameLength);

        var eth = f[16..];
        var dst = (uint)destination.Address;
        if (destination.IsMulticast)
        {
            eth[0] = 0x01;
            eth[1] = 0x00;
            eth[2] = 0x5E;
            eth[3] = (byte)((dst >> 16) & 0x7F);
            eth[4] = (byte)(dst >> 8);
            eth[5] = (byte)dst;
        }
        else
        {
            ReadOnlySpan<byte> unicast = [0x02, 0, 0, 0, 0, 0x02];
            unicast.CopyTo(eth);
        }

        ReadOnlySpan<byte> sourceMac = [0x02, 0, 0, 0, 0, 0x01];
        sourceMac.CopyTo(eth[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(eth[12..], 0x0800);

        var ip = eth.Slice(14, 20);
        var udpLength = 8 + payload.Length;
        ip[0] = 0x45;
        ip[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + udpLength));
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], _identification++);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000); // DF, offset 0
        ip[8] = 64;
        ip[9] = 17;
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], (uint)source.Address);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], dst);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Finish(Sum(ip, 0)));

        var udp = eth.Slice(34, udpLength);
        BinaryPrimitives.WriteUInt16BigEndian(udp, source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], destination.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udpLength);
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], 0);
        payload.CopyTo(udp[8..]);
        ulong pseudo = (((uint)source.Address) >> 16) + (((uint)source.Address) & 0xFFFF) + (dst >> 16) + (dst & 0xFFFF) + 17u + (uint)udpLength;
        var checksum = Finish(Sum(udp, pseudo));
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], checksum == 0 ? (ushort)0xFFFF : checksum);

        _stream.Write(f);
        Count++;
    }

    /// <summary>Flushes the underlying stream.</summary>
    public void Flush() => _stream.Flush();

    /// <summary>The RFC 1071 ones'-complement sum of 16-bit big-endian words (an odd last octet is padded with zero).</summary>
    internal static ulong Sum(ReadOnlySpan<byte> data, ulong initial)
    {
        var sum = initial;
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (ulong)data[i] << 8;
        }

        return sum;
    }

    /// <summary>Folds the carries and complements: the value to put in a checksum field.</summary>
    internal static ushort Finish(ulong sum)
    {
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stream.Flush();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
