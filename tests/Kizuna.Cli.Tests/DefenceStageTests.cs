using System.Text.Json.Nodes;
using Kizuna.Cli.Coalition;
using Kizuna.Cli.Pipeline;
using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Defence.Command;
using Kizuna.Server.Picture;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Scenario;
using Kizuna.TestSupport;

namespace Kizuna.Cli.Tests;

/// <summary>
/// One short, seeded coalition run with the defence stage: the first raid's ballistic missiles of
/// scenarios/trilateral-defence.yaml, launched from t = 20 s, no background traffic, no cruise salvo,
/// no injects (to keep the run a few seconds), all three nations, sensors, batteries and command.
/// </summary>
public sealed class DefenceRunFixture : IAsyncLifetime
{
    internal DefenceRun Run { get; private set; } = null!;

    internal static ScenarioDefinition ShortScenario()
    {
        var full = ScenarioLoader.Load(Paths.InRepo("scenarios", "trilateral-defence.yaml"));
        var raid = full.Raids.Single(r => r.Id == "red-raid-1");
        var ballistic = raid.Launches.Where(l => l.Type == ThreatType.Ballistic).Select(l => l with { Time = l.Time - 280 }).ToArray();
        var scenario = full with { BackgroundTraffic = null, Injects = [], Raids = [raid with { Launches = [.. ballistic] }] };
        var world = ExerciseWorld.Build(scenario);
        var end = world.Objects.Where(o => o.IsRed).Max(o => o.Trajectory.EndTime);
        return scenario with { Duration = Math.Ceiling(end) + 20 };
    }

    internal static async Task<DefenceRun> RunAsync(ScenarioDefinition scenario, CancellationToken cancellationToken)
    {
        var world = ExerciseWorld.Build(scenario);
        var engine = new ExerciseEngine(world, new ExerciseOptions());
        var settings = Commands.TrackCommand.Defaults.Ecef;
        var tracking = new TrackingSink(settings.Build(), scenario.Epoch, sampleInterval: 10);
        var agreements = scenario.AgreementsPath is { } ap ? Network.Sharing.AgreementFile.Load(ap) : Network.Sharing.SharingAgreements.None;
        var stage = new DefenceStage(scenario);
        var probe = new ClassificationProbe(stage, Nation.Usa);
        using var hash = new HashingSink();
        await using var coalition = new CoalitionRun(scenario, settings, agreements, new Network.Sharing.InMemoryReleaseAuditLog(), [stage, probe], engine);
        var summary = await engine.RunAsync(new CompositeSink(hash, tracking, coalition), null, cancellationToken);
        var figures = stage.Figures();
        var json = DefenceSummary.ToJson(scenario, [], summary, hash.HexDigest, tracking, coalition, figures, 2_000);
        return new DefenceRun(world, stage, figures, json, probe.Seen);
    }

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => Run = await RunAsync(ShortScenario(), CancellationToken.None);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

internal sealed record DefenceRun(ExerciseWorld World, DefenceStage Stage, DefenceFigures Figures, string Json,
    IReadOnlyDictionary<TrackNumber, (TrackKind Kind, Affiliation Affiliation)> UsaClassifications);

/// <summary>Records, every cycle, the defence stage's classification of each track in one nation's picture (the web picture's source).</summary>
internal sealed class ClassificationProbe(DefenceStage stage, Nation nation) : ICoalitionStage
{
    public Dictionary<TrackNumber, (TrackKind Kind, Affiliation Affiliation)> Seen { get; } = [];

    public void OnCycle(CoalitionRun run, CoalitionCycle cycle)
    {
        foreach (var t in cycle.Nodes[nation].Picture)
        {
            if (stage.ClassificationOf(nation, t.Number) is { } c)
            {
                Seen[t.Number] = c;
            }
        }
    }
}

public sealed class DefenceStageTests(DefenceRunFixture fixture, ITestOutputHelper output) : IClassFixture<DefenceRunFixture>
{
    private DefenceRun Run => fixture.Run;

