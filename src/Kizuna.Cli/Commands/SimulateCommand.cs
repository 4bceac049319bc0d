using System.ComponentModel;
using Kizuna.Simulation.Engine;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kizuna.Cli.Commands;

/// <summary><c>kizuna simulate &lt;scenario&gt; --out &lt;dir&gt;</c>.</summary>
internal sealed class SimulateCommand : AsyncCommand<SimulateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<scenario>")]
        [Description("Scenario YAML file.")]
        public string Scenario { get; init; } = "";

        [CommandOption("-o|--out <DIR>")]
        [Description("Output folder for truth.csv, detections.csv and events.csv.")]
        public string Out { get; init; } = "runs/simulate";

        [CommandOption("--duration <SECONDS>")]
        [Description("Stop after this many simulated seconds (default: the scenario's duration).")]
        public double? Duration { get; init; }

        [CommandOption("--speed <FACTOR>")]
        [Description("0 = as fast as possible (default), 1 = real time, N = N× real time.")]
        public double Speed { get; init; }

        public override ValidationResult Validate() =>
            Speed < 0 || !double.IsFinite(Speed) ? ValidationResult.Error("--speed must be 0 or positive")
            : Duration is { } d && !(d > 0) ? ValidationResult.Error("--duration must be positive")
            : ValidationResult.Success();
    }

    protected override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var scenario = ScenarioFiles.TryLoad(settings.Scenario, Console.Error);
        if (scenario is null)
        {
            return KizunaApp.InvalidInput;
        }

        var world = ExerciseWorld.Build(scenario);
        var engine = new ExerciseEngine(world, new ExerciseOptions { Duration = settings.Duration, Speed = settings.Speed });
        using var csv = new CsvOutputSink(settings.Out, scenario.Epoch);
        using var hash = new HashingSink();
        var sink = new CompositeSink(csv, hash);
        ExerciseSummary? summary = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"Simulating {scenario.Name}");
                summary = await engine.RunAsync(sink, new SyncProgress(f => task.Value = f * 100), cancellationToken).ConfigureAwait(false);
                task.Value = 100;
            }).ConfigureAwait(false);
        csv.Complete();
        SummaryPrinter.Print(world, summary!, hash.HexDigest, settings.Out);
        return 0;
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (no synchronisation context hop).</summary>
internal sealed class SyncProgress(Action<double> report) : IProgress<double>
{
    public void Report(double value) => report(value);
}
