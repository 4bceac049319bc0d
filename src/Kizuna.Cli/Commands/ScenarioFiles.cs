using Kizuna.Simulation.Scenario;

namespace Kizuna.Cli.Commands;

/// <summary>Finding and loading scenario files for commands, with errors printed the same way everywhere.</summary>
internal static class ScenarioFiles
{
    /// <summary>The default scenario of <c>kizuna demo</c>.</summary>
    public const string DefaultScenario = "scenarios/trilateral-defence.yaml";

    /// <summary>
    /// Resolves a scenario path: as given when it exists, else relative to the repository that holds
    /// this program (so <c>kizuna demo</c> works from any folder).
    /// </summary>
    public static string Resolve(string path)
    {
        if (File.Exists(path) || Path.IsPathRooted(path))
        {
            return path;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            var candidate = Path.Combine(dir.FullName, path);
            if (File.Exists(Path.Combine(dir.FullName, "Kizuna.slnx")) && File.Exists(candidate))
            {
                return candidate;
            }

            dir = dir.Parent;
        }

        return path;
    }

    /// <summary>Loads a scenario; on validation errors prints them to stderr and returns null.</summary>
    public static ScenarioDefinition? TryLoad(string path, TextWriter error)
    {
        var resolved = Resolve(path);
        if (!File.Exists(resolved))
        {
            error.WriteLine($"{path}: error KZ000 file-not-found: the scenario file does not exist.");
            return null;
        }

        try
        {
            return ScenarioLoader.Load(resolved);
        }
        catch (ScenarioValidationException ex)
        {
            foreach (var e in ex.Errors)
            {
                error.WriteLine(e.ToString());
            }

            error.WriteLine($"{ex.Errors.Count} error(s); nothing was run.");
            return null;
        }
    }
}
