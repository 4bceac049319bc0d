using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Server.Picture;

namespace Kizuna.Server.Tests;

/// <summary>
/// Per-nation views are enforced on the server: JPN-only data never reaches an AUS user, even when
/// the picture source itself leaks (ApplyReleaseFilter = false simulates a faulty node view).
/// Assertions are on the raw frames and response bodies.
/// </summary>
public sealed class ReleaseTests
{
    private static SyntheticPictureOptions Leaky(int n = 300) => SyntheticPictureOptions.Create(n) with { ApplyReleaseFilter = false };

    /// <summary>Strings that appear only in JPN-only objects of the synthetic picture.</summary>
    private static readonly string[] JapanOnlyStrings =
        ["JPN ONLY", SyntheticPictureSource.JapanOnlyEngagementId, "JPN-DDG-KONGO", "JPN-FPS5-SHIMO", "Misawa", "ALR-0002"];

    private static HashSet<int> JapanOnlyTrackNumbers(SyntheticPictureSource source) =>
        source.GetSnapshot(Nation.Japan).Tracks.Where(t => !t.Marking.IsReleasableTo(Nation.Australia)).Select(t => t.Number.Value).ToHashSet();

    private static IEnumerable<int> TrackNumbersIn(string frameOrBody)
    {
        using var doc = JsonDocument.Parse(frameOrBody);
        foreach (var t in doc.RootElement.GetProperty("tracks").EnumerateArray())
        {
            yield return t[0].GetInt32();
        }
    }

    [Fact]
    public async Task Feed_AusViewerLeakySource_NoJapanOnlyObjectInAnyRawFrame()
    {
        await using var s = await TestServer.StartAsync(Leaky());
        var japanOnly = JapanOnlyTrackNumbers(s.Source);
        Assert.True(japanOnly.Count > 50, "the synthetic picture must hold JPN-only tracks for this test to mean anything");
        var (_, cookies) = await s.LoginAsync("AUS", "observer");
        using var ws = await s.ConnectFeedAsync(cookies);

        var frames = new List<string> { await TestServer.ReceiveTextAsync(ws) };
        for (var i = 0; i < 3; i++)
        {
            s.Source.Advance(TimeSpan.FromSeconds(1));
            frames.Add(await TestServer.ReceiveTextAsync(ws));
        }

        Assert.Contains("\"type\":\"snapshot\"", frames[0], StringComparison.Ordinal);
        Assert.All(frames.Skip(1), f => Assert.Contains("\"type\":\"delta\"", f, StringComparison.Ordinal));
        foreach (var f in frames)
        {
            foreach (var secret in JapanOnlyStrings)
            {
                Assert.DoesNotContain(secret, f, StringComparison.Ordinal);
            }

            var tns = TrackNumbersIn(f).ToList();
            Assert.Equal(300 - japanOnly.Count, tns.Count);
            Assert.DoesNotContain(tns, japanOnly.Contains);
        }

        Assert.True(s.Server.RefusedObjects >= 4 * japanOnly.Count, $"refusals must be counted (got {s.Server.RefusedObjects})");
    }

    [Fact]
    public async Task Feed_JapanViewer_ReceivesJapanOnlyTracks()
    {
        await using var s = await TestServer.StartAsync(Leaky());
        var (_, cookies) = await s.LoginAsync("JPN", "operator");
        using var ws = await s.ConnectFeedAsync(cookies);
        var snapshot = await TestServer.ReceiveTextAsync(ws);

        Assert.Equal(300, TrackNumbersIn(snapshot).Count());
        Assert.Contains(SyntheticPictureSource.JapanOnlyEngagementId, snapshot, StringComparison.Ordinal);
        Assert.Equal(0, s.Server.RefusedObjects);
    }

