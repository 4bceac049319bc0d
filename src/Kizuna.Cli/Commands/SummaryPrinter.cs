using Kizuna.Simulation.Engine;
using Spectre.Console;

namespace Kizuna.Cli.Commands;

/// <summary>Prints a run summary as tables.</summary>
internal static class SummaryPrinter
{
    public static void Print(ExerciseWorld world, ExerciseSummary summary, string? digest, string? outDir)
    {
        var s = world.Scenario;
        AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(s.Name)}[/]").LeftJustified());
        var objects = new Table().AddColumns("object kind", "count");
        foreach (var (kind, count) in world.CountByKind())
        {
            objects.AddRow(CsvOutputSink.KindToken(kind), count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        objects.AddRow("ADS-B equipped", world.AdsbEquippedCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AnsiConsole.Write(objects);

        var sensors = new Table().AddColumns("sensor", "nation", "type", "detections");
        foreach (var slot in world.Sensors)
        {
            summary.DetectionsBySensor.TryGetValue(slot.Definition.Id, out var n);
            sensors.AddRow(slot.Definition.Id, slot.Definition.Nation.Code, slot.Definition.Type.ToString(), n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(sensors);
        var rate = summary.WallSeconds > 0 ? summary.Detections / summary.WallSeconds : 0;
        AnsiConsole.MarkupLineInterpolated(
            $"Simulated [bold]{summary.SimulatedSeconds:0} s[/] in {summary.WallSeconds:0.00} s wall: {summary.Detections:N0} detections ({summary.FalseAlarms:N0} false alarms), {summary.TruthSamples:N0} truth samples, {summary.Events} events; {rate:N0} detections/s.");
        if (digest is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"Output digest (SHA-256): {digest}");
        }

        if (outDir is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"Wrote {Path.Combine(outDir, "truth.csv")}, {Path.Combine(outDir, "detections.csv")}, {Path.Combine(outDir, "events.csv")}.");
        }
    }
}
