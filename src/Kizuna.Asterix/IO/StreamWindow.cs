using System.Buffers;

namespace Kizuna.Asterix.IO;

/// <summary>
/// A sliding window over a stream in one pooled buffer: readers ask for n bytes ahead, look at them
/// as a span and advance. Slices handed out stay valid until the next <see cref="Ensure"/>.
/// </summary>
internal sealed class StreamWindow : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;

    public StreamWindow(Stream stream, int capacity, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
    }

    /// <summary>Absolute stream offset of the first available byte.</summary>
    public long Position { get; private set; }

    public int Capacity => _buffer.Length;

    public int Available => _end - _start;

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(_start, _end - _start);

    public ReadOnlyMemory<byte> Slice(int start, int length) => _buffer.AsMemory(_start + start, length);

    /// <summary>True when at least <paramref name="count"/> bytes are available (reads more if needed). Never compacts after end of stream, so repeated calls near the end are O(1).</summary>
    public bool Ensure(int count)
    {
        if (Available >= count)
        {
            return true;
        }

        if (_eof || count > _buffer.Length)
        {
            return false;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, Available);
            _end -= _start;
            _start = 0;
        }

        while (_end < _buffer.Length && Available < count)
        {
            var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n <= 0)
            {
                _eof = true;
                break;
            }

            _end += n;
        }

        // Fill the rest opportunistically so the next small Ensure does not hit the stream.
        return Available >= count;
    }

    public void Advance(int count)
    {
        _start += count;
        Position += count;
    }

    /// <summary>Skips <paramref name="count"/> bytes, beyond the buffer if needed; false if the stream ended first.</summary>
    public bool Skip(long count)
    {
        var inBuffer = (int)Math.Min(count, Available);
        Advance(inBuffer);
        count -= inBuffer;
        while (count > 0)
        {
            if (!Ensure(1))
            {
                return false;
            }

            var n = (int)Math.Min(count, Available);
            Advance(n);
            count -= n;
        }

        return true;
    }

    /// <summary>Discards everything left (used when a reader stops on a fatal structure error).</summary>
    public void DiscardAll()
    {
        _start = _end;
        _eof = true;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _start = _end = 0;
        }

        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
