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
        [Description("No web picture (same as --no-web); as fast as possible unless --speed is given.")]
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

        [CommandOption("--transport <KIND>")]
        [Description("inproc (default: one process) or nats (one node process per nation on a NATS server).")]
        public string Transport { get; init; } = "inproc";

        [CommandOption("--nats <URL>")]
        [Description("With --transport nats: use this server instead of starting one.")]
        public string? Nats { get; init; }


        [CommandOption("--summary <FILE>")]
        [Description("Write the machine-readable run summary (JSON, docs/formats.md \"Run summary\").")]
        public string? Summary { get; init; }

        [CommandOption("--without <NATION>")]
        [Description("Run without that nation's sensors, batteries and node (e.g. AUS).")]
        public string? Without { get; init; }
    }

    /// <summary>Track-to-truth association distance for the demo's SIAP table (m).</summary>
    internal const double SiapThreshold = 2_000;

    private static void PrintPicture(TrackingSink tracking)
    {
        var stats = tracking.Tracker.Statistics;
        var (median, p99) = tracking.LatencyPercentiles();
        AnsiConsole.Write(new Rule("[bold]Air picture[/]").LeftJustified());
        AnsiConsole.MarkupLineInterpolated(
            $"Tracker: {stats.DetectionsProcessed:N0} detections in {tracking.TrackerSeconds:0.00} s ({(tracking.TrackerSeconds > 0 ? stats.DetectionsProcessed / tracking.TrackerSeconds : 0):N0}/s), {stats.TracksConfirmed:N0} tracks confirmed; latency per 1 s step median {median:0.00} ms, p99 {p99:0.00} ms; out-of-sequence lag {tracking.Tracker.Options.OutOfSequenceLag.TotalSeconds:0.0} s, {stats.RejectedLate:N0} plots later than it rejected, {stats.OutOfSequenceUpdates:N0} used by retrodiction (out-of-sequence update).");
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
        AnsiConsole.MarkupLineInterpolated($"Node trackers: out-of-sequence lag {coalition.TrackerLag.TotalSeconds:0.0##} s (longest position-sensor latency + one cycle), so the picture predicts that far past the newest processed plot.");
        var table = new Table().AddColumns("node", "picture tracks", "reporting unit");
        foreach (var (nation, node) in coalition.Nodes)
        {
            table.AddRow(nation.Code, node.Picture.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), node.ReportingUnit.Code);
        }

        AnsiConsole.Write(table);
    }

    private static void PrintNetworkFigures(Coalition.CoalitionFigures f)
    {
        static string F(double x, string format = "0.000") => x.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
        AnsiConsole.MarkupLineInterpolated($"Per-node picture vs truth within coalition coverage ({f.ObjectsScored:N0} objects, association within {SiapThreshold:0} m, sampled every 10 s):");
        AnsiConsole.MarkupLine("(own only: a solo node of the same nation fed only its own sensors; >1 no.: objects that carried two numbers at once at that node)");
        var nodes = new Table().AddColumns("node", "compl.", "ambig.", "spur.", "pos. err (m)", ">1 no.", "own only", "gain");
        foreach (var n in f.Nodes)
        {
            nodes.AddRow(n.Nation.Code, F(n.Siap.Completeness), F(n.Siap.Ambiguity), F(n.Siap.Spuriousness), F(n.Siap.PositionAccuracy, "0"),
                n.ObjectsWithSeveralNumbers.ToString(System.Globalization.CultureInfo.InvariantCulture),
                n.SoloSiap is { } s ? F(s.Completeness) : "-",
                n.SoloSiap is { } s2 ? F(n.Siap.Completeness - s2.Completeness, "+0.000;-0.000") : "-");
        }

        AnsiConsole.Write(nodes);
        AnsiConsole.MarkupLineInterpolated(
            $"Commonality across nodes: {F(f.Commonality.Value)} ({f.Commonality.TotalAgreeingPairs:N0} of {f.Commonality.TotalPairs:N0} node pairs holding an object agree on its number).");
        AnsiConsole.MarkupLineInterpolated(
            $"Commonality over released pairs: {F(f.ReleasedCommonality.Value)} ({f.ReleasedCommonality.TotalAgreeingPairs:N0} of {f.ReleasedCommonality.TotalPairs:N0} pairs between which the agreements let the object's track flow).");
        AnsiConsole.MarkupLineInterpolated(
            $"One number per object: {f.ObjectsWithSeveralNumbersAcrossNodes:N0} of {f.ObjectsHeld:N0} held objects carried more than one number across the nodes at some sample ({F(f.HeldSamples == 0 ? 0 : (double)f.SamplesWithSeveralNumbersAcrossNodes / f.HeldSamples, "0.0%")} of held samples); solo nodes took {F(f.SoloSeconds, "0.0")} s.");
    }

    /// <summary>The defence figures per raid and per nation (docs/defence.md "In the run").</summary>
    private static void PrintDefence(Coalition.DefenceFigures d)
    {
        static string S(double v) => double.IsFinite(v) ? v.ToString("0", System.Globalization.CultureInfo.InvariantCulture) : "—";
        AnsiConsole.Write(new Rule("[bold]Defence[/]").LeftJustified());
        AnsiConsole.MarkupLineInterpolated(
            $"Joint commander {d.JointCommander.Code}; simulated commanders decide after {S(d.DecisionDelayS)} s. {d.Threats} missiles, {d.Engaged} engaged, {d.InterceptorsUsed} interceptors used, {d.Leakers} leakers, defended value lost {S(d.DefendedValueLost)}; {d.Recommended} engagements recommended, {d.AuditEntries} audit entries ({d.RefusedActions} refused).");
        var raids = new Table().AddColumns("raid", "missiles", "engaged", "interceptors", "destroyed", "leakers", "value lost", "warning time per nation (min / median s)", "decision latency (median / max s, n)");
        foreach (var r in d.Raids)
        {
            raids.AddRow(r.Raid, $"{r.Threats}", $"{r.Engaged}", $"{r.InterceptorsUsed}", $"{r.Destroyed}", $"{r.Leakers}", S(r.DefendedValueLost),
                string.Join("; ", r.Warning.Select(x => $"{x.Nation.Code} {S(x.MinS)} / {S(x.MedianS)} ({x.ThreatsWarned})")),
                $"{S(r.DecisionLatencyMedianS)} / {S(r.DecisionLatencyMaxS)} ({r.Decisions})");
        }

        AnsiConsole.Write(raids);
        var nations = new Table().AddColumns("nation", "alerts issued", "warned of", "warning min / median (s)", "interceptors used / left", "approved (pre-delegated)", "decision latency median (s)", "value lost");
        foreach (var n in d.Nations)
        {
            nations.AddRow(n.Nation.Code, $"{n.AlertsIssued}", $"{n.Warning.ThreatsWarned}", $"{S(n.Warning.MinS)} / {S(n.Warning.MedianS)}",
                $"{n.InterceptorsUsed} / {n.InterceptorsLeft}", $"{n.Approved} ({n.PreDelegated})", S(n.DecisionLatencyMedianS), S(n.ValueLost));
        }

        AnsiConsole.Write(nations);
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Transport == "nats")
        {
            return await Distributed.DistributedDemo.RunAsync(settings.Scenario, settings.Duration, settings.Nats, cancellationToken).ConfigureAwait(false);
        }

        if (settings.Transport != "inproc")
        {
            Console.Error.WriteLine($"kizuna demo: --transport must be inproc or nats, not '{settings.Transport}'.");
            return KizunaApp.InvalidInput;
        }

        var scenario = ScenarioFiles.TryLoad(settings.Scenario, Console.Error);
        if (scenario is null)
        {
            return KizunaApp.InvalidInput;
        }

        if (settings.Without is { } without)
        {
            if (!Core.Nation.TryParse(without, out var left) || !scenario.Nations.Contains(left))
            {
                await Console.Error.WriteLineAsync($"--without: '{without}' is not a nation of the scenario.").ConfigureAwait(false);
                return KizunaApp.InvalidInput;
            }

            scenario = Coalition.DefenceSetup.Without(scenario, left);
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
        // The single tracker of the SIAP table takes late plots (ADS-B) in time order, as the nodes do.
        var tracking = new TrackingSink(Coalition.ScenarioTrackerLag.Apply(trackerSettings, scenario, Coalition.ScenarioTrackerLag.DefaultCycle).Build(), scenario.Epoch, sampleInterval: 10);
        var agreements = scenario.AgreementsPath is { } ap ? Network.Sharing.AgreementFile.Load(ap) : Network.Sharing.SharingAgreements.None;
        var audit = new Network.Sharing.InMemoryReleaseAuditLog();
        var defence = new Coalition.DefenceStage(scenario);
        var networkFigures = new Coalition.NetworkFigures(sampleInterval: 10, SiapThreshold, trackerSettings);
        await using var web = await Coalition.LivePictureDemo.StartAsync(settings, scenario, agreements, speed, audit, defence, cancellationToken).ConfigureAwait(false);
        if (web is null)
        {
            return 1;
        }

        await using var coalition = new Coalition.CoalitionRun(scenario, trackerSettings, agreements, web.Audit, [defence, networkFigures, .. web.Stages], engine);
        var summary = await engine.RunAsync(new CompositeSink(hash, tracking, coalition), null, cancellationToken).ConfigureAwait(false);
        await web.RunFinishedAsync().ConfigureAwait(false);
        SummaryPrinter.Print(world, summary, hash.HexDigest, null);
        PrintPicture(tracking);
        PrintNetwork(coalition, audit);
        PrintNetworkFigures(networkFigures.Compute());
        var figures = defence.Figures();
        PrintDefence(figures);
        if (settings.Summary is { } summaryPath)
        {
            await File.WriteAllTextAsync(summaryPath, Coalition.DefenceSummary.ToJson(scenario, settings.Without is { } w ? [w.ToUpperInvariant()] : [],
                summary, hash.HexDigest, tracking, coalition, figures, SiapThreshold), cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLineInterpolated($"Run summary written to {summaryPath}.");
        }

        return await web.ServeReplayAsync(cancellationToken).ConfigureAwait(false);
    }
}
