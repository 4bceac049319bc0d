using System.ComponentModel;
using Kizuna.Simulation.Engine;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kizuna.Cli.Commands;

/// <summary><c>kizuna scenario validate &lt;file&gt;</c>.</summary>
internal sealed class ValidateScenarioCommand : Command<ValidateScenarioCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<file>")]
        [Description("Scenario YAML file.")]
        public string File { get; init; } = "";
    }

    protected override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var scenario = ScenarioFiles.TryLoad(settings.File, Console.Error);
        if (scenario is null)
        {
            return KizunaApp.InvalidInput;
        }

        var world = ExerciseWorld.Build(scenario);
        AnsiConsole.MarkupLineInterpolated(
            $"[green]{settings.File}: valid[/] — {scenario.Name}: {scenario.Nations.Length} nations, {scenario.Platforms.Length} platforms, {scenario.Sensors.Length} sensors, {scenario.Raids.Length} raids, {world.Objects.Length} objects, {scenario.Duration:0} s.");
        return 0;
    }
}
