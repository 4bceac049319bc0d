using System.Buffers;
using Kizuna.Core;
using Kizuna.Network.Messages;
using Kizuna.Core.Picture;
using Kizuna.Network.Wire;
using MessagePack;
using static Kizuna.Network.Tests.TestData;

namespace Kizuna.Network.Tests.Wire;

/// <summary>
/// The lock-step control (re-join agreement) appended to a mark-shaped <see cref="TrackNumberNotice"/> as payload
/// index 5: it round-trips, a notice without it keeps its old bytes, a reader of the old payload sees a plain
/// mark, and a bad control is refused with a status.
/// </summary>
public sealed class LockStepControlWireTests
{
    private static TrackNumberNotice Mark(Nation issuer) =>
        new(TrackNumberNoticeKind.Takeover, issuer, T0, TrackNumber.None, TrackNumber.None, new Marking(Classification.Unclassified, issuer, [Usa, Jpn, Aus]));

    [Theory]
    [InlineData(LockStepControlKind.Hold, "JPN", 31L)]
    [InlineData(LockStepControlKind.Resume, "USA", 1L)]
    [InlineData(LockStepControlKind.Hold, "AUS", long.MaxValue)]
    public void Codec_ControlNotice_RoundTripsTheControl(LockStepControlKind kind, string node, long cycle)
    {
        Assert.True(Nation.TryParse(node, out var n));
        var notice = Mark(Usa) with { Control = new LockStepControl(kind, n, cycle) };

        var bytes = WireCodec.Encode(Usa, 7, notice);

        Assert.Equal(WireStatus.Ok, WireCodec.TryDecode(bytes, out var envelope));
        var back = Assert.IsType<TrackNumberNotice>(envelope.Message);
        Assert.Equal(new LockStepControl(kind, n, cycle), back.Control);
        Assert.Equal(bytes, WireCodec.Encode(Usa, 7, back));
    }

    [Fact]
    public void Codec_NoticeWithoutControl_KeepsTheFiveFieldPayload()
    {
        var plain = WireCodec.Encode(Usa, 7, Mark(Usa));
        var control = WireCodec.Encode(Usa, 7, Mark(Usa) with { Control = LockStepControl.Hold(Jpn, 31) });

        Assert.Equal(WireStatus.Ok, WireCodec.TryDecode(plain, out var envelope));
        Assert.Null(((TrackNumberNotice)envelope.Message).Control);
        // Same bytes up to the payload's array header (fixarray 5 → 6), then the same five fields, then the control.
        var header = PayloadOffset(plain);
        Assert.Equal(header, PayloadOffset(control));
        Assert.Equal(plain[..header], control[..header]);
        Assert.Equal((byte)0x96, control[header]);
        Assert.Equal(plain[(header + 1)..], control[(header + 1)..plain.Length]);
    }

    /// <summary>What a reader of the previous payload does: read five fields and skip the rest — it gets a plain mark.</summary>
    [Fact]
    public void Codec_ControlNotice_ReadByFiveFieldReader_IsAPlainMark()
    {
        var bytes = WireCodec.Encode(Usa, 7, Mark(Usa) with { Control = LockStepControl.Resume(Usa, 26) });
        var header = PayloadOffset(bytes);
        var r = new MessagePackReader(bytes.AsMemory(header));

        var fields = r.ReadArrayHeader();
        var kind = r.ReadByte();
        var issuer = r.ReadString();
        var ticks = r.ReadInt64();
        var kept = r.ReadInt32();
        var retired = r.ReadInt32();
        for (var i = 5; i < fields; i++)
        {
            r.Skip();
        }

        Assert.Equal(6, fields);
        Assert.Equal((byte)TrackNumberNoticeKind.Takeover, kind);
        Assert.Equal("USA", issuer);
        Assert.Equal(T0.Ticks, ticks);
        Assert.Equal(TrackNumber.None.Value, kept);
        Assert.Equal(TrackNumber.None.Value, retired);
        Assert.True(r.End);
    }

    [Theory]
    [InlineData((byte)0, "JPN", 5L)]
    [InlineData((byte)3, "JPN", 5L)]
    [InlineData((byte)1, "", 5L)]
    [InlineData((byte)1, "J$N", 5L)]
    [InlineData((byte)1, "JPN", 0L)]
    [InlineData((byte)2, "JPN", -4L)]
    public void Codec_BadControl_IsInvalidValue(byte kind, string node, long cycle)
    {
        var good = WireCodec.Encode(Usa, 7, Mark(Usa) with { Control = LockStepControl.Hold(Jpn, 31) });
        var header = PayloadOffset(good);
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write(good.AsSpan(0, header + 1));
        var r = new MessagePackReader(good.AsMemory(header + 1));
        for (var i = 0; i < 5; i++)
        {
            r.Skip();
        }

        buffer.Write(good.AsSpan(header + 1, (int)r.Consumed));
        var w = new MessagePackWriter(buffer);
        w.WriteArrayHeader(3);
        w.Write(kind);
        w.Write(node);
        w.Write(cycle);
        w.Flush();

        Assert.Equal(WireStatus.InvalidValue, WireCodec.TryDecode(buffer.WrittenMemory, out _));
    }

    [Fact]
    public void Codec_ControlWithAppendedField_SkipsIt()
    {
        var good = WireCodec.Encode(Usa, 7, Mark(Usa) with { Control = LockStepControl.Hold(Jpn, 31) });
        var header = PayloadOffset(good);
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write(good.AsSpan(0, header + 1));
        var r = new MessagePackReader(good.AsMemory(header + 1));
        for (var i = 0; i < 5; i++)
        {
            r.Skip();
        }

        buffer.Write(good.AsSpan(header + 1, (int)r.Consumed));
        var w = new MessagePackWriter(buffer);
        w.WriteArrayHeader(4);
        w.Write((byte)1);
        w.Write("JPN");
        w.Write(31L);
        w.Write("a field from a later minor version");
        w.Flush();

        Assert.Equal(WireStatus.Ok, WireCodec.TryDecode(buffer.WrittenMemory, out var envelope));
        Assert.Equal(LockStepControl.Hold(Jpn, 31), ((TrackNumberNotice)envelope.Message).Control);
    }

    [Fact]
    public void Codec_EveryTruncationOfAControlNotice_ReturnsAStatusAndNeverThrows()
    {
        var bytes = WireCodec.Encode(Usa, 7, Mark(Usa) with { Control = LockStepControl.Hold(Jpn, 31) });
        for (var n = 0; n < bytes.Length; n++)
        {
            Assert.NotEqual(WireStatus.Ok, WireCodec.TryDecode(bytes.AsMemory(0, n), out _));
        }
    }

    /// <summary>Offset of the envelope's payload (map key 5), found by reading the envelope map.</summary>
    private static int PayloadOffset(byte[] envelope)
    {
        var r = new MessagePackReader(envelope);
        var keys = r.ReadMapHeader();
        for (var i = 0; i < keys; i++)
        {
            if (r.ReadInt32() == 5)
            {
                return (int)r.Consumed;
            }

            r.Skip();
        }

        throw new InvalidOperationException("no payload");
    }
}
