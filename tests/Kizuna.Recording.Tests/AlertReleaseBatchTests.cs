using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.TestSupport;
using Microsoft.Data.Sqlite;

namespace Kizuna.Recording.Tests;

/// <summary>Schema version 3: alerts and release decisions in batch blobs, read back exactly and decision by decision.</summary>
public sealed class AlertReleaseBatchTests : IDisposable
{
    private static readonly Marking Rel = Marking.RelTo(Nation.Japan, Classification.Secret, Nation.Australia, Nation.Usa);
    private static readonly string[] Rules = ["allowed", "marking SECRET//REL TO JPN does not release to AUS", "positions rounded to 1000 m"];
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static DateTime Ms(long ms) => SyntheticRun.Start.AddTicks(ms * TimeSpan.TicksPerMillisecond);

    private static Alert MakeAlert(int i) => new(
        "A" + (i % 7), Ms((i * 7919) % 3000), (AlertState)(i % 3), i % 2 == 0 ? Nation.Japan : Nation.Australia,
        new TrackNumber(100 + i), TrackKind.BallisticMissile, i % 5 == 0 ? string.Empty : "Tokyo",
        Geodetic.FromDegrees(35.68 + (i * 1e-7), 139.77, 12.5), 5000 + i, 2000 + i, 0.1 + (i * 1e-3), Ms(60_000 + i), Rel);

    private static ReleaseDecisionRecord MakeRelease(int i) => new(
        Ms((i * 104_729) % 3000), i % 2 == 0 ? Nation.Japan : Nation.Usa, i % 3 == 0 ? Nation.Australia : Nation.Japan,
        i % 4 == 0 ? "tracks" : "measurements", "originator " + (i % 2 == 0 ? "JPN" : "USA"), i % 5 != 0, Rules[i % Rules.Length]);

    [Fact]
    public async Task AlertsAndReleases_SeveralBlobs_ReadBackEqualInTimeOrderEveryDecision()
    {
        // 2,500 of each: three 1,024-row blobs, times not monotonic within the stream.
        var alerts = Enumerable.Range(0, 2500).Select(MakeAlert).ToArray();
        var releases = Enumerable.Range(0, 2500).Select(MakeRelease).ToArray();
        var path = _dir.File("ar.db");
        await using (var rec = RunRecorder.Create(path, SyntheticRun.Metadata, new RunRecorderOptions { MaxBacklog = TimeSpan.FromHours(1) }))
        {
            foreach (var a in alerts)
            {
                rec.RecordAlert(a);
            }

            foreach (var r in releases)
            {
                rec.RecordRelease(r);
            }
        }

        using var reader = RunReader.Open(path);
        var end = Ms(10_000);
        Assert.Equal(alerts.OrderBy(a => a.Time), reader.AlertsUpTo(end));
        Assert.Equal(alerts.Where(a => a.Warned == Nation.Australia).OrderBy(a => a.Time), reader.AlertsUpTo(end, Nation.Australia));
        Assert.Equal(alerts.Where(a => a.Time <= Ms(1500)).OrderBy(a => a.Time), reader.AlertsUpTo(Ms(1500)));
        Assert.Equal(releases.OrderBy(r => r.Time), reader.ReleasesUpTo(end));
        var replayed = reader.Replay(Ms(1000), Ms(2000)).ToList();
        Assert.Equal(alerts.Where(a => a.Time >= Ms(1000) && a.Time <= Ms(2000)).OrderBy(a => a.Time), replayed.Where(x => x.Kind == ReplayItemKind.Alert).Select(x => x.Alert!));
        Assert.Equal(releases.Where(r => r.Time >= Ms(1000) && r.Time <= Ms(2000)).OrderBy(r => r.Time), replayed.Where(x => x.Kind == ReplayItemKind.Release).Select(x => x.Release!));
        Assert.True(replayed.Zip(replayed.Skip(1)).All(p => p.First.Time <= p.Second.Time), "replay out of time order");

        using var c = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT (SELECT count(*) FROM alert_batch), (SELECT sum(count) FROM alert_batch), (SELECT count(*) FROM release_batch), (SELECT sum(count) FROM release_batch)";
        using var row = cmd.ExecuteReader();
        Assert.True(row.Read());
        Assert.Equal([3L, 2500L, 3L, 2500L], [row.GetInt64(0), row.GetInt64(1), row.GetInt64(2), row.GetInt64(3)]);
    }

    [Fact]
    public void RecordRelease_SteadyState_AllocatesNothingPerRow()
    {
        var options = new RunRecorderOptions { FlushInterval = TimeSpan.FromHours(1), MaxRowsPerTransaction = 1_000_000 };
        using var rec = RunRecorder.Create(_dir.File("alloc-release.db"), SyntheticRun.Metadata, options);
        var t0 = Ms(0);
        var bytes = Allocation.SteadyStateBytes(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                rec.RecordRelease(t0.AddTicks(i * 10), Nation.Japan, Nation.Australia, "tracks", "originator JPN", i % 2 == 0, Rules[i % Rules.Length]);
            }

            rec.FlushAsync().GetAwaiter().GetResult();
        });

        // One flush (a task completion source and its task) per 10,000 decisions; nothing per decision.
        Assert.True(bytes < 1024, $"{bytes} bytes allocated for 10,000 release decisions and one flush");
    }

    [Fact]
    public void RecordAlert_SteadyState_AllocatesNothingPerRow()
    {
        var options = new RunRecorderOptions { FlushInterval = TimeSpan.FromHours(1), MaxRowsPerTransaction = 1_000_000 };
        using var rec = RunRecorder.Create(_dir.File("alloc-alert.db"), SyntheticRun.Metadata, options);
        var alerts = Enumerable.Range(0, 10_000).Select(i => MakeAlert(i) with { Time = Ms(i / 10) }).ToArray();
        var bytes = Allocation.SteadyStateBytes(() =>
        {
            foreach (var a in alerts)
            {
                rec.RecordAlert(a);
            }

            rec.FlushAsync().GetAwaiter().GetResult();
        });

        Assert.True(bytes < 1024, $"{bytes} bytes allocated for 10,000 alerts and one flush");
    }

    [Fact]
    public void Open_Version2Recording_FailsNamingTheChange()
    {
        var path = _dir.File("v2.db");
        RunRecorder.Create(path, SyntheticRun.Metadata).Dispose();
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE schema_version SET version = 2";
            cmd.ExecuteNonQuery();
        }

        var ex = Assert.Throws<RecordingFormatException>(() => RunReader.Open(path));
        Assert.Contains("schema version 2, but this build of Kizuna reads version 4 (and the older version 3) only", ex.Message, StringComparison.Ordinal);
        Assert.Contains("alert and release batch blobs", ex.Message, StringComparison.Ordinal);
    }
}
