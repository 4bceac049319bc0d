using Kizuna.Core;
using Kizuna.Metrics;

namespace Kizuna.Metrics.Tests;

public class SampleCsvTests
{
    [Fact]
    public void ReadTruth_BadRows_RejectedWithLineAndReadingContinues()
    {
        const string text = """
            time_s,truth_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps
            0,1,10,20,30,1,2,3
            1,1,abc,20,30,1,2,3
            2,1,10,NaN,30,1,2,3
            3,1,10,20,Infinity,1,2,3
            4,1,10,20,30,1,2
            5,1.5,10,20,30,1,2,3

            # comment
            6,2,-1e3,0,0,0,0,0
            """;
        var r = SampleCsv.ReadTruth(new StringReader(text), "truth.csv");
        Assert.Equal(2, r.Samples.Count);
        Assert.Equal(new TruthSample(0, 1, new Vec3(10, 20, 30), new Vec3(1, 2, 3)), r.Samples[0]);
        Assert.Equal(new TruthSample(6, 2, new Vec3(-1000, 0, 0), Vec3.Zero), r.Samples[1]);
        Assert.Equal(5, r.RejectedCount);
        Assert.Equal([3, 4, 5, 6, 7], r.Rejections.Select(x => x.Line));
        Assert.All(r.Rejections, x => Assert.Equal("truth.csv", x.File));
        Assert.Contains("not a number", r.Rejections[0].Reason, StringComparison.Ordinal);
        Assert.Contains("NaN or infinite", r.Rejections[1].Reason, StringComparison.Ordinal);
        Assert.Contains("columns", r.Rejections[3].Reason, StringComparison.Ordinal);
        Assert.StartsWith("truth.csv:3:", r.Rejections[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadTracks_GoodFile_ReadsQualityAndIds()
    {
        const string text = """
            time_s,track_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps,quality
            0.5,4000000000,1,2,3,4,5,6,0.9
            """;
        var r = SampleCsv.ReadTracks(new StringReader(text), "tracks.csv");
        Assert.Equal(0, r.RejectedCount);
        var s = Assert.Single(r.Samples);
        Assert.Equal(new TrackSample(0.5, 4_000_000_000, new Vec3(1, 2, 3), new Vec3(4, 5, 6), 0, 0.9), s);
    }

    [Fact]
    public void ReadTracks_WrongHeader_IsReported()
    {
        var r = SampleCsv.ReadTracks(new StringReader("time_s,id,x\n0,1,1,1,1,0,0,0,1\n"), "t.csv");
        Assert.Single(r.Samples);
        Assert.Equal(1, Assert.Single(r.Rejections).Line);
    }
}
