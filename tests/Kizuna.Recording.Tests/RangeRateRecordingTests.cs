using System.Buffers.Binary;
using System.Text;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Microsoft.Data.Sqlite;

namespace Kizuna.Recording.Tests;

/// <summary>Schema version 4: detections keep their range rate (ṙ, σ²_ṙ, sensor velocity); version 3 files still read.</summary>
public sealed class RangeRateRecordingTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static DateTime Ms(long ms) => SyntheticRun.Start.AddTicks(ms * TimeSpan.TicksPerMillisecond);

    private static Detection Plot(long ms, double rangeRate = double.NaN, double variance = 0, Vec3 sensorVelocity = default, bool diagonal = true) => new(
        Ms(ms), "JPN-DDG-SPY", Nation.Japan, MeasurementKind.RangeAzimuthElevation, new Vec3(180_000.5 + ms, 2.0943951023931953, 0.031),
        diagonal ? Mat3.Diagonal(400, 1e-6, 2.5e-6) : new Mat3(400, 1e-4, 2e-4, 1e-4, 1e-6, 3e-9, 2e-4, 3e-9, 2.5e-6),
        Geodetic.FromDegrees(31.1, 131.2, 20), 17, 0, rangeRate, variance, sensorVelocity);

    [Fact]
    public void Detections_WithAndWithoutRangeRate_ReadAndReplayBitIdentical()
    {
        Detection[] rows =
        [
            Plot(0),                                                                           // no range rate
            Plot(100, -237.12345678901234, 9.000000000000002, new Vec3(-3.14159, 9.87654321, -1e-9)), // ship radar
            Plot(200, 511.75, 1.0 / 12, default, diagonal: false),                             // fixed site, full R
            Plot(300, double.NaN, 0, new Vec3(120, -80, 0.5)),                                 // moving sensor without ṙ
            Plot(400, -0.0, 4),                                                                // negative zero survives
        ];
        var path = _dir.File("rr.db");
        using (var rec = RunRecorder.Create(path, SyntheticRun.Metadata))
        {
            rec.RecordDetections(rows);
        }

        using var reader = RunReader.Open(path);
        Assert.Equal(4, reader.SchemaVersion);
        var back = reader.Detections(SyntheticRun.Start, SyntheticRun.At(10));
        Assert.Equal(rows, back);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(rows[i].RangeRate), BitConverter.DoubleToInt64Bits(back[i].RangeRate));
            Assert.Equal(BitConverter.DoubleToInt64Bits(rows[i].RangeRateVariance), BitConverter.DoubleToInt64Bits(back[i].RangeRateVariance));
            Assert.Equal(rows[i].HasRangeRate, back[i].HasRangeRate);
        }

        var replayed = reader.Replay(SyntheticRun.Start).Where(x => x.Kind == ReplayItemKind.Detection).Select(x => x.Detection!.Value).ToList();
        Assert.Equal(rows, replayed);
        Assert.True(replayed[1].HasRangeRate);
        Assert.Equal(new Vec3(-3.14159, 9.87654321, -1e-9), replayed[1].SensorVelocity);
    }

    [Fact]
    public void Write_RangeRateRow_Adds40BytesAndSetsFlagBit1()
    {
        var without = Encode(Plot(0));
        var with = Encode(Plot(0, -100, 9));
        Assert.Equal(without.Length + 40, with.Length);
        var flagsAt = 2 + (2 + Encoding.UTF8.GetByteCount("JPN-DDG-SPY")) + (2 + 3) + 8 + 2 + 2 + 4 + 24;
        Assert.Equal(1, without[flagsAt]);
        Assert.Equal(3, with[flagsAt]);
    }

    [Fact]
    public void ReadDetection_Version3BlobBytes_ReadsWithoutRangeRate()
    {
        var blob = Version3Blob();
        var decoder = new BatchDecoder(blob);
        var d = BatchRows.ReadDetection(ref decoder);
        Assert.True(decoder.End);
        AssertVersion3Detection(d);
    }

    [Fact]
    public void Open_Version3RecordingWithOldBlob_ReadsDetectionsWithoutRangeRate()
    {
        // A version 3 file: the schema is the same; its detection blobs have the old row layout (flags bit 1 never set).
        var path = _dir.File("v3.db");
        RunRecorder.Create(path, SyntheticRun.Metadata).Dispose();
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE schema_version SET version = 3; INSERT INTO detection_batch VALUES ($t, $t, 1, $rows)";
            cmd.Parameters.AddWithValue("$t", RecordingSchema.ToMicros(Ms(1500)));
            cmd.Parameters.AddWithValue("$rows", Version3Blob());
            cmd.ExecuteNonQuery();
        }

        using var reader = RunReader.Open(path);
        Assert.Equal(3, reader.SchemaVersion);
        AssertVersion3Detection(Assert.Single(reader.Detections(SyntheticRun.Start, SyntheticRun.At(10))));
        AssertVersion3Detection(reader.Replay(SyntheticRun.Start).Single(x => x.Kind == ReplayItemKind.Detection).Detection!.Value);
    }

    [Fact]
    public void Open_NewerVersion_FailsNamingBothReadableVersions()
    {
        var path = _dir.File("v5.db");
        RunRecorder.Create(path, SyntheticRun.Metadata).Dispose();
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE schema_version SET version = 5";
            cmd.ExecuteNonQuery();
        }

        var ex = Assert.Throws<RecordingFormatException>(() => RunReader.Open(path));
        Assert.Contains("schema version 5, but this build of Kizuna reads version 4 (and the older version 3) only", ex.Message, StringComparison.Ordinal);
        Assert.Contains("newer build", ex.Message, StringComparison.Ordinal);
    }

    private static byte[] Encode(Detection d)
    {
        var e = new BatchEncoder();
        e.Reset();
        BatchRows.Write(e, d);
        return e.Finish().ToArray();
    }

    /// <summary>
    /// One detection row in the version 3 layout, written byte by byte from docs/recording.md (not with today's
    /// encoder): strings ["r1", "JPN"], time, sensor 0, nation 1, kind 2, z, flags 1 (diagonal), r00 r11 r22, site,
    /// truth_id, identity — and nothing after it.
    /// </summary>
    private static byte[] Version3Blob()
    {
        var b = new List<byte>();
        void U16(ushort v) { var s = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(s, v); b.AddRange(s); }
        void I32(int v) { var s = new byte[4]; BinaryPrimitives.WriteInt32LittleEndian(s, v); b.AddRange(s); }
        void I64(long v) { var s = new byte[8]; BinaryPrimitives.WriteInt64LittleEndian(s, v); b.AddRange(s); }
        void F64(double v) { var s = new byte[8]; BinaryPrimitives.WriteDoubleLittleEndian(s, v); b.AddRange(s); }
        U16(2);
        U16(2); b.AddRange("r1"u8.ToArray());
        U16(3); b.AddRange("JPN"u8.ToArray());
        I64(RecordingSchema.ToMicros(Ms(1500)));
        U16(0);
        U16(1);
        I32((int)MeasurementKind.RangeAzimuthElevation);
        F64(150_000); F64(1.5); F64(0.02);
        b.Add(1);
        F64(2500); F64(1e-6); F64(2e-6);
        F64(0.6); F64(2.4); F64(100);
        I32(9);
        I32(0x3C660C);
        return [.. b];
    }

    private static void AssertVersion3Detection(Detection d)
    {
        Assert.Equal(Ms(1500), d.Time);
        Assert.Equal("r1", d.SensorId);
        Assert.Equal(Nation.Japan, d.Nation);
        Assert.Equal(new Vec3(150_000, 1.5, 0.02), d.Value);
        Assert.Equal(Mat3.Diagonal(2500, 1e-6, 2e-6), d.Covariance);
        Assert.Equal(new Geodetic(0.6, 2.4, 100), d.SensorSite);
        Assert.Equal(9, d.TruthId);
        Assert.Equal(0x3C660Cu, d.Identity);
        Assert.False(d.HasRangeRate);
        Assert.True(double.IsNaN(d.RangeRate));
        Assert.Equal(0, d.RangeRateVariance);
        Assert.Equal(default, d.SensorVelocity);
    }
}
