using System.ComponentModel;
using System.Net;
using Kizuna.Cli.Coalition;
using Kizuna.Recording;
using Kizuna.Server;
using Microsoft.Data.Sqlite;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kizuna.Cli.Commands;

/// <summary>
/// <c>kizuna replay &lt;run.db&gt; [--port 8080] [--speed 20]</c>: serves a run recording to the web
/// picture (seek, play / pause, speed) until Ctrl-C. Exit 0 after Ctrl-C, 2 when the file is not a
/// recording, 1 when the port is taken.
/// </summary>
internal sealed class ReplayCommand : AsyncCommand<ReplayCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<run.db>")]
        [Description("A run recording (SQLite) written by kizuna demo.")]
        public string Recording { get; init; } = "";

        [CommandOption("--port <PORT>")]
        [Description("HTTP port on 127.0.0.1 (default 8080).")]
        public int Port { get; init; } = 8080;

        [CommandOption("--speed <FACTOR>")]
        [Description("Initial replay speed, multiple of real time (default 20).")]
        public double Speed { get; init; } = 20;

        public override ValidationResult Validate() =>
            Port is < 0 or > 65535 ? ValidationResult.Error("--port must be 0..65535")
            : !(Speed is > 0 and <= 1000) ? ValidationResult.Error("--speed must be in (0, 1000]")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        RunReader reader;
        try
        {
            reader = RunReader.Open(settings.Recording);
        }
        catch (Exception ex) when (ex is FileNotFoundException or RecordingFormatException or SqliteException)
        {
            await Console.Error.WriteLineAsync($"kizuna: {ex.Message}").ConfigureAwait(false);
            return KizunaApp.InvalidInput;
        }

        using (reader)
        {
            var source = new ReplayPictureSource(reader, settings.Speed);
            var range = source.Range;
            AnsiConsole.MarkupLineInterpolated(
                $"[bold]Kizuna replay[/] — {reader.Metadata.Scenario}, {range.Start:yyyy-MM-dd HH:mm:ss}Z to {range.End:HH:mm:ss}Z ({range.Duration.TotalSeconds:0} s)");
            return await ServeAsync(source, source, settings.Port, "Replaying the recording", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts the web server over a replay, advances it at 4 Hz and serves until Ctrl-C (or <paramref name="cancellationToken"/>).</summary>
    internal static async Task<int> ServeAsync(ReplayPictureSource source, Server.Picture.IEngagementAuthority authority, int port, string what, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            KizunaServer server;
            try
            {
                server = await KizunaServer.StartAsync(new KizunaServerOptions(IPAddress.Loopback, port), source, authority, stop.Token).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                await Console.Error.WriteLineAsync($"kizuna: cannot serve on 127.0.0.1:{port}: {ex.Message} (choose another with --port)").ConfigureAwait(false);
                return 1;
            }

            await using (server.ConfigureAwait(false))
            {
                AnsiConsole.MarkupLineInterpolated($"{what} at [link]{server.BaseAddress}[/] (seek, play / pause and speed in the timeline). Press Ctrl-C to stop.");
                await source.RunAsync(TimeProvider.System, TimeSpan.FromMilliseconds(250), stop.Token).ConfigureAwait(false);
            }

            AnsiConsole.MarkupLine("Stopped.");
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
