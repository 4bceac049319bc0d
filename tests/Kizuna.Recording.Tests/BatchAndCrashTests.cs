using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Microsoft.Data.Sqlite;

namespace Kizuna.Recording.Tests;

/// <summary>Schema version 2 and later: batch blobs read back exactly, in order, and a crash loses at most MaxBacklog of recorded time.</summary>
public sealed class BatchAndCrashTests : IDisposable
{
    private static readonly Marking Rel = Marking.RelTo(Nation.Japan, Classification.Secret, Nation.Australia);
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Whole milliseconds after the start: every recorded time is whole microseconds, so times read back equal.</summary>
    private static DateTime Ms(long ms) => SyntheticRun.Start.AddTicks(ms * TimeSpan.TicksPerMillisecond);

    private static Detection Det(int i, long ms, bool diagonal = true) => new(
        Ms(ms), i % 3 == 0 ? "JPN-FPS5" : "USA-TPY2", i % 3 == 0 ? Nation.Japan : Nation.Usa, MeasurementKind.RangeAzimuthElevation,
        new Vec3(100_000 + i, 0.5 + (i * 1e-6), 0.05), diagonal ? Mat3.Diagonal(2500, 1e-6, 2e-6) : new Mat3(25, 1, 2, 1, 1e-6, 3, 2, 3, 4e-6),
        Geodetic.FromDegrees(35.1 + (i * 1e-7), 139.2, 120), i + 1, (uint)i);

    private static PictureTrack Trk(int number, long ms, int i) => new(
        new TrackNumber(number), Ms(ms), Geodetic.FromDegrees(35 + (i * 1e-5), 139 + (number * 1e-3), 9000 + i),
        new Vec3(200, 10 + i, -1), 80 + i, i % 16, TrackKind.Aircraft, Affiliation.Friend, Nation.Japan, Rel,
        i % 2 == 0 ? ["JPN-FPS5", "USA-TPY2"] : ImmutableArray<string>.Empty, (uint)number);

    /// <summary>A track as a comparable value (ImmutableArray compares by reference).</summary>
    private static (PictureTrack Track, string Sensors) Key(PictureTrack t) => (t with { Sensors = ImmutableArray<string>.Empty }, string.Join(",", t.Sensors));

    [Fact]
    public async Task Detections_ManyBatchesBothCovarianceForms_ReadBackEqualInTimeOrder()
    {
        // 3,000 detections (several 1,024-row blobs), times not monotonic within the stream, half with a full R.
        var rows = Enumerable.Range(0, 3000).Select(i => Det(i, (i * 7919) % 3000, diagonal: i % 2 == 0)).ToArray();
        var path = _dir.File("det.db");
        await using (var rec = RunRecorder.Create(path, SyntheticRun.Metadata, new RunRecorderOptions { MaxBacklog = TimeSpan.FromHours(1) }))
        {
            rec.RecordDetections(rows);
        }

        using var reader = RunReader.Open(path);
        var all = reader.Detections(SyntheticRun.Start, SyntheticRun.At(10));
        Assert.Equal(rows.OrderBy(d => d.Time), all);
        var window = reader.Detections(SyntheticRun.At(1.0), SyntheticRun.At(1.5));
        Assert.Equal(rows.Where(d => d.Time >= SyntheticRun.At(1.0) && d.Time <= SyntheticRun.At(1.5)).OrderBy(d => d.Time), window);
    }

    [Fact]
    public async Task PictureAtAndReplay_TracksSpreadOverBatches_MatchBruteForce()
    {
        // 40 cycles × 60 tracks for JPN and AUS, each cycle holding states of different ages (coasting tracks).
        var recorded = new List<(Nation Viewer, PictureTrack Track)>();
        for (var c = 0; c < 40; c++)
        {
            foreach (var viewer in new[] { Nation.Japan, Nation.Australia })
            {
                for (var n = 1; n <= 60; n++)
                {
                    var ageMs = (n % 5) * 700;
                    var ms = Math.Max(0, (c * 1000) - ageMs);
                    recorded.Add((viewer, Trk(n + (viewer == Nation.Australia ? 1000 : 0), ms, c)));
                }
            }
        }

        var path = _dir.File("tracks.db");
        await using (var rec = RunRecorder.Create(path, SyntheticRun.Metadata, new RunRecorderOptions { MaxBacklog = TimeSpan.FromHours(1), MaxRowsPerTransaction = 500 }))
        {
            foreach (var (viewer, track) in recorded)
            {
                rec.RecordTrack(viewer, track);
            }
        }

        using var reader = RunReader.Open(path);
        var timeout = TimeSpan.FromSeconds(3);
        foreach (var at in new[] { 0, 5350, 17_000, 39_000, 41_500, 45_000 })
        {
            var t = Ms(at);
            var expected = recorded.Where(r => r.Viewer == Nation.Japan && r.Track.Time <= t && r.Track.Time > t - timeout)
                .GroupBy(r => r.Track.Number.Value).Select(g => g.OrderBy(r => r.Track.Time).Last().Track).OrderBy(x => x.Number.Value).ToList();
            Assert.Equal(expected.Select(Key), reader.PictureAt(Nation.Japan, t, timeout).Select(Key));
        }

        var from = Ms(12_200);
        var replay = reader.Replay(from).Where(i => i.Kind == ReplayItemKind.Track).Select(i => (i.Viewer, Key(i.Track!))).ToList();
        var expectedReplay = recorded.Where(r => r.Track.Time >= from).OrderBy(r => r.Track.Time).Select(r => (r.Viewer, Key(r.Track))).ToList();
        Assert.Equal(expectedReplay, replay);
        Assert.Equal(recorded.Where(r => r.Viewer == Nation.Australia).Select(r => r.Track).OrderBy(x => x.Time).Select(Key), reader.TrackHistory(Nation.Australia).Select(Key));
    }