    [Fact]
    public async Task Api_AusViewerLeakySource_NoJapanOnlyObjectInAnyResponse()
    {
        await using var s = await TestServer.StartAsync(Leaky());
        var japanOnly = JapanOnlyTrackNumbers(s.Source);
        var (client, _) = await s.LoginAsync("AUS", "commander");
        var ct = TestContext.Current.CancellationToken;

        var tracks = await client.GetStringAsync("api/tracks", ct);
        Assert.DoesNotContain(TrackNumbersIn(tracks), japanOnly.Contains);
        Assert.Equal(300 - japanOnly.Count, TrackNumbersIn(tracks).Count());
        foreach (var body in new[] { tracks, await client.GetStringAsync("api/alerts", ct), await client.GetStringAsync("api/engagements", ct) })
        {
            foreach (var secret in JapanOnlyStrings)
            {
                Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
            }
        }

        var hidden = await client.GetAsync($"api/tracks/{japanOnly.First()}", ct);
        var missing = await client.GetAsync("api/tracks/99999", ct);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(missing.StatusCode, hidden.StatusCode);
        Assert.Equal(await missing.Content.ReadAsStringAsync(ct), await hidden.Content.ReadAsStringAsync(ct));
        var visible = TrackNumbersIn(tracks).First();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"api/tracks/{visible}", ct)).StatusCode);
    }

    [Fact]
    public async Task Decision_Operator_RefusedByServerBeforeTheAuthority()
    {
        await using var s = await TestServer.StartAsync(SyntheticPictureOptions.Create(50));
        var (client, _) = await s.LoginAsync("JPN", "operator");
        var ct = TestContext.Current.CancellationToken;

        var r = await client.PostAsJsonAsync($"api/engagements/{SyntheticPictureSource.SharedJapaneseEngagementId}/decision", new { approve = true }, ct);

        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Contains("only a commander", await r.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(0, s.Authority.Calls);
        Assert.Equal(EngagementStatus.Recommended, Status(s, SyntheticPictureSource.SharedJapaneseEngagementId));
    }

    [Fact]
    public async Task Decision_OtherNationsCommander_Refused()
    {
        await using var s = await TestServer.StartAsync(SyntheticPictureOptions.Create(50));
        var (client, _) = await s.LoginAsync("AUS", "commander");
        var ct = TestContext.Current.CancellationToken;

        var onJapanese = await client.PostAsJsonAsync($"api/engagements/{SyntheticPictureSource.SharedJapaneseEngagementId}/decision", new { approve = true }, ct);
        var onHidden = await client.PostAsJsonAsync($"api/engagements/{SyntheticPictureSource.JapanOnlyEngagementId}/decision", new { approve = true }, ct);

        Assert.Equal(HttpStatusCode.Forbidden, onJapanese.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, onHidden.StatusCode);
        Assert.DoesNotContain("JPN", await onHidden.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(0, s.Authority.Calls);
        Assert.Equal(EngagementStatus.Recommended, Status(s, SyntheticPictureSource.SharedJapaneseEngagementId));
    }

    [Fact]
    public async Task Decision_OwnerCommander_ApprovedAndPushedOnTheFeed()
    {
        await using var s = await TestServer.StartAsync(SyntheticPictureOptions.Create(50));
        var (client, cookies) = await s.LoginAsync("JPN", "commander");
        var ct = TestContext.Current.CancellationToken;
        using var ws = await s.ConnectFeedAsync(cookies);
        _ = await TestServer.ReceiveTextAsync(ws);

        var r = await client.PostAsJsonAsync($"api/engagements/{SyntheticPictureSource.SharedJapaneseEngagementId}/decision", new { approve = true }, ct);
        var delta = await TestServer.ReceiveTextAsync(ws);

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(1, s.Authority.Calls);
        Assert.Equal(EngagementStatus.Approved, Status(s, SyntheticPictureSource.SharedJapaneseEngagementId));
        Assert.Contains("\"status\":\"approved\"", delta, StringComparison.Ordinal);
        Assert.Contains("\"decidedBy\":\"JPN/commander\"", delta, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_NotLoggedIn_Returns401AndFeedRefused()
    {
        await using var s = await TestServer.StartAsync(SyntheticPictureOptions.Create(10));
        using var client = new HttpClient { BaseAddress = s.Server.BaseAddress };
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/tracks", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/me", ct)).StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => s.ConnectFeedAsync(new CookieContainer()));
    }

    [Theory]
    [InlineData("FRA", "commander")]
    [InlineData("JPN", "admiral")]
    [InlineData("", "")]
    public async Task Login_UnknownNationOrRole_BadRequest(string nation, string role)
    {
        await using var s = await TestServer.StartAsync(SyntheticPictureOptions.Create(10));
        using var client = new HttpClient { BaseAddress = s.Server.BaseAddress };

        var r = await client.PostAsJsonAsync("api/login", new { nation, role }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
    }

    [Fact]
    public async Task Clock_Observer_RefusedAndOperatorPauses()
    {
        await using var s = await TestServer.StartAsync(SyntheticPictureOptions.Create(10));
        var (observer, _) = await s.LoginAsync("GBR", "observer");
        var (op, _) = await s.LoginAsync("GBR", "operator");
        var ct = TestContext.Current.CancellationToken;

        var refused = await observer.PostAsJsonAsync("api/clock", new { action = "pause" }, ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.True(s.Source.Clock.Playing);

        var ok = await op.PostAsJsonAsync("api/clock", new { action = "pause" }, ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.False(s.Source.Clock.Playing);
    }

    [Fact]
    public async Task Feed_ForeignOrigin_Refused()
    {
        await using var s = await TestServer.StartAsync(SyntheticPictureOptions.Create(10));
        var (_, cookies) = await s.LoginAsync("JPN", "commander");
        using var ws = new System.Net.WebSockets.ClientWebSocket();
        ws.Options.Cookies = cookies;
        ws.Options.SetRequestHeader("Origin", "http://evil.example");
        var uri = new UriBuilder(s.Server.BaseAddress) { Scheme = "ws", Path = "/api/feed" }.Uri;

        await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => ws.ConnectAsync(uri, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Feed_Seek_SendsFreshSnapshot()
    {
        await using var s = await TestServer.StartAsync(SyntheticPictureOptions.Create(20));
        var (op, cookies) = await s.LoginAsync("USA", "operator");
        using var ws = await s.ConnectFeedAsync(cookies);
        _ = await TestServer.ReceiveTextAsync(ws);
        var to = new DateTime(2026, 1, 1, 1, 0, 0, DateTimeKind.Utc);

        var r = await op.PostAsJsonAsync("api/clock", new { action = "seek", time = (long)(to - DateTime.UnixEpoch).TotalMilliseconds }, TestContext.Current.CancellationToken);
        var frame = await TestServer.ReceiveTextAsync(ws);

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using var doc = JsonDocument.Parse(frame);
        Assert.Equal("snapshot", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal((long)(to - DateTime.UnixEpoch).TotalMilliseconds, doc.RootElement.GetProperty("time").GetInt64());
    }

    private static EngagementStatus Status(TestServer s, string id) =>
        s.Source.GetSnapshot(Nation.Japan).Engagements.Single(e => e.Id == id).Status;
}
