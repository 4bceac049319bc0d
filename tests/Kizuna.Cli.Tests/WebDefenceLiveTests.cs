using System.Globalization;
using Kizuna.Cli.Coalition;
using Kizuna.Cli.Commands;
using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Server;
using Kizuna.Server.Picture;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Scenario;
using Kizuna.TestSupport;
using Microsoft.Playwright;

namespace Kizuna.Cli.Tests;

/// <summary>
/// Pauses the live picture at the first engagement recommended to <paramref name="nation"/>'s own
/// authority (registered between the defence stage and the live source, so the pause holds the cycle
/// that produced the recommendation).
/// </summary>
internal sealed class PauseAtFirstRecommendation(DefenceStage defence, LivePictureSource live, Nation nation) : ICoalitionStage
{
    private readonly TaskCompletionSource<Engagement> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the recommendation when the run paused on it.</summary>
    public Task<Engagement> Reached => _reached.Task;

    /// <inheritdoc />
    public void OnCycle(CoalitionRun run, CoalitionCycle cycle)
    {
        if (_reached.Task.IsCompleted)
        {
            return;
        }

        var e = defence.EngagementsFor(nation).FirstOrDefault(x => x.Owner == nation && x.Status == EngagementStatus.Recommended);
        if (e is not null && live.Control(ClockCommand.Pause(), out _))
        {
            _reached.SetResult(e);
        }
    }
}

