using System.Globalization;
using System.Text.Json;
using Kizuna.Server.Picture;
using Microsoft.Playwright;

namespace Kizuna.Server.Tests;

/// <summary>
/// The web picture's frame rate with 5,000 tracks updating at 1 Hz in headless Chromium:
/// frames counted with requestAnimationFrame over 5 s while the feed delivers a delta every second.
/// The figure is written to web-picture-perf.json in the test output and quoted in docs/benchmarks.md;
/// the assertion is only a smoke floor far below the 30 fps target (the machine is shared).
/// </summary>
public sealed class WebPicturePerfTests
{
    private const int Tracks = 5_000;

    [Fact]
    public async Task FiveThousandTracksAtOneHertz_FrameRateMeasured()
    {
        // KIZUNA_PERF_WEB_ROOT serves another build of the page (e.g. the previous bundle) for old-vs-new runs.
        var webRoot = Environment.GetEnvironmentVariable("KIZUNA_PERF_WEB_ROOT") ?? "";
        await using var s = await TestServer.StartAsync(SyntheticPictureOptions.Create(Tracks), webRoot);
        using var stop = new CancellationTokenSource();
        var driver = s.Source.RunAsync(TimeProvider.System, TimeSpan.FromSeconds(1), stop.Token);
        var (pw, browser) = await BrowserTests.LaunchAsync();
        using var _ = pw;
        await using var __ = browser;

        // JPN sees all 5,000 tracks of the synthetic picture.
        // KIZUNA_PERF_QUERY: e.g. "?perf=1&lod=0" to force full symbols for every track (no level of detail).
        var query = Environment.GetEnvironmentVariable("KIZUNA_PERF_QUERY") ?? "?perf=1";
        var page = await BrowserTests.LoginAsync(browser, s.Server.BaseAddress, "JPN", "operator", query);
        await page.WaitForFunctionAsync($"window.kizuna && window.kizuna.tracks === {Tracks} && window.kizuna.feedFrames >= 2");

        var json = await page.EvaluateAsync<JsonElement>(
            """
            () => new Promise(resolve => {
              const feed0 = window.kizuna.feedFrames, bytes0 = window.kizuna.feedBytes;
              const drawn0 = window.kizuna.frames;
              let n = 0; const t0 = performance.now();
              const tick = () => {
                n++;
                const t = performance.now() - t0;
                if (t < 5000) { requestAnimationFrame(tick); return; }
                const k = window.kizuna, drawn1 = k.frames, times = [];
                // Per-draw times of this window (older pages have no drawTimes: only the running mean drawMs).
                if (k.drawTimes) for (let f = Math.max(drawn0 + 1, drawn1 - k.drawTimes.length + 1); f <= drawn1; f++) times.push(k.drawTimes[f % k.drawTimes.length]);
                times.sort((a, b) => a - b);
                const q = p => times.length ? times[Math.min(times.length - 1, Math.floor(p * times.length))] : null;
                resolve({ fps: n * 1000 / t, frames: n, seconds: t / 1000, mapFrames: window.kizuna.frames - drawn0,
                          drawMedianMs: q(0.5), drawP90Ms: q(0.9), drawMaxMs: times.length ? times[times.length - 1] : null,
                          symbols: k.symbols ?? null, feedMs: k.feedMs ?? null, rebuildMs: k.rebuildMs ?? null, sceneMs: k.sceneMs ?? null,
                          feedFrames: window.kizuna.feedFrames - feed0, feedBytes: window.kizuna.feedBytes - bytes0, drawMs: window.kizuna.drawMs, panelMs: window.kizuna.panelMs,
                          drawn: Number(document.getElementById('map').dataset.drawnTracks) });
              };
              requestAnimationFrame(tick);
            })
            """);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserTests.ScreenshotDir, "perf-5000-tracks.png") });
        await stop.CancelAsync();
        await driver;

        var fps = json.GetProperty("fps").GetDouble();

        // The machine's load average goes with the figure: on a shared 2-core box the browser gets a fraction of a core.
        var load = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg", TestContext.Current.CancellationToken)).Trim() : "n/a";
        var bundle = webRoot.Length == 0 ? "embedded" : webRoot;
        var report = $"{{\"result\":{json.GetRawText()},\"loadavg\":\"{load}\",\"cores\":{Environment.ProcessorCount},\"bundle\":{JsonSerializer.Serialize(bundle)},\"query\":{JsonSerializer.Serialize(query)}}}";
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "web-picture-perf.json"), report, TestContext.Current.CancellationToken);
        TestContext.Current.SendDiagnosticMessage("web picture: {0}", report);
        Console.WriteLine($"web picture perf: {report}");

        Assert.True(json.GetProperty("feedFrames").GetInt32() >= 1, $"the feed must deliver updates during the measurement: {report}");
        Assert.True(json.GetProperty("drawn").GetInt32() > 1_000, $"most tracks must be on screen: {report}");
        // Smoke floor only: the page keeps rendering (target ≥ 30 fps; the measured figure is in docs/benchmarks.md).
        Assert.True(fps >= 1, $"the picture stalled: {fps.ToString("F1", CultureInfo.InvariantCulture)} fps; {report}");
    }
}
