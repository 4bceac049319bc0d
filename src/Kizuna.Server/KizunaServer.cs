using System.Reflection;
using System.Text.Json;
using Kizuna.Core.Picture;
using Kizuna.Server.Auth;
using Kizuna.Server.Feed;
using Kizuna.Server.Picture;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Kizuna.Server;

/// <summary>
/// The web picture's host: Kestrel serving the embedded web app, the exercise login, the REST API
/// and the WebSocket live feed over one <see cref="IPictureSource"/>, with per-nation release
/// enforced on the server for every object sent. Endpoints are listed in docs/web.md.
/// </summary>
/// <remarks>
/// Usage: <c>await using var server = await KizunaServer.StartAsync(options, source, authority, ct);</c>
/// then <see cref="BaseAddress"/>. Dispose stops the server.
/// </remarks>
public sealed class KizunaServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ReleaseCounters _counters;

    private KizunaServer(WebApplication app, ReleaseCounters counters, Uri baseAddress)
    {
        _app = app;
        _counters = counters;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the server listens, e.g. http://127.0.0.1:8080/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Objects the server's release check refused to send, over all users (operator diagnostics; never shown to users).</summary>
    public long RefusedObjects => _counters.Refused;

    /// <summary>Builds and starts the server.</summary>
    public static async Task<KizunaServer> StartAsync(
        KizunaServerOptions options, IPictureSource source, IEngagementAuthority authority, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(authority);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.WebHost.ConfigureKestrel(k => k.Listen(options.Address, options.Port));
        builder.Services
            .AddAuthentication(ExerciseLogin.Scheme)
            .AddCookie(ExerciseLogin.Scheme, c =>
            {
                c.Cookie.Name = "kizuna.exercise";
                c.Cookie.HttpOnly = true;
                c.Cookie.SameSite = SameSiteMode.Strict;
                c.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                c.SlidingExpiration = true;
                c.ExpireTimeSpan = TimeSpan.FromHours(12);
                c.Events.OnRedirectToLogin = ctx => Status(ctx.HttpContext, StatusCodes.Status401Unauthorized);
                c.Events.OnRedirectToAccessDenied = ctx => Status(ctx.HttpContext, StatusCodes.Status403Forbidden);
            });
        builder.Services.AddAuthorization();

        // Cookie keys live in memory only: exercise logins end with the process, and no key file is written to the user's profile.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        var app = builder.Build();
        var counters = new ReleaseCounters();
        var feed = new LiveFeed(source, counters);

        app.Use(async (ctx, next) =>
        {
            // Everything the page needs is served from here: no CDN, nothing fetched elsewhere.
            ctx.Response.Headers.ContentSecurityPolicy =
                "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";
            ctx.Response.Headers.XContentTypeOptions = "nosniff";
            ctx.Response.Headers.CacheControl = "no-cache";
            await next(ctx).ConfigureAwait(false);
        });
        var files = WebFiles(options.WebRoot);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        var types = new FileExtensionContentTypeProvider();
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, ContentTypeProvider = types });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        MapApi(app, source, authority, counters, feed);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KizunaServer(app, counters, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static IFileProvider WebFiles(string webRoot) =>
        string.IsNullOrEmpty(webRoot)
            ? new EmbeddedFileProvider(typeof(KizunaServer).Assembly, "Kizuna.Server.wwwroot")
            : new PhysicalFileProvider(Path.GetFullPath(webRoot));

    private static Task Status(HttpContext ctx, int code)
    {
        ctx.Response.StatusCode = code;
        return Task.CompletedTask;
    }

    private static void MapApi(WebApplication app, IPictureSource source, IEngagementAuthority authority, ReleaseCounters counters, LiveFeed feed)
    {
        app.MapPost("/api/login", async (HttpContext ctx) =>
        {
            var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
            if (body is null || !ExerciseLogin.TryParse(Str(body.Value, "nation"), Str(body.Value, "role"), out var viewer))
            {
                return Results.BadRequest(new { error = "nation must be USA, JPN, AUS or GBR; role commander, operator or observer" });
            }

            await ctx.SignInAsync(ExerciseLogin.Scheme, ExerciseLogin.ToPrincipal(viewer)).ConfigureAwait(false);
            return Results.Bytes(Me(viewer), "application/json");
        });
        app.MapPost("/api/logout", async (HttpContext ctx) =>
        {
            await ctx.SignOutAsync(ExerciseLogin.Scheme).ConfigureAwait(false);
            return Results.NoContent();
        });
        app.MapGet("/api/me", (HttpContext ctx) => WithViewer(ctx, v => Results.Bytes(Me(v), "application/json")));

        app.MapGet("/api/tracks", (HttpContext ctx) => WithViewer(ctx, v =>
        {
            var gate = new ReleaseGate(v.Nation, counters);
            var s = source.GetSnapshot(v.Nation);
            return Json(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("time", PictureJson.UnixMs(s.Time));
                w.WriteString("layout", PictureJson.TrackLayout);
                w.WriteStartArray("tracks");
                foreach (var t in s.Tracks)
                {
                    PictureJson.WriteTrack(w, t, gate);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }));
        app.MapGet("/api/tracks/{tn:int}", (HttpContext ctx, int tn) => WithViewer(ctx, v =>
        {
            var track = source.GetSnapshot(v.Nation).Tracks.FirstOrDefault(t => t.Number.Value == tn);

            // Not found and not released answer the same, so the answer leaks nothing.
            if (track is null || !new ReleaseGate(v.Nation, counters).Allows(track.Marking))
            {
                return Results.NotFound();
            }

            return Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("layout", PictureJson.TrackLayout);
                w.WritePropertyName("track");
                PictureJson.WriteTrack(w, track, new ReleaseGate(v.Nation, counters));
                w.WriteNumber("time", PictureJson.UnixMs(track.Time));
                w.WriteString("tn", track.Number.ToString());
                w.WriteString("kind", track.Kind.ToString());
                w.WriteString("affiliation", track.Affiliation.ToString());
                w.WriteEndObject();
            });
        }));
        app.MapGet("/api/alerts", (HttpContext ctx) => WithViewer(ctx, v =>
            Json(w =>
            {
                w.WriteStartObject();
                PictureJson.WriteArray(w, "alerts", source.GetSnapshot(v.Nation).Alerts, new ReleaseGate(v.Nation, counters), PictureJson.WriteAlert);
                w.WriteEndObject();
            })));
        app.MapGet("/api/engagements", (HttpContext ctx) => WithViewer(ctx, v =>
            Json(w =>
            {
                w.WriteStartObject();
                PictureJson.WriteArray(w, "engagements", source.GetSnapshot(v.Nation).Engagements, new ReleaseGate(v.Nation, counters), PictureJson.WriteEngagement);
                w.WriteEndObject();
            })));
        app.MapPost("/api/engagements/{id}/decision", async (HttpContext ctx, string id) =>
        {
            if (!ExerciseLogin.TryGetViewer(ctx.User, out var viewer))
            {
                return Results.Unauthorized();
            }

            var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
            if (body is null || !body.Value.TryGetProperty("approve", out var a) || a.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Results.BadRequest(new { error = "body must be {\"approve\": true|false}" });
            }

            // Route values keep an encoded '/' as %2F (engagement ids of a real run contain '/': "01243/jpn-ddg-north-ut/1").
            id = Uri.UnescapeDataString(id);
            var v = viewer.Value;
            var refusal = CheckDecision(source, counters, v, id);
            if (refusal is not null)
            {
                app.Logger.LogWarning("Decision on {Engagement} by {Viewer} refused by the server: {Reason}", id, v, refusal);
                return Results.Json(new { accepted = false, reason = refusal }, statusCode: StatusCodes.Status403Forbidden);
            }

            var result = authority.Decide(id, v.Nation, v.Role, a.GetBoolean());
            app.Logger.LogInformation("Decision on {Engagement} by {Viewer}: {Accepted} ({Reason})", id, v, result.Accepted, result.Reason);
            return Results.Json(new { accepted = result.Accepted, reason = result.Reason }, statusCode: result.Accepted ? 200 : StatusCodes.Status409Conflict);
        });
        app.MapGet("/api/clock", (HttpContext ctx) => WithViewer(ctx, _ => Json(w => PictureJson.WriteClock(w, source.Clock))));
        app.MapPost("/api/clock", async (HttpContext ctx) =>
        {
            if (!ExerciseLogin.TryGetViewer(ctx.User, out var viewer))
            {
                return Results.Unauthorized();
            }

            if (viewer.Value.Role == ViewerRole.Observer)
            {
                return Results.Json(new { accepted = false, reason = "observers may not control the timeline" }, statusCode: StatusCodes.Status403Forbidden);
            }

            var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
            if (body is null || !TryCommand(body.Value, out var command))
            {
                return Results.BadRequest(new { error = "body must be {\"action\":\"play\"|\"pause\"|\"speed\"|\"seek\", \"speed\":x, \"time\":unixMs}" });
            }

            var ok = source.Control(command, out var reason);
            return Results.Json(new { accepted = ok, reason }, statusCode: ok ? 200 : StatusCodes.Status409Conflict);
        });
        app.Map("/api/feed", async (HttpContext ctx) =>
        {
            if (!ExerciseLogin.TryGetViewer(ctx.User, out var viewer))
            {
                ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            if (!ctx.WebSockets.IsWebSocketRequest)
            {
                ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            // Cross-site WebSocket hijacking guard: a browser always sends Origin; it must be this server.
            var origin = ctx.Request.Headers.Origin.ToString();
            if (origin.Length > 0 && (!Uri.TryCreate(origin, UriKind.Absolute, out var o) || !string.Equals(o.Authority, ctx.Request.Host.Value, StringComparison.OrdinalIgnoreCase)))
            {
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            using var socket = await ctx.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            await feed.RunAsync(socket, viewer.Value, ctx.RequestAborted).ConfigureAwait(false);
        });
    }

    private static string? CheckDecision(IPictureSource source, ReleaseCounters counters, Viewer v, string id)
    {
        if (v.Role != ViewerRole.Commander)
        {
            return $"only a commander may approve or deny; you are {ExerciseLogin.RoleName(v.Role)}";
        }

        var engagement = source.GetSnapshot(v.Nation).Engagements.FirstOrDefault(e => string.Equals(e.Id, id, StringComparison.Ordinal));
        if (engagement is null || !new ReleaseGate(v.Nation, counters).Allows(engagement.Marking))
        {
            return $"no engagement '{id}' in your picture";
        }

        return engagement.Owner != v.Nation
            ? $"{id} uses a {engagement.Owner} battery; only {engagement.Owner}'s authority may decide it"
            : null;
    }

    private static bool TryCommand(JsonElement body, out ClockCommand command)
    {
        command = default;
        switch (Str(body, "action"))
        {
            case "play":
                command = ClockCommand.Play();
                return true;
            case "pause":
                command = ClockCommand.Pause();
                return true;
            case "speed" when body.TryGetProperty("speed", out var s) && s.TryGetDouble(out var speed):
                command = ClockCommand.SetSpeed(speed);
                return true;
            case "seek" when body.TryGetProperty("time", out var t) && t.TryGetInt64(out var ms) && ms is > 0 and < 253_402_300_799_000:
                command = ClockCommand.Seek(DateTime.UnixEpoch.AddMilliseconds(ms));
                return true;
            default:
                return false;
        }
    }

    private static IResult WithViewer(HttpContext ctx, Func<Viewer, IResult> ok) =>
        ExerciseLogin.TryGetViewer(ctx.User, out var v) ? ok(v.Value) : Results.Unauthorized();

    private static IResult Json(Action<Utf8JsonWriter> write) => Results.Bytes(PictureJson.ToBytes(write), "application/json");

    private static byte[] Me(Viewer v) => PictureJson.ToBytes(w =>
    {
        w.WriteStartObject();
        w.WriteString("nation", v.Nation.Code);
        w.WriteString("role", ExerciseLogin.RoleName(v.Role));
        w.WriteBoolean("canDecide", v.Role == ViewerRole.Commander);
        w.WriteBoolean("canControlClock", v.Role != ViewerRole.Observer);
        w.WriteEndObject();
    });

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static async Task<JsonElement?> ReadJsonAsync(HttpContext ctx)
    {
        // JSON only: a cross-site HTML form cannot send application/json (CSRF guard besides SameSite=Strict).
        if (ctx.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        if (ctx.Request.ContentLength is > 4096)
        {
            return null;
        }

        try
        {
            using var doc = await JsonDocument.ParseAsync(ctx.Request.Body, default, ctx.RequestAborted).ConfigureAwait(false);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
