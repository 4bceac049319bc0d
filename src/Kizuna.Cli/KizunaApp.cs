using Kizuna.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kizuna.Cli;

/// <summary>The <c>kizuna</c> command line: registers every command.</summary>
internal static class KizunaApp
{
    /// <summary>Exit code for invalid input (bad scenario, bad arguments).</summary>
    public const int InvalidInput = 2;

    public static int Run(string[] args)
    {
        // Bind Spectre's console to the current standard output on every run (tests redirect it).
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("kizuna");
            config.AddCommand<DemoCommand>("demo")
                .WithDescription("Run the default trilateral scenario end to end and print a summary.");
            config.AddCommand<SimulateCommand>("simulate")
                .WithDescription("Simulate a scenario and write truth and detections (CSV) to a folder.")
                .WithExample("simulate", "scenarios/trilateral-defence.yaml", "--out", "runs/demo");
            config.AddCommand<TrackCommand>("track")
                .WithDescription("Track a detections file; write every confirmed track at every scan time.")
                .WithExample("track", "--detections", "runs/tri/detections.csv", "--out", "runs/tri/tracks.csv");
            config.AddCommand<EvaluateCommand>("evaluate")
                .WithDescription("Score tracks against truth: GOSPA, OSPA and the SIAP metrics.")
                .WithExample("evaluate", "--truth", "runs/tri/truth.csv", "--tracks", "runs/tri/tracks.csv");
            config.AddCommand<ReplayCommand>("replay").WithDescription("Serve a run recording to the web picture (seek, play, speed).").WithExample("replay", "runs/demo.db", "--port", "8080");
            config.AddCommand<ReportCommand>("report").WithDescription("Write the after-action report (HTML + PNG) of a run recording.").WithExample("report", "runs/demo/run.db", "--out", "report/");
            config.AddCommand<NodeCommand>("node")
                .WithDescription("Run one nation's node as its own process over NATS.")
                .WithExample("node", "--nation", "JPN", "--nats", "nats://127.0.0.1:4222", "--creds", "nats/JPN.creds.json", "scenarios/trilateral-defence.yaml");
            config.AddCommand<NatsConfigCommand>("nats-config")
                .WithDescription("Write the nats-server configuration and per-nation credentials for a scenario's agreements.")
                .WithExample("nats-config", "scenarios/trilateral-defence.yaml", "--out", "nats/");
            config.AddBranch("scenario", branch =>
            {
                branch.SetDescription("Scenario file tools.");
                branch.AddCommand<ValidateScenarioCommand>("validate")
                    .WithDescription("Check a scenario file; errors name file, line, column and rule (exit code 2).");
            });
            config.AddBranch("asterix", branch =>
            {
                branch.SetDescription("ASTERIX recordings: .ast, pcap, pcapng.");
                branch.AddCommand<AsterixDumpCommand>("dump")
                    .WithDescription("Print every record as a JSON line; rejections and a summary on stderr.")
                    .WithExample("asterix", "dump", "cat_034_048.pcap");
            });
            config.SetExceptionHandler((ex, _) =>
            {
                if (ex is CommandParseException or CommandRuntimeException)
                {
                    Console.Error.WriteLine($"kizuna: {ex.Message}");
                    return InvalidInput;
                }

                // Anything else is a defect: give the whole trace so it can be reported and fixed.
                Console.Error.WriteLine($"kizuna: internal error: {ex}");
                return 1;
            });
        });
        return app.Run(args);
    }
}
