using Kizuna.Asterix.Cat021;
using Kizuna.Asterix.Tests.Common;

namespace Kizuna.Asterix.Tests.Cat021;

public sealed class Cat021RoundTripTests
{
    [Fact]
    public void Cat021_RandomValidRecords_EncodeDecodeGivesSameValues()
    {
        var rng = new Random(2101);
        var src = new AsterixRecord();
        var dst = new AsterixRecord();
        var buffer = new byte[1024];
        int[] typed = [Cat021Frn.I010, Cat021Frn.I040, Cat021Frn.I161, Cat021Frn.I015, Cat021Frn.I016, Cat021Frn.I071, Cat021Frn.I073,
            Cat021Frn.I075, Cat021Frn.I077, Cat021Frn.I130, Cat021Frn.I080, Cat021Frn.I140, Cat021Frn.I145, Cat021Frn.I150, Cat021Frn.I151,
            Cat021Frn.I155, Cat021Frn.I157, Cat021Frn.I160, Cat021Frn.I070, Cat021Frn.I090, Cat021Frn.I200, Cat021Frn.I170, Cat021Frn.I020];
        for (var i = 0; i < 5000; i++)
        {
            src.Reset(21, Cat021Uap.Ed2_6);
            var f = src.Cat021;
            f.Sac = rng.Next(256); f.Sic = rng.Next(256); f.DescriptorOctet1 = rng.Next(128) << 1; f.TrackNumber = rng.Next(4096);
            f.ServiceId = rng.Next(256); f.ReportPeriodRaw = rng.Next(256);
            f.TimeOfApplicabilityPositionRaw = rng.Next(86400 * 128); f.TimeOfReceptionPositionRaw = rng.Next(86400 * 128);
            f.TimeOfReceptionVelocityRaw = rng.Next(86400 * 128); f.TimeOfReportTransmissionRaw = rng.Next(86400 * 128);
            f.SetPosition(rng.Next(-(1 << 22), 1 << 22), rng.Next(-(1 << 23), 1 << 23));
            f.TargetAddress = rng.Next(1 << 24); f.GeometricHeightRaw = rng.Next(-32768, 32768); f.FlightLevelRaw = rng.Next(-60, 5000);
            f.AirSpeedRaw = rng.Next(65536); f.TrueAirSpeedRaw = rng.Next(65536);
            f.BarometricVerticalRateRaw = rng.Next(-16384, 16384); f.GeometricVerticalRateRaw = rng.Next(-16384, 16384);
            f.GroundSpeedRaw = rng.Next(32768); f.TrackAngleRaw = rng.Next(65536); f.Mode3ACode = rng.Next(4096);
            f.QualityOctet1 = rng.Next(128) << 1; f.TargetStatus = rng.Next(256); f.EmitterCategory = rng.Next(256);
            f.SetCallsign(new string(Enumerable.Range(0, 8).Select(_ => "ABCXYZ0129 "[rng.Next(11)]).ToArray()));
            foreach (var frn in typed)
            {
                if (rng.Next(4) != 0) { src.Present = src.Present.With(frn); }
            }

            if (rng.Next(3) == 0) { src.SetItemBytes(Cat021Frn.RE, [3, (byte)rng.Next(256), 7]); }

            var n = AsterixEncoder.WriteCat021Block(buffer, new[] { src });
            var sink = new CollectingSink();
            Assert.Equal(DecodeStatus.Ok, AsterixDecoder.TryDecodeBlock(buffer.AsSpan(0, n), dst, sink, AsterixDecoderOptions.Default, out var used));
            Assert.Equal(n, used);
            Assert.Single(sink.Records);
            Assert.Equal(src.Present, dst.Present);
            var g = dst.Cat021;
            if (src.Has(Cat021Frn.I010)) { Assert.Equal((f.Sac, f.Sic), (g.Sac, g.Sic)); }
            if (src.Has(Cat021Frn.I040)) { Assert.Equal(f.DescriptorOctet1, g.DescriptorOctet1); }
            if (src.Has(Cat021Frn.I161)) { Assert.Equal(f.TrackNumber, g.TrackNumber); }
            if (src.Has(Cat021Frn.I015)) { Assert.Equal(f.ServiceId, g.ServiceId); }
            if (src.Has(Cat021Frn.I016)) { Assert.Equal(f.ReportPeriodRaw, g.ReportPeriodRaw); }
            Assert.Equal(src.Has(Cat021Frn.I071) ? f.TimeOfApplicabilityPositionRaw : -1, g.TimeOfApplicabilityPositionRaw);
            Assert.Equal(src.Has(Cat021Frn.I073) ? f.TimeOfReceptionPositionRaw : -1, g.TimeOfReceptionPositionRaw);
            Assert.Equal(src.Has(Cat021Frn.I075) ? f.TimeOfReceptionVelocityRaw : -1, g.TimeOfReceptionVelocityRaw);
            Assert.Equal(src.Has(Cat021Frn.I077) ? f.TimeOfReportTransmissionRaw : -1, g.TimeOfReportTransmissionRaw);
            if (src.Has(Cat021Frn.I130))
            {
                Assert.Equal((f.LatitudeRaw, f.LongitudeRaw), (g.LatitudeRaw, g.LongitudeRaw));
                Assert.Equal((f.LatitudeDegrees, f.LongitudeDegrees), (g.LatitudeDegrees, g.LongitudeDegrees));
            }

            if (src.Has(Cat021Frn.I080)) { Assert.Equal(f.TargetAddress, g.TargetAddress); }
            if (src.Has(Cat021Frn.I140)) { Assert.Equal(f.GeometricHeightRaw, g.GeometricHeightRaw); }
            if (src.Has(Cat021Frn.I145)) { Assert.Equal(f.FlightLevel, g.FlightLevel); }
            if (src.Has(Cat021Frn.I150)) { Assert.Equal(f.AirSpeedRaw, g.AirSpeedRaw); }
            if (src.Has(Cat021Frn.I151)) { Assert.Equal(f.TrueAirSpeedRaw, g.TrueAirSpeedRaw); }
            if (src.Has(Cat021Frn.I155)) { Assert.Equal(f.BarometricVerticalRateRaw, g.BarometricVerticalRateRaw); }
            if (src.Has(Cat021Frn.I157)) { Assert.Equal(f.GeometricVerticalRateRaw, g.GeometricVerticalRateRaw); }
            if (src.Has(Cat021Frn.I160)) { Assert.Equal((f.GroundSpeedRaw, f.TrackAngleRaw), (g.GroundSpeedRaw, g.TrackAngleRaw)); }
            if (src.Has(Cat021Frn.I070)) { Assert.Equal(f.Mode3ACode, g.Mode3ACode); }
            if (src.Has(Cat021Frn.I090)) { Assert.Equal(f.QualityOctet1, g.QualityOctet1); }
            if (src.Has(Cat021Frn.I200)) { Assert.Equal(f.TargetStatus, g.TargetStatus); }
            if (src.Has(Cat021Frn.I020)) { Assert.Equal(f.EmitterCategory, g.EmitterCategory); }
            if (src.Has(Cat021Frn.I170)) { Assert.Equal(new string(f.Callsign), new string(g.Callsign)); }
            if (src.Has(Cat021Frn.RE)) { Assert.Equal(src.GetItemBytes(Cat021Frn.RE).ToArray(), dst.GetItemBytes(Cat021Frn.RE).ToArray()); }
        }
    }

    [Fact]
    public void Cat021Jasterix21_DecodedRecord_ReencodesByteExact()
    {
        var data = File.ReadAllBytes(TestData.Asterix("jasterix", "cat021ed2.1.bin"));
        var buffer = new byte[256];
        var written = 0;
        var sink = new CollectingSink { OnEach = r => written = AsterixEncoder.WriteCat021Block(buffer, new[] { r }) };
        AsterixDecoder.TryDecodeBlock(data, new AsterixRecord(), sink, AsterixDecoderOptions.Default, out _);
        Assert.Equal(Convert.ToHexString(data), Convert.ToHexString(buffer, 0, written));
    }
}
