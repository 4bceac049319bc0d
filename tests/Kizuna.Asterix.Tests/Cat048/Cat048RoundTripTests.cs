using Kizuna.Asterix.Cat048;
using Kizuna.Asterix.Cat062;
using Kizuna.Asterix.Tests.Common;

namespace Kizuna.Asterix.Tests.Cat048;

public sealed class RoundTripTests
{
    [Fact]
    public void Cat048_RandomValidRecords_EncodeDecodeGivesSameValues()
    {
        var rng = new Random(4801);
        var src = new AsterixRecord();
        var dst = new AsterixRecord();
        var buffer = new byte[1024];
        for (var i = 0; i < 5000; i++)
        {
            src.Reset(48, Cat048Uap.Ed1_31);
            var f = src.Cat048;
            f.Sac = rng.Next(256); f.Sic = rng.Next(256); f.TimeOfDayRaw = rng.Next(86400 * 128);
            f.DescriptorOctet1 = rng.Next(128) << 1; f.DescriptorOctet2 = rng.Next(2) == 0 ? -1 : rng.Next(128) << 1;
            f.RhoRaw = rng.Next(65536); f.ThetaRaw = rng.Next(65536); f.Mode3AFlags = rng.Next(8); f.Mode3ACode = rng.Next(4096);
            f.FlightLevelFlags = rng.Next(4); f.FlightLevelRaw = rng.Next(-48, 5080); f.AircraftAddress = rng.Next(1 << 24);
            f.SetCallsign(new string(Enumerable.Range(0, 8).Select(_ => "ABCXYZ0129 "[rng.Next(11)]).ToArray()));
            f.TrackNumber = rng.Next(4096); f.XRaw = rng.Next(-32768, 32768); f.YRaw = rng.Next(-32768, 32768);
            f.GroundSpeedRaw = rng.Next(65536); f.HeadingRaw = rng.Next(65536); f.Height3DRaw = rng.Next(-8192, 8192); f.CommunicationsRaw = rng.Next(65536);
            f.TrackStatusOctet1 = rng.Next(128) << 1; f.TrackStatusOctet2 = -1;
            int[] frns = [Cat048Frn.I010, Cat048Frn.I140, Cat048Frn.I020, Cat048Frn.I040, Cat048Frn.I070, Cat048Frn.I090, Cat048Frn.I220, Cat048Frn.I240, Cat048Frn.I161, Cat048Frn.I042, Cat048Frn.I200, Cat048Frn.I170, Cat048Frn.I110, Cat048Frn.I230];
            foreach (var frn in frns)
            {
                if (rng.Next(4) != 0) { src.Present = src.Present.With(frn); }
            }

            if (rng.Next(3) == 0) { src.SetItemBytes(Cat048Frn.SP, [3, (byte)rng.Next(256), 7]); }

            var n = AsterixEncoder.WriteCat048Block(buffer, new[] { src });
            var sink = new CollectingSink();
            Assert.Equal(DecodeStatus.Ok, AsterixDecoder.TryDecodeBlock(buffer.AsSpan(0, n), dst, sink, AsterixDecoderOptions.Default, out var used));
            Assert.Equal(n, used);
            Assert.Single(sink.Records);
            Assert.Equal(src.Present, dst.Present);
            var g = dst.Cat048;
            if (src.Has(Cat048Frn.I010)) { Assert.Equal((f.Sac, f.Sic), (g.Sac, g.Sic)); }
            if (src.Has(Cat048Frn.I140)) { Assert.Equal(f.TimeOfDayRaw, g.TimeOfDayRaw); }
            if (src.Has(Cat048Frn.I020)) { Assert.Equal((f.DescriptorOctet1, f.DescriptorOctet2), (g.DescriptorOctet1, g.DescriptorOctet2)); }
            if (src.Has(Cat048Frn.I040)) { Assert.Equal((f.RhoRaw, f.ThetaRaw), (g.RhoRaw, g.ThetaRaw)); }
            if (src.Has(Cat048Frn.I070)) { Assert.Equal((f.Mode3AFlags, f.Mode3ACode), (g.Mode3AFlags, g.Mode3ACode)); }
            if (src.Has(Cat048Frn.I090)) { Assert.Equal((f.FlightLevelFlags, f.FlightLevelRaw), (g.FlightLevelFlags, g.FlightLevelRaw)); }
            if (src.Has(Cat048Frn.I220)) { Assert.Equal(f.AircraftAddress, g.AircraftAddress); }
            if (src.Has(Cat048Frn.I240)) { Assert.Equal(new string(f.Callsign), new string(g.Callsign)); }
            if (src.Has(Cat048Frn.I161)) { Assert.Equal(f.TrackNumber, g.TrackNumber); }
            if (src.Has(Cat048Frn.I042)) { Assert.Equal((f.XRaw, f.YRaw), (g.XRaw, g.YRaw)); }
            if (src.Has(Cat048Frn.I200)) { Assert.Equal((f.GroundSpeedRaw, f.HeadingRaw), (g.GroundSpeedRaw, g.HeadingRaw)); }
            if (src.Has(Cat048Frn.I110)) { Assert.Equal(f.Height3DRaw, g.Height3DRaw); }
            if (src.Has(Cat048Frn.I230)) { Assert.Equal(f.CommunicationsRaw, g.CommunicationsRaw); }
        }
    }

