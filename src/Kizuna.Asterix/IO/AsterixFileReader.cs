using System.Buffers.Binary;

namespace Kizuna.Asterix.IO;

/// <summary>Opens any supported ASTERIX file — pcap, pcapng or raw blocks — by its magic number.</summary>
public static class AsterixFileReader
{
    /// <summary>
    /// The format of a file from its first bytes: pcap (0xA1B2C3D4 / 0xA1B23C4D in either byte order),
    /// pcapng (Section Header Block 0x0A0D0D0A), raw ASTERIX (a first block header with a plausible
    /// category and LEN ≥ 4), else <see cref="AsterixSourceFormat.Unknown"/>.
    /// </summary>
    public static AsterixSourceFormat Detect(ReadOnlySpan<byte> head, AsterixReaderOptions? options = null)
    {
        if (head.Length >= 4)
        {
            var magic = BinaryPrimitives.ReadUInt32LittleEndian(head);
            if (magic is 0xA1B2C3D4 or 0xA1B23C4D or 0xD4C3B2A1 or 0x4D3CB2A1)
            {
                return AsterixSourceFormat.Pcap;
            }

            if (magic == 0x0A0D0D0A)
            {
                return AsterixSourceFormat.PcapNg;
            }
        }

        if (head.Length >= 3)
        {
            var categories = (options ?? AsterixReaderOptions.Default).PlausibleCategories;
            if (categories.Contains(head[0]) && BinaryPrimitives.ReadUInt16BigEndian(head[1..]) >= 4)
            {
                return AsterixSourceFormat.RawAsterix;
            }
        }

        return AsterixSourceFormat.Unknown;
    }

    /// <summary>Opens a reader for <paramref name="stream"/>, choosing it by <see cref="Detect"/>.</summary>
    /// <exception cref="InvalidDataException">The format is not recognised (the stream is then disposed unless <paramref name="leaveOpen"/>).</exception>
    public static IAsterixPayloadReader Open(Stream stream, AsterixReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= AsterixReaderOptions.Default;
        var window = new StreamWindow(stream, CaptureReader.BufferCapacity(options), leaveOpen);
        window.Ensure(4);
        var format = Detect(window.Span, options);
        switch (format)
        {
            case AsterixSourceFormat.Pcap or AsterixSourceFormat.PcapNg:
                return new CaptureReader(window, format, options);
            case AsterixSourceFormat.RawAsterix:
                return new AstFileReader(window, options);
            default:
                var empty = window.Available == 0;
                window.Dispose();
                throw new InvalidDataException(empty
                    ? "The file is empty."
                    : "Not a pcap, pcapng or raw ASTERIX file (unknown magic number and no plausible first data block).");
        }
    }

    /// <summary>Opens the file at <paramref name="path"/> (see <see cref="Open(Stream, AsterixReaderOptions?, bool)"/>).</summary>
    public static IAsterixPayloadReader Open(string path, AsterixReaderOptions? options = null) =>
        Open(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan), options);
}
