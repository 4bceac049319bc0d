using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Defence.Assignment;
using Kizuna.Defence.Command;
using Kizuna.Defence.Flyout;
using Kizuna.Defence.Tests.Assignment;
using Kizuna.Defence.Tests.Weapons;
using Kizuna.Defence.Weapons;

namespace Kizuna.Defence.Tests.Command;

public class EngagementCoordinatorTests
{
    private static readonly DateTime T0 = Geometry.T0;
    private static readonly TrackNumber Tn = new(101);
    private static readonly Actor Joint = Actor.JointCommander("JFC", Nation.Usa);
    private static readonly Actor UsaCommander = Actor.NationalCommander("USA AADC", Nation.Usa);
    private static readonly Actor JpnCommander = Actor.NationalCommander("JPN AADC", Nation.Japan);

    private static (EngagementCoordinator Coordinator, Battery[] Batteries, PlannedShot Jpn, PlannedShot Usa) Setup(
        IEnumerable<PreDelegation>? delegations = null)
    {
        var batteries = EngagementPlannerTests.LayeredBatteries(T0);
        var plan = EngagementPlannerTests.SingleRoundPlanner().Plan(
            T0, [EngagementPlannerTests.BallisticThreat(Tn, T0)], batteries, EngagementPlannerTests.AllFree,
            new Dictionary<TrackNumber, Affiliation> { [Tn] = Affiliation.Hostile });
        var coordinator = new EngagementCoordinator(batteries, EngagementPlannerTests.AllFree, delegations);
        return (coordinator, batteries, plan.Shots.Single(s => s.Owner == Nation.Japan), plan.Shots.Single(s => s.Owner == Nation.Usa));
    }

    [Fact]
    public void ApproveAndOrder_JapaneseBatteryByUsaOrJointCommander_RefusedAuditedAndNoShot()
    {
        var (coordinator, batteries, jpnShot, _) = Setup();
        var rec = coordinator.Recommend(jpnShot, Affiliation.Hostile, Joint, T0);
        Assert.True(rec.Accepted);
        var id = rec.Engagement!.Id;

        var byUsa = coordinator.Approve(id, UsaCommander, T0.AddSeconds(1));
        var byJoint = coordinator.Approve(id, Joint, T0.AddSeconds(2));
        var orderByUsa = coordinator.Order(id, UsaCommander, T0.AddSeconds(3));
        var launchByUsaOperator = coordinator.Execute(id, Actor.Operator("USA op", Nation.Usa, "JPN-LT-1"), T0.AddSeconds(4));

        Assert.False(byUsa.Accepted);
        Assert.False(byJoint.Accepted);
        Assert.False(orderByUsa.Accepted);
        Assert.False(launchByUsaOperator.Accepted);
        Assert.Contains("JPN", byUsa.Reason, StringComparison.Ordinal);
        Assert.Equal(EngagementStatus.Recommended, coordinator.Get(id)!.Status);

        var refused = coordinator.Audit.Where(a => !a.Accepted && a.EngagementId == id).ToList();
        Assert.Equal(4, refused.Count);
        Assert.Contains(refused, a => a.Actor == UsaCommander && a.Action == CommandAction.Approve && a.Time == T0.AddSeconds(1));
        Assert.Contains(refused, a => a.Actor == Joint && a.Action == CommandAction.Approve && a.Reason.Length > 0);
        Assert.All(refused, a => Assert.Equal(EngagementStatus.Recommended, a.To));

        // The simulator runs through the whole flight of the threat: nothing may be launched.
        var simulator = new EngagementSimulator(coordinator, batteries);
        for (var s = 0; s <= 300; s++)
        {
            simulator.Step(T0.AddSeconds(s));
        }

        Assert.Equal(0, simulator.RoundsFired);
        Assert.Empty(simulator.InFlight);
        Assert.Equal(8, simulator.Batteries.Single(b => b.Id == "JPN-LT-1").Inventory);
        Assert.DoesNotContain(coordinator.History, e => e.Id == id && e.Status is EngagementStatus.Ordered or EngagementStatus.Executing);
    }

    [Fact]
    public void Workflow_OwnerApproves_RecordsEveryTransitionInOrder()
    {
        var (coordinator, batteries, _, usaShot) = Setup();
        var id = coordinator.Recommend(usaShot, Affiliation.Hostile, Joint, T0).Engagement!.Id;
        Assert.True(coordinator.Approve(id, UsaCommander, T0.AddSeconds(2)).Accepted);
        var simulator = new EngagementSimulator(coordinator, batteries, EngagementSimulatorOptions.Default with { Seed = 3 });
        for (var s = 0; s <= 200; s++)
        {
            simulator.Step(T0.AddSeconds(s));
        }

        var statuses = coordinator.History.Where(e => e.Id == id).Select(e => e.Status).ToArray();
        Assert.Equal(EngagementStatus.Recommended, statuses[0]);
        Assert.Equal(EngagementStatus.Approved, statuses[1]);
        Assert.Equal(EngagementStatus.Ordered, statuses[2]);
        Assert.Equal(EngagementStatus.Executing, statuses[3]);
        Assert.Contains(statuses[4], new[] { EngagementStatus.Killed, EngagementStatus.Missed });
        Assert.Equal("USA/NationalAirDefenceCommander/USA AADC", coordinator.History.First(e => e.Id == id && e.Status == EngagementStatus.Approved).DecidedBy);
        Assert.All(coordinator.History, e => Assert.True(e.Marking.IsReleasableTo(Nation.Japan)));
        Assert.Equal(1, simulator.RoundsFired);
        Assert.Equal(5, coordinator.TakeEmitted().Count);
        Assert.Empty(coordinator.TakeEmitted());
    }

