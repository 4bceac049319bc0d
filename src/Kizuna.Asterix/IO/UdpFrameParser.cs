using System.Buffers.Binary;

namespace Kizuna.Asterix.IO;

/// <summary>Where the UDP payload of a captured frame is, and its endpoints.</summary>
/// <param name="Source">IP source address and UDP source port.</param>
/// <param name="Destination">IP destination address and UDP destination port.</param>
/// <param name="PayloadOffset">Offset of the UDP payload inside the frame.</param>
/// <param name="PayloadLength">UDP payload length (UDP length − 8).</param>
public readonly record struct UdpDatagramInfo(PacketEndpoint Source, PacketEndpoint Destination, int PayloadOffset, int PayloadLength);

/// <summary>
/// Finds the UDP payload inside a captured link-layer frame: Ethernet II (with stacked 802.1Q /
/// 802.1ad tags), Linux cooked capture v1/v2, raw IP and BSD loopback; then IPv4 or IPv6; then UDP.
/// </summary>
/// <remarks>
/// Formats: Ethernet II (IEEE 802.3 clause 3, EtherType ≥ 0x0600), 802.1Q tag (IEEE 802.1Q §9.6,
/// 4 octets: TPID 0x8100 / 0x88A8 / 0x9100 + TCI); IPv4 (RFC 791 §3.1: IHL in 32-bit words, total
/// length, flags MF and fragment offset); IPv6 (RFC 8200 §3–4, extension headers 0/43/60 skipped
/// by their length, 44 = fragment); UDP (RFC 768: length includes the 8-octet header). Link types
/// are the tcpdump.org LINKTYPE_ values (1 Ethernet, 113 Linux SLL, 276 SLL2, 101/228/229 raw,
/// 0 BSD null). Every length is checked against the bytes left before use; IP total length, not
/// the frame length, bounds the packet (Ethernet pads short frames). Fragments are counted and
/// skipped (no reassembly: radar feeds keep datagrams below the MTU). Checksums are not verified:
/// captures taken on the sending host carry unfilled checksums (offload).
/// </remarks>
public static class UdpFrameParser
{
    /// <summary>LINKTYPE_ETHERNET.</summary>
    public const int LinkTypeEthernet = 1;

