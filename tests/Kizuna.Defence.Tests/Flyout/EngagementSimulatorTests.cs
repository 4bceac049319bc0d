using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Defence.Assignment;
using Kizuna.Defence.Command;
using Kizuna.Defence.Flyout;
using Kizuna.Defence.Tests.Assignment;
using Kizuna.Defence.Tests.Weapons;
using Kizuna.Defence.Weapons;

namespace Kizuna.Defence.Tests.Flyout;

public class EngagementSimulatorTests
{
    private static readonly DateTime T0 = Geometry.T0;
    private static readonly TrackNumber Tn = new(101);

    private static readonly WeaponType NearSurePk = WeaponType.Create("test upper tier Pk 0.99", WeaponClass.UpperTierExo,
        Length.FromKilometres(100), Length.FromKilometres(1200), Length.FromKilometres(100), Length.FromKilometres(600),
        Speed.FromMetresPerSecond(3000), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), Length.FromKilometres(5),
        new Dictionary<TrackKind, double> { [TrackKind.BallisticMissile] = 0.99 });

    private static (EngagementCoordinator, EngagementSimulator, EngagementPlan, LinePath) Run(WeaponType upper, int seed)
    {
        var path = Geometry.BallisticDescent(T0);
        var threat = new Threat(Tn, TrackKind.BallisticMissile, path, "Tokyo", Nation.Japan, 100, 1);
        Battery[] batteries =
        [
            new("USA-UT-1", Nation.Usa, Geometry.Site, upper, 4, T0),
            new("JPN-LT-1", Nation.Japan, Geometry.Site, WeaponCatalogue.LowerTier, 8, T0),
        ];
        var plan = EngagementPlannerTests.SingleRoundPlanner().Plan(T0, [threat], batteries, EngagementPlannerTests.AllFree,
            new Dictionary<TrackNumber, Affiliation> { [Tn] = Affiliation.Hostile });
        var coordinator = new EngagementCoordinator(batteries, EngagementPlannerTests.AllFree, [new PreDelegation(Nation.Usa, null, null), new PreDelegation(Nation.Japan, null, null)]);
        foreach (var shot in plan.Shots)
        {
            coordinator.Recommend(shot, Affiliation.Hostile, Actor.JointCommander("JFC", Nation.Usa), T0);
        }

        return (coordinator, new EngagementSimulator(coordinator, batteries, EngagementSimulatorOptions.Default with { Seed = seed }), plan, path);
    }

    [Fact]
    public void ShootLookShoot_PrimaryKills_ReservedRoundCancelledAndKept()
    {
        var (coordinator, simulator, plan, path) = Run(NearSurePk, 1);
        var outcomes = new List<InterceptOutcome>();
        for (var s = 0; s <= 300; s++)
        {
            outcomes.AddRange(simulator.Step(T0.AddSeconds(s), (_, t) => path.PositionEcefAt(t)));
        }

        var kill = Assert.Single(outcomes);
        Assert.True(kill.Killed);
        Assert.Equal("USA-UT-1", kill.BatteryId);
        Assert.True(kill.MissDistance < 3_000, $"miss {kill.MissDistance} m (1 s sampling of a 2.2 km/s path)");
        Assert.Equal(1, simulator.RoundsFired);
        Assert.Equal(8, simulator.Batteries.Single(b => b.Id == "JPN-LT-1").Inventory);
        var reserved = plan.Shots.Single(s => s.Stage == ShotStage.ShootLookShoot);
        Assert.Equal(EngagementStatus.Cancelled, coordinator.Get(reserved.Id)!.Status);
    }

    [Fact]
    public void ShootLookShoot_PrimaryMisses_ReservedRoundFiredAfterLook()
    {
        var (coordinator, simulator, plan, path) = Run(NearSurePk, 1);
        var upperIntercept = plan.Shots.Single(s => s.Stage == ShotStage.Primary).InterceptTime;
        var outcomes = new List<InterceptOutcome>();
        for (var s = 0; s <= 300; s++)
        {
            // Truth displaced 50 km from the prediction until the upper intercept: outside the divert radius.
            outcomes.AddRange(simulator.Step(T0.AddSeconds(s),
                (_, t) => t <= upperIntercept ? path.PositionEcefAt(t) + new Vec3(50_000, 0, 0) : path.PositionEcefAt(t)));
        }

        Assert.Equal(2, simulator.RoundsFired);
        Assert.Equal("outside divert", outcomes[0].Reason);
        Assert.Equal("JPN-LT-1", outcomes[1].BatteryId);
        var reserved = plan.Shots.Single(s => s.Stage == ShotStage.ShootLookShoot);
        var executing = coordinator.History.Single(e => e.Id == reserved.Id && e.Status == EngagementStatus.Executing);
        Assert.True(executing.Time >= reserved.LookTime);
        Assert.Contains(coordinator.Get(reserved.Id)!.Status, new[] { EngagementStatus.Killed, EngagementStatus.Missed });
    }

    [Fact]
    public void Outcomes_SameSeed_Repeat_DifferentSeeds_Differ()
    {
        static string Outcomes(int seed)
        {
            var (_, simulator, _, path) = Run(WeaponCatalogue.UpperTier, seed);
            var all = new List<InterceptOutcome>();
            for (var s = 0; s <= 300; s++)
            {
                all.AddRange(simulator.Step(T0.AddSeconds(s), (_, t) => path.PositionEcefAt(t)));
            }

            return string.Join(";", all.Select(o => $"{o.BatteryId}:{o.Killed}"));
        }

        Assert.Equal(Outcomes(11), Outcomes(11));
        var distinct = Enumerable.Range(1, 20).Select(Outcomes).Distinct().Count();
        Assert.True(distinct >= 2, "a Pk of 0.7 / 0.6 over 20 seeds gives more than one outcome pattern");
    }

    [Fact]
    public void Flyout_Midway_HalfwayAlongStraightLineAtAverageSpeed()
    {
        var f = new InterceptorFlyout("e", "b", Tn, new Vec3(0, 0, 0), new Vec3(30_000, 40_000, 0), T0, T0.AddSeconds(50), 0.5, 100);

        Assert.Equal(new Vec3(15_000, 20_000, 0), f.PositionAt(T0.AddSeconds(25)));
        Assert.Equal(1000, f.AverageSpeed, 9);
        Assert.Equal(f.InterceptPointEcef, f.PositionAt(T0.AddSeconds(80)));
    }
}
