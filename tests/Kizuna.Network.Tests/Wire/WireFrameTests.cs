using Kizuna.Network.Messages;
using Kizuna.Network.Wire;
using static Kizuna.Network.Tests.TestData;

namespace Kizuna.Network.Tests.Wire;

public sealed class WireFrameTests
{
    private static ICoalitionMessage[] Messages() => [Track(Usa, number: 1), Notice(Usa), Track(Usa, number: 3), Batch(Usa, 4)];

    private static byte[] Frame(params ICoalitionMessage[] messages)
    {
        var writer = new WireFrameWriter(256);
        for (var i = 0; i < messages.Length; i++)
        {
            writer.Add(Usa, 100 + i, messages[i]);
        }

        return writer.Complete().ToArray();
    }

    [Fact]
    public void Frame_SeveralMessages_RoundTripInOrder()
    {
        var messages = Messages();
        var bytes = Frame(messages);
        var envelopes = new List<WireEnvelope>();

        Assert.Equal(WireStatus.Ok, WireCodec.TryDecodeFrame(bytes, envelopes));

        Assert.Equal(messages.Length, envelopes.Count);
        for (var i = 0; i < messages.Length; i++)
        {
            Assert.Equal(100 + i, envelopes[i].Sequence);
            Assert.Equal(Usa, envelopes[i].Sender);
            Assert.Equal(WireCodec.SchemaVersion, envelopes[i].SchemaVersion);
            Assert.Equal(WireCodec.Encode(Usa, 100 + i, messages[i]), WireCodec.Encode(Usa, 100 + i, envelopes[i].Message));
        }
    }

    [Fact]
    public void Frame_SingleEnvelope_IsReadAsAFrameOfOne()
    {
        var bytes = WireCodec.Encode(Jpn, 9, Track(Jpn));
        var envelopes = new List<WireEnvelope>();

        Assert.Equal(WireStatus.Ok, WireCodec.TryDecodeFrame(bytes, envelopes));

        Assert.Equal(9, Assert.Single(envelopes).Sequence);
    }

    [Fact]
    public void Frame_EveryTruncation_FailsWithoutThrowingAndAppendsNothing()
    {
        var bytes = Frame(Messages());
        var envelopes = new List<WireEnvelope> { default };
        for (var n = 0; n < bytes.Length; n++)
        {
            var status = WireCodec.TryDecodeFrame(bytes.AsMemory(0, n), envelopes);
            Assert.NotEqual(WireStatus.Ok, status);
            Assert.Single(envelopes);
        }
    }

    [Fact]
    public void Frame_OneBadEnvelope_RefusesTheWholeFrame()
    {
        var bytes = Frame(Track(Usa, number: 1), Track(Usa, number: 2));

        // The second envelope's sender "USA" becomes "U$A" (an invalid nation code).
        var last = bytes.AsSpan().LastIndexOf("USA"u8);
        var sender = bytes.AsSpan().Slice(0, last).LastIndexOf("USA"u8);
        bytes[sender + 1] = (byte)'$';
        var envelopes = new List<WireEnvelope>();

        Assert.NotEqual(WireStatus.Ok, WireCodec.TryDecodeFrame(bytes, envelopes));
        Assert.Empty(envelopes);
    }

    [Fact]
    public void Frame_HostileEnvelopeCount_IsRefusedBeforeAnyLoop()
    {
        // {0: 2, 6: array32(0x7FFFFFFF)} followed by three bytes.
        byte[] bytes = [0x82, 0x00, 0x02, 0x06, 0xdd, 0x7f, 0xff, 0xff, 0xff, 0x80, 0x80, 0x80];
        var envelopes = new List<WireEnvelope>();

        var status = WireCodec.TryDecodeFrame(bytes, envelopes);

        Assert.True(status is WireStatus.InvalidValue or WireStatus.Truncated, status.ToString());
        Assert.Empty(envelopes);
    }

    [Fact]
    public void Frame_NewerSchemaVersion_IsUnsupported()
    {
        var bytes = Frame(Track(Usa));
        bytes[2] = WireCodec.SchemaVersion + 1;

        Assert.Equal(WireStatus.UnsupportedVersion, WireCodec.TryDecodeFrame(bytes, []));
    }

    [Fact]
    public void FrameWriter_Reused_AllocatesNothingPerFrame()
    {
        var writer = new WireFrameWriter(64 * 1024);
        var track = Track(Usa);
        void OneFrame()
        {
            writer.Reset();
            for (var i = 0; i < 100; i++)
            {
                writer.Add(Usa, i, track);
            }

            _ = writer.Complete();
        }

        OneFrame();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var k = 0; k < 10; k++)
        {
            OneFrame();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