/// <summary>
/// The real defence loop in the browser: <c>kizuna demo</c>'s wiring (CoalitionRun with the
/// DefenceStage and the LivePictureSource over scenarios/trilateral-defence.yaml), run unpaced to the
/// first recommendation owned by JPN, paused there; the JPN commander approves it in Chromium and sees
/// its status change. The simulated commanders are switched off (<see cref="DefenceOptions.DecisionDelay"/>
/// null), so only the human decides.
/// </summary>
public sealed class WebDefenceLiveTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Set to a file path to also write the screenshot there (how docs/images/web-picture.png is made).</summary>
    private const string ReadmeScreenshotVariable = "KIZUNA_README_SCREENSHOT";

    private static string ScreenshotDir => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    [Fact]
    public async Task JapanCommander_RealDefenceRecommendation_ApprovesInBrowserAndSeesStatusChange()
    {
        var ct = TestContext.Current.CancellationToken;
        var readme = Environment.GetEnvironmentVariable(ReadmeScreenshotVariable);
        var scenario = ScenarioLoader.Load(Paths.InRepo("scenarios", "trilateral-defence.yaml"));
        if (scenario.BackgroundTraffic is { } traffic)
        {
            // 40 of the 320 civil aircraft, so the unpaced run reaches the first recommendation in about a minute
            // (the full scenario takes 4–6 min here, and at that moment its JPN table held no track JPN classified
            // hostile ballistic, so this test's picture check failed there — see docs/web.md "Known gaps").
            scenario = scenario with { BackgroundTraffic = traffic with { AircraftCount = 40 } };
        }

        var agreements = Network.Sharing.AgreementFile.Load(scenario.AgreementsPath!);
        var engine = new ExerciseEngine(ExerciseWorld.Build(scenario), new ExerciseOptions());
        var defence = new DefenceStage(scenario, DefenceOptions.Default with { DecisionDelay = null });
        var live = new LivePictureSource(scenario.Epoch, scenario.Epoch.AddSeconds(scenario.Duration), LivePictureSites.FromScenario(scenario, agreements),
            defence, speed: 0, TimeProvider.System);
        var gate = new PauseAtFirstRecommendation(defence, live, Nation.Japan);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await using var coalition = new CoalitionRun(scenario, TrackCommand.Defaults.Ecef, agreements, new Network.Sharing.InMemoryReleaseAuditLog(),
            [defence, gate, live], engine);
        var running = Task.Run(() => engine.RunAsync(coalition, null, stop.Token), stop.Token);
        try
        {
            var first = await gate.Reached.WaitAsync(TimeSpan.FromMinutes(4), ct);
            var pausedAt = live.Clock.Time;
            Assert.False(live.Clock.Playing);
            TestContext.Current.SendDiagnosticMessage("paused at T+{0} s on {1}", (pausedAt - scenario.Epoch).TotalSeconds.ToString("F0", CultureInfo.InvariantCulture), first.Id);

            await using var server = await KizunaServer.StartAsync(KizunaServerOptions.AnyFreePort, live, live, ct);
            Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: apt-get install chromium");
            using var pw = await Playwright.CreateAsync();
            await using var browser = await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ["--headless", "--no-sandbox"] });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { BypassCSP = true, ViewportSize = new ViewportSize { Width = 1600, Height = 900 } });
            await page.GotoAsync(server.BaseAddress.ToString());
            await page.SelectOptionAsync("#login-nation", "JPN");
            await page.SelectOptionAsync("#login-role", "commander");
            await page.ClickAsync("#login-submit");

            var card = page.Locator($".engagement[data-id='{first.Id}']");
            await card.Locator("button.approve").WaitForAsync();
            Assert.Equal("RECOMMENDED", await card.Locator(".status").InnerTextAsync());
            await card.Locator("button.approve").ClickAsync();
            await page.WaitForFunctionAsync($"document.getElementById('status').textContent.startsWith('{first.Id}: ')");
            var answer = await page.InnerTextAsync("#status");
            Assert.DoesNotContain("refused", answer, StringComparison.Ordinal);

            // The decision is taken by the real command workflow; the page shows it with the next cycle: play at ×1.
            Assert.True(live.Control(ClockCommand.SetSpeed(1), out var why), why);
            await page.ClickAsync("#play");
            await page.WaitForFunctionAsync(
                $"(() => {{ const s = document.querySelector(\".engagement[data-id='{first.Id}'] .status\"); return s && s.textContent !== 'RECOMMENDED'; }})()",
                null, new PageWaitForFunctionOptions { Timeout = 60_000 });
            var status = await card.Locator(".status").InnerTextAsync();
            Assert.Contains(status, new[] { "APPROVED", "ORDERED", "EXECUTING", "KILLED", "MISSED" });
            Assert.Contains("decided by JPN", await card.InnerTextAsync(), StringComparison.Ordinal);
            var decided = defence.EngagementsFor(Nation.Japan).Single(e => e.Id == first.Id);
            Assert.NotEqual(EngagementStatus.Recommended, decided.Status);
            Assert.Equal(0, await card.Locator("button.approve").CountAsync());

            // The picture at that moment: alerts for JPN and hostile ballistic tracks in the table.
            Assert.True(await page.Locator("#alerts .alert").CountAsync() > 0, "JPN has early warnings");
            // The table lists 200 rows in track-number order; filter by kind as a user would (4 = ballistic missile).
            await page.SelectOptionAsync("#filter-kind", "4");
            await page.WaitForFunctionAsync("[...document.querySelectorAll('#track-table tbody tr')].every(r => r.cells[1].textContent === 'Ballistic missile')");
            var hostileBallistic = await page.Locator("#track-table tbody tr").EvaluateAllAsync<int>(
                "rows => rows.filter(r => r.cells[1].textContent === 'Ballistic missile' && r.cells[2].textContent === 'Hostile').length");
            Assert.True(hostileBallistic > 0, "hostile ballistic tracks in the JPN table");
            await page.SelectOptionAsync("#filter-kind", "");
            await page.WaitForTimeoutAsync(1500); // one more cycle at ×1 so the map and panels settle before the picture is taken
            var shot = Path.Combine(ScreenshotDir, "real-run-jpn-approved.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
            if (!string.IsNullOrEmpty(readme))
            {
                File.Copy(shot, readme, overwrite: true);
            }

            TestContext.Current.SendDiagnosticMessage(
                "first JPN recommendation {0} at T+{1:F0} s; status after approval {2}; {3} hostile ballistic rows",
                first.Id, (pausedAt - scenario.Epoch).TotalSeconds.ToString("F0", CultureInfo.InvariantCulture), status, hostileBallistic);
        }
        finally
        {
            live.Finish();
            await stop.CancelAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
