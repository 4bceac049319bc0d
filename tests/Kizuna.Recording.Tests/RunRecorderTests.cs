using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Kizuna.Recording.Tests;

public sealed class RunRecorderTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Detection MakeDetection(int i) => new(
        SyntheticRun.At(i * 0.01), "JPN-FPS5", Nation.Japan, MeasurementKind.RangeAzimuthElevation,
        new Vec3(100_000 + i, 0.5, 0.05), new Mat3(25, 1, 2, 1, 1e-6, 3, 2, 3, 4e-6),
        Geodetic.FromDegrees(35.1, 139.2, 120), i + 1, (uint)i);

    [Fact]
    public async Task Recorder_EveryRowKind_ReadsBackEqual()
    {
        var path = _dir.File("all.db");
        SyntheticRun.Write(path);
        using (var rec = RunRecorder.Create(_dir.File("det.db"), SyntheticRun.Metadata))
        {
            rec.RecordDetection(MakeDetection(7));
            await rec.FlushAsync();
        }

        using var det = RunReader.Open(_dir.File("det.db"));
        var d = Assert.Single(det.Detections(SyntheticRun.Start, SyntheticRun.At(1000)));
        Assert.Equal(MakeDetection(7), d);

        using var reader = RunReader.Open(path);
        Assert.Equal("synthetic", reader.Metadata.Scenario);
        Assert.Equal(42, reader.Metadata.Seed);
        Assert.Equal(SyntheticRun.Start, reader.Metadata.Start);
        Assert.Equal(SyntheticRun.Nations, reader.Metadata.Nations);
        Assert.Equal(new RunTimeRange(SyntheticRun.Start, SyntheticRun.At(10)), reader.TimeRange());
        Assert.Equal(22, reader.Truth().Count);
        Assert.Equal(2, reader.TruthObjects().Count);
        Assert.Equal("Tokyo", Assert.Single(reader.Assets()).Name);

        var jpn = reader.TrackHistory(Nation.Japan);
        Assert.Equal(17, jpn.Count);
        var expected = SyntheticRun.Track(101, 1, 0, SyntheticRun.RelAus);
        var first = jpn[0];
        Assert.Equal(expected.Number, first.Number);
        Assert.Equal(expected.Time, first.Time);
        Assert.Equal(expected.Position.LatitudeRad, first.Position.LatitudeRad, 1e-12);
        Assert.Equal(expected.Position.LongitudeRad, first.Position.LongitudeRad, 1e-12);
        Assert.Equal(expected.VelocityEnu, first.VelocityEnu);
        Assert.Equal(expected.Marking.ToString(), first.Marking.ToString());
        Assert.Equal(["JPN-FPS5"], first.Sensors);
        Assert.Equal((expected.Kind, expected.Affiliation, expected.Quality), (first.Kind, first.Affiliation, first.Quality));

        var alerts = reader.AlertsUpTo(SyntheticRun.At(10));
        Assert.Equal(3, alerts.Count);
        var a0 = SyntheticRun.Alert("A1", 2, AlertState.Issued, Nation.Japan);
        Assert.Equal(a0 with { PredictedImpact = alerts[0].PredictedImpact, EllipseOrientationRad = alerts[0].EllipseOrientationRad, Marking = alerts[0].Marking }, alerts[0]);
        Assert.Equal(0.5, alerts[0].EllipseOrientationRad, 1e-12);
        var engagements = reader.EngagementsUpTo(SyntheticRun.At(10));
        Assert.Equal([EngagementStatus.Recommended, EngagementStatus.Approved, EngagementStatus.Executing, EngagementStatus.Missed], engagements.Select(e => e.Status));
        Assert.Equal("sato", Assert.Single(reader.DecisionsUpTo(SyntheticRun.At(10))).Actor);
        Assert.False(Assert.Single(reader.ReleasesUpTo(SyntheticRun.At(10))).Released);
        Assert.Equal(2, reader.EventsUpTo(SyntheticRun.At(10)).Count);
    }

    [Fact]
    public async Task Recorder_AbandonedWithoutDispose_CommittedRowsSurviveAndQueuedRowsDoNot()
    {
        var path = _dir.File("crash.db");
        var options = new RunRecorderOptions { FlushInterval = TimeSpan.FromHours(1), MaxRowsPerTransaction = 1_000_000, MaxBacklog = TimeSpan.FromHours(1) };
        var rec = RunRecorder.Create(path, SyntheticRun.Metadata, options);
        for (var i = 0; i < 100; i++)
        {
            rec.RecordDetection(MakeDetection(i));
        }

        await rec.FlushAsync();
        for (var i = 100; i < 150; i++)
        {
            rec.RecordDetection(MakeDetection(i));
        }

        // What a killed process leaves on disk: the database file and its write-ahead log, copied
        // while the writer is still alive and holds 50 uncommitted rows in memory.
        var crashDir = Directory.CreateDirectory(_dir.File("after-crash")).FullName;
        File.Copy(path, Path.Combine(crashDir, "crash.db"));
        File.Copy(path + "-wal", Path.Combine(crashDir, "crash.db-wal"));

        using (var reader = RunReader.Open(Path.Combine(crashDir, "crash.db")))
        {
            var rows = reader.Detections(SyntheticRun.Start, SyntheticRun.At(100));
            Assert.Equal(100, rows.Count);
            Assert.Equal(MakeDetection(99), rows[^1]);
        }

        await rec.DisposeAsync();
        using var full = RunReader.Open(path);
        Assert.Equal(150, full.Detections(SyntheticRun.Start, SyntheticRun.At(100)).Count);
    }

    [Fact]
    public async Task Recorder_FlushIntervalElapses_RowsCommittedWithoutExplicitFlush()
    {
        var clock = new FakeTimeProvider(SyntheticRun.Start);
        var options = new RunRecorderOptions { FlushInterval = TimeSpan.FromSeconds(1), MaxRowsPerTransaction = 1_000_000, WallClock = clock };
        await using var rec = RunRecorder.Create(_dir.File("timer.db"), SyntheticRun.Metadata, options);
        for (var i = 0; i < 10; i++)
        {
            rec.RecordDetection(MakeDetection(i));
        }

        Assert.Equal(0, rec.RowsWritten);

        // The writer arms its flush timer on the fake clock when it next waits; under load that can
        // happen after a single Advance, so keep advancing one interval at a time until it commits.
        for (var i = 0; i < 3000 && rec.RowsWritten != 10; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Equal(10, rec.RowsWritten);
        Assert.Equal(1, rec.Transactions);
    }

    [Fact]
    public async Task Recorder_FullBatch_CommitsOneTransactionPerMaxRows()
    {
        var options = new RunRecorderOptions { FlushInterval = TimeSpan.FromHours(1), MaxRowsPerTransaction = 100, MaxBacklog = TimeSpan.FromHours(1) };
        await using var rec = RunRecorder.Create(_dir.File("batch.db"), SyntheticRun.Metadata, options);
        for (var i = 0; i < 1000; i++)
        {
            rec.RecordDetection(MakeDetection(i));
        }

        await WaitUntil(() => rec.RowsWritten == 1000);

        // The cap is what is under test: no transaction holds more than 100 rows, so at least 10.
        // The writer may wake while rows are still being queued, so a batch can be cut short
        // (e.g. 11 transactions); exactly 10 is not guaranteed.
        Assert.InRange(rec.Transactions, 10, 1000);
    }

    [Fact]
    public void RecordDetection_SteadyState_AllocatesNothingPerRow()
    {
        var options = new RunRecorderOptions { FlushInterval = TimeSpan.FromHours(1), MaxRowsPerTransaction = 1_000_000 };
        using var rec = RunRecorder.Create(_dir.File("alloc.db"), SyntheticRun.Metadata, options);
        var detections = Enumerable.Range(0, 10_000).Select(MakeDetection).ToArray();
        var bytes = Allocation.SteadyStateBytes(() =>
        {
            foreach (var d in detections)
            {
                rec.RecordDetection(in d);
            }

            rec.FlushAsync().GetAwaiter().GetResult();
        });

        // One flush (a task completion source and its task) per 10,000 rows; nothing per row.
        Assert.True(bytes < 1024, $"{bytes} bytes allocated for 10,000 rows and one flush");
    }

    [Fact]
    public void Create_ExistingFile_Throws()
    {
        var path = _dir.File("exists.db");
        File.WriteAllText(path, "x");
        var ex = Assert.Throws<IOException>(() => RunRecorder.Create(path, SyntheticRun.Metadata));
        Assert.Contains("never overwritten", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_OtherSchemaVersion_FailsWithClearMessage()
    {
        var path = _dir.File("v99.db");
        RunRecorder.Create(path, SyntheticRun.Metadata).Dispose();
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE schema_version SET version = 99";
            cmd.ExecuteNonQuery();
        }

        var ex = Assert.Throws<RecordingFormatException>(() => RunReader.Open(path));
        Assert.Contains("schema version 99", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"reads version {RecordingSchema.Version}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NotARecording_FailsWithClearMessage()
    {
        var plain = _dir.File("plain.db");
        using (var c = new SqliteConnection($"Data Source={plain};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE t (x INTEGER)";
            cmd.ExecuteNonQuery();
        }

        Assert.Contains("not a Kizuna run recording", Assert.Throws<RecordingFormatException>(() => RunReader.Open(plain)).Message, StringComparison.Ordinal);
        var text = _dir.File("text.db");
        File.WriteAllText(text, "this is not sqlite at all, just text that is long enough to be a header......");
        Assert.Throws<RecordingFormatException>(() => RunReader.Open(text));
        Assert.Throws<FileNotFoundException>(() => RunReader.Open(_dir.File("missing.db")));
    }

    /// <summary>Waits for the background writer (a condition, not a timing assertion; 30 s safety cap).</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 3000 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }
}
