using System.ComponentModel;
using Kizuna.Simulation.Engine;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kizuna.Cli.Commands;

/// <summary>
/// <c>kizuna demo</c>: the default trilateral scenario end to end. Today: the exercise simulation
/// with its summary; later issues add tracking, the coalition network, defence and the web picture.
/// </summary>
internal sealed class DemoCommand : AsyncCommand<DemoCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--scenario <FILE>")]
        [Description("Scenario to run (default: scenarios/trilateral-defence.yaml).")]
        public string Scenario { get; init; } = ScenarioFiles.DefaultScenario;

        [CommandOption("--duration <SECONDS>")]
        [Description("Stop after this many simulated seconds.")]
        public double? Duration { get; init; }

        [CommandOption("--speed <FACTOR>")]
        [Description("0 = as fast as possible (default), 1 = real time, N = N× real time.")]
        public double Speed { get; init; }
    }

    protected override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var scenario = ScenarioFiles.TryLoad(settings.Scenario, Console.Error);
        if (scenario is null)
        {
            return KizunaApp.InvalidInput;
        }

        AnsiConsole.MarkupLineInterpolated($"[bold]Kizuna demo[/] — {scenario.Name}");
        var world = ExerciseWorld.Build(scenario);
        var engine = new ExerciseEngine(world, new ExerciseOptions { Duration = settings.Duration, Speed = settings.Speed });
        using var hash = new HashingSink();
        var summary = await engine.RunAsync(hash, null, cancellationToken).ConfigureAwait(false);
        SummaryPrinter.Print(world, summary, hash.HexDigest, null);
        return 0;
    }
}