    [Fact]
    public async Task Recorder_AsFastAsPossibleRunCrashes_FileHoldsEverythingUpToOneSecondBeforeTheCrash()
    {
        // The writer is never paced by the wall clock (flush interval 1 h): only the recorded-time
        // backlog bound makes it commit. 30 s of simulated time, 10 ms steps, queued as fast as possible.
        var path = _dir.File("crash.db");
        var options = new RunRecorderOptions { FlushInterval = TimeSpan.FromHours(1), MaxRowsPerTransaction = 1_000_000, MaxBacklog = TimeSpan.FromSeconds(1) };
        var rec = RunRecorder.Create(path, SyntheticRun.Metadata, options);
        var detections = new List<Detection>();
        var tracks = new List<PictureTrack>();
        var step = new Detection[10];
        for (var k = 0; k <= 3000; k++)
        {
            var ms = k * 10L;
            for (var j = 0; j < step.Length; j++)
            {
                step[j] = Det((k * step.Length) + j, ms);
            }

            rec.RecordDetections(step);
            detections.AddRange(step);
            if (k % 100 == 0)
            {
                for (var n = 1; n <= 50; n++)
                {
                    var track = Trk(n, ms, k);
                    rec.RecordTrack(Nation.Japan, track);
                    tracks.Add(track);
                }
            }
        }

        var crash = Ms(30_000);

        // What a killed process leaves on disk: the database file and its write-ahead log, copied
        // while the writer is alive. A read transaction held meanwhile keeps a checkpoint from
        // restarting the log under the copy (SQLite "Write-Ahead Logging", checkpoint and reader marks).
        var crashDir = Directory.CreateDirectory(_dir.File("after-crash")).FullName;
        using (var hold = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False"))
        {
            hold.Open();
            using var tx = hold.BeginTransaction();
            using (var touch = hold.CreateCommand())
            {
                touch.CommandText = "SELECT count(*) FROM detection_batch";
                touch.ExecuteScalar();
            }

            File.Copy(path, Path.Combine(crashDir, "crash.db"));
            File.Copy(path + "-wal", Path.Combine(crashDir, "crash.db-wal"));
        }

        using (var reader = RunReader.Open(Path.Combine(crashDir, "crash.db")))
        {
            var saved = reader.Detections(SyntheticRun.Start, crash);
            var mustHave = detections.Where(d => d.Time < crash.AddSeconds(-1)).ToList();
            Assert.True(saved.Count >= mustHave.Count, $"{saved.Count} detections survived; {mustHave.Count} are older than crash − 1 s");
            Assert.Equal(detections.Take(saved.Count), saved);
            var savedTracks = reader.TrackHistory(Nation.Japan);
            Assert.Equal(tracks.Take(savedTracks.Count).Select(Key), savedTracks.Select(Key));
            Assert.True(savedTracks.Count >= tracks.Count(x => x.Time < crash.AddSeconds(-1)));
        }

        await rec.DisposeAsync();
        using var full = RunReader.Open(path);
        Assert.Equal(detections.Count, full.Detections(SyntheticRun.Start, crash).Count);
    }

    [Fact]
    public void Open_Version1Recording_FailsNamingTheChange()
    {
        var path = _dir.File("v1.db");
        RunRecorder.Create(path, SyntheticRun.Metadata).Dispose();
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE schema_version SET version = 1";
            cmd.ExecuteNonQuery();
        }

        var ex = Assert.Throws<RecordingFormatException>(() => RunReader.Open(path));
        Assert.Contains("schema version 1, but this build of Kizuna reads version 4 (and the older version 3) only", ex.Message, StringComparison.Ordinal);
        Assert.Contains("batch blobs", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detections_DamagedBlob_ThrowsRecordingFormatException()
    {
        var path = _dir.File("damaged.db");
        using (var rec = RunRecorder.Create(path, SyntheticRun.Metadata))
        {
            rec.RecordDetection(Det(1, 1000));
        }

        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();

            // One string of 65,535 bytes announced, three bytes present.
            cmd.CommandText = "UPDATE detection_batch SET rows = x'0100FFFF414243'";
            cmd.ExecuteNonQuery();
        }

        using var reader = RunReader.Open(path);
        Assert.Throws<RecordingFormatException>(() => reader.Detections(SyntheticRun.Start, SyntheticRun.At(10)));
    }
}
