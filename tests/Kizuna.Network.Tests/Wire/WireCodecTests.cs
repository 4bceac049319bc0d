using Kizuna.Core;
using Kizuna.Network.Messages;
using Kizuna.Network.Wire;
using MessagePack;
using static Kizuna.Network.Tests.TestData;

namespace Kizuna.Network.Tests.Wire;

public sealed class WireCodecTests
{
    public static TheoryData<string> MessageNames() => ["batch", "track", "notice", "alert", "engagement"];

    private static ICoalitionMessage Make(string name) => name switch
    {
        "batch" => Batch(Usa, 9, null, RadarPlot(Usa, "USA-TPY-2", identity: 0xABCDEF), RadarPlot(Usa, "USA-SPY-1", 90_000)),
        "track" => Track(Jpn),
        "notice" => Notice(Aus),
        "alert" => AlertMsg(Jpn),
        _ => EngagementMsg(Jpn),
    };

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Codec_EachMessageType_RoundTripsExactly(string name)
    {
        var message = Make(name);
        var bytes = WireCodec.Encode(Jpn, 12345, message);

        var status = WireCodec.TryDecode(bytes, out var envelope);

        Assert.Equal(WireStatus.Ok, status);
        Assert.Equal(WireCodec.SchemaVersion, envelope.SchemaVersion);
        Assert.Equal(MessageTypes.Of(message), envelope.Type);
        Assert.Equal(Jpn, envelope.Sender);
        Assert.Equal(12345, envelope.Sequence);
        Assert.True(SameMarking(message.Marking, envelope.Marking), envelope.Marking.ToString());
        // Records with ImmutableArray members compare arrays by reference: compare the re-encoding instead.
        Assert.Equal(bytes, WireCodec.Encode(Jpn, 12345, envelope.Message));
        Assert.Equal(message.Time, envelope.Message.Time);
    }

    [Fact]
    public void Codec_DetectionBatch_RoundTripsEveryField()
    {
        var d = RadarPlot(Usa, "USA-TPY-2", identity: 0xABCDEF);
        var bytes = WireCodec.Encode(Usa, 1, Batch(Usa, 3, null, d));

        Assert.Equal(WireStatus.Ok, WireCodec.TryDecode(bytes, out var envelope));
        var back = Assert.Single(((DetectionBatch)envelope.Message).Detections);
        Assert.Equal(d, back);
        Assert.Equal(DateTimeKind.Utc, back.Time.Kind);
    }

    /// <summary>
    /// A plot with a range rate carries ṙ, its variance and the sensor's ECEF velocity as five trailing fields; a
    /// plot without one is written in the old 18-field form (so its bytes are unchanged and older readers skip the
    /// extra fields of a Doppler plot).
    /// </summary>
    [Fact]
    public void Codec_DetectionWithRangeRate_RoundTripsAndPlainPlotKeepsOldForm()
    {
        var plain = RadarPlot(Usa, "USA-TPY-2");
        var doppler = plain with { RangeRate = -241.25, RangeRateVariance = 4, SensorVelocity = new Vec3(3.5, -7.25, 0.125) };
        var bytes = WireCodec.Encode(Usa, 1, Batch(Usa, 3, null, plain, doppler));

        Assert.Equal(WireStatus.Ok, WireCodec.TryDecode(bytes, out var envelope));
        var back = ((DetectionBatch)envelope.Message).Detections;
        Assert.Equal(plain, back[0]);
        Assert.False(back[0].HasRangeRate);
        Assert.Equal(doppler, back[1]);
        Assert.True(back[1].HasRangeRate);
        var plainOnly = WireCodec.Encode(Usa, 1, Batch(Usa, 3, null, plain));
        var dopplerOnly = WireCodec.Encode(Usa, 1, Batch(Usa, 3, null, doppler));
        Assert.Equal(5 * 9, dopplerOnly.Length - plainOnly.Length); // five MessagePack float64s, same array16 header
    }

    [Fact]
    public void Codec_EveryTruncation_ReturnsAStatusAndNeverThrows()
    {
        var bytes = WireCodec.Encode(Usa, 1, Track(Usa));
        for (var n = 0; n < bytes.Length; n++)
        {
            var status = WireCodec.TryDecode(bytes.AsMemory(0, n), out _);
            Assert.NotEqual(WireStatus.Ok, status);
        }
    }

