using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Kizuna.Metrics;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kizuna.Cli.Commands;

/// <summary><c>kizuna evaluate --truth truth.csv --tracks tracks.csv</c>: GOSPA, OSPA and the SIAP table.</summary>
internal sealed class EvaluateCommand : Command<EvaluateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--truth <CSV>")]
        [Description("Truth file (time_s,truth_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps[,...]).")]
        public string Truth { get; init; } = "";

        [CommandOption("--tracks <CSV>")]
        [Description("Tracks file (time_s,track_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps,quality).")]
        public string Tracks { get; init; } = "";

        [CommandOption("--threshold <METRES>")]
        [Description("Track-to-truth association distance (default 500 m).")]
        public double Threshold { get; init; } = 500;

        [CommandOption("--cutoff <METRES>")]
        [Description("GOSPA / OSPA cut-off distance c (default 1000 m).")]
        public double Cutoff { get; init; } = 1000;

        [CommandOption("--order <P>")]
        [Description("GOSPA / OSPA order p (default 1).")]
        public double Order { get; init; } = 1;

        [CommandOption("--json")]
        [Description("Print the results as JSON instead of tables.")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrEmpty(Truth) || string.IsNullOrEmpty(Tracks) ? ValidationResult.Error("--truth and --tracks are required")
            : !(Threshold > 0) || !(Cutoff > 0) || !(Order >= 1) ? ValidationResult.Error("--threshold and --cutoff must be positive and --order at least 1")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        foreach (var f in new[] { settings.Truth, settings.Tracks })
        {
            if (!File.Exists(f))
            {
                Console.Error.WriteLine($"{f}: file not found");
                return KizunaApp.InvalidInput;
            }
        }

        var truth = SampleCsv.ReadTruth(settings.Truth);
        var tracks = SampleCsv.ReadTracks(settings.Tracks);
        foreach (var r in truth.Rejections.Concat(tracks.Rejections).Take(20))
        {
            Console.Error.WriteLine(r.ToString());
        }

        if (truth.RejectedCount + tracks.RejectedCount > 0)
        {
            Console.Error.WriteLine($"{truth.RejectedCount + tracks.RejectedCount} row(s) rejected; evaluated the good rows.");
        }

        var trackTimes = tracks.Samples.Select(s => s.Time).Distinct().ToArray();
        var truthAtTracks = TruthInterpolation.AtTimes(truth.Samples, trackTimes);
        var associator = new TrackToTruthAssociator(settings.Threshold);
        var siap = SiapCalculator.Compute(tracks.Samples, truthAtTracks, associator);
        var sets = SetMetricSeries.Compute(tracks.Samples, truthAtTracks, settings.Cutoff, settings.Order);

        if (settings.Json)
        {
            var doc = new
            {
                truthFile = settings.Truth,
                tracksFile = settings.Tracks,
                rejectedRows = truth.RejectedCount + tracks.RejectedCount,
                cutoff = settings.Cutoff,
                order = settings.Order,
                threshold = settings.Threshold,
                meanOspa = sets.MeanOspa,
                meanGospa = sets.MeanGospa,
                siap = JsonDocument.Parse(siap.ToJson()).RootElement,
            };
            Console.Out.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }

        AnsiConsole.MarkupLineInterpolated(
            $"Scored {tracks.Samples.Count:N0} track samples at {trackTimes.Length:N0} times against {truth.Samples.Select(t => t.TruthId).Distinct().Count():N0} truths.");
        AnsiConsole.MarkupLineInterpolated(
            $"Mean GOSPA (c = {settings.Cutoff.ToString(CultureInfo.InvariantCulture)} m, p = {settings.Order.ToString(CultureInfo.InvariantCulture)}, α = 2): [bold]{sets.MeanGospa:0.###}[/]   mean OSPA: {sets.MeanOspa:0.###}");
        Console.Out.WriteLine(siap.ToTable());
        return 0;
    }
}
