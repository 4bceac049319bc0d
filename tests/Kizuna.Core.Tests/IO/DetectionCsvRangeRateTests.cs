using Kizuna.Core.Geodesy;
using Kizuna.Core.IO;

namespace Kizuna.Core.Tests.IO;

/// <summary>The range-rate columns of detections.csv: round trip, old files, bad cells.</summary>
public sealed class DetectionCsvRangeRateTests : IDisposable
{
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly string _dir = Directory.CreateTempSubdirectory("kizuna-csv-rr-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Detection Plot(double rangeRate = double.NaN, double variance = 0, Vec3 sensorVelocity = default) =>
        new(Epoch.AddSeconds(7.5), "jpn-ddg-south-spy", Nation.Japan, MeasurementKind.RangeAzimuthElevation,
            new Vec3(181_234.25, 2.0943951023931953, 0.031), Mat3.Diagonal(400, 1e-6, 2.5e-6), Geodetic.FromDegrees(31.1, 131.2, 20), 17, 0,
            rangeRate, variance, sensorVelocity);

    private string WriteFile(params Detection[] detections)
    {
        var path = Path.Combine(_dir, $"d{Guid.NewGuid():N}.csv");
        using var w = CsvRowWriter.Create(path);
        w.Header(DetectionCsv.Header);
        foreach (var d in detections)
        {
            DetectionCsv.Write(w, d, Epoch);
        }

        return path;
    }

    [Fact]
    public void DetectionCsv_RangeRateFromMovingShip_RoundTripsBitIdentical()
    {
        // A ship's radar: ṙ with many significant digits, a non-integer variance and a sensor velocity in ECEF.
        var d = Plot(-237.12345678901234, 4.0000000000000036, new Vec3(-3.1415926535897931, 9.8765432109876, -0.000123456789));
        var errors = new List<RowError>();
        var back = Assert.Single(DetectionCsv.Read(WriteFile(d), errors));
        Assert.Empty(errors);
        Assert.True(back.HasRangeRate);
        Assert.Equal(BitConverter.DoubleToInt64Bits(d.RangeRate), BitConverter.DoubleToInt64Bits(back.RangeRate));
        Assert.Equal(BitConverter.DoubleToInt64Bits(d.RangeRateVariance), BitConverter.DoubleToInt64Bits(back.RangeRateVariance));
        Assert.Equal(d.SensorVelocity, back.SensorVelocity);
        Assert.Equal(d.Value, back.Value);
        Assert.Equal(d.Covariance, back.Covariance);
    }

    [Fact]
    public void DetectionCsv_PlotWithoutRangeRate_EmptyCellsAndReadsBackWithout()
    {
        var path = WriteFile(Plot(), Plot(12.5, 9));
        var lines = File.ReadAllLines(path);
        Assert.EndsWith(",17,0,,,,,", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",17,0,12.5,9,0,0,0", lines[2], StringComparison.Ordinal);
        var errors = new List<RowError>();
        var back = DetectionCsv.Read(path, errors).ToList();
        Assert.Empty(errors);
        Assert.False(back[0].HasRangeRate);
        Assert.True(double.IsNaN(back[0].RangeRate));
        Assert.Equal(0, back[0].RangeRateVariance);
        Assert.Equal(default, back[0].SensorVelocity);
        Assert.True(back[1].HasRangeRate);
        Assert.Equal(12.5, back[1].RangeRate);
    }

    [Fact]
    public void DetectionCsv_LegacyNineteenColumnFile_ReadsWithoutRangeRate()
    {
        // A file as written before the range-rate columns existed (header and rows of 19 columns).
        var path = Path.Combine(_dir, "old.csv");
        File.WriteAllLines(path,
        [
            "time_s,time_utc,sensor_id,nation,kind,z1,z2,z3,r11,r12,r13,r22,r23,r33,site_lat_deg,site_lon_deg,site_h_m,truth_id,identity",
            "7.5,2026-01-01T00:00:07.5000000Z,jpn-sado-ewr,JPN,rae,181234.25,2.0943951023931953,0.031,400,0,0,1E-06,0,2.5E-06,38.08,138.43,1040,17,0",
        ]);
        var errors = new List<RowError>();
        var back = Assert.Single(DetectionCsv.Read(path, errors));
        Assert.Empty(errors);
        Assert.False(back.HasRangeRate);
        Assert.Equal(new Vec3(181_234.25, 2.0943951023931953, 0.031), back.Value);
        Assert.Equal(17, back.TruthId);
    }

    [Fact]
    public void DetectionCsv_BadRangeRateCells_RejectedWithFileAndLineAndGoodRowsKept()
    {
        const string head = "7.5,2026-01-01T00:00:07.5Z,r1,JPN,rae,181234,2.09,0.03,400,0,0,1E-06,0,2.5E-06,38,138,10,17,0";
        var path = Path.Combine(_dir, "bad-rr.csv");
        File.WriteAllLines(path,
        [
            DetectionCsv.Header,
            head + ",-230.5,9,,,",       // 2 good, fixed site
            head + ",-230.5,,,,",        // 3 ṙ without variance
            head + ",,9,,,",             // 4 variance without ṙ
            head + ",-230.5,0,,,",       // 5 variance zero
            head + ",-230.5,-9,,,",      // 6 variance negative
            head + ",NaN,9,,,",          // 7 ṙ NaN
            head + ",fast,9,,,",         // 8 ṙ not a number
            head + ",-230.5,9,1,2,",     // 9 partial sensor velocity
            head + ",-230.5,9,1,inf,3",  // 10 sensor velocity infinite
            head,                        // 11 19 columns under the 24-column header
            head + ",-230.5,9,1,2,3",    // 12 good, moving sensor
        ]);
        var errors = new List<RowError>();
        var rows = DetectionCsv.Read(path, errors).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(-230.5, rows[0].RangeRate);
        Assert.Equal(new Vec3(1, 2, 3), rows[1].SensorVelocity);
        Assert.Equal([3, 4, 5, 6, 7, 8, 9, 10, 11], errors.Select(e => e.Line));
        Assert.All(errors, e => Assert.Equal("bad-rr.csv", e.File));
        Assert.Contains("both be given", errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("both be given", errors[1].Reason, StringComparison.Ordinal);
        Assert.Contains("range_rate_var_m2ps2: '0'", errors[2].Reason, StringComparison.Ordinal);
        Assert.Contains("range_rate_var_m2ps2: '-9'", errors[3].Reason, StringComparison.Ordinal);
        Assert.Contains("range_rate_mps: 'NaN'", errors[4].Reason, StringComparison.Ordinal);
        Assert.Contains("range_rate_mps: 'fast'", errors[5].Reason, StringComparison.Ordinal);
        Assert.Contains("all be given", errors[6].Reason, StringComparison.Ordinal);
        Assert.Contains("sensor_vy_mps: 'inf'", errors[7].Reason, StringComparison.Ordinal);
        Assert.Contains("expected 24 columns, found 19", errors[8].Reason, StringComparison.Ordinal);
        Assert.StartsWith("bad-rr.csv:3: ", errors[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DetectionCsv_UnknownHeader_RejectedNamingBothAcceptedHeaders()
    {
        var path = Path.Combine(_dir, "hdr.csv");
        File.WriteAllLines(path, ["time_s,time_utc,sensor_id", "1,2,3"]);
        var errors = new List<RowError>();
        Assert.Empty(DetectionCsv.Read(path, errors));
        var e = Assert.Single(errors);
        Assert.Equal(1, e.Line);
        Assert.Contains(DetectionCsv.LegacyHeader, e.Reason, StringComparison.Ordinal);
        Assert.Contains("range_rate_mps", e.Reason, StringComparison.Ordinal);
    }
}
