using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Defence.Assignment;
using Kizuna.Defence.Command;
using Kizuna.Defence.Tests.Weapons;
using Kizuna.Defence.Weapons;

namespace Kizuna.Defence.Tests.Assignment;

public class EngagementPlannerTests
{
    private static readonly DateTime T0 = Geometry.T0;
    private static readonly TrackNumber Tn = new(101);

    internal static Threat BallisticThreat(TrackNumber tn, DateTime start) =>
        new(tn, TrackKind.BallisticMissile, Geometry.BallisticDescent(start), "Tokyo", Nation.Japan, 100, 1);

    internal static Battery[] LayeredBatteries(DateTime ready) =>
    [
        new("USA-UT-1", Nation.Usa, Geometry.Site, WeaponCatalogue.UpperTier, 4, ready),
        new("JPN-LT-1", Nation.Japan, Geometry.Site, WeaponCatalogue.LowerTier, 8, ready),
    ];

    internal static readonly RulesOfEngagement AllFree = RulesOfEngagement.AllHold
        .WithStatus(Nation.Usa, WeaponControlStatus.Free)
        .WithStatus(Nation.Japan, WeaponControlStatus.Free);

    internal static EngagementPlanner SingleRoundPlanner() =>
        new(EngagementPlannerOptions.Default with { MaxRoundsPerPair = 1 });

    private static Dictionary<TrackNumber, Affiliation> Identity(Affiliation a) => new() { [Tn] = a };

    [Fact]
    public void Plan_UpperAndLowerTier_ReservesLowerTierForLookAfterUpperIntercept()
    {
        var plan = SingleRoundPlanner().Plan(T0, [BallisticThreat(Tn, T0)], LayeredBatteries(T0), AllFree, Identity(Affiliation.Hostile));

        var upper = Assert.Single(plan.Shots, s => s.WeaponClass == WeaponClass.UpperTierExo);
        var lower = Assert.Single(plan.Shots, s => s.WeaponClass == WeaponClass.LowerTierEndo);
        Assert.Equal(ShotStage.Primary, upper.Stage);
        Assert.Equal(ShotStage.ShootLookShoot, lower.Stage);
        Assert.Equal(upper.InterceptTime + TimeSpan.FromSeconds(10), lower.LookTime);
        Assert.True(lower.LaunchTime >= lower.LookTime, "the second round launches only after the look");
        Assert.True(lower.InterceptTime > upper.InterceptTime);
        // Expected value saved = 100 (1 − 0.3 · 0.4); expected rounds = 1 + 0.3.
        Assert.Equal(88.0, plan.ExpectedValueSaved, 9);
        Assert.Equal(1.3, plan.ExpectedRounds, 9);
    }

    [Fact]
    public void Plan_ShootLookShootOff_BothRoundsPrimary()
    {
        var planner = new EngagementPlanner(EngagementPlannerOptions.Default with { MaxRoundsPerPair = 1, ShootLookShoot = false });
        var plan = planner.Plan(T0, [BallisticThreat(Tn, T0)], LayeredBatteries(T0), AllFree, Identity(Affiliation.Hostile));

        Assert.Equal(2, plan.Shots.Length);
        Assert.All(plan.Shots, s => Assert.Equal(ShotStage.Primary, s.Stage));
        Assert.Equal(2.0, plan.ExpectedRounds, 9);
    }

    [Theory]
    [InlineData(WeaponControlStatus.Hold, Affiliation.Hostile, 0)]
    [InlineData(WeaponControlStatus.Tight, Affiliation.Unknown, 0)]
    [InlineData(WeaponControlStatus.Tight, Affiliation.Suspect, 0)]
    [InlineData(WeaponControlStatus.Tight, Affiliation.Hostile, 2)]
    [InlineData(WeaponControlStatus.Free, Affiliation.Unknown, 2)]
    [InlineData(WeaponControlStatus.Free, Affiliation.Neutral, 0)]
    public void Plan_RulesOfEngagement_DecideWhichRoundsArePlanned(WeaponControlStatus status, Affiliation identity, int expectedShots)
    {
        var roe = RulesOfEngagement.AllHold.WithStatus(Nation.Usa, status).WithStatus(Nation.Japan, status);
        var plan = SingleRoundPlanner().Plan(T0, [BallisticThreat(Tn, T0)], LayeredBatteries(T0), roe, Identity(identity));

        Assert.Equal(expectedShots, plan.Shots.Length);
    }

    [Fact]
    public void Plan_JapanHoldAreaAroundSite_OnlyUsaUpperTierFires()
    {
        var roe = AllFree.WithArea(new RoeArea("Kanto", Nation.Japan, Geometry.Site, Length.FromKilometres(100), WeaponControlStatus.Hold));
        var plan = SingleRoundPlanner().Plan(T0, [BallisticThreat(Tn, T0)], LayeredBatteries(T0), roe, Identity(Affiliation.Hostile));

        var only = Assert.Single(plan.Shots);
        Assert.Equal("USA-UT-1", only.BatteryId);
        Assert.Equal(ShotStage.Primary, only.Stage);
    }

    [Fact]
    public void Plan_CommittedSurvival_DoesNotRebuyCommittedRounds()
    {
        var committed = new Dictionary<TrackNumber, double> { [Tn] = 0.0 };
        var plan = SingleRoundPlanner().Plan(T0, [BallisticThreat(Tn, T0)], LayeredBatteries(T0), AllFree, Identity(Affiliation.Hostile), committed);

        Assert.Empty(plan.Shots);
    }

    [Fact]
    public void Plan_EmptyMagazine_NoRoundsFromThatBattery()
    {
        var batteries = LayeredBatteries(T0);
        batteries[0] = batteries[0] with { Inventory = 0 };
        var plan = SingleRoundPlanner().Plan(T0, [BallisticThreat(Tn, T0)], batteries, AllFree, Identity(Affiliation.Hostile));

        Assert.All(plan.Shots, s => Assert.Equal("JPN-LT-1", s.BatteryId));
    }

    [Fact]
    public void Plan_TwoThreatsOneRound_RoundGoesToHigherValue()
    {
        var far = Geodetic.FromDegrees(35.60, 139.70, 0);
        var frame = new EnuFrame(far);
        var low = new Threat(new TrackNumber(1), TrackKind.CruiseMissile,
            new LinePath(frame, new Vec3(40_000, 0, 50), new Vec3(0, 0, 50), T0, T0.AddSeconds(170)), "depot", Nation.Japan, 10, 1);
        var high = new Threat(new TrackNumber(2), TrackKind.CruiseMissile,
            new LinePath(frame, new Vec3(0, 40_000, 50), new Vec3(0, 0, 50), T0, T0.AddSeconds(170)), "base", Nation.Japan, 50, 2);
        Battery[] one = [new("JPN-SR-1", Nation.Japan, far, WeaponCatalogue.ShortRange, 1, T0)];
        var ids = new Dictionary<TrackNumber, Affiliation> { [low.Track] = Affiliation.Hostile, [high.Track] = Affiliation.Hostile };

        var plan = new EngagementPlanner().Plan(T0, [low, high], one, AllFree, ids);

        var shot = Assert.Single(plan.Shots);
        Assert.Equal(high.Track, shot.Threat);
    }
}
