using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Defence.Assignment;
using Kizuna.Defence.Command;
using Kizuna.Defence.Tests.Weapons;
using Kizuna.Defence.Weapons;

namespace Kizuna.Defence.Tests.Assignment;

/// <summary>
/// The causes of wasted rounds in the default scenario (docs/benchmarks.md "Defence — default scenario"),
/// one test each: intercepts planned too close to (or after) the predicted end of flight, a second
/// shot before the first was assessed, re-engagement of a killed or ended track, and duplicate tracks
/// of one threat.
/// </summary>
public class WastedRoundTests
{
    private static readonly DateTime T0 = Geometry.T0;
    private static readonly TrackNumber Tn = new(101);

    private static Dictionary<TrackNumber, Affiliation> Hostile(params TrackNumber[] tracks) =>
        tracks.ToDictionary(t => t, _ => Affiliation.Hostile);

    /// <summary>Lower tier at the aim point, ready late: its only window is the last seconds of the descent (≈ 291.5–298.6 s).</summary>
    private static Battery[] LateLowerTier() =>
        [new("JPN-LT-1", Nation.Japan, Geometry.Site, WeaponCatalogue.LowerTier, 8, T0.AddSeconds(265))];

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(4.0, 0)]
    public void Plan_InterceptWithinMarginOfUncertainImpact_NotPlanned(double endSigmaS, int expectedShots)
    {
        // Latest intercept = End − (5 s + 3σ): 295 s with σ = 0 (the ≈ 291.5 s window stays), 283 s with σ = 4 s (none).
        var threat = EngagementPlannerTests.BallisticThreat(Tn, T0) with { EndSigmaS = endSigmaS };
        var plan = EngagementPlannerTests.SingleRoundPlanner().Plan(T0, [threat], LateLowerTier(), EngagementPlannerTests.AllFree, Hostile(Tn));

        Assert.Equal(expectedShots, plan.Shots.Length);
        Assert.All(plan.Shots, s => Assert.True(s.InterceptTime <= threat.Path.End.AddSeconds(-5 - (3 * endSigmaS)),
            $"intercept {s.InterceptTime:O} inside the margin before the predicted impact {threat.Path.End:O}"));
    }

    [Fact]
    public void LatestIntercept_DefaultOptions_IsEndMinusFiveSecondsAndThreeSigma()
    {
        var threat = EngagementPlannerTests.BallisticThreat(Tn, T0) with { EndSigmaS = 2.5 };

        Assert.Equal(T0.AddSeconds(300 - 5 - 7.5), EngagementPlannerOptions.Default.LatestIntercept(threat));
    }

    [Fact]
    public void Plan_RoundsAlreadyCommitted_NextRoundLaunchesOnlyAfterTheirLook()
    {
        var look = T0.AddSeconds(250);
        var looks = new Dictionary<TrackNumber, DateTime> { [Tn] = look };
        Battery[] lower = [new("JPN-LT-1", Nation.Japan, Geometry.Site, WeaponCatalogue.LowerTier, 8, T0)];

        var free = EngagementPlannerTests.SingleRoundPlanner().Plan(T0, [EngagementPlannerTests.BallisticThreat(Tn, T0)], lower, EngagementPlannerTests.AllFree, Hostile(Tn));
        var held = EngagementPlannerTests.SingleRoundPlanner().Plan(T0, [EngagementPlannerTests.BallisticThreat(Tn, T0)], lower, EngagementPlannerTests.AllFree, Hostile(Tn), null, looks);

        // Without the look the round goes at once (launch ≈ 223 s for the 273 s intercept); with it, not before 250 s.
        Assert.Contains(free.Shots, s => s.LaunchTime < look);
        var shot = Assert.Single(held.Shots);
        Assert.True(shot.LaunchTime >= look, $"launch {shot.LaunchTime:O} before the look {look:O}");
    }

    [Fact]
    public void PendingLooks_RoundInFlight_IsItsInterceptPlusAssessmentTime()
    {
        var batteries = EngagementPlannerTests.LayeredBatteries(T0);
        var plan = EngagementPlannerTests.SingleRoundPlanner().Plan(T0, [EngagementPlannerTests.BallisticThreat(Tn, T0)], batteries, EngagementPlannerTests.AllFree, Hostile(Tn));
        var coordinator = new EngagementCoordinator(batteries, EngagementPlannerTests.AllFree);
        var upper = plan.Shots.Single(s => s.Stage == ShotStage.Primary);
        var id = coordinator.Recommend(upper, Affiliation.Hostile, Actor.JointCommander("JFC", Nation.Usa), T0).Engagement!.Id;
        coordinator.Approve(id, Actor.NationalCommander("USA", Nation.Usa), T0);
        coordinator.Order(id, Actor.NationalCommander("USA", Nation.Usa), upper.LaunchTime);
        coordinator.Execute(id, Actor.Operator("op", Nation.Usa, upper.BatteryId), upper.LaunchTime);

        var looks = coordinator.PendingLooks(TimeSpan.FromSeconds(10));

        Assert.Equal(upper.InterceptTime.AddSeconds(10), looks[Tn]);
        coordinator.Assess(id, killed: true, Actor.SystemOf(Nation.Usa), upper.InterceptTime.AddSeconds(10));
        Assert.Empty(coordinator.PendingLooks(TimeSpan.FromSeconds(10)));
        Assert.Contains(Tn, coordinator.KilledThreats());
    }

    [Fact]
    public void Screen_KilledTrack_NotOfferedAgain()
    {
        var screen = new ThreatScreen();
        var threat = EngagementPlannerTests.BallisticThreat(Tn, T0);

        var r = screen.Screen(T0.AddSeconds(100), [threat], new HashSet<TrackNumber>(), new HashSet<TrackNumber> { Tn });

        Assert.Empty(r.Eligible);
        Assert.Equal(ScreenVerdict.Killed, r.Suppressed[Tn]);
    }

    [Fact]
    public void Screen_MissAfterPredictedImpact_TrackEndedForGood()
    {
        var screen = new ThreatScreen();
        var threat = EngagementPlannerTests.BallisticThreat(Tn, T0);
        Assert.Single(screen.Screen(T0.AddSeconds(280), [threat], new HashSet<TrackNumber>(), new HashSet<TrackNumber>()).Eligible);

        // A miss at 290 s: before End − 5 s = 295 s, so the track stays; a miss at 297 s ends it.
        Assert.False(screen.NoteMiss(Tn, T0.AddSeconds(290)));
        Assert.True(screen.NoteMiss(Tn, T0.AddSeconds(297)));

        // Even if a later (coasting) prediction moves its impact later again, the track is not engaged.
        var drifted = threat with { Path = new LinePath(Geometry.Frame, new Vec3(600_000, 0, 300_000), Vec3.Zero, T0.AddSeconds(30), T0.AddSeconds(330)) };
        var r = screen.Screen(T0.AddSeconds(298), [drifted], new HashSet<TrackNumber>(), new HashSet<TrackNumber>());
        Assert.Empty(r.Eligible);
        Assert.Equal(ScreenVerdict.Ended, r.Suppressed[Tn]);
    }

    [Fact]
    public void Screen_PredictedEndPassed_Ended()
    {
        var r = new ThreatScreen().Screen(T0.AddSeconds(301), [EngagementPlannerTests.BallisticThreat(Tn, T0)], new HashSet<TrackNumber>(), new HashSet<TrackNumber>());

        Assert.Equal(ScreenVerdict.Ended, r.Suppressed[Tn]);
    }

    [Fact]
    public void Screen_DuplicateOfEngagedTrack_SuppressedAndDistinctThreatKept()
    {
        var engaged = EngagementPlannerTests.BallisticThreat(new TrackNumber(205), T0);

        // Same missile seen as a second track: 2 km off, same impact within 3 s.
        var duplicate = new Threat(new TrackNumber(110), TrackKind.BallisticMissile,
            new LinePath(Geometry.Frame, new Vec3(602_000, 0, 300_000), new Vec3(1_000, 0, 0), T0, T0.AddSeconds(303)), "Tokyo", Nation.Japan, 100, 1);

        // A second missile 15 s behind on the same aim point: 30 km apart now, impact 15 s later.
        var second = new Threat(new TrackNumber(111), TrackKind.BallisticMissile,
            new LinePath(Geometry.Frame, new Vec3(600_000, 0, 300_000), Vec3.Zero, T0.AddSeconds(15), T0.AddSeconds(315)), "Tokyo", Nation.Japan, 100, 1);

        var r = new ThreatScreen().Screen(T0.AddSeconds(100), [duplicate, engaged, second], new HashSet<TrackNumber> { engaged.Track }, new HashSet<TrackNumber>());

        Assert.Equal([engaged.Track, second.Track], r.Eligible.Select(t => t.Track));
        Assert.Equal(ScreenVerdict.Duplicate, r.Suppressed[duplicate.Track]);
    }

    [Fact]
    public void Screen_DuplicateOfKilledTrack_Suppressed()
    {
        var killed = EngagementPlannerTests.BallisticThreat(new TrackNumber(205), T0);
        var ghost = new Threat(new TrackNumber(110), TrackKind.BallisticMissile,
            new LinePath(Geometry.Frame, new Vec3(601_000, 0, 300_000), Vec3.Zero, T0, T0.AddSeconds(301)), "Tokyo", Nation.Japan, 100, 1);

        var r = new ThreatScreen().Screen(T0.AddSeconds(100), [killed, ghost], new HashSet<TrackNumber>(), new HashSet<TrackNumber> { killed.Track });

        Assert.Empty(r.Eligible);
        Assert.Equal(ScreenVerdict.Duplicate, r.Suppressed[ghost.Track]);
    }

    [Fact]
    public void Screen_TwoUnengagedDuplicates_LowerTrackNumberKept()
    {
        var a = EngagementPlannerTests.BallisticThreat(new TrackNumber(300), T0);
        var b = EngagementPlannerTests.BallisticThreat(new TrackNumber(200), T0);

        var r = new ThreatScreen().Screen(T0.AddSeconds(100), [a, b], new HashSet<TrackNumber>(), new HashSet<TrackNumber>());

        Assert.Equal(new TrackNumber(200), Assert.Single(r.Eligible).Track);
    }
}