    [Fact]
    public void Recommend_OwnerPreDelegatedWeaponClassAndKind_ApprovedAutomatically()
    {
        var (coordinator, _, jpnShot, usaShot) = Setup(
            [new PreDelegation(Nation.Japan, WeaponClass.LowerTierEndo, TrackKind.BallisticMissile)]);

        var jpn = coordinator.Recommend(jpnShot, Affiliation.Hostile, Joint, T0);
        var usa = coordinator.Recommend(usaShot, Affiliation.Hostile, Joint, T0);

        Assert.Equal(EngagementStatus.Approved, jpn.Engagement!.Status);
        Assert.Equal(EngagementStatus.Recommended, usa.Engagement!.Status);
        Assert.Contains(coordinator.Audit, a => a.Action == CommandAction.Approve && a.Reason == "pre-delegation" && a.Actor.Nation == Nation.Japan);
    }

    [Fact]
    public void Recommend_OtherNationsPreDelegation_DoesNotApproveJapaneseWeapons()
    {
        var (coordinator, _, jpnShot, _) = Setup([new PreDelegation(Nation.Usa, null, null)]);

        Assert.Equal(EngagementStatus.Recommended, coordinator.Recommend(jpnShot, Affiliation.Hostile, Joint, T0).Engagement!.Status);
    }

    [Fact]
    public void Deny_ByOwner_ThenSamePairingRecommendedAgain_Refused()
    {
        var (coordinator, _, jpnShot, _) = Setup();
        var id = coordinator.Recommend(jpnShot, Affiliation.Hostile, Joint, T0).Engagement!.Id;

        var deny = coordinator.Deny(id, JpnCommander, T0.AddSeconds(1), "keep rounds for the next raid");
        var again = coordinator.Recommend(jpnShot, Affiliation.Hostile, Joint, T0.AddSeconds(2));

        Assert.True(deny.Accepted);
        Assert.Equal(EngagementStatus.Denied, deny.Engagement!.Status);
        Assert.False(again.Accepted);
        Assert.Contains(coordinator.Audit, a => a.Action == CommandAction.Deny && a.Accepted && a.Reason == "keep rounds for the next raid");
    }

    [Fact]
    public void Order_OwnerSwitchedToWeaponsHoldAfterApproval_Refused()
    {
        var (coordinator, _, jpnShot, _) = Setup();
        var id = coordinator.Recommend(jpnShot, Affiliation.Hostile, Joint, T0).Engagement!.Id;
        Assert.True(coordinator.Approve(id, JpnCommander, T0).Accepted);

        Assert.False(coordinator.SetWeaponControl(Nation.Japan, WeaponControlStatus.Hold, UsaCommander, T0).Accepted);
        Assert.True(coordinator.SetWeaponControl(Nation.Japan, WeaponControlStatus.Hold, JpnCommander, T0).Accepted);
        var order = coordinator.Order(id, JpnCommander, T0.AddSeconds(300));

        Assert.False(order.Accepted);
        Assert.Contains("Hold", order.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancel_JointCommanderOnApprovedJapaneseEngagement_Refused()
    {
        var (coordinator, _, jpnShot, _) = Setup();
        var id = coordinator.Recommend(jpnShot, Affiliation.Hostile, Joint, T0).Engagement!.Id;
        Assert.True(coordinator.Approve(id, JpnCommander, T0).Accepted);

        Assert.False(coordinator.Cancel(id, Joint, T0, "coordination").Accepted);
        Assert.True(coordinator.Cancel(id, JpnCommander, T0, "re-plan").Accepted);
        Assert.Equal(EngagementStatus.Cancelled, coordinator.Get(id)!.Status);
    }

    [Fact]
    public void Actions_UnknownEngagement_RefusedWithoutThrowing()
    {
        var (coordinator, _, _, _) = Setup();

        Assert.False(coordinator.Approve("nope", JpnCommander, T0).Accepted);
        Assert.False(coordinator.Assess("nope", true, JpnCommander, T0).Accepted);
        Assert.Equal(2, coordinator.Audit.Count(a => !a.Accepted && a.EngagementId == "nope"));
    }
}
