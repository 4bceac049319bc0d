using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Server.Picture;
using Microsoft.Playwright;

namespace Kizuna.Server.Tests;

/// <summary>
/// A nation that has nothing released to it yet (GBR without a node under the trilateral agreements)
/// gets words on the page, not an empty map.
/// </summary>
public sealed class EmptyViewBrowserTests
{
    [Fact]
    public async Task BritishOperator_NothingReleased_PageSaysSoPlainly()
    {
        var source = new NothingReleasedSource();
        await using var server = await KizunaServer.StartAsync(KizunaServerOptions.AnyFreePort, source, source, TestContext.Current.CancellationToken);
        var (pw, browser) = await BrowserTests.LaunchAsync();
        using var _ = pw;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BypassCSP = true, ViewportSize = new ViewportSize { Width = 1600, Height = 900 } });
        await page.GotoAsync(server.BaseAddress.ToString());
        await page.SelectOptionAsync("#login-nation", "GBR");
        await page.SelectOptionAsync("#login-role", "operator");
        await page.ClickAsync("#login-submit");

        var box = page.Locator("#empty-view");
        await box.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        var text = await box.InnerTextAsync();
        Assert.StartsWith("Nothing has been released to GBR yet", text, StringComparison.Ordinal);
        Assert.Contains("agreements", text, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#track-table tbody tr").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserTests.ScreenshotDir, "gbr-nothing-released.png") });
    }

    [Fact]
    public async Task BritishOperator_TracksReleased_NoEmptyMessage()
    {
        await using var s = await TestServer.StartAsync(SyntheticPictureOptions.Create(50));
        var (pw, browser) = await BrowserTests.LaunchAsync();
        using var _ = pw;
        await using var __ = browser;

        var page = await BrowserTests.LoginAsync(browser, s.Server.BaseAddress, "GBR", "operator");

        Assert.True(await page.Locator("#track-table tbody tr").CountAsync() > 0);
        Assert.True(await page.IsHiddenAsync("#empty-view"), "the empty-view message is hidden once something is released");
    }

    /// <summary>A live picture in which nothing has been released to anyone but the defended assets every coalition nation gets.</summary>
    private sealed class NothingReleasedSource : IPictureSource, IEngagementAuthority
    {
        private static readonly DateTime Time = new(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc);

        public ClockState Clock => new(Time, true, 1, Time, Time.AddHours(1), CanPause: true, CanSeek: false);

        public PictureSnapshot GetSnapshot(Nation viewer) => new(Time, [], [], [], [],
            [new DefendedAssetSite("Tokyo", Nation.Japan, Geodetic.FromDegrees(35.68, 139.77, 0), 30_000,
                Marking.RelTo(Nation.Japan, Classification.Unclassified, Nation.Usa, Nation.Australia, Nation.UnitedKingdom))],
            []);

        public IDisposable Subscribe(Nation viewer, Action<PictureDelta> onTick) => new Nothing();

        public bool Control(ClockCommand command, out string reason)
        {
            reason = "fixed picture";
            return false;
        }

        public EngagementDecisionResult Decide(string engagementId, Nation nation, ViewerRole role, bool approve) =>
            EngagementDecisionResult.Refused("no engagements");

        private sealed class Nothing : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
