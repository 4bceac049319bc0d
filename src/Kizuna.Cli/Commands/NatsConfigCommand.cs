using System.ComponentModel;
using System.Text.Json;
using Kizuna.Network.Nats;
using Kizuna.Network.Sharing;
using Spectre.Console.Cli;

namespace Kizuna.Cli.Commands;

/// <summary>
/// <c>kizuna nats-config &lt;scenario&gt; --out &lt;dir&gt;</c>: writes the nats-server configuration
/// generated from the scenario's agreements (<see cref="NatsConfigGenerator"/>) as <c>nats.conf</c>,
/// all credentials as <c>nats.credentials.json</c>, and one file per nation, <c>NAT.creds.json</c>,
/// holding only that nation's user (give each node only its own); files are mode 0600.
/// </summary>
internal sealed class NatsConfigCommand : Command<NatsConfigCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<SCENARIO>")]
        [Description("Scenario file (its nations and agreements file).")]
        public string Scenario { get; init; } = "";

        [CommandOption("--out <DIR>")]
        [Description("Folder to write into (created).")]
        public string Out { get; init; } = "";

        [CommandOption("--port <PORT>")]
        [Description("Client port (default 4222).")]
        public int Port { get; init; } = 4222;

        [CommandOption("--store <DIR>")]
        [Description("JetStream store folder (default: <out>/jetstream).")]
        public string? Store { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(settings.Out))
        {
            Console.Error.WriteLine("kizuna nats-config: --out <DIR> is required.");
            return KizunaApp.InvalidInput;
        }

        var scenario = ScenarioFiles.TryLoad(settings.Scenario, Console.Error);
        if (scenario is null)
        {
            return KizunaApp.InvalidInput;
        }

        var agreements = scenario.AgreementsPath is { } ap ? AgreementFile.Load(ap) : SharingAgreements.None;
        var config = Write(settings.Out, agreements, scenario.Nations.Union(agreements.Nations), settings.Port, settings.Store);
        Console.Out.WriteLine($"Wrote {Path.Combine(settings.Out, "nats.conf")} ({config.Credentials.Count} accounts: {string.Join(", ", config.Credentials.Select(c => c.Nation.Code))}) and credentials.");
        return 0;
    }

    /// <summary>Writes the configuration and the per-nation credential files into <paramref name="dir"/>.</summary>
    internal static NatsServerConfig Write(string dir, SharingAgreements agreements, IEnumerable<Core.Nation> nations, int port, string? store = null)
    {
        Directory.CreateDirectory(dir);
        var configPath = Path.Combine(dir, "nats.conf");
        var config = NatsConfigGenerator.Write(configPath, agreements,
            new NatsConfigOptions(port, Path.GetFullPath(store ?? Path.Combine(dir, "jetstream"))), nations);
        foreach (var c in config.Credentials)
        {
            var path = CredentialsFile(dir, c.Nation);
            File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, string> { ["nation"] = c.Nation.Code, ["user"] = c.User, ["password"] = c.Password }));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return config;
    }

    /// <summary>The per-nation credentials file in <paramref name="dir"/>.</summary>
    internal static string CredentialsFile(string dir, Core.Nation nation) => Path.Combine(dir, nation.Code + ".creds.json");

    /// <summary>
    /// Reads <paramref name="nation"/>'s credentials from a per-nation file (an object) or the combined
    /// file (an array); null with a message on <paramref name="error"/> when absent or malformed.
    /// </summary>
    internal static NatsNodeCredentials? ReadCredentials(string path, Core.Nation nation, TextWriter error)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var items = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.EnumerateArray().ToArray() : [doc.RootElement];
            foreach (var e in items)
            {
                if (e.TryGetProperty("nation", out var n) && n.GetString() == nation.Code
                    && e.TryGetProperty("user", out var u) && e.TryGetProperty("password", out var p))
                {
                    return new NatsNodeCredentials(nation, u.GetString() ?? "", p.GetString() ?? "");
                }
            }

            error.WriteLine($"{path}: error: no credentials for {nation.Code}.");
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException or InvalidOperationException)
        {
            error.WriteLine($"{path}: error: {ex.Message}");
        }

        return null;
    }
}
