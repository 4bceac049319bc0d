using Kizuna.Core.Geodesy;
using Kizuna.Core.IO;

namespace Kizuna.Core.Tests.IO;

public sealed class CsvFormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kizuna-csv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void DetectionCsv_WriteThenRead_RoundTripsEveryField()
    {
        var epoch = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var d = new Detection(epoch.AddSeconds(12.25), "jpn-sado-ewr", Nation.Japan, MeasurementKind.RangeAzimuthElevation,
            new Vec3(123456.5, 1.25, 0.01), new Mat3(2500, 1, 2, 1, 1e-6, 3e-9, 2, 3e-9, 4e-6), Geodetic.FromDegrees(38.08, 138.43, 1040), 42, 0x3C660C);
        var path = Path.Combine(_dir, "d.csv");
        using (var w = CsvRowWriter.Create(path))
        {
            w.Header(DetectionCsv.Header);
            DetectionCsv.Write(w, d, epoch);
        }

        var errors = new List<RowError>();
        var back = Assert.Single(DetectionCsv.Read(path, errors));
        Assert.Empty(errors);
        Assert.Equal(d.Time, back.Time);
        Assert.Equal(d.Value, back.Value);
        Assert.Equal(d.Covariance, back.Covariance);
        Assert.Equal(d.SensorId, back.SensorId);
        Assert.Equal(d.Nation, back.Nation);
        Assert.Equal(d.TruthId, back.TruthId);
        Assert.Equal(d.Identity, back.Identity);
        Assert.Equal(d.SensorSite.LatitudeDeg, back.SensorSite.LatitudeDeg, 1e-9);
    }

    [Fact]
    public void DetectionCsv_BadRows_RejectedWithLineAndGoodRowsKept()
    {
        var path = Path.Combine(_dir, "bad.csv");
        const string good = "1.0,2026-01-01T00:00:01.0000000Z,s1,USA,ecef,1,2,3,4,0,0,4,0,4,35,139,0,5,0";
        File.WriteAllLines(path,
        [
            DetectionCsv.LegacyHeader,
            good,
            "1.0,2026-01-01T00:00:01Z,s1,USA,ecef,NaN,2,3,4,0,0,4,0,4,35,139,0,5,0",
            "1.0,2026-01-01T00:00:01Z,s1,USA,ecef,abc,2,3,4,0,0,4,0,4,35,139,0,5,0",
            "1.0,2026-01-01T00:00:01Z,s1,USA,polar,1,2,3,4,0,0,4,0,4,35,139,0,5,0",
            "1.0,2026-01-01T00:00:01Z,s1,US,ecef,1,2,3,4,0,0,4,0,4,35,139,0,5,0",
            "1.0,2026-01-01T00:00:01Z,s1,USA,ecef,1,2,3,-4,0,0,4,0,4,35,139,0,5,0",
            "1.0,2026-01-01T00:00:01Z,s1,USA,ecef,1,2,3",
            good,
        ]);
        var errors = new List<RowError>();
        var rows = DetectionCsv.Read(path, errors).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal([3, 4, 5, 6, 7, 8], errors.Select(e => e.Line));
        Assert.All(errors, e => Assert.Equal("bad.csv", e.File));
        Assert.Contains("not a finite number", errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("kind", errors[2].Reason, StringComparison.Ordinal);
        Assert.Contains("nation", errors[3].Reason, StringComparison.Ordinal);
        Assert.Contains("covariance", errors[4].Reason, StringComparison.Ordinal);
        Assert.Contains("columns", errors[5].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainCartesian_MixedRows_RejectsBadAndBackwardsKeepsGood()
    {
        var path = Path.Combine(_dir, "plain.csv");
        File.WriteAllLines(path,
        [
            "time_s,x_m,y_m",
            "0,1,2",
            "1,3,4,5",
            "2,inf,4",
            "3,x,4",
            "1.5,1,1",
            "0.4,1,1",
            "4,1",
            "5,6,7",
        ]);
        var errors = new List<RowError>();
        var rows = PlainCartesianCsv.Read(path, 2.0, errors, allowedLag: 1.0).ToList();
        Assert.Equal(4, rows.Count); // lines 2, 3, 6 and 9; 0.4 s is more than 1 s behind 1.5 s
        Assert.Equal(new Vec3(1, 2, 0), rows[0].Value);
        Assert.Equal(new Vec3(3, 4, 5), rows[1].Value);
        Assert.Equal(MeasurementKind.Cartesian, rows[0].Kind);
        Assert.Equal(4.0, rows[0].Covariance.M00);
        Assert.Equal([4, 5, 7, 8], errors.Select(e => e.Line));
        Assert.Contains("backwards", errors[2].Reason, StringComparison.Ordinal);
    }
}
