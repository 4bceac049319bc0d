using System.ComponentModel;
using System.Globalization;
using Kizuna.Cli.Distributed;
using Kizuna.Core;
using Kizuna.Network.Sharing;
using Spectre.Console.Cli;

namespace Kizuna.Cli.Commands;

/// <summary>
/// <c>kizuna node --nation JPN --nats nats://127.0.0.1:4222 --creds JPN.creds.json &lt;scenario&gt;</c>:
/// one nation's node as its own process over NATS (<see cref="NodeRunner"/>). Writes
/// <c>NAT.picture.jsonl</c>, <c>NAT.journal</c>, <c>NAT.audit.jsonl</c> and <c>NAT.summary.json</c>
/// to <c>--out</c>, and prints its figures. Run it again with the same <c>--out</c> to restart
/// after a crash: it replays its journal from JetStream and continues.
/// </summary>
internal sealed class NodeCommand : AsyncCommand<NodeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<SCENARIO>")]
        [Description("Scenario file (every node of a run uses the same file).")]
        public string Scenario { get; init; } = "";

        [CommandOption("--nation <CODE>")]
        [Description("The node's nation (alpha-3).")]
        public string Nation { get; init; } = "";

        [CommandOption("--nats <URL>")]
        [Description("NATS server URL (default nats://127.0.0.1:4222).")]
        public string Nats { get; init; } = "nats://127.0.0.1:4222";

        [CommandOption("--creds <FILE>")]
        [Description("Credentials written by 'kizuna nats-config' (NAT.creds.json or nats.credentials.json).")]
        public string Creds { get; init; } = "";

        [CommandOption("--out <DIR>")]
        [Description("Output folder (default: runs/node).")]
        public string Out { get; init; } = Path.Combine("runs", "node");

        [CommandOption("--duration <SECONDS>")]
        [Description("Stop after this many simulated seconds.")]
        public double? Duration { get; init; }

        [CommandOption("--tracker-config <YAML>")]
        [Description("Tracker configuration (every node must use the same).")]
        public string? TrackerConfig { get; init; }

        [CommandOption("--partner-wait-ms <MS>")]
        [Description("Lock-step bound: a partner silent this long is skipped for the cycle (default 2000).")]
        public int PartnerWaitMs { get; init; } = 2000;

        [CommandOption("--pace <RATE>")]
        [Description("At most this many simulated seconds per wall second (default: as fast as lock-step allows).")]
        public double? Pace { get; init; }

        [CommandOption("--start-unix-ms <MS>")]
        [Description("Wall time of simulated t=0 for --pace, Unix ms (give every node, and a restarted node, the same).")]
        public long? StartUnixMs { get; init; }

        [CommandOption("--partition-at <SECONDS>")]
        [Description("Fault injection: drop the NATS connection at this simulated time.")]
        public double? PartitionAt { get; init; }

        [CommandOption("--partition-for <SECONDS>")]
        [Description("Fault injection: partition length in simulated seconds (default 60).")]
        public double PartitionFor { get; init; } = 60;

        [CommandOption("--partner-partition <NAT:AT:FOR>")]
        [Description("Fault injection known to this node: partner NAT is cut off from simulated time AT for FOR seconds (repeatable), e.g. JPN:20:60; give it to every partner of the node run with --partition-at.")]
        public string[] PartnerPartitions { get; init; } = [];

        [CommandOption("--partner-startup-ms <MS>")]
        [Description("Lock-step bound for a partner never heard from yet, still starting (default 60000).")]
        public int PartnerStartupMs { get; init; } = 60_000;

        [CommandOption("--rejoin-after <SECONDS>")]
        [Description("Re-join slot: a partner held absent is re-admitted this many simulated seconds (at least 3 cycles) after the cycle it was held at, the slot agreed on the wire (default 5).")]
        public double RejoinAfter { get; init; } = 5;

        [CommandOption("--rejoin-wait-ms <MS>")]
        [Description("How long (wall) a node waits at a re-join slot for the held partner before it moves the slot on (default: --partner-wait-ms).")]
        public int? RejoinWaitMs { get; init; }

        [CommandOption("--halt-after <CYCLES>")]
        [Description("Fault injection: after journaling this cycle the node stops publishing (keep-alive too) and hangs until killed; writes NAT.halted.")]
        public long? HaltAfter { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!Core.Nation.TryParse(settings.Nation, out var nation))
        {
            Console.Error.WriteLine($"kizuna node: --nation '{settings.Nation}' is not an alpha-3 nation code.");
            return KizunaApp.InvalidInput;
        }

        var scenario = ScenarioFiles.TryLoad(settings.Scenario, Console.Error);
        if (scenario is null)
        {
            return KizunaApp.InvalidInput;
        }

        if (!scenario.Nations.Contains(nation))
        {
            Console.Error.WriteLine($"kizuna node: {nation} is not a nation of scenario '{scenario.Name}'.");
            return KizunaApp.InvalidInput;
        }

        var credentials = NatsConfigCommand.ReadCredentials(settings.Creds, nation, Console.Error);
        var tracker = settings.TrackerConfig is null
            ? TrackCommand.Defaults.Ecef
            : TrackerConfig.TryLoad(settings.TrackerConfig, TrackCommand.Defaults.Ecef, Console.Error);
        if (credentials is null || tracker is null || settings.PartnerWaitMs < 1 || settings.PartnerStartupMs < 1 || settings.Pace <= 0
            || !(settings.RejoinAfter > 0) || settings.RejoinWaitMs < 1 || settings.HaltAfter < 1)
        {
            return KizunaApp.InvalidInput;
        }

        var partitions = new List<PartnerPartition>();
        foreach (var text in settings.PartnerPartitions)
        {
            if (!PartnerPartition.TryParse(text, out var pp) || pp.Partner == nation)
            {
                Console.Error.WriteLine($"kizuna node: --partner-partition '{text}' is not NAT:AT:FOR (a partner's alpha-3 code, start and length in simulated seconds).");
                return KizunaApp.InvalidInput;
            }

            partitions.Add(pp);
        }

        var agreements = scenario.AgreementsPath is { } ap ? AgreementFile.Load(ap) : SharingAgreements.None;
        await using var runner = new NodeRunner(new NodeRunOptions
        {
            Scenario = scenario,
            Nation = nation,
            Url = settings.Nats,
            Credentials = credentials,
            Tracker = tracker,
            Agreements = agreements,
            OutputDirectory = settings.Out,
            Duration = settings.Duration,
            PartnerSilence = TimeSpan.FromMilliseconds(settings.PartnerWaitMs),
            PartitionAt = settings.PartitionAt,
            PartitionFor = settings.PartitionFor,
            PartnerPartitions = [.. partitions],
            PartnerStartup = TimeSpan.FromMilliseconds(settings.PartnerStartupMs),
            Pace = settings.Pace,
            StartAt = settings.StartUnixMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
            RejoinAfter = settings.RejoinAfter,
            RejoinWait = TimeSpan.FromMilliseconds(settings.RejoinWaitMs ?? settings.PartnerWaitMs),
            HaltAfter = settings.HaltAfter,
        });
        var s = await runner.RunAsync(cancellationToken).ConfigureAwait(false);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{s.Nation}: {s.Cycles} cycles ({s.ReplayedCycles} replayed, {s.ReplayMismatches} replay mismatches), {s.LateCycles} late, {s.PictureTracks} picture tracks; "
            + $"{s.MessagesPublished} messages published, {s.ReleasedCopies} copies released, {s.BytesSent} bytes; {s.MessagesReceived} received; {s.WallSeconds:0.0} s wall."));
        return 0;
    }
}
