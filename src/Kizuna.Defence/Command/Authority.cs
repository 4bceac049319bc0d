using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Defence.Weapons;

namespace Kizuna.Defence.Command;

/// <summary>Roles in the joint command structure.</summary>
public enum CommandRole : byte
{
    /// <summary>Joint force commander: coordinates and recommends; releases no nation's weapons.</summary>
    JointForceCommander = 0,

    /// <summary>A nation's air-defence commander: the only authority over that nation's weapons.</summary>
    NationalAirDefenceCommander = 1,

    /// <summary>Operator of one battery: launches ordered rounds and reports their assessment.</summary>
    BatteryOperator = 2,

    /// <summary>Automated function acting for a nation (kill assessment, window expiry); can assess and cancel only.</summary>
    System = 3,
}

/// <summary>Someone (or something) acting in the workflow.</summary>
/// <param name="Name">Call sign or name.</param>
/// <param name="Role">Role.</param>
/// <param name="Nation">Nation the actor belongs to.</param>
/// <param name="BatteryId">For a battery operator: the battery operated ("" otherwise).</param>
public readonly record struct Actor(string Name, CommandRole Role, Nation Nation, string BatteryId)
{
    /// <summary>A joint force commander.</summary>
    public static Actor JointCommander(string name, Nation nation) => new(name, CommandRole.JointForceCommander, nation, "");

    /// <summary>A national air-defence commander.</summary>
    public static Actor NationalCommander(string name, Nation nation) => new(name, CommandRole.NationalAirDefenceCommander, nation, "");

    /// <summary>The operator of <paramref name="batteryId"/>.</summary>
    public static Actor Operator(string name, Nation nation, string batteryId) => new(name, CommandRole.BatteryOperator, nation, batteryId);

    /// <summary>The automated function of <paramref name="nation"/>.</summary>
    public static Actor SystemOf(Nation nation) => new("system", CommandRole.System, nation, "");

    /// <summary>"JPN/NationalAirDefenceCommander/name".</summary>
    public override string ToString() => $"{Nation}/{Role}/{Name}";
}

/// <summary>
/// A nation's pre-delegation: engagements of its weapons matching the rule are approved without a
/// commander's decision (still only by that nation's own configuration). Null fields match anything.
/// </summary>
/// <param name="Nation">The nation delegating (only its own weapons are affected).</param>
/// <param name="WeaponClass">Weapon class covered, or null for all.</param>
/// <param name="ThreatKind">Threat kind covered, or null for all.</param>
public sealed record PreDelegation(Nation Nation, WeaponClass? WeaponClass, TrackKind? ThreatKind)
{
    /// <summary>True when the rule covers an engagement by <paramref name="owner"/>'s <paramref name="weaponClass"/> against <paramref name="kind"/>.</summary>
    public bool Covers(Nation owner, WeaponClass weaponClass, TrackKind kind) =>
        owner == Nation && (WeaponClass is null || WeaponClass == weaponClass) && (ThreatKind is null || ThreatKind == kind);
}

/// <summary>Workflow actions.</summary>
public enum CommandAction : byte
{
    /// <summary>Recommend an engagement.</summary>
    Recommend = 0,

    /// <summary>Approve (authorise) it.</summary>
    Approve = 1,

    /// <summary>Deny it.</summary>
    Deny = 2,

    /// <summary>Order the battery to fire.</summary>
    Order = 3,

    /// <summary>Launch (interceptor in flight).</summary>
    Execute = 4,

    /// <summary>Kill assessment.</summary>
    Assess = 5,

    /// <summary>Cancel.</summary>
    Cancel = 6,

    /// <summary>Change weapon control status.</summary>
    SetWeaponControl = 7,
}

/// <summary>One audit-trail entry: who, in which role and nation, did or tried what, when, and why it was refused.</summary>
/// <param name="Time">UTC time of the action.</param>
/// <param name="Actor">Who acted.</param>
/// <param name="Action">What was attempted.</param>
/// <param name="EngagementId">Engagement concerned ("" for ROE changes).</param>
/// <param name="From">Status before (null when none).</param>
/// <param name="To">Status after (equal to <paramref name="From"/> when refused).</param>
/// <param name="Accepted">True when the action took effect.</param>
/// <param name="Reason">Why it was refused, or a note (e.g. "pre-delegation").</param>
public sealed record AuditEntry(
    DateTime Time,
    Actor Actor,
    CommandAction Action,
    string EngagementId,
    EngagementStatus? From,
    EngagementStatus? To,
    bool Accepted,
    string Reason);

/// <summary>The result of a workflow action: never an exception for a refused action.</summary>
/// <param name="Accepted">True when the action took effect.</param>
/// <param name="Engagement">The engagement's record after the action (null when the engagement is unknown).</param>
/// <param name="Reason">Why it was refused ("" when accepted).</param>
public readonly record struct CommandResult(bool Accepted, Engagement? Engagement, string Reason);
