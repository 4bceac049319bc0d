using System.ComponentModel;
using Kizuna.Cli.Pipeline;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Motion;
using Kizuna.Tracking.Trackers;
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

        [CommandOption("--tracker-config <YAML>")]
        [Description("Tracker configuration (default: NCV + GNN in ECEF, time-based management).")]
        public string? TrackerConfig { get; init; }

        [CommandOption("--speed <FACTOR>")]
        [Description("0 = as fast as possible, 1 = real time, N = N× real time (default 20 with the web picture, 0 without).")]
        public double? Speed { get; init; }

        [CommandOption("--port <PORT>")]
        [Description("Web picture port on 127.0.0.1 (default 8080).")]
        public int Port { get; init; } = 8080;

        [CommandOption("--no-web")]
        [Description("Do not serve the web picture.")]
        public bool NoWeb { get; init; }

        [CommandOption("--headless")]
        [Description("Same as --no-web.")]
        public bool Headless { get; init; }

        [CommandOption("--record <FILE>")]
        [Description("Recording file (default runs/<scenario>-<utc stamp>.db).")]
        public string? Record { get; init; }

        [CommandOption("--no-record")]
        [Description("Do not record the run.")]
        public bool NoRecord { get; init; }

        /// <summary>True when the web picture is served.</summary>
        public bool Web => !NoWeb && !Headless;

        public override ValidationResult Validate() =>
            Port is < 0 or > 65535 ? ValidationResult.Error("--port must be 0..65535")
            : Speed is { } v && !(v >= 0 && v <= 1000) ? ValidationResult.Error("--speed must be in [0, 1000]")
            : ValidationResult.Success();
    }

    /// <summary>Track-to-truth association distance for the demo's SIAP table (m).</summary>
    internal const double SiapThreshold = 2_000;

    private static void PrintPicture(TrackingSink tracking)
    {
        var stats = tracking.Tracker.Statistics;
        var (median, p99) = tracking.LatencyPercentiles();
        AnsiConsole.Write(new Rule("[bold]Air picture[/]").LeftJustified());
        AnsiConsole.MarkupLineInterpolated(
            $"Tracker: {stats.DetectionsProcessed:N0} detections in {tracking.TrackerSeconds:0.00} s ({(tracking.TrackerSeconds > 0 ? stats.DetectionsProcessed / tracking.TrackerSeconds : 0):N0}/s), {stats.TracksConfirmed:N0} tracks confirmed; latency per 1 s step median {median:0.00} ms, p99 {p99:0.00} ms.");
        var siap = tracking.Siap(SiapThreshold);
        AnsiConsole.MarkupLineInterpolated($"SIAP over the run (within sensor coverage, association within {SiapThreshold:0} m, sampled every 10 s):");
        Console.Out.WriteLine(siap.ToTable());
        var kinds = new Table().AddColumns("object kind", "completeness", "ambiguity", "position accuracy (m)", "track number changes / h");
        foreach (var kind in new[] { ObjectKind.CivilAircraft, ObjectKind.Aircraft, ObjectKind.Ship, ObjectKind.CruiseMissile, ObjectKind.BallisticMissile })
        {
            var k = tracking.Siap(SiapThreshold, x => x == kind);
            if (k.SumJ == 0)
            {
                continue;
            }

            kinds.AddRow(CsvOutputSink.KindToken(kind), k.Completeness.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture),
                k.Ambiguity.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture),
                k.PositionAccuracy.ToString("0", System.Globalization.CultureInfo.InvariantCulture),
                (k.RateOfTrackNumberChange * 3600).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(kinds);
    }

    private static void PrintNetwork(Coalition.CoalitionRun coalition, Network.Sharing.InMemoryReleaseAuditLog audit)
    {
        AnsiConsole.Write(new Rule("[bold]Coalition network[/]").LeftJustified());
        var c = coalition.Bus.Counters;
        AnsiConsole.MarkupLineInterpolated($"In-process bus: {coalition.Cycles:N0} cycles, {c.Published:N0} messages published, {c.Delivered:N0} released copies delivered, {c.Refused:N0} releases refused ({audit.Entries.Count:N0} release decisions audited).");
        var table = new Table().AddColumns("node", "picture tracks", "reporting unit");
        foreach (var (nation, node) in coalition.Nodes)
        {
            table.AddRow(nation.Code, node.Picture.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), node.ReportingUnit.Code);
        }

        AnsiConsole.Write(table);
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var scenario = ScenarioFiles.TryLoad(settings.Scenario, Console.Error);
        if (scenario is null)
        {
            return KizunaApp.InvalidInput;
        }

        AnsiConsole.MarkupLineInterpolated($"[bold]Kizuna demo[/] — {scenario.Name}");
        var world = ExerciseWorld.Build(scenario);
        var speed = settings.Speed ?? (settings.Web ? 20 : 0);

        // With the web picture the live source paces the run (so it can pause); otherwise the engine does.
        var engine = new ExerciseEngine(world, new ExerciseOptions { Duration = settings.Duration, Speed = settings.Web ? 0 : speed });
        var trackerSettings = settings.TrackerConfig is null
            ? TrackCommand.Defaults.Ecef
            : Commands.TrackerConfig.TryLoad(settings.TrackerConfig, TrackCommand.Defaults.Ecef, Console.Error);
        if (trackerSettings is null)
        {
            return KizunaApp.InvalidInput;
        }

        using var hash = new HashingSink();
        var tracking = new TrackingSink(trackerSettings.Build(), scenario.Epoch, sampleInterval: 10);
        var agreements = scenario.AgreementsPath is { } ap ? Network.Sharing.AgreementFile.Load(ap) : Network.Sharing.SharingAgreements.None;
        var audit = new Network.Sharing.InMemoryReleaseAuditLog();
        await using var web = await Coalition.LivePictureDemo.StartAsync(settings, scenario, agreements, speed, audit, cancellationToken).ConfigureAwait(false);
        if (web is null)
        {
            return 1;
        }

        await using var coalition = new Coalition.CoalitionRun(scenario, trackerSettings, agreements, web.Audit, web.Stages, engine);
        var summary = await engine.RunAsync(new CompositeSink(hash, tracking, coalition), null, cancellationToken).ConfigureAwait(false);
        await web.RunFinishedAsync().ConfigureAwait(false);
        SummaryPrinter.Print(world, summary, hash.HexDigest, null);
        PrintPicture(tracking);
        PrintNetwork(coalition, audit);
        return await web.ServeReplayAsync(cancellationToken).ConfigureAwait(false);
    }
}
