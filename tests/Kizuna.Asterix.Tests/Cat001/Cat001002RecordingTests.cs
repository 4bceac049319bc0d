using System.Globalization;
using System.Text.Json;
using Kizuna.Asterix.Tests.Common;

namespace Kizuna.Asterix.Tests.Cat001;

public sealed class Cat001002RecordingTests
{
    private static int I(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>One UDP packet of 6 frames: a 6-octet header (first two octets: big-endian frame length including the header), then one ASTERIX block.</summary>
    private static List<byte[]> Blocks()
    {
        var payloads = TestData.UdpPayloads(TestData.Asterix("croatiacontrol", "cat_001_002.pcap"));
        Assert.Single(payloads);
        var p = payloads[0];
        var blocks = new List<byte[]>();
        var pos = 0;
        while (pos < p.Length)
        {
            var frameLength = (p[pos] << 8) | p[pos + 1];
            Assert.InRange(frameLength, 7, p.Length - pos);
            blocks.Add(p.AsSpan(pos + 6, frameLength - 6).ToArray());
            pos += frameLength;
        }

        return blocks;
    }

    /// <summary>Decodes every block; the record callback gets a copy of the typed fields it needs through <paramref name="onRecord"/>.</summary>
    private static (CollectingSink Sink, DecodeStatistics Stats) DecodeAll(Action<AsterixRecord> onRecord)
    {
        var sink = new CollectingSink { OnEach = onRecord };
        var stats = new DecodeStatistics();
        var scratch = new AsterixRecord();
        foreach (var block in Blocks())
        {
            AsterixDecoder.DecodeAll(block, scratch, sink, AsterixDecoderOptions.Default, stats);
        }

        return (sink, stats);
    }

    [Fact]
    public void Cat001002Pcap_SixFrames_FiveCat001BlocksAndOneCat002Block()
    {
        var blocks = Blocks();
        Assert.Equal(6, blocks.Count);
        Assert.Equal(5, blocks.Count(b => b[0] == 1));
        Assert.Single(blocks, b => b[0] == 2);
        var (sink, stats) = DecodeAll(_ => { });
        Assert.Empty(sink.Rejected);
        Assert.Equal(6, stats.Blocks);
        Assert.Equal(0, stats.RejectedBlocks);
        Assert.Equal(7, sink.Records.Count(r => r.Category == 1));
        Assert.Equal(1, sink.Records.Count(r => r.Category == 2));
    }

    [Fact]
    public void Cat001002Pcap_EveryRecord_MatchesReferenceTextFieldByField()
    {
        var reference = ReferenceText.Parse(TestData.Asterix("croatiacontrol", "cat_001_002.txt"));
        var index = 0;
        var compared = 0;
        DecodeAll(r =>
        {
            var expected = reference[index++];
            Assert.Equal(expected.Category, r.Category);
            Assert.Equal(expected.Hex, Convert.ToHexString(r.RawBytes));
            var v = expected.Values;
            var f = r.Cat001;
            Assert.Equal(I(v["010|System Area Code"]), f.Sac);
            Assert.Equal(I(v["010|System Identification Code"]), f.Sic);
            if (r.Category == 2)
            {
                Assert.Equal(I(v["000|Message Type"]), f.MessageType);
                Assert.Equal(I(v["020|Antenna azimuth"]), f.SectorRaw);
                Assert.Equal(I(v["030|Time of day"]), f.TimeOfDayRaw);
            }
            else
            {
                Assert.True(f.IsTrack);
                Assert.Equal("track", r.Uap!.Variation);
                Assert.Equal(I(v["020|TYP"]), f.IsTrack ? 1 : 0);
                Assert.Equal(I(v["020|SSRPSR"]), f.SsrPsr);
                Assert.Equal(I(v["161|Track Plot Number"]), f.TrackNumber);
                Assert.Equal(I(v["040|RHO"]), f.RhoRaw);
                Assert.Equal(I(v["040|THETA"]), f.ThetaRaw);
                Assert.Equal(I(v["200|Calculated groundspeed"]), f.GroundSpeedRaw);
                Assert.Equal(I(v["200|Calculated heading"]), f.HeadingRaw);
                Assert.Equal(I(v["070|V"]), f.Mode3AFlags >> 2);
                Assert.Equal(I(v["070|Mode-3/A reply code"]), f.Mode3AOctal);
                Assert.Equal(I(v["090|Mode-C reply code"]), f.FlightLevelRaw);
                Assert.Equal(I(v["141|Time"]), f.TruncatedTimeRaw);
                // CAT001 I001/170: CON (bit 8), RAD (bit 7, one bit: 1 = SSR or combined track), MAN, DOU, RDPC, spare, GHO.
                Assert.Equal(I(v["170|RAD"]), (f.TrackStatusOctet1 >> 6) & 1);
                Assert.Equal(I(v["170|CON"]), f.TrackStatusOctet1 >> 7);
            }

            compared++;
        });
        Assert.Equal(reference.Count, compared);
        Assert.Equal(8, compared);
    }

    [Fact]
    public void Cat001002Pcap_EveryRecord_MatchesReferenceJsonInUnits()
    {
        var lines = File.ReadAllLines(TestData.Asterix("croatiacontrol", "cat_001_002_json.txt")).Where(l => l.Length > 0).ToList();
        var index = 0;
        DecodeAll(r =>
        {
            using var doc = JsonDocument.Parse(lines[index++]);
            var root = doc.RootElement;
            Assert.Equal(root.GetProperty("cat").GetInt32(), r.Category);
            Assert.Equal(root.GetProperty("hexdata").GetString(), Convert.ToHexString(r.RawBytes));
            var f = r.Cat001;
            if (r.Category == 2)
            {
                var c = root.GetProperty("CAT002");
                Assert.Equal(c.GetProperty("I000").GetProperty("type").GetInt32(), f.MessageType);
                Assert.Equal(c.GetProperty("I020").GetProperty("Azi").GetDouble(), f.SectorDegrees, 6);
                Assert.Equal(c.GetProperty("I030").GetProperty("ToD").GetDouble(), f.TimeOfDaySeconds, 6);
                return;
            }

            var j = root.GetProperty("CAT001");
            Assert.Equal(j.GetProperty("I010").GetProperty("SAC").GetInt32(), f.Sac);
            Assert.Equal(j.GetProperty("I161").GetProperty("tpn").GetInt32(), f.TrackNumber);
            Assert.Equal(j.GetProperty("I040").GetProperty("RHO").GetDouble(), f.RangeNauticalMiles, 6);
            Assert.Equal(j.GetProperty("I040").GetProperty("THETA").GetDouble(), f.AzimuthDegrees, 6);
            Assert.Equal(j.GetProperty("I200").GetProperty("CalcHdg").GetDouble(), f.HeadingDegrees, 6);
            // The reference prints ground speed with an LSB of 0.22 kt; the specification's LSB is 2^-14 NM/s = 0.2197 kt.
            Assert.Equal(j.GetProperty("I200").GetProperty("CalcGS").GetDouble(), f.GroundSpeedKnots, 487.96 * 0.0015);
            Assert.Equal(f.GroundSpeedRaw * 0.22, j.GetProperty("I200").GetProperty("CalcGS").GetDouble(), 6);
            Assert.Equal(j.GetProperty("I070").GetProperty("Mode3A").GetString(), f.Mode3AOctal.ToString("D4", CultureInfo.InvariantCulture));
            Assert.Equal(j.GetProperty("I090").GetProperty("ModeC").GetDouble(), f.FlightLevel, 6);
            Assert.Equal(j.GetProperty("I141").GetProperty("Time").GetDouble(), f.TruncatedTimeSeconds, 6);
        });
        Assert.Equal(lines.Count, index);
    }

    [Fact]
    public void Cat001Jasterix11_PlotRecord_MatchesJasterixTest()
    {
        var seen = 0;
        var sink = new CollectingSink
        {
            OnEach = r =>
            {
                var f = r.Cat001;
                Assert.False(f.IsTrack);
                Assert.Equal((0, 1), (f.Sac, f.Sic));
                Assert.Equal(2, f.SsrPsr);
                Assert.Equal(127.4375, f.RangeNauticalMiles, 9);
                Assert.Equal(256.61865222695997, f.AzimuthDegrees, 3);
                Assert.Equal(0, f.Mode3AFlags);
                Assert.Equal(5543, f.Mode3AOctal);
                Assert.Equal(380.0, f.FlightLevel);
                Assert.Equal(0, f.FlightLevelFlags);
                Assert.Equal(221.4296875, f.TruncatedTimeSeconds, 9);
                Assert.Equal([0xC1, 0x79, 0xC0], r.GetItemBytes(r.Uap!.FrnOf("130")).ToArray());
                seen++;
            },
        };
        var data = File.ReadAllBytes(TestData.Asterix("jasterix", "cat001ed1.1.bin"));
        Assert.Equal(DecodeStatus.Ok, AsterixDecoder.TryDecodeBlock(data, new AsterixRecord(), sink, AsterixDecoderOptions.Default, out var used));
        Assert.Equal(data.Length, used);
        Assert.Equal(1, seen);
    }

    [Fact]
    public void Cat002Jasterix10_NorthMarker_MatchesJasterixTest()
    {
        var seen = 0;
        var sink = new CollectingSink
        {
            OnEach = r =>
            {
                var f = r.Cat001;
                Assert.Equal(2, r.Category);
                Assert.Equal((0, 1), (f.Sac, f.Sic));
                Assert.Equal(1, f.MessageType);
                Assert.Equal(33501.4140625, f.TimeOfDaySeconds, 9);
                // I002/050 station configuration status: two FX-chained octets, values 73 and 1 (7 bits each).
                Assert.Equal([0x93, 0x02], r.GetItemBytes(6).ToArray());
                seen++;
            },
        };
        var data = File.ReadAllBytes(TestData.Asterix("jasterix", "cat002ed1.0.bin"));
        Assert.Equal(DecodeStatus.Ok, AsterixDecoder.TryDecodeBlock(data, new AsterixRecord(), sink, AsterixDecoderOptions.Default, out _));
        Assert.Empty(sink.Rejected);
        Assert.Equal(1, seen);
    }
}
