using System.Net;

namespace Kizuna.Server;

/// <summary>Settings of a <see cref="KizunaServer"/>.</summary>
/// <param name="Address">Address to listen on (default 127.0.0.1: the picture is not exposed beyond this machine).</param>
/// <param name="Port">TCP port (default 8080; 0 picks a free port, as the tests do).</param>
/// <param name="WebRoot">
/// Folder to serve the web app from instead of the bundle embedded in the assembly ("" = embedded);
/// useful while editing web/ with <c>npm run watch</c>.
/// </param>
/// <param name="LogLevel">Minimum ASP.NET Core log level written to the console.</param>
public sealed record KizunaServerOptions(IPAddress Address, int Port, string WebRoot = "", Microsoft.Extensions.Logging.LogLevel LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning)
{
    /// <summary>http://127.0.0.1:8080 with the embedded web app.</summary>
    public static KizunaServerOptions Default { get; } = new(IPAddress.Loopback, 8080);

    /// <summary>Loopback on a free port (tests).</summary>
    public static KizunaServerOptions AnyFreePort { get; } = new(IPAddress.Loopback, 0);
}
