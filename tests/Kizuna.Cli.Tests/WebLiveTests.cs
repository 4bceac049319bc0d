using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kizuna.Cli.Coalition;
using Kizuna.Cli.Commands;
using Kizuna.Core;
using Kizuna.Recording;
using Kizuna.Server;
using Kizuna.Server.Picture;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Scenario;
using Kizuna.TestSupport;
using Microsoft.Playwright;

namespace Kizuna.Cli.Tests;

/// <summary>
/// One real coalition run (the first <see cref="Seconds"/> s of scenarios/trilateral-defence.yaml, unpaced),
/// wired as <c>kizuna demo</c> wires it: a recording stage and the live picture source. Shared by the tests.
/// </summary>
public sealed class WebRunFixture : IAsyncLifetime
{
    /// <summary>Simulated seconds of the run.</summary>
    public const double Seconds = 60;

    internal LivePictureSource Live { get; private set; } = null!;

    public string RecordingPath { get; } = Path.Combine(Path.GetTempPath(), $"kizuna-web-{Guid.NewGuid():N}.db");

    public DateTime Epoch { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var scenario = ScenarioLoader.Load(Paths.InRepo("scenarios", "trilateral-defence.yaml"));
        Epoch = scenario.Epoch;
        var agreements = Network.Sharing.AgreementFile.Load(scenario.AgreementsPath!);
        var engine = new ExerciseEngine(ExerciseWorld.Build(scenario), new ExerciseOptions { Duration = Seconds });
        Live = new LivePictureSource(scenario.Epoch, scenario.Epoch.AddSeconds(Seconds), LivePictureSites.FromScenario(scenario, agreements),
            NullDefenceView.Instance, speed: 0, TimeProvider.System);
        await using (var recorder = RunRecorder.Create(RecordingPath, RecordingStage.Metadata(scenario, "trilateral-defence.yaml")))
        {
            foreach (var a in RecordingStage.Assets(scenario))
            {
                recorder.RecordAsset(a);
            }

            var audit = new Network.Sharing.InMemoryReleaseAuditLog();
            var recording = new RecordingStage(recorder, scenario.Epoch, NullDefenceView.Instance, audit);
            await using var coalition = new CoalitionRun(scenario, TrackCommand.Defaults.Ecef, agreements, recording, [recording, Live], engine);
            await engine.RunAsync(coalition, null, TestContext.Current.CancellationToken);
            Live.Finish();
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var f in new[] { RecordingPath, RecordingPath + "-wal", RecordingPath + "-shm" })
        {
            File.Delete(f);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>The web picture over a real coalition run, live and replayed, in the API and in Chromium.</summary>
public sealed class WebLiveTests(WebRunFixture run) : IClassFixture<WebRunFixture>
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private static string ScreenshotDir => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    private static async Task<HttpClient> LoginAsync(KizunaServer server, string nation, string role)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseAddress };
        (await client.PostAsJsonAsync("api/login", new { nation, role }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        return client;
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        var text = await client.GetStringAsync(path, TestContext.Current.CancellationToken);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public void LiveSource_AfterRealRun_EachNodeNationHasTracksAndGbrSeesOnlyWhatIsReleased()
    {
        Assert.Equal([Nation.Australia, Nation.Japan, Nation.Usa, Nation.UnitedKingdom], run.Live.Viewers);
        var jpn = run.Live.GetSnapshot(Nation.Japan);
        Assert.True(jpn.Tracks.Length > 20, $"JPN picture tracks: {jpn.Tracks.Length}");
        Assert.NotEmpty(jpn.Sensors);
        Assert.NotEmpty(jpn.Assets);
        foreach (var viewer in run.Live.Viewers)
        {
            var s = run.Live.GetSnapshot(viewer);
            Assert.All(s.Tracks, t => Assert.True(t.Marking.IsReleasableTo(viewer), $"{viewer}: track {t.Number} marked {t.Marking}"));
            Assert.All(s.Sensors, x => Assert.True(x.Marking.IsReleasableTo(viewer)));
            Assert.All(s.Batteries, x => Assert.True(x.Marking.IsReleasableTo(viewer)));
        }

        // AUS has no sensor-position agreement from JPN: no JPN sensor on AUS's map.
        Assert.DoesNotContain(run.Live.GetSnapshot(Nation.Australia).Sensors, s => s.Owner == Nation.Japan);
        Assert.False(run.Live.Control(ClockCommand.Seek(run.Epoch), out var reason));
        Assert.Contains("finished", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AustralianObserver_RealRunApi_NoObjectWhoseMarkingExcludesAustralia()
    {
        await using var server = await KizunaServer.StartAsync(KizunaServerOptions.AnyFreePort, run.Live, run.Live, TestContext.Current.CancellationToken);
        using var client = await LoginAsync(server, "AUS", "observer");
        var tracks = (await GetJsonAsync(client, "api/tracks")).GetProperty("tracks");
        Assert.True(tracks.GetArrayLength() > 0, "AUS sees tracks");
        foreach (var t in tracks.EnumerateArray())
        {
            // Banner "LEVEL//REL TO A, B, C" (originator included) or "LEVEL//X ONLY": AUS must be named.
            var banner = t[12].GetString() ?? "";
            var named = banner.EndsWith(" ONLY", StringComparison.Ordinal)
                ? [banner[(banner.IndexOf("//", StringComparison.Ordinal) + 2)..^5]]
                : banner[(banner.IndexOf("REL TO ", StringComparison.Ordinal) + 7)..].Split(", ");
            Assert.Contains("AUS", named);
        }

        var ausNumbers = tracks.EnumerateArray().Select(t => t[0].GetInt32()).ToHashSet();
        var released = run.Live.GetSnapshot(Nation.Australia).Tracks.Select(t => t.Number.Value).ToHashSet();
        Assert.True(released.SetEquals(ausNumbers));
        foreach (var path in new[] { "api/alerts", "api/engagements" })
        {
            var text = await client.GetStringAsync(path, TestContext.Current.CancellationToken);
            Assert.DoesNotContain("JPN ONLY", text, StringComparison.Ordinal);
        }

        Assert.Equal(0, server.RefusedObjects);
    }

    [Fact]
    public async Task JapanCommander_RealRunInBrowser_SeesTracksOnMapAndInTable()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: apt-get install chromium");
        await using var server = await KizunaServer.StartAsync(KizunaServerOptions.AnyFreePort, run.Live, run.Live, TestContext.Current.CancellationToken);
        using var pw = await Playwright.CreateAsync();
        await using var browser = await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ["--headless", "--no-sandbox"] });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BypassCSP = true, ViewportSize = new ViewportSize { Width = 1600, Height = 900 } });
        await page.GotoAsync(server.BaseAddress.ToString());
        await page.SelectOptionAsync("#login-nation", "JPN");
        await page.SelectOptionAsync("#login-role", "commander");
        await page.ClickAsync("#login-submit");
        await page.WaitForSelectorAsync("#track-table tbody tr");
        await page.WaitForFunctionAsync("Number(document.getElementById('map').dataset.drawnTracks) > 0");

        var expected = run.Live.GetSnapshot(Nation.Japan).Tracks.Select(t => t.Number.Value).ToHashSet();
        var rows = (await page.Locator("#track-table tbody tr").EvaluateAllAsync<int[]>("rows => rows.map(r => Number(r.dataset.tn))")).ToHashSet();
        Assert.NotEmpty(rows);
        Assert.Subset(expected, rows);
        var drawn = int.Parse(await page.GetAttributeAsync("#map", "data-drawn-tracks") ?? "0", CultureInfo.InvariantCulture);
        Assert.True(drawn >= Math.Min(expected.Count, 1), $"tracks drawn on the map: {drawn}");
        Assert.Equal("JPN · commander", await page.InnerTextAsync("#who"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, "real-run-jpn-commander.png") });
    }

    [Fact]
    public async Task Replay_SeekToTime_ApiShowsRecordedPictureOfThatTime()
    {
        using var reader = RunReader.Open(run.RecordingPath);
        var replay = new ReplayPictureSource(reader, speed: 20, playing: false);
        await using var server = await KizunaServer.StartAsync(KizunaServerOptions.AnyFreePort, replay, replay, TestContext.Current.CancellationToken);
        using var client = await LoginAsync(server, "JPN", "operator");
        var at = run.Epoch.AddSeconds(45);
        var ms = new DateTimeOffset(at).ToUnixTimeMilliseconds();
        (await client.PostAsJsonAsync("api/clock", new { action = "seek", time = ms }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        var clock = await GetJsonAsync(client, "api/clock");
        Assert.Equal(ms, clock.GetProperty("time").GetInt64());
        var shown = (await GetJsonAsync(client, "api/tracks")).GetProperty("tracks").EnumerateArray().Select(t => t[0].GetInt32()).Order().ToArray();
        var recorded = reader.PictureAt(Nation.Japan, at).Select(t => t.Number.Value).Order().ToArray();
        Assert.NotEmpty(recorded);
        Assert.Equal(recorded, shown);

        // An earlier time shows a different (smaller or changed) picture: the seek really moved it.
        (await client.PostAsJsonAsync("api/clock", new { action = "seek", time = new DateTimeOffset(run.Epoch.AddSeconds(20)).ToUnixTimeMilliseconds() }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var early = (await GetJsonAsync(client, "api/tracks")).GetProperty("tracks").EnumerateArray().Select(t => t[0].GetInt32()).Order().ToArray();
        Assert.Equal(reader.PictureAt(Nation.Japan, run.Epoch.AddSeconds(20)).Select(t => t.Number.Value).Order().ToArray(), early);
        Assert.NotEqual(recorded, early);
    }

    [Fact]
    public void Replay_Play_DeltasReachSubscriberAndStopAtEnd()
    {
        using var reader = RunReader.Open(run.RecordingPath);
        var replay = new ReplayPictureSource(reader, speed: 10, playing: true);
        var deltas = new List<PictureDelta>();
        using (replay.Subscribe(Nation.Usa, deltas.Add))
        {
            for (var i = 0; i < 20; i++)
            {
                replay.Advance(TimeSpan.FromSeconds(1));
            }
        }

        Assert.NotEmpty(deltas);
        Assert.Contains(deltas, d => d.Tracks.Length > 0);
        Assert.False(replay.Clock.Playing);
        Assert.Equal(replay.Range.End, replay.Clock.Time);
    }

    [Fact]
    public void Recording_RealRun_HoldsEveryTableTheDemoWrites()
    {
        using var reader = RunReader.Open(run.RecordingPath);
        var range = reader.TimeRange();
        Assert.True(range.Duration.TotalSeconds >= WebRunFixture.Seconds - 2, $"recorded {range.Duration}");
        Assert.NotEmpty(reader.TruthObjects());
        Assert.NotEmpty(reader.Assets());
        Assert.NotEmpty(reader.Detections(range.Start, range.End));
        Assert.NotEmpty(reader.ReleasesUpTo(range.End));
        Assert.Contains(reader.ReleasesUpTo(range.End), r => !r.Released);
        foreach (var nation in new[] { Nation.Usa, Nation.Japan, Nation.Australia })
        {
            Assert.NotEmpty(reader.TrackHistory(nation));
        }

        var truth = reader.Truth();
        var times = truth.Select(t => t.Time).Distinct().Order().ToArray();
        Assert.All(times.Zip(times.Skip(1)), p => Assert.True((p.Second - p.First).TotalSeconds >= 1 - 1e-6));
    }

    [Fact]
    public void Report_OnRealRunRecording_WritesIndexAndPngs()
    {
        var outDir = Path.Combine(Path.GetTempPath(), $"kizuna-web-report-{Guid.NewGuid():N}");
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            Assert.Equal(0, ReportCommand.Run(run.RecordingPath, outDir, 2000, stdout, stderr));
            Assert.True(File.Exists(Path.Combine(outDir, "index.html")), stderr.ToString());
            Assert.True(Directory.GetFiles(outDir, "*.png").Length >= 3);
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }
}