/// <summary>The duplicate group's representative and identity (issue 6 follow-up).</summary>
public sealed class ThreatScreenIdentityTests
{
    private static readonly DateTime T0 = Geometry.T0;

    [Fact]
    public void Screen_PendingDuplicateWithLowerNumberThanHostileTrack_HostileTrackKept()
    {
        // The same missile held as a pending track (lower number) and a hostile track: before, the pending track
        // represented the group, weapons tight forbade it, and the hostile track was suppressed: no shot at all.
        var hostile = EngagementPlannerTests.BallisticThreat(new TrackNumber(205), T0);
        var pending = new Threat(new TrackNumber(110), TrackKind.BallisticMissile,
            new LinePath(Geometry.Frame, new Vec3(602_000, 0, 300_000), new Vec3(1_000, 0, 0), T0, T0.AddSeconds(303)), "Tokyo", Nation.Japan, 100, 1);
        var identities = new Dictionary<TrackNumber, Affiliation> { [hostile.Track] = Affiliation.Hostile, [pending.Track] = Affiliation.Pending };

        var r = new ThreatScreen().Screen(T0.AddSeconds(100), [pending, hostile], new HashSet<TrackNumber>(), new HashSet<TrackNumber>(), identities);

        Assert.Equal([hostile.Track], r.Eligible.Select(t => t.Track));
        Assert.Equal(ScreenVerdict.Duplicate, r.Suppressed[pending.Track]);
    }
}
