using Kizuna.Asterix.Cat034;
using Kizuna.Asterix.Cat048;
using Kizuna.Asterix.Cat062;

namespace Kizuna.Asterix.Tests.Common;

/// <summary>The jASTERIX single-block files (one record each) against the values asserted in that project's src/test/test_catNNN_X.Y.cpp.</summary>
public sealed class JasterixFileTests
{
    private static AsterixRecord DecodeSingle(string file, AsterixDecoderOptions options, Action<AsterixRecord> check)
    {
        var data = File.ReadAllBytes(TestData.Asterix("jasterix", file));
        var seen = 0;
        var sink = new CollectingSink { OnEach = r => { check(r); seen++; } };
        var scratch = new AsterixRecord();
        Assert.Equal(DecodeStatus.Ok, AsterixDecoder.TryDecodeBlock(data, scratch, sink, options, out var used));
        Assert.Equal(data.Length, used);
        Assert.Empty(sink.Rejected);
        Assert.Equal(1, seen);
        return scratch;
    }

    [Fact]
    public void Cat048Jasterix115_Record_MatchesJasterixTest() =>
        DecodeSingle("cat048ed1.15.bin", AsterixDecoderOptions.Default, r =>
        {
            var f = r.Cat048;
            Assert.Equal((0, 1), (f.Sac, f.Sic));
            Assert.Equal(33499.8359375, f.TimeOfDaySeconds);
            Assert.Equal(5, f.Typ);
            Assert.False(f.Simulated);
            Assert.Equal(0x08, f.DescriptorOctet1 & 0x08); // RDP = 1
            Assert.Equal(-1, f.DescriptorOctet2);
            Assert.Equal(73.921875, f.RangeNauticalMiles);
            Assert.Equal(89.67041015625, f.AzimuthDegrees, 9);
            Assert.Equal(1, f.Mode3AFlags); // V = 0, G = 0, L = 1
            Assert.Equal(470, f.Mode3AOctal);
            Assert.Equal(370.0, f.FlightLevel);
            Assert.Equal(0, f.FlightLevelFlags);
            Assert.Equal([0x20, 0xC1], r.GetItemBytes(Cat048Frn.I130).ToArray()); // SAM = −63 dBm
            Assert.Equal(-63, (sbyte)r.GetItemBytes(Cat048Frn.I130)[1]);
            Assert.Equal(11226301, f.AircraftAddress);
            Assert.Equal("RYR5XW  ", new string(f.Callsign));
            Assert.Equal(3, f.ModeSMbCount);
            Assert.Equal(0x60, r.GetItemBytes(Cat048Frn.I250)[8]); // first register BDS 6,0 (last octet of the first element)
            Assert.Equal(919, f.TrackNumber);
            Assert.False(r.Has(Cat048Frn.I042));
            Assert.Equal(463.184, f.GroundSpeedKnots, 3);
            Assert.Equal(32.607, f.HeadingDegrees, 3);
            Assert.False(f.Tentative);
            Assert.Equal(2, f.Rad);
            Assert.Equal(0x20FD, f.CommunicationsRaw);
        });

    [Fact]
    public void Cat034Jasterix126_SectorCrossing_MatchesJasterixTest() =>
        DecodeSingle("cat034ed1.26.bin", AsterixDecoderOptions.Default, r =>
        {
            var f = r.Cat034;
            Assert.Equal((0, 2), (f.Sac, f.Sic));
            Assert.Equal(2, f.MessageType);
            Assert.Equal(33499.84375, f.TimeOfDaySeconds);
            Assert.Equal(90.0, f.SectorDegrees);
            // I034/050 COM, PSR and MDS sub-fields; I034/060 COM, PSR and MDS.
            Assert.Equal([0x94, 0x40, 0x60, 0x44, 0x00], r.GetItemBytes(Cat034Frn.I050).ToArray());
            Assert.Equal([0x94, 0x00, 0x00, 0x10], r.GetItemBytes(Cat034Frn.I060).ToArray());
        });

    [Fact]
    public void Cat062Jasterix112_Track_MatchesJasterixTest() =>
        DecodeSingle("cat062ed1.12.bin", AsterixDecoderOptions.Default, r =>
        {
            var f = r.Cat062;
            Assert.Equal((0, 4), (f.Sac, f.Sic));
            Assert.Equal(225, f.ServiceId);
            Assert.Equal(5086, f.TrackNumber);
            Assert.Equal(7621, (((f.Mode3ACode >> 9) & 7) * 1000) + (((f.Mode3ACode >> 6) & 7) * 100) + (((f.Mode3ACode >> 3) & 7) * 10) + (f.Mode3ACode & 7));
            Assert.Equal(33502.5, f.TimeOfTrackSeconds);
            Assert.Equal(260661.0, f.XRaw * 0.5);
            Assert.Equal(-220711.5, f.YRaw * 0.5);
            // jASTERIX's 1.12 definition multiplies the raw values by 5.36441e-6 (a digit short of 180/2^25 =
            // 5.364418e-6): its 45.465155734119996 / 17.33247308292 are raw 8475332 / 3231011 times that constant.
            Assert.Equal(8475332, f.LatitudeRaw);
            Assert.Equal(45.465155734119996, f.LatitudeRaw * 5.36441e-6, 9);
            Assert.Equal(17.33247308292, f.LongitudeRaw * 5.36441e-6, 9);
            Assert.Equal(8475332 * (180.0 / 33554432.0), f.LatitudeDegrees);
            Assert.False(f.QnhApplied);
            Assert.Equal(34975.0, f.BarometricAltitudeRaw * 25.0);
            Assert.Equal(349.75, f.MeasuredFlightLevelRaw / 4.0);
            Assert.Equal(207.5, f.VxRaw * 0.25);
            Assert.Equal(-120.5, f.VyRaw * 0.25);
            Assert.Equal((0, 0), (f.AxRaw, f.AyRaw));
            Assert.Equal(0, f.RateOfClimbRaw);
            Assert.Equal(6700198, f.TargetAddress);
            Assert.Equal("DLH9CK  ", new string(f.Callsign));
            Assert.True(r.Has(Cat062Frn.I290) && r.Has(Cat062Frn.I295) && r.Has(Cat062Frn.I340) && r.Has(Cat062Frn.I390));
        });

    [Fact]
    public void Cat065Jasterix13_BatchEnd_SourceAndTimeMatch() =>
        DecodeSingle("cat065ed1.3.bin", AsterixDecoderOptions.Default, r =>
        {
            Assert.Equal(65, r.Category);
            Assert.Equal((0, 5), (r.Cat062.Sac, r.Cat062.Sic));
            Assert.Equal(33502.296875, r.Cat062.TimeOfTrackSeconds);
            Assert.Equal([0x02], r.GetItemBytes(2).ToArray()); // I065/000 message type 2: end of batch
            Assert.Equal([0xC1], r.GetItemBytes(3).ToArray()); // I065/015 service identification 193
            Assert.Equal([0x00], r.GetItemBytes(5).ToArray()); // I065/020 batch number 0
        });
}
