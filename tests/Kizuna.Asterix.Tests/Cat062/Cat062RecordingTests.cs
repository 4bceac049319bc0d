using Kizuna.Asterix.Tests.Common;

namespace Kizuna.Asterix.Tests.Cat062;

public sealed class Cat062RecordingTests
{
    [Fact]
    public void Cat062Pcap_TwoTracksAndCat065_MatchReferenceJson()
    {
        var tracks = new List<(int Tn, string Cs, int Adr, double Lat, double Lon, int Sac)>();
        var sink = new CollectingSink
        {
            OnEach = r =>
            {
                if (r.Category == 62)
                {
                    tracks.Add((r.Cat062.TrackNumber, new string(r.Cat062.Callsign), r.Cat062.TargetAddress, r.Cat062.LatitudeDegrees, r.Cat062.LongitudeDegrees, r.Cat062.Sac));
                }
            },
        };
        var stats = new DecodeStatistics();
        foreach (var p in TestData.UdpPayloads(TestData.Asterix("croatiacontrol", "cat_062_065.pcap")))
        {
            AsterixDecoder.DecodeAll(p, new AsterixRecord(), sink, AsterixDecoderOptions.Default, stats);
        }

        AsterixDecoder.DecodeAll(File.ReadAllBytes(TestData.Asterix("croatiacontrol", "cat062cat065.raw")), new AsterixRecord(), new CollectingSink(), AsterixDecoderOptions.Default, stats);
        Assert.Empty(sink.Rejected);
        Assert.Equal(0, stats.RejectedBlocks);
        Assert.Equal(2, tracks.Count);
        Assert.Equal(0x1269, tracks[0].Tn);
        Assert.Equal("RYR174C ", tracks[0].Cs);
        Assert.Equal(0x4CA7A8, tracks[0].Adr);
        Assert.Equal(41.1671233, tracks[0].Lat, 6);
        Assert.Equal(15.7088667, tracks[0].Lon, 6);
        Assert.Equal(25, tracks[0].Sac);
        Assert.Equal(0x1AAF, tracks[1].Tn);
        Assert.Equal("ISS2007 ", tracks[1].Cs);
        Assert.Single(sink.Records, x => x.Category == 65);
    }

    [Fact]
    public void Cat062Jasterix116_Block_PositionAndTrackNumberMatch()
    {
        var seen = 0;
        var sink = new CollectingSink
        {
            OnEach = r =>
            {
                Assert.Equal(35.138643980026245, r.Cat062.LatitudeDegrees, 9);
                Assert.Equal(-12.166038751602173, r.Cat062.LongitudeDegrees, 9);
                Assert.Equal(5533, r.Cat062.TrackNumber);
                seen++;
            },
        };
        AsterixDecoder.TryDecodeBlock(File.ReadAllBytes(TestData.Asterix("jasterix", "cat062ed1.16.bin")), new AsterixRecord(), sink, AsterixDecoderOptions.Default with { Cat062 = Cat062Edition.Ed1_16 }, out _);
        Assert.Equal(1, seen);
    }

    [Fact]
    public void Decode_Cat048BufferRepeated_AllocatesNothing()
    {
        var payloads = TestData.UdpPayloads(TestData.Asterix("croatiacontrol", "cat_034_048.pcap"));
        var scratch = new AsterixRecord();
        var sink = new CountingSink();
        var stats = new DecodeStatistics();
        var bytes = Kizuna.TestSupport.Allocation.SteadyStateBytes(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                foreach (var p in payloads) { AsterixDecoder.DecodeAll(p, scratch, sink, AsterixDecoderOptions.Default, stats); }
            }
        });

        Assert.Equal(0, bytes);
        Assert.Equal(162 * 50 * (2 + 8), sink.Count); // 2 warm-up + 8 measured rounds (Allocation.SteadyStateBytes defaults)
    }
}
