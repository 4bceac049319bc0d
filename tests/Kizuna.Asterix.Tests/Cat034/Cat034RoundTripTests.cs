using Kizuna.Asterix.Cat034;
using Kizuna.Asterix.Tests.Common;

namespace Kizuna.Asterix.Tests.Cat034;

public sealed class Cat034RoundTripTests
{
    [Fact]
    public void Cat034_RandomValidRecords_EncodeDecodeGivesSameValues()
    {
        var rng = new Random(3401);
        var src = new AsterixRecord();
        var dst = new AsterixRecord();
        var buffer = new byte[1024];
        int[] typed = [Cat034Frn.I010, Cat034Frn.I000, Cat034Frn.I030, Cat034Frn.I020, Cat034Frn.I041, Cat034Frn.I120, Cat034Frn.I090];
        for (var i = 0; i < 5000; i++)
        {
            src.Reset(34, Cat034Uap.Ed1_29);
            var f = src.Cat034;
            f.Sac = rng.Next(256); f.Sic = rng.Next(256); f.MessageType = rng.Next(1, 5); f.TimeOfDayRaw = rng.Next(86400 * 128);
            f.SectorRaw = rng.Next(256); f.AntennaRotationRaw = rng.Next(65536); f.SiteHeightMetres = rng.Next(-32768, 32768);
            f.SiteLatitudeRaw = rng.Next(-(1 << 22), 1 << 22); f.SiteLongitudeRaw = rng.Next(-(1 << 23), 1 << 23);
            f.CollimationRangeErrorRaw = rng.Next(-128, 128); f.CollimationAzimuthErrorRaw = rng.Next(-128, 128);
            foreach (var frn in typed)
            {
                if (rng.Next(4) != 0) { src.Present = src.Present.With(frn); }
            }

            // Raw items of each other kind: compound (I050 COM + MDS), repetitive (I070), fixed (I100, I110), explicit (SP).
            if (rng.Next(3) == 0) { src.SetItemBytes(Cat034Frn.I050, [0x84, (byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256)]); }
            if (rng.Next(3) == 0)
            {
                var count = rng.Next(0, 4);
                var rep = new byte[1 + (2 * count)];
                rep[0] = (byte)count;
                rng.NextBytes(rep.AsSpan(1));
                src.SetItemBytes(Cat034Frn.I070, rep);
            }

            if (rng.Next(3) == 0) { var b = new byte[8]; rng.NextBytes(b); src.SetItemBytes(Cat034Frn.I100, b); }
            if (rng.Next(3) == 0) { src.SetItemBytes(Cat034Frn.I110, [(byte)rng.Next(256)]); }
            if (rng.Next(3) == 0) { src.SetItemBytes(Cat034Frn.SP, [3, (byte)rng.Next(256), 7]); }

            var n = AsterixEncoder.WriteCat034Block(buffer, new[] { src });
            var sink = new CollectingSink();
            Assert.Equal(DecodeStatus.Ok, AsterixDecoder.TryDecodeBlock(buffer.AsSpan(0, n), dst, sink, AsterixDecoderOptions.Default, out var used));
            Assert.Equal(n, used);
            Assert.Single(sink.Records);
            Assert.Equal(src.Present, dst.Present);
            var g = dst.Cat034;
            if (src.Has(Cat034Frn.I010)) { Assert.Equal((f.Sac, f.Sic), (g.Sac, g.Sic)); }
            if (src.Has(Cat034Frn.I000)) { Assert.Equal(f.MessageType, g.MessageType); }
            if (src.Has(Cat034Frn.I030)) { Assert.Equal(f.TimeOfDayRaw, g.TimeOfDayRaw); }
            if (src.Has(Cat034Frn.I020)) { Assert.Equal(f.SectorRaw, g.SectorRaw); }
            if (src.Has(Cat034Frn.I041)) { Assert.Equal(f.AntennaRotationRaw, g.AntennaRotationRaw); }
            if (src.Has(Cat034Frn.I120))
            {
                Assert.Equal((f.SiteHeightMetres, f.SiteLatitudeRaw, f.SiteLongitudeRaw), (g.SiteHeightMetres, g.SiteLatitudeRaw, g.SiteLongitudeRaw));
                Assert.Equal(f.SiteLatitudeDegrees, g.SiteLatitudeDegrees);
            }

            if (src.Has(Cat034Frn.I090)) { Assert.Equal((f.CollimationRangeErrorRaw, f.CollimationAzimuthErrorRaw), (g.CollimationRangeErrorRaw, g.CollimationAzimuthErrorRaw)); }
            foreach (var frn in new[] { Cat034Frn.I050, Cat034Frn.I070, Cat034Frn.I100, Cat034Frn.I110, Cat034Frn.SP })
            {
                Assert.Equal(src.GetItemBytes(frn).ToArray(), dst.GetItemBytes(frn).ToArray());
            }
        }
    }
}