    [Fact]
    public void Codec_RandomBytesAndBitFlips_NeverThrow()
    {
        var rng = new Random(20260301);
        var good = WireCodec.Encode(Usa, 1, Batch(Usa));
        var buffer = new byte[good.Length];
        var ok = 0;
        for (var i = 0; i < 2_000; i++)
        {
            good.CopyTo(buffer, 0);
            buffer[rng.Next(buffer.Length)] ^= (byte)(1 << rng.Next(8));
            if (WireCodec.TryDecode(buffer, out _) == WireStatus.Ok)
            {
                ok++;
            }

            var junk = new byte[rng.Next(1, 64)];
            rng.NextBytes(junk);
            _ = WireCodec.TryDecode(junk, out _);
        }

        // Flips inside doubles still decode; flips in structure must not: not everything may pass.
        Assert.InRange(ok, 1, 1_999);
    }

    [Fact]
    public void Codec_NewerSchemaVersion_IsUnsupported()
    {
        var bytes = Envelope(version: WireCodec.SchemaVersion + 1, type: 2);
        Assert.Equal(WireStatus.UnsupportedVersion, WireCodec.TryDecode(bytes, out _));
    }

    [Fact]
    public void Codec_UnknownMessageType_IsReported()
    {
        var bytes = Envelope(version: 1, type: 99);
        Assert.Equal(WireStatus.UnknownMessageType, WireCodec.TryDecode(bytes, out _));
    }

    [Fact]
    public void Codec_HostileDetectionCount_IsRefusedBeforeAllocation()
    {
        var bytes = Envelope(version: 1, type: 1, payload: (ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(4);
            w.Write("USA");
            w.Write(T0.Ticks);
            w.Write(1L);
            w.WriteArrayHeader(int.MaxValue);
        });
        Assert.NotEqual(WireStatus.Ok, WireCodec.TryDecode(bytes, out _));
    }

    [Fact]
    public void Codec_UnknownEnvelopeKey_IsSkipped()
    {
        var good = WireCodec.Encode(Usa, 5, Notice(Usa));
        var bytes = Envelope(version: 1, type: 3, extraKey: true, payload: (ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(5);
            w.Write((byte)0);
            w.Write("USA");
            w.Write(T0.Ticks);
            w.Write(1201);
            w.Write(4402);
        });

        Assert.Equal(WireStatus.Ok, WireCodec.TryDecode(bytes, out var envelope));
        Assert.Equal(WireStatus.Ok, WireCodec.TryDecode(good, out var expected));
        Assert.Equal(WireCodec.Encode(Usa, 5, expected.Message), WireCodec.Encode(Usa, 5, envelope.Message));
    }

    [Fact]
    public void Codec_BadNationCode_IsInvalidValue()
    {
        var bytes = Envelope(version: 1, type: 3, sender: "U$A");
        Assert.Equal(WireStatus.InvalidValue, WireCodec.TryDecode(bytes, out _));
    }

    /// <summary>Marking is a record over an ImmutableSortedSet, whose equality is by reference: compare by content.</summary>
    internal static bool SameMarking(Marking a, Marking b) =>
        a.Classification == b.Classification && a.Originator == b.Originator && a.ReleasableTo.SetEquals(b.ReleasableTo);

    private delegate void PayloadWriter(ref MessagePackWriter w);

    private static byte[] Envelope(int version, byte type, PayloadWriter? payload = null, bool extraKey = false, string sender = "USA")
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(extraKey ? 7 : 6);
        w.Write(0);
        w.Write(version);
        w.Write(1);
        w.Write(type);
        w.Write(2);
        w.WriteArrayHeader(3);
        w.Write((byte)Classification.Confidential);
        w.Write("USA");
        w.WriteArrayHeader(4);
        w.Write("AUS");
        w.Write("GBR");
        w.Write("JPN");
        w.Write("USA");
        w.Write(3);
        w.Write(sender);
        w.Write(4);
        w.Write(5L);
        if (extraKey)
        {
            w.Write(42);
            w.Write("a field from a later minor version");
        }

        w.Write(5);
        if (payload is null)
        {
            w.WriteArrayHeader(0);
        }
        else
        {
            payload(ref w);
        }

        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