    [Fact]
    public async Task DefenceRun_SameSeedTwice_SameSummary()
    {
        var again = await DefenceRunFixture.RunAsync(DefenceRunFixture.ShortScenario(), TestContext.Current.CancellationToken);
        Assert.Equal(Deterministic(Run.Json), Deterministic(again.Json));
    }

    [Fact]
    public void FirstRaid_AlertsToJapan_IssuedBeforeImpactWithPositiveWarningTime()
    {
        output.WriteLine(Run.Json);
        var raid = Run.Figures.Raids.Single(r => r.Raid == "red-raid-1");
        var jpn = raid.Warning.Single(w => w.Nation == Nation.Japan);
        Assert.True(jpn.ThreatsWarned >= 1, "JPN was warned of no missile of the first raid");
        Assert.True(jpn.MinS > 0, $"shortest predicted warning time {jpn.MinS} s");
        Assert.True(jpn.BeforeActualEndS > 0, $"an alert reached JPN only {jpn.BeforeActualEndS} s before the missile's actual end");
    }

    [Fact]
    public void FirstRaid_Engagement_ApprovedByOwnerExecutedAndKillRemovesTruth()
    {
        var audit = Run.Stage.Coordinator!.Audit;
        var approvedByOwner = audit.Where(a => a.Accepted && a.Action == CommandAction.Approve
            && a.Actor.Role == CommandRole.NationalAirDefenceCommander
            && a.Actor.Nation == Run.Stage.Coordinator.Get(a.EngagementId)!.Owner).Select(a => a.EngagementId).ToHashSet();
        var executed = audit.Where(a => a.Accepted && a.Action == CommandAction.Execute).Select(a => a.EngagementId).ToHashSet();
        Assert.Contains(approvedByOwner, executed.Contains);

        var kill = Run.Stage.Intercepts.FirstOrDefault(i => i.Killed && i.Destroyed);
        Assert.NotNull(kill);
        var truth = Run.World.Objects[kill.Truth - 1];
        var t = (kill.Time - Run.World.Scenario.Epoch).TotalSeconds;
        Assert.True(truth.IsRed);
        Assert.False(truth.Trajectory.TryGetState(t + 1, out _), "the killed object still has a state after the intercept");
        Assert.True(truth.Trajectory.TryGetState(t - 5, out _), "the killed object had no state before the intercept");
    }

    [Fact]
    public void ClassificationOf_EngagedThreat_IsTheJointCommandersHostileBallisticCall()
    {
        var stage = fixture.Run.Stage;
        var engaged = stage.EngagementsFor(Nation.Usa).Select(e => e.Threat).Distinct().ToArray();
        Assert.NotEmpty(engaged);

        // Only hostile threats are engaged under weapons tight, and the raid is ballistic: while the
        // tracks lived, the web picture's source showed the classifying nation's call, not the
        // node's Unknown / Pending.
        foreach (var tn in engaged)
        {
            Assert.True(fixture.Run.UsaClassifications.TryGetValue(tn, out var c), $"track {tn} was never classified");
            Assert.Equal((TrackKind.BallisticMissile, Affiliation.Hostile), c);
        }

        Assert.Null(stage.ClassificationOf(Nation.Usa, new TrackNumber(99_999)));
    }

