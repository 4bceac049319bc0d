using System.Buffers;
using System.Runtime.InteropServices;
using Kizuna.Core;
using Kizuna.Network.Messages;

namespace Kizuna.Network.Wire;

/// <summary>
/// Builds one wire frame (schema 2): several complete envelopes in one transport message,
/// <c>{0: 2, 6: [envelope…]}</c>. Reused across frames: after warm-up, <see cref="Reset"/>,
/// <see cref="Add"/> and <see cref="Complete"/> do not allocate (the buffer only grows).
/// </summary>
/// <remarks>
/// The envelope count is written as a fixed-width MessagePack <c>array 32</c> header (0xdd + 4 bytes,
/// big-endian) and patched by <see cref="Complete"/>, so envelopes are encoded straight into the
/// buffer in one pass. Decode with <see cref="WireCodec.TryDecodeFrame(ReadOnlyMemory{byte}, List{WireEnvelope})"/>. Not thread-safe.
/// </remarks>
public sealed class WireFrameWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    /// <summary>Creates a writer whose buffer starts at <paramref name="initialCapacity"/> bytes.</summary>
    public WireFrameWriter(int initialCapacity = 64 * 1024)
    {
        _buffer = new ArrayBufferWriter<byte>(Math.Max(WireCodec.FramePrefixLength, initialCapacity));
        Reset();
    }

    /// <summary>Envelopes added since <see cref="Reset"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Bytes written so far (prefix included).</summary>
    public int Length => _buffer.WrittenCount;

    /// <summary>Starts a new, empty frame.</summary>
    public void Reset()
    {
        _buffer.ResetWrittenCount();
        WireCodec.WriteFramePrefix(_buffer);
        Count = 0;
    }

    /// <summary>Appends one envelope (see <see cref="WireCodec.Encode(IBufferWriter{byte}, Nation, long, ICoalitionMessage)"/>).</summary>
    public void Add(Nation sender, long sequence, ICoalitionMessage message)
    {
        if (Count == WireCodec.MaxEnvelopesPerFrame)
        {
            throw new InvalidOperationException($"a frame holds at most {WireCodec.MaxEnvelopesPerFrame} envelopes");
        }

        WireCodec.Encode(_buffer, sender, sequence, message);
        Count++;
    }

    /// <summary>Writes the envelope count and returns the frame's bytes (valid until the next <see cref="Reset"/>).</summary>
    public ReadOnlyMemory<byte> Complete()
    {
        var written = MemoryMarshal.AsMemory(_buffer.WrittenMemory);
        WireCodec.PatchFrameCount(written.Span, Count);
        return written;
    }
}
