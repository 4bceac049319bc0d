namespace Kizuna.Network.Wire;

/// <summary>Outcome of decoding one wire message. Decoding never throws on bad bytes; it returns one of these.</summary>
public enum WireStatus : byte
{
    /// <summary>Decoded.</summary>
    Ok = 0,

    /// <summary>No bytes.</summary>
    Empty = 1,

    /// <summary>The bytes end inside a value.</summary>
    Truncated = 2,

    /// <summary>Not the MessagePack shape the schema expects (wrong type code, missing key, trailing bytes).</summary>
    Malformed = 3,

    /// <summary>A schema major version this build does not read.</summary>
    UnsupportedVersion = 4,

    /// <summary>A message type this build does not know.</summary>
    UnknownMessageType = 5,

    /// <summary>Well-formed but a field is out of range (enum value, time, nation code, array length over its cap).</summary>
    InvalidValue = 6,
}
