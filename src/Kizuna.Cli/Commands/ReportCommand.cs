using System.ComponentModel;
using Kizuna.Recording;
using Microsoft.Data.Sqlite;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kizuna.Cli.Commands;

/// <summary>
/// <c>kizuna report &lt;run.db&gt; --out report/</c>: the after-action report of a recording
/// (index.html with PNG plots and tables; docs/recording.md). Exit 0 on success, 2 when the file
/// is missing or is not a recording of this schema version, with the reason on stderr.
/// </summary>
internal sealed class ReportCommand : Command<ReportCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<run.db>")]
        [Description("A run recording (SQLite) written by Kizuna.")]
        public string Recording { get; init; } = "";

        [CommandOption("--out <DIR>")]
        [Description("Output folder (default report/ beside the working directory).")]
        public string Out { get; init; } = "report";

        [CommandOption("--threshold <METRES>")]
        [Description("Track-to-truth association distance for SIAP and threat mapping (default 2000 m).")]
        public double Threshold { get; init; } = 2000;

        public override ValidationResult Validate() =>
            !(Threshold > 0) ? ValidationResult.Error("--threshold must be positive") : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        Run(settings.Recording, settings.Out, settings.Threshold, Console.Out, Console.Error);

    /// <summary>The command's work, with explicit writers (tests call it directly).</summary>
    internal static int Run(string recording, string outDir, double threshold, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            using var reader = RunReader.Open(recording);
            var result = AfterActionReport.Write(reader, outDir, new AfterActionOptions { AssociationThresholdM = threshold });
            var a = result.Analysis;
            stdout.WriteLine($"Report written to {result.IndexPath} ({result.Images.Count} plots): {a.Siap.Count} nation pictures, " +
                $"{a.WarningTimes.Count} warning times, {a.Engagements.Count} engagements, {a.Leakers.Count} leakers.");
            return 0;
        }
        catch (Exception ex) when (ex is FileNotFoundException or RecordingFormatException or SqliteException)
        {
            stderr.WriteLine($"kizuna: {ex.Message}");
            return KizunaApp.InvalidInput;
        }
    }
}
