using System.Globalization;
using Kizuna.Asterix.Cat034;
using Kizuna.Asterix.Cat048;
using Kizuna.Asterix.Tests.Common;

namespace Kizuna.Asterix.Tests.Cat048;

public sealed class Cat034048RecordingTests
{
    private static int I(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void Cat034048Pcap_EveryRecord_MatchesReferenceDecodeFieldByField()
    {
        var reference = ReferenceText.Parse(TestData.Asterix("croatiacontrol", "cat_034_048.txt"));
        var checks = new List<Action>();
        var index = 0;
        var sink = new CollectingSink();
        var compared = 0;
        sink.OnEach = r =>
        {
            var expected = reference[index++];
            Assert.Equal(expected.Category, r.Category);
            Assert.Equal(expected.Hex, Convert.ToHexString(r.RawBytes));
            var v = expected.Values;
            if (r.Category == 48)
            {
                var f = r.Cat048;
                Assert.Equal(v.ContainsKey("010|System Area Code"), r.Has(Cat048Frn.I010));
                if (r.Has(Cat048Frn.I010)) { Assert.Equal(I(v["010|System Area Code"]), f.Sac); Assert.Equal(I(v["010|System Identification Code"]), f.Sic); }
                if (r.Has(Cat048Frn.I140)) { Assert.Equal(I(v["140|Time Of Day"]), f.TimeOfDayRaw); }
                if (r.Has(Cat048Frn.I020)) { Assert.Equal(I(v["020|TYP"]), f.Typ); }
                Assert.Equal(v.ContainsKey("040|RHO"), r.Has(Cat048Frn.I040));
                if (r.Has(Cat048Frn.I040)) { Assert.Equal(I(v["040|RHO"]), f.RhoRaw); Assert.Equal(I(v["040|THETA"]), f.ThetaRaw); }
                if (r.Has(Cat048Frn.I070)) { Assert.Equal(I(v["070|Mode-3/A reply code"]), f.Mode3AOctal); }
                if (r.Has(Cat048Frn.I090)) { Assert.Equal(I(v["090|FlightLevel"]), f.FlightLevelRaw); }
                if (r.Has(Cat048Frn.I220)) { Assert.Equal(v["220|AircraftAddress"], f.AircraftAddress.ToString("X6", CultureInfo.InvariantCulture)); }
                if (r.Has(Cat048Frn.I240)) { Assert.Equal(v["240|Characters 1-8 (coded on 6 bits each) defining target identification"].TrimEnd(), new string(f.Callsign).TrimEnd(' ', '\0')); }
                if (r.Has(Cat048Frn.I161)) { Assert.Equal(I(v["161|Track Number"]), f.TrackNumber); }
                if (r.Has(Cat048Frn.I200)) { Assert.Equal(I(v["200|Calculated groundspeed"]), f.GroundSpeedRaw); Assert.Equal(I(v["200|Calculated heading"]), f.HeadingRaw); }
                if (r.Has(Cat048Frn.I170)) { Assert.Equal(I(v["170|RAD"]), f.Rad); }
            }
            else
            {
                var f = r.Cat034;
                if (r.Has(Cat034Frn.I010)) { Assert.Equal(I(v["010|System Area Code"]), f.Sac); }
                Assert.Equal(I(v["000|Message Type"]), f.MessageType);
                if (r.Has(Cat034Frn.I020)) { Assert.Equal(I(v["020|Antenna azimuth"]), f.SectorRaw); }
                if (r.Has(Cat034Frn.I041)) { Assert.Equal(I(v["041|Antenna rotation speed"]), f.AntennaRotationRaw); }
                if (r.Has(Cat034Frn.I120)) { Assert.Equal(I(v["120|Latitude in WGS-84"]), f.SiteLatitudeRaw); Assert.Equal(I(v["120|Longitude in WGS-84"]), f.SiteLongitudeRaw); }
            }

            compared++;
        };
        var stats = new DecodeStatistics();
        var scratch = new AsterixRecord();
        foreach (var payload in TestData.UdpPayloads(TestData.Asterix("croatiacontrol", "cat_034_048.pcap")))
        {
            AsterixDecoder.DecodeAll(payload, scratch, sink, AsterixDecoderOptions.Default, stats);
        }

        Assert.Empty(sink.Rejected);
        Assert.Equal(128, sink.Records.Count(x => x.Category == 48));
        Assert.Equal(34, sink.Records.Count(x => x.Category == 34));
        Assert.Equal(162, compared);
        Assert.Equal(120, stats.Blocks);
        Assert.Equal(0, stats.RejectedBlocks);
    }

    [Fact]
    public void Cat034048Pcap_ReencodedRecords_AreByteIdentical()
    {
        var scratch = new AsterixRecord();
        var buffer = new byte[4096];
        var checkedRecords = 0;
        var sink = new CollectingSink
        {
            OnEach = r =>
            {
                var n = r.Category == 48
                    ? AsterixEncoder.WriteCat048Block(buffer, new[] { r })
                    : AsterixEncoder.WriteCat034Block(buffer, new[] { r });
                Assert.Equal(Convert.ToHexString(r.RawBytes), Convert.ToHexString(buffer, 3, n - 3));
                checkedRecords++;
            },
        };
        foreach (var payload in TestData.UdpPayloads(TestData.Asterix("croatiacontrol", "cat_034_048.pcap")))
        {
            AsterixDecoder.DecodeAll(payload, scratch, sink, AsterixDecoderOptions.Default, new DecodeStatistics());
        }

        Assert.Equal(162, checkedRecords);
    }

    [Fact]
    public void Cat048Raw_SingleRecord_MatchesReadmeValues()
    {
        var scratch = new AsterixRecord();
        var seen = 0;
        var sink = new CollectingSink
        {
            OnEach = r =>
            {
                Assert.Equal(25, r.Cat048.Sac);
                Assert.Equal(201, r.Cat048.Sic);
                Assert.Equal(197.68359375, r.Cat048.RangeNauticalMiles, 8);
                Assert.Equal(340.13671875, r.Cat048.AzimuthDegrees, 8);
                Assert.Equal(0x3C660C, r.Cat048.AircraftAddress);
                Assert.Equal("DLH65A  ", new string(r.Cat048.Callsign));
                Assert.Equal(330.0, r.Cat048.FlightLevel);
                seen++;
            },
        };
        var status = AsterixDecoder.TryDecodeBlock(File.ReadAllBytes(TestData.Asterix("croatiacontrol", "cat048.raw")), scratch, sink, AsterixDecoderOptions.Default, out _);
        Assert.Equal(DecodeStatus.Ok, status);
        Assert.Equal(1, seen);
    }

    [Fact]
    public void Cat048Jasterix123_Block_MatchesJasterixExpectations()
    {
        var scratch = new AsterixRecord();
        var sink = new CollectingSink
        {
            OnEach = r =>
            {
                Assert.Equal(0, r.Cat048.Sac);
                Assert.Equal(1, r.Cat048.Sic);
                Assert.Equal(33499.835938, r.Cat048.TimeOfDaySeconds, 5);
                Assert.Equal(5, r.Cat048.Typ);
                Assert.Equal(255.99609375, r.Cat048.RangeNauticalMiles, 8);
                Assert.Equal(89.67041015625, r.Cat048.AzimuthDegrees, 8);
                Assert.Equal(11226301, r.Cat048.AircraftAddress);
                Assert.Equal("RYR5XW  ", new string(r.Cat048.Callsign));
            },
        };
        AsterixDecoder.DecodeAll(File.ReadAllBytes(TestData.Asterix("jasterix", "cat048ed1.23.bin")), scratch, sink, AsterixDecoderOptions.Default, new DecodeStatistics());
        Assert.Empty(sink.Rejected);
        Assert.Single(sink.Records);
    }
}
