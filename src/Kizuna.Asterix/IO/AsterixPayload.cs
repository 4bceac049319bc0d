namespace Kizuna.Asterix.IO;

/// <summary>
/// One unit of ASTERIX bytes handed out by a reader: a UDP payload, one de-framed frame, or one
/// data block of a raw file, with where and when it was seen.
/// </summary>
/// <param name="Timestamp">Capture or receive time (UTC); null for raw files or an unusable capture timestamp.</param>
/// <param name="Source">The UDP source endpoint; null for raw files.</param>
/// <param name="Destination">The UDP destination endpoint (group or unicast address and port); null for raw files.</param>
/// <param name="Data">
/// The ASTERIX bytes (one or more data blocks). It points into the reader's pooled buffer and is
/// valid only until the next read from the same reader — copy it to keep it.
/// </param>
/// <param name="Offset">Offset of <paramref name="Data"/>'s first byte in the file, or -1 for live UDP.</param>
public readonly record struct AsterixPayload(
    DateTime? Timestamp,
    PacketEndpoint? Source,
    PacketEndpoint? Destination,
    ReadOnlyMemory<byte> Data,
    long Offset);
