namespace Kizuna.Asterix.IO;

/// <summary>
/// A pull reader of ASTERIX payloads from a file or capture. Nothing throws on bad data: damage is
/// counted in <see cref="Statistics"/> with its offset and the reader continues or stops cleanly.
/// </summary>
/// <remarks>Not thread-safe. A payload's memory is valid until the next <see cref="TryRead"/> or <see cref="IDisposable.Dispose"/>.</remarks>
public interface IAsterixPayloadReader : IDisposable
{
    /// <summary>What the reader reads.</summary>
    AsterixSourceFormat Format { get; }

    /// <summary>Counters and issues so far.</summary>
    ReaderStatistics Statistics { get; }

    /// <summary>The next payload; false at the end of the input (or after a fatal structure error, which is counted).</summary>
    bool TryRead(out AsterixPayload payload);
}

/// <summary>Input formats recognised by <see cref="AsterixFileReader.Detect"/>.</summary>
public enum AsterixSourceFormat
{
    /// <summary>Nothing recognisable (or an empty file).</summary>
    Unknown,

    /// <summary>Concatenated ASTERIX data blocks (.ast, .raw, .bin).</summary>
    RawAsterix,

    /// <summary>Classic libpcap capture (either byte order, micro- or nanosecond timestamps).</summary>
    Pcap,

    /// <summary>pcapng capture.</summary>
    PcapNg,
}