    /// <summary>Parses one frame. Returns null on success, else the reason the frame holds no usable UDP payload.</summary>
    public static ReadIssue? TryParse(int linkType, ReadOnlySpan<byte> frame, out UdpDatagramInfo info)
    {
        info = default;
        int offset;
        int etherType;
        switch (linkType)
        {
            case LinkTypeEthernet:
                if (frame.Length < 14)
                {
                    return ReadIssue.IpTruncated;
                }

                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
                offset = 14;
                for (var tags = 0; tags < 4 && etherType is 0x8100 or 0x88A8 or 0x9100; tags++)
                {
                    if (frame.Length < offset + 4)
                    {
                        return ReadIssue.IpTruncated;
                    }

                    etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 2)..]);
                    offset += 4;
                }

                break;
            case 113: // LINKTYPE_LINUX_SLL: protocol at 14, header 16
                if (frame.Length < 16)
                {
                    return ReadIssue.IpTruncated;
                }

                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[14..]);
                offset = 16;
                break;
            case 276: // LINKTYPE_LINUX_SLL2: protocol at 0, header 20
                if (frame.Length < 20)
                {
                    return ReadIssue.IpTruncated;
                }

                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame);
                offset = 20;
                break;
            case 101 or 228 or 229 or 12 or 14: // raw IP (version nibble decides)
                if (frame.Length < 1)
                {
                    return ReadIssue.IpTruncated;
                }

                etherType = (frame[0] >> 4) switch { 4 => 0x0800, 6 => 0x86DD, _ => 0 };
                offset = 0;
                break;
            case 0: // LINKTYPE_NULL: 4-byte address family in the capturing host's byte order
                if (frame.Length < 4)
                {
                    return ReadIssue.IpTruncated;
                }

                var family = BinaryPrimitives.ReadUInt32LittleEndian(frame);
                if (family > 0xFFFF)
                {
                    family = BinaryPrimitives.ReadUInt32BigEndian(frame);
                }

                etherType = family switch { 2 => 0x0800, 24 or 28 or 30 => 0x86DD, _ => 0 };
                offset = 4;
                break;
            default:
                return ReadIssue.UnsupportedLinkType;
        }

        return etherType switch
        {
            0x0800 => ParseIPv4(frame, offset, out info),
            0x86DD => ParseIPv6(frame, offset, out info),
            _ => ReadIssue.NotIp,
        };
    }

    private static ReadIssue? ParseIPv4(ReadOnlySpan<byte> frame, int offset, out UdpDatagramInfo info)
    {
        info = default;
        var ip = frame[offset..];
        if (ip.Length < 20)
        {
            return ReadIssue.IpTruncated;
        }

        var ihl = (ip[0] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        if (ip[0] >> 4 != 4 || ihl < 20 || totalLength < ihl)
        {
            return ReadIssue.IpHeaderInvalid;
        }

        if (totalLength > ip.Length)
        {
            return ReadIssue.IpTruncated;
        }

        var flagsFragment = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
        if ((flagsFragment & 0x3FFF) != 0) // MF flag or a non-zero fragment offset
        {
            return ReadIssue.IpFragment;
        }

        if (ip[9] != 17)
        {
            return ReadIssue.NotUdp;
        }

        var src = BinaryPrimitives.ReadUInt32BigEndian(ip[12..]);
        var dst = BinaryPrimitives.ReadUInt32BigEndian(ip[16..]);
        return ParseUdp(ip[ihl..totalLength], offset + ihl, isIPv6: false, src, dst, out info);
    }

    private static ReadIssue? ParseIPv6(ReadOnlySpan<byte> frame, int offset, out UdpDatagramInfo info)
    {
        info = default;
        var ip = frame[offset..];
        if (ip.Length < 40)
        {
            return ReadIssue.IpTruncated;
        }

        if (ip[0] >> 4 != 6)
        {
            return ReadIssue.IpHeaderInvalid;
        }

        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
        if (40 + payloadLength > ip.Length)
        {
            return ReadIssue.IpTruncated;
        }

        var next = ip[6];
        var p = 40;
        var end = 40 + payloadLength;
        for (var depth = 0; depth < 8 && next is 0 or 43 or 60 or 44; depth++)
        {
            if (next == 44)
            {
                return ReadIssue.IpFragment;
            }

            if (end - p < 8)
            {
                return ReadIssue.IpHeaderInvalid;
            }

            var extLength = (ip[p + 1] + 1) * 8;
            if (extLength > end - p)
            {
                return ReadIssue.IpHeaderInvalid;
            }

            next = ip[p];
            p += extLength;
        }

        if (next != 17)
        {
            return ReadIssue.NotUdp;
        }

        var src = BinaryPrimitives.ReadUInt128BigEndian(ip[8..]);
        var dst = BinaryPrimitives.ReadUInt128BigEndian(ip[24..]);
        return ParseUdp(ip[p..end], offset + p, isIPv6: true, src, dst, out info);
    }

    private static ReadIssue? ParseUdp(ReadOnlySpan<byte> udp, int offset, bool isIPv6, UInt128 src, UInt128 dst, out UdpDatagramInfo info)
    {
        info = default;
        if (udp.Length < 8)
        {
            return ReadIssue.UdpLengthInvalid;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(udp[4..]);
        if (length < 8 || length > udp.Length)
        {
            return ReadIssue.UdpLengthInvalid;
        }

        var srcPort = BinaryPrimitives.ReadUInt16BigEndian(udp);
        var dstPort = BinaryPrimitives.ReadUInt16BigEndian(udp[2..]);
        Span<byte> a = stackalloc byte[16];
        PacketEndpoint source, destination;
        if (isIPv6)
        {
            BinaryPrimitives.WriteUInt128BigEndian(a, src);
            source = PacketEndpoint.FromIPv6(a, srcPort);
            BinaryPrimitives.WriteUInt128BigEndian(a, dst);
            destination = PacketEndpoint.FromIPv6(a, dstPort);
        }
        else
        {
            source = PacketEndpoint.FromIPv4((uint)src, srcPort);
            destination = PacketEndpoint.FromIPv4((uint)dst, dstPort);
        }

        info = new UdpDatagramInfo(source, destination, offset + 8, length - 8);
        return null;
    }
}
