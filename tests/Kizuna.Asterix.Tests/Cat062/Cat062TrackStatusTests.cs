using Kizuna.Asterix.Cat062;
using Kizuna.Asterix.Tests.Common;

namespace Kizuna.Asterix.Tests.Cat062;

public sealed class Cat062TrackStatusTests
{
    private static AsterixRecord Track()
    {
        var t = new AsterixRecord();
        t.Reset(62, Cat062Uap.Ed1_19);
        t.Cat062.Sac = 25; t.Cat062.Sic = 100; t.Cat062.TimeOfTrackRaw = 45827 * 128; t.Cat062.TrackNumber = 4713;
        t.Cat062.LatitudeRaw = 7674000; t.Cat062.LongitudeRaw = 2928000;
        foreach (var frn in new[] { Cat062Frn.I010, Cat062Frn.I070, Cat062Frn.I105, Cat062Frn.I040, Cat062Frn.I080 }) { t.Present = t.Present.With(frn); }
        return t;
    }

    private static AsterixRecord Decode(byte[] buffer, int n)
    {
        var dst = new AsterixRecord();
        var sink = new CollectingSink();
        Assert.Equal(DecodeStatus.Ok, AsterixDecoder.TryDecodeBlock(buffer.AsSpan(0, n), dst, sink, AsterixDecoderOptions.Default, out _));
        Assert.Single(sink.Records);
        return dst;
    }

    [Fact]
    public void EncodeCat062_TypedTrackStatusWithoutRawBytes_WritesFxChainAndDecodesSameFlags()
    {
        var t = Track();
        t.Cat062.SetTrackStatus(monosensor: true, tentative: false, firstMessage: true, coasted: true);
        var buffer = new byte[256];
        var n = AsterixEncoder.WriteCat062Block(buffer, new[] { t });
        var g = Decode(buffer, n).Cat062;
        // Octets MON | FX, TSB | FX, 0 | FX, CST: four octets, FX on the first three.
        Assert.Equal([0x81, 0x21, 0x01, 0x80], Decode(buffer, n).GetItemBytes(Cat062Frn.I080).ToArray());
        Assert.True(g.Monosensor);
        Assert.False(g.Tentative);
        Assert.True(g.FirstMessage);
        Assert.False(g.LastMessage);
        Assert.True(g.Coasted);
    }

    [Fact]
    public void EncodeCat062_OnlyFirstOctetFlags_TrailingZeroExtensionsDropped()
    {
        var t = Track();
        t.Cat062.SetTrackStatus(monosensor: false, tentative: true);
        var buffer = new byte[256];
        var n = AsterixEncoder.WriteCat062Block(buffer, new[] { t });
        var d = Decode(buffer, n);
        Assert.Equal([0x02], d.GetItemBytes(Cat062Frn.I080).ToArray());
        Assert.True(d.Cat062.Tentative);
        Assert.Equal(1, d.Cat062.TrackStatusOctets.Length);
    }

    [Fact]
    public void Cat062_RandomTrackStatusOctets_EncodeDecodeGivesSameOctets()
    {
        var rng = new Random(6280);
        var buffer = new byte[256];
        var t = Track();
        for (var i = 0; i < 2000; i++)
        {
            var octets = new byte[rng.Next(1, 7)];
            rng.NextBytes(octets);
            t.Cat062.SetTrackStatus(octets);
            var n = AsterixEncoder.WriteCat062Block(buffer, new[] { t });
            var decoded = Decode(buffer, n).Cat062.TrackStatusOctets.ToArray();
            var expected = octets.Select(o => (byte)(o & 0xFE)).ToArray();
            var keep = expected.Length;
            while (keep > 1 && expected[keep - 1] == 0) { keep--; }
            Assert.Equal(expected[..keep], decoded);
        }
    }

    [Fact]
    public void Cat062Raw_TrackStatus_DecodedOctetsMatchItemBytes()
    {
        var seen = 0;
        var sink = new CollectingSink
        {
            OnEach = r =>
            {
                if (r.Category != 62) { return; }
                var raw = r.GetItemBytes(Cat062Frn.I080);
                Assert.Equal(raw.Length, r.Cat062.TrackStatusOctets.Length);
                for (var i = 0; i < raw.Length; i++) { Assert.Equal(raw[i] & 0xFE, r.Cat062.TrackStatusOctets[i]); }
                seen++;
            },
        };
        AsterixDecoder.DecodeAll(File.ReadAllBytes(TestData.Asterix("croatiacontrol", "cat062cat065.raw")), new AsterixRecord(), sink, AsterixDecoderOptions.Default, new DecodeStatistics());
        Assert.Equal(2, seen);
    }
}
