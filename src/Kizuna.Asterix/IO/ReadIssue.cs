namespace Kizuna.Asterix.IO;

/// <summary>Why a reader skipped bytes, a packet or the rest of a file. Each is counted in <see cref="ReaderStatistics"/>.</summary>
public enum ReadIssue
{
    /// <summary>The file ends inside a header or record (a cut-off capture or file).</summary>
    TruncatedFile,

    /// <summary>Raw file: a data block LEN below 4 (CAT + LEN + at least one FSPEC byte).</summary>
    BlockLengthTooShort,

    /// <summary>Raw file: a data block LEN that runs past the end of the file.</summary>
    BlockLengthPastEnd,

    /// <summary>Raw file: bytes skipped while resynchronising on the next plausible block header.</summary>
    ResyncSkipped,

    /// <summary>The first bytes match no supported format (pcap, pcapng, raw ASTERIX).</summary>
    UnknownFormat,

    /// <summary>pcap: a record's captured length exceeds the cap or the file's snapshot length; the file cannot be followed further.</summary>
    CaptureRecordLengthInvalid,

    /// <summary>pcapng: a block total length below 12, not a multiple of 4, or above the cap.</summary>
    BlockTotalLengthInvalid,

    /// <summary>pcapng: the trailing block total length differs from the leading one.</summary>
    BlockTotalLengthMismatch,

    /// <summary>pcapng: a section header with a bad byte-order magic or a block before the first section header.</summary>
    SectionHeaderInvalid,

    /// <summary>pcapng: a packet names an interface that was not described (or too many interfaces).</summary>
    InterfaceInvalid,

    /// <summary>pcapng: a packet's captured length does not fit in its block.</summary>
    PacketLengthInvalid,

    /// <summary>A capture timestamp that cannot be represented (resolution or range); the payload is kept with a null time.</summary>
    TimestampInvalid,

    /// <summary>A link-layer type this reader does not parse (supported: Ethernet, Linux SLL/SLL2, raw IP, BSD loopback).</summary>
    UnsupportedLinkType,

    /// <summary>A frame that is not IPv4/IPv6 (ARP, LLDP, …). Normal traffic, counted but not an error.</summary>
    NotIp,

    /// <summary>An IP packet that is not UDP (TCP, ICMP, IGMP, …). Normal traffic, counted but not an error.</summary>
    NotUdp,

    /// <summary>An IP fragment (MF set or fragment offset non-zero, or an IPv6 fragment header): counted and skipped, not reassembled.</summary>
    IpFragment,

    /// <summary>An IP header with a bad version, header length or total length.</summary>
    IpHeaderInvalid,

    /// <summary>An IP packet cut short by the capture's snapshot length.</summary>
    IpTruncated,

    /// <summary>A UDP length below 8 or beyond the IP payload.</summary>
    UdpLengthInvalid,

    /// <summary>ORADIS-style framing: a frame length below 9 (6-byte header + CAT/LEN) or past the datagram end; the rest of the datagram is dropped.</summary>
    FrameLengthInvalid,

    /// <summary>UDP listener: a datagram larger than the receive buffer (truncated by the socket), dropped.</summary>
    DatagramTooLarge,

    /// <summary>UDP listener: the bounded channel was full and the newest datagram was dropped.</summary>
    ChannelFull,
}

/// <summary>One recorded issue: what went wrong and where (file offset, or -1 for live UDP).</summary>
public readonly record struct ReadIssueEvent(ReadIssue Issue, long Offset, long Count);