    [Fact]
    public void Cat062_RandomValidRecords_EncodeDecodeGivesSameValues()
    {
        var rng = new Random(6201);
        var src = new AsterixRecord();
        var dst = new AsterixRecord();
        var buffer = new byte[1024];
        for (var i = 0; i < 5000; i++)
        {
            src.Reset(62, Cat062Uap.Ed1_19);
            var f = src.Cat062;
            f.Sac = rng.Next(256); f.Sic = rng.Next(256); f.ServiceId = rng.Next(256); f.TimeOfTrackRaw = rng.Next(86400 * 128);
            f.LatitudeRaw = rng.Next(-(1 << 24), 1 << 24); f.LongitudeRaw = rng.Next(-(1 << 25), 1 << 25);
            f.XRaw = rng.Next(-(1 << 23), 1 << 23); f.YRaw = rng.Next(-(1 << 23), 1 << 23);
            f.VxRaw = rng.Next(-32768, 32768); f.VyRaw = rng.Next(-32768, 32768); f.AxRaw = rng.Next(-128, 128); f.AyRaw = rng.Next(-128, 128);
            f.Mode3AFlags = rng.Next(8); f.Mode3ACode = rng.Next(4096); f.TrackNumber = rng.Next(65536);
            f.MeasuredFlightLevelRaw = rng.Next(-32768, 32768); f.GeometricAltitudeRaw = rng.Next(-32768, 32768);
            f.QnhApplied = rng.Next(2) == 1; f.BarometricAltitudeRaw = rng.Next(-16384, 16384); f.RateOfClimbRaw = rng.Next(-32768, 32768);
            f.TargetAddress = rng.Next(2) == 0 ? -1 : rng.Next(1 << 24);
            if (rng.Next(2) == 0) { f.SetCallsign("KIZ" + rng.Next(10000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + " "); } else { f.HasCallsign = false; }
            int[] frns = [Cat062Frn.I010, Cat062Frn.I015, Cat062Frn.I070, Cat062Frn.I105, Cat062Frn.I100, Cat062Frn.I185, Cat062Frn.I210, Cat062Frn.I060, Cat062Frn.I040, Cat062Frn.I136, Cat062Frn.I130, Cat062Frn.I135, Cat062Frn.I220];
            foreach (var frn in frns)
            {
                if (rng.Next(4) != 0) { src.Present = src.Present.With(frn); }
            }

            if (f.TargetAddress >= 0 || f.HasCallsign) { src.Present = src.Present.With(Cat062Frn.I380); }
            src.SetItemBytes(Cat062Frn.I080, [0x41, 0x00]);
            var n = AsterixEncoder.WriteCat062Block(buffer, new[] { src });
            var sink = new CollectingSink();
            Assert.Equal(DecodeStatus.Ok, AsterixDecoder.TryDecodeBlock(buffer.AsSpan(0, n), dst, sink, AsterixDecoderOptions.Default, out _));
            Assert.Equal(src.Present, dst.Present);
            var g = dst.Cat062;
            if (src.Has(Cat062Frn.I010)) { Assert.Equal((f.Sac, f.Sic), (g.Sac, g.Sic)); }
            if (src.Has(Cat062Frn.I070)) { Assert.Equal(f.TimeOfTrackRaw, g.TimeOfTrackRaw); }
            if (src.Has(Cat062Frn.I105)) { Assert.Equal((f.LatitudeRaw, f.LongitudeRaw), (g.LatitudeRaw, g.LongitudeRaw)); }
            if (src.Has(Cat062Frn.I100)) { Assert.Equal((f.XRaw, f.YRaw), (g.XRaw, g.YRaw)); }
            if (src.Has(Cat062Frn.I185)) { Assert.Equal((f.VxRaw, f.VyRaw), (g.VxRaw, g.VyRaw)); }
            if (src.Has(Cat062Frn.I210)) { Assert.Equal((f.AxRaw, f.AyRaw), (g.AxRaw, g.AyRaw)); }
            if (src.Has(Cat062Frn.I060)) { Assert.Equal((f.Mode3AFlags, f.Mode3ACode), (g.Mode3AFlags, g.Mode3ACode)); }
            if (src.Has(Cat062Frn.I040)) { Assert.Equal(f.TrackNumber, g.TrackNumber); }
            if (src.Has(Cat062Frn.I135)) { Assert.Equal((f.QnhApplied, f.BarometricAltitudeRaw), (g.QnhApplied, g.BarometricAltitudeRaw)); }
            if (src.Has(Cat062Frn.I220)) { Assert.Equal(f.RateOfClimbRaw, g.RateOfClimbRaw); }
            if (src.Has(Cat062Frn.I380)) { Assert.Equal(f.TargetAddress, g.TargetAddress); Assert.Equal(new string(f.Callsign), new string(g.Callsign)); }
        }
    }
}
