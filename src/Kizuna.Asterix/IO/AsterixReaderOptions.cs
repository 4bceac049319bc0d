namespace Kizuna.Asterix.IO;

/// <summary>How a raw-file reader recovers from a data block whose LEN cannot be right.</summary>
public enum ResyncPolicy
{
    /// <summary>Scan forward byte by byte to the next plausible block header (known category, LEN that fits, followed by another plausible header or the end of the file).</summary>
    ScanForward,

    /// <summary>Stop reading the file at the first bad block.</summary>
    Stop,
}

/// <summary>How ASTERIX data blocks are framed inside a UDP payload.</summary>
public enum AsterixFraming
{
    /// <summary>The payload is one or more concatenated ASTERIX data blocks (the common case).</summary>
    None,

    /// <summary>
    /// Each data block is preceded by a 6-byte header whose first two bytes are the big-endian frame
    /// length including the header (the ORADIS-style framing of <c>cat_001_002.pcap</c>); the other
    /// four header bytes are not interpreted.
    /// </summary>
    Oradis,

    /// <summary>
    /// Per datagram: plain blocks when their CAT/LEN chain covers the payload exactly, else ORADIS
    /// frames when their chain (with an inner block LEN equal to the frame length − 6) covers it, else plain.
    /// </summary>
    Auto,
}

/// <summary>Options shared by the file and capture readers. Change with <c>with</c>.</summary>
public sealed record AsterixReaderOptions
{
    /// <summary>The defaults: resynchronise raw files, no framing, 256 KiB packet cap, 1,000 recorded issues.</summary>
    public static AsterixReaderOptions Default { get; } = new();

    /// <summary>Raw files: what to do after a bad block LEN.</summary>
    public ResyncPolicy Resync { get; init; } = ResyncPolicy.ScanForward;

    /// <summary>Captures and UDP: framing of the blocks inside each UDP payload.</summary>
    public AsterixFraming Framing { get; init; } = AsterixFraming.None;

    /// <summary>Hard cap on one captured packet (pcap record, pcapng packet block); above it the packet is rejected. Default 262,144 (tcpdump's snapshot length).</summary>
    public int MaxPacketLength { get; init; } = 262_144;

    /// <summary>Hard cap on a pcapng block that is not a packet (bigger ones are skipped by length, not buffered). Default 1 MiB.</summary>
    public int MaxBlockLength { get; init; } = 1 << 20;

    /// <summary>How many issue events keep their offsets (all are counted).</summary>
    public int MaxRecordedIssues { get; init; } = 1000;

    /// <summary>
    /// Categories accepted as a plausible block start when resynchronising a raw file: those with a
    /// published EUROCONTROL definition that are seen on radar networks.
    /// </summary>
    public IReadOnlyList<int> PlausibleCategories { get; init; } =
        [1, 2, 4, 8, 9, 10, 11, 15, 16, 17, 18, 19, 20, 21, 23, 25, 30, 31, 32, 34, 48, 62, 63, 65, 150, 240, 247, 252];

    internal bool[] CategoryMask()
    {
        var mask = new bool[256];
        foreach (var c in PlausibleCategories)
        {
            if ((uint)c < 256u)
            {
                mask[c] = true;
            }
        }

        return mask;
    }
}
