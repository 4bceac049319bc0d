using System.Buffers.Binary;

namespace Kizuna.Asterix.IO;

/// <summary>
/// Splits one UDP payload into ASTERIX payloads according to an <see cref="AsterixFraming"/>:
/// the whole payload (no framing), or one payload per ORADIS-style frame.
/// </summary>
/// <remarks>
/// ORADIS-style frame: a 6-byte header whose first two bytes are the big-endian frame length
/// including the header, then one ASTERIX data block. The length is hostile: below 9 (header +
/// CAT + LEN) or past the datagram end, it is counted as <see cref="ReadIssue.FrameLengthInvalid"/>
/// and the rest of the datagram is dropped.
/// </remarks>
internal struct DatagramFramer
{
    internal const int OradisHeaderLength = 6;
    private ReadOnlyMemory<byte> _datagram;
    private long _offset;
    private int _position;
    private bool _framed;

    public void Start(ReadOnlyMemory<byte> datagram, long offset, AsterixFraming framing)
    {
        _datagram = datagram;
        _offset = offset;
        _position = 0;
        _framed = framing switch
        {
            AsterixFraming.Oradis => true,
            AsterixFraming.Auto => !ChainsAsPlainBlocks(datagram.Span) && ChainsAsOradis(datagram.Span),
            _ => false,
        };
    }

    /// <summary>The next payload of the current datagram, or false when it is used up.</summary>
    public bool TryNext(ReaderStatistics statistics, out ReadOnlyMemory<byte> data, out long offset)
    {
        data = default;
        offset = -1;
        var left = _datagram.Length - _position;
        if (left <= 0)
        {
            return false;
        }

        if (!_framed)
        {
            data = _datagram[_position..];
            offset = _offset < 0 ? -1 : _offset + _position;
            _position = _datagram.Length;
            return true;
        }

        var span = _datagram.Span[_position..];
        int len = left >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(span) : 0;
        if (left < OradisHeaderLength + 3 || len < OradisHeaderLength + 3 || len > left)
        {
            statistics.Add(ReadIssue.FrameLengthInvalid, _offset < 0 ? -1 : _offset + _position);
            _position = _datagram.Length;
            return false;
        }

        data = _datagram.Slice(_position + OradisHeaderLength, len - OradisHeaderLength);
        offset = _offset < 0 ? -1 : _offset + _position + OradisHeaderLength;
        _position += len;
        return true;
    }

    internal static bool ChainsAsPlainBlocks(ReadOnlySpan<byte> payload)
    {
        var p = 0;
        while (p < payload.Length)
        {
            if (payload.Length - p < 3)
            {
                return false;
            }

            int len = BinaryPrimitives.ReadUInt16BigEndian(payload[(p + 1)..]);
            if (len < 4 || len > payload.Length - p)
            {
                return false;
            }

            p += len;
        }

        return payload.Length > 0;
    }

    internal static bool ChainsAsOradis(ReadOnlySpan<byte> payload)
    {
        var p = 0;
        while (p < payload.Length)
        {
            if (payload.Length - p < OradisHeaderLength + 3)
            {
                return false;
            }

            int len = BinaryPrimitives.ReadUInt16BigEndian(payload[p..]);
            int inner = BinaryPrimitives.ReadUInt16BigEndian(payload[(p + OradisHeaderLength + 1)..]);
            if (len < OradisHeaderLength + 4 || len > payload.Length - p || inner != len - OradisHeaderLength)
            {
                return false;
            }

            p += len;
        }

        return payload.Length > 0;
    }
}
