using System.Globalization;
using Kizuna.Core;
using Kizuna.Server.Picture;
using Microsoft.Playwright;

namespace Kizuna.Server.Tests;

/// <summary>
/// The web picture in a real browser: Playwright for .NET driving Debian's chromium
/// (/usr/bin/chromium, --headless --no-sandbox). Screenshots go to screenshots/ under the test output.
/// </summary>
public sealed class BrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    internal static string ScreenshotDir
    {
        get
        {
            var d = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(d);
            return d;
        }
    }

    internal static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install the Debian package 'chromium' (apt-get install chromium; test.sh does it).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox"],
        });
        return (playwright, browser);
    }

    internal static async Task<IPage> LoginAsync(IBrowser browser, Uri baseAddress, string nation, string role, string query = "")
    {
        // BypassCSP: the page forbids eval, which Playwright's string predicates need; the app itself never evals.
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BypassCSP = true, ViewportSize = new ViewportSize { Width = 1600, Height = 900 } });
        await page.GotoAsync(new Uri(baseAddress, query).ToString());
        await page.SelectOptionAsync("#login-nation", nation);
        await page.SelectOptionAsync("#login-role", role);
        await page.ClickAsync("#login-submit");
        await page.WaitForSelectorAsync("#track-table tbody tr");
        return page;
    }

    [Fact]
    public async Task JapanCommander_TracksOnMapAndTable_ApprovesEngagement()
    {
        await using var s = await TestServer.StartAsync(SyntheticPictureOptions.Create(300));
        var (pw, browser) = await LaunchAsync();
        using var _ = pw;
        await using var __ = browser;

        var page = await LoginAsync(browser, s.Server.BaseAddress, "JPN", "commander");
        await page.WaitForFunctionAsync("Number(document.getElementById('map').dataset.drawnTracks) > 0");
        s.Source.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("JPN · commander", await page.InnerTextAsync("#who"));
        Assert.True(await page.Locator("#track-table tbody tr").CountAsync() > 100);
        var drawn = int.Parse(await page.GetAttributeAsync("#map", "data-drawn-tracks") ?? "0", CultureInfo.InvariantCulture);
        Assert.True(drawn > 50, $"tracks drawn on the map: {drawn}");
        Assert.Equal(0, await page.Locator($".engagement[data-id='{SyntheticPictureSource.UsaEngagementId}'] button.approve").CountAsync());
        var engagement = page.Locator($".engagement[data-id='{SyntheticPictureSource.SharedJapaneseEngagementId}']");
        Assert.Equal("RECOMMENDED", await engagement.Locator(".status").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, "jpn-commander-before-approve.png") });

        await engagement.Locator("button.approve").ClickAsync();
        await page.WaitForFunctionAsync(
            $"document.querySelector(\".engagement[data-id='{SyntheticPictureSource.SharedJapaneseEngagementId}'] .status\")?.textContent === 'APPROVED'");

        Assert.Contains("decided by JPN/commander", await engagement.InnerTextAsync(), StringComparison.Ordinal);
        await page.ClickAsync("#track-table tbody tr");
        await page.WaitForSelectorAsync("#detail table.kv");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, "jpn-commander-approved.png") });
    }

    [Fact]
    public async Task AustralianObserver_TableHoldsNoJapanOnlyTrack()
    {
        // 150 tracks: the table shows every released one (it caps at 200 rows).
        await using var s = await TestServer.StartAsync(SyntheticPictureOptions.Create(150) with { ApplyReleaseFilter = false });
        var japanOnly = s.Source.GetSnapshot(Nation.Japan).Tracks
            .Where(t => !t.Marking.IsReleasableTo(Nation.Australia)).Select(t => t.Number.Value).ToHashSet();
        Assert.NotEmpty(japanOnly);
        var (pw, browser) = await LaunchAsync();
        using var _ = pw;
        await using var __ = browser;

        var page = await LoginAsync(browser, s.Server.BaseAddress, "AUS", "observer");
        await page.WaitForFunctionAsync($"document.querySelectorAll('#track-table tbody tr').length === {150 - japanOnly.Count}");

        var shown = (await page.Locator("#track-table tbody tr").EvaluateAllAsync<int[]>("rows => rows.map(r => Number(r.dataset.tn))")).ToHashSet();
        Assert.Equal(150 - japanOnly.Count, shown.Count);
        Assert.Empty(shown.Intersect(japanOnly));
        var text = await page.ContentAsync();
        Assert.DoesNotContain("JPN ONLY", text, StringComparison.Ordinal);
        Assert.DoesNotContain(SyntheticPictureSource.JapanOnlyEngagementId, text, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("button.approve").CountAsync());
        Assert.True(await page.IsDisabledAsync("#play"), "an observer's timeline controls are disabled");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, "aus-observer.png") });
    }
}
