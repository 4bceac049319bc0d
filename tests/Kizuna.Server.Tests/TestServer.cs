using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using Kizuna.Server;
using Kizuna.Server.Picture;

namespace Kizuna.Server.Tests;

/// <summary>A real Kestrel server on a free loopback port over a synthetic picture.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(KizunaServer server, SyntheticPictureSource source, CountingAuthority authority)
    {
        Server = server;
        Source = source;
        Authority = authority;
    }

    public KizunaServer Server { get; }

    public SyntheticPictureSource Source { get; }

    public CountingAuthority Authority { get; }

    /// <param name="options">The synthetic picture.</param>
    /// <param name="webRoot">Serve the web app from this folder instead of the embedded bundle ("" = embedded).</param>
    public static async Task<TestServer> StartAsync(SyntheticPictureOptions options, string webRoot = "")
    {
        var source = new SyntheticPictureSource(options);
        var authority = new CountingAuthority(source);
        var server = await KizunaServer.StartAsync(KizunaServerOptions.AnyFreePort with { WebRoot = webRoot }, source, authority, TestContext.Current.CancellationToken);
        return new TestServer(server, source, authority);
    }

    public async Task<(HttpClient Client, CookieContainer Cookies)> LoginAsync(string nation, string role)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = Server.BaseAddress };
        var r = await client.PostAsJsonAsync("api/login", new { nation, role }, TestContext.Current.CancellationToken);
        r.EnsureSuccessStatusCode();
        return (client, cookies);
    }

    public async Task<ClientWebSocket> ConnectFeedAsync(CookieContainer cookies)
    {
        var ws = new ClientWebSocket();
        ws.Options.Cookies = cookies;
        var uri = new UriBuilder(Server.BaseAddress) { Scheme = "ws", Path = "/api/feed" }.Uri;
        await ws.ConnectAsync(uri, TestContext.Current.CancellationToken);
        return ws;
    }

    /// <summary>Reads one whole text frame (raw JSON text, as it arrived).</summary>
    public static async Task<string> ReceiveTextAsync(WebSocket ws)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        var buffer = new byte[64 * 1024];
        using var ms = new MemoryStream();
        while (true)
        {
            var r = await ws.ReceiveAsync(buffer, timeout.Token);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("feed closed");
            }

            ms.Write(buffer, 0, r.Count);
            if (r.EndOfMessage)
            {
                return Encoding.UTF8.GetString(ms.ToArray());
            }
        }
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Wraps the synthetic authority and counts the calls that reach it.</summary>
internal sealed class CountingAuthority(IEngagementAuthority inner) : IEngagementAuthority
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public EngagementDecisionResult Decide(string engagementId, Core.Nation nation, ViewerRole role, bool approve)
    {
        Interlocked.Increment(ref _calls);
        return inner.Decide(engagementId, nation, role, approve);
    }
}