    [Fact]
    public void Audit_JapaneseBatteryEngagements_ApprovedOrderedOnlyByJapan()
    {
        var coordinator = Run.Stage.Coordinator!;
        var jpnEngagements = coordinator.Current.Where(e => e.Owner == Nation.Japan).Select(e => e.Id).ToHashSet();
        Assert.NotEmpty(jpnEngagements);

        // A USA commander tries to decide one of them through the web seam: refused and audited.
        var target = jpnEngagements.Order(StringComparer.Ordinal).First();
        var before = coordinator.Audit.Count;
        Assert.False(Run.Stage.Decide(target, Nation.Usa, ViewerRole.Commander, approve: true).Accepted);
        Assert.Equal(before + 1, coordinator.Audit.Count);
        Assert.False(coordinator.Audit[^1].Accepted);

        foreach (var a in coordinator.Audit.Where(a => a.Accepted && jpnEngagements.Contains(a.EngagementId)
            && a.Action is CommandAction.Approve or CommandAction.Deny or CommandAction.Order or CommandAction.Execute))
        {
            Assert.Equal(Nation.Japan, a.Actor.Nation);
            Assert.NotEqual(CommandRole.JointForceCommander, a.Actor.Role);
        }
    }

    [Fact]
    public void Summary_Json_HasEveryDocumentedField()
    {
        var root = JsonNode.Parse(Run.Json)!.AsObject();
        Assert.Equal(DefenceSummary.Schema, (string?)root["schema"]);
        string[] paths =
        [
            "scenario.name", "scenario.seed", "scenario.nations", "scenario.without",
            "exercise.simulated_s", "exercise.wall_s", "exercise.detections", "exercise.false_alarms", "exercise.truth_samples", "exercise.events", "exercise.truth_sha256",
            "tracking.detections_processed", "tracking.tracks_confirmed", "tracking.tracker_s", "tracking.step_latency_median_ms", "tracking.step_latency_p99_ms",
            "tracking.siap_threshold_m", "tracking.siap_completeness", "tracking.siap_ambiguity", "tracking.siap_spuriousness", "tracking.siap_position_accuracy_m",
            "tracking.siap_track_number_changes_per_h",
            "network.cycles", "network.published", "network.delivered", "network.refused", "network.nodes",
            "defence.joint_commander", "defence.decision_delay_s", "defence.threats", "defence.threats_engaged", "defence.interceptors_used", "defence.interceptors_wasted", "defence.interceptors_overkill",
            "defence.destroyed", "defence.tracks_suppressed", "defence.leakers",
            "defence.defended_value_lost", "defence.engagements_recommended", "defence.audit_entries", "defence.refused_actions", "defence.raids", "defence.nations",
        ];
        foreach (var path in paths)
        {
            JsonNode? node = root;
            foreach (var part in path.Split('.'))
            {
                Assert.True(node!.AsObject().ContainsKey(part), $"missing {path}");
                node = node[part];
            }
        }

        var raid = root["defence"]!["raids"]![0]!.AsObject();
        foreach (var key in new[] { "raid", "threats", "threats_engaged", "interceptors_used", "destroyed", "leakers", "defended_value_lost", "decision_latency_median_s", "decision_latency_max_s", "decisions", "warning" })
        {
            Assert.True(raid.ContainsKey(key), $"raid missing {key}");
        }

        var nation = root["defence"]!["nations"]![0]!.AsObject();
        foreach (var key in new[] { "nation", "alerts_issued", "interceptors_used", "interceptors_left", "engagements_approved", "engagements_pre_delegated", "decision_latency_median_s", "value_lost", "warning" })
        {
            Assert.True(nation.ContainsKey(key), $"nation missing {key}");
        }

        var warning = raid["warning"]![0]!.AsObject();
        foreach (var key in new[] { "nation", "threats_warned", "min_s", "median_s", "min_before_actual_end_s" })
        {
            Assert.True(warning.ContainsKey(key), $"warning missing {key}");
        }
    }

    /// <summary>The summary without its wall-clock fields (run time, tracker CPU time, step latencies).</summary>
    private static string Deterministic(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        root["exercise"]!.AsObject().Remove("wall_s");
        foreach (var k in new[] { "tracker_s", "step_latency_median_ms", "step_latency_p99_ms" })
        {
            root["tracking"]!.AsObject().Remove(k);
        }

        return root.ToJsonString();
    }
}
