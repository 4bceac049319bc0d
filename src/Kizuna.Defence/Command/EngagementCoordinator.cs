using System.Collections.Immutable;
using System.Globalization;
using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Defence.Assignment;
using Kizuna.Defence.Weapons;

namespace Kizuna.Defence.Command;

/// <summary>
/// The engagement workflow under the joint command structure:
/// Recommended → Approved / Denied → Ordered → Executing → Killed / Missed, or Cancelled.
/// </summary>
/// <remarks>
/// Authority rules (DESIGN.md "Authority"; research/c2-anchors.md §2, E-1…E-3):
/// <list type="bullet">
/// <item>Recommend: the joint force commander, or the owning nation's air-defence commander.</item>
/// <item>Approve / Deny / Order: only the owning nation's air-defence commander; approval is automatic
/// when the owner configured a <see cref="PreDelegation"/> covering the weapon class and threat kind.
/// Approve and Order re-check the owner's ROE at the intercept point against the target's identity.</item>
/// <item>Execute: only the operator of the firing battery, and only once ordered (a reserved
/// shoot-look-shoot round is ordered only after its look time and only if the threat was not killed).</item>
/// <item>Assess: the firing battery's operator, the owner's commander or the owner's system function.</item>
/// <item>Cancel: the owner's commander, operator or system function before launch; the joint commander
/// may withdraw only his own still-Recommended recommendation.</item>
/// </list>
/// Every attempt, accepted or refused, is appended to <see cref="Audit"/>; every accepted transition
/// appends an <see cref="Engagement"/> record to <see cref="History"/>. Time is always passed in
/// (simulation or live clock); the coordinator never reads the wall clock. Not thread-safe.
/// </remarks>
public sealed class EngagementCoordinator
{
    private readonly Dictionary<string, Battery> _batteries;
    private readonly Dictionary<string, Entry> _engagements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _shotReuse = new(StringComparer.Ordinal);
    private readonly List<AuditEntry> _audit = [];
    private readonly List<Engagement> _history = [];
    private readonly ImmutableArray<PreDelegation> _preDelegations;
    private readonly ImmutableSortedSet<Nation> _coalition;
    private int _emitted;

    /// <summary>Creates a coordinator for <paramref name="batteries"/> under <paramref name="roe"/>.</summary>
    public EngagementCoordinator(IEnumerable<Battery> batteries, RulesOfEngagement roe, IEnumerable<PreDelegation>? preDelegations = null)
    {
        ArgumentNullException.ThrowIfNull(batteries);
        ArgumentNullException.ThrowIfNull(roe);
        _batteries = batteries.ToDictionary(b => b.Id, StringComparer.Ordinal);
        Roe = roe;
        _preDelegations = preDelegations?.ToImmutableArray() ?? [];
        _coalition = _batteries.Values.Select(b => b.Nation).ToImmutableSortedSet();
    }

    /// <summary>Current rules of engagement.</summary>
    public RulesOfEngagement Roe { get; private set; }

    /// <summary>Audit trail, oldest first.</summary>
    public IReadOnlyList<AuditEntry> Audit => _audit;

    /// <summary>Every engagement record emitted, oldest first.</summary>
    public IReadOnlyList<Engagement> History => _history;

    /// <summary>Current record of every engagement.</summary>
    public IEnumerable<Engagement> Current => _engagements.Values.Select(e => e.Record);

    /// <summary>The planned round behind an engagement.</summary>
    public PlannedShot? ShotOf(string engagementId) => _engagements.TryGetValue(engagementId, out var e) ? e.Shot : null;

    /// <summary>Current record of an engagement.</summary>
    public Engagement? Get(string engagementId) => _engagements.TryGetValue(engagementId, out var e) ? e.Record : null;

    /// <summary>Engagement records emitted since the last call (for the bus, recorder and picture).</summary>
    public IReadOnlyList<Engagement> TakeEmitted()
    {
        var list = _history.GetRange(_emitted, _history.Count - _emitted);
        _emitted = _history.Count;
        return list;
    }

    /// <summary>Per threat, the survival probability left by rounds recommended (awaiting decision), approved, ordered or in flight (input to re-planning).</summary>
    public IReadOnlyDictionary<TrackNumber, double> CommittedSurvival()
    {
        var d = new Dictionary<TrackNumber, double>();
        foreach (var e in _engagements.Values)
        {
            if (e.Record.Status is EngagementStatus.Approved or EngagementStatus.Ordered or EngagementStatus.Executing or EngagementStatus.Recommended)
            {
                d[e.Shot.Threat] = (d.TryGetValue(e.Shot.Threat, out var s) ? s : 1.0) * (1 - e.Shot.KillProbability);
            }
        }

        return d;
    }

    /// <summary>
    /// Per threat, the look of the rounds committed against it (recommended, approved, ordered or in flight):
    /// their latest planned intercept plus <paramref name="killAssessmentTime"/>. Input to re-planning
    /// (<see cref="EngagementPlanner.Plan"/>): a further round is launched only after this look, so every
    /// shot after the first follows a kill assessment (shoot-look-shoot across re-plans).
    /// </summary>
    public IReadOnlyDictionary<TrackNumber, DateTime> PendingLooks(TimeSpan killAssessmentTime)
    {
        var d = new Dictionary<TrackNumber, DateTime>();
        foreach (var e in _engagements.Values)
        {
            if (e.Record.Status is EngagementStatus.Approved or EngagementStatus.Ordered or EngagementStatus.Executing or EngagementStatus.Recommended)
            {
                var look = e.Shot.InterceptTime + killAssessmentTime;
                if (!d.TryGetValue(e.Shot.Threat, out var l) || look > l)
                {
                    d[e.Shot.Threat] = look;
                }
            }
        }

        return d;
    }

    /// <summary>Threats with an assessed kill (input to <see cref="ThreatScreen"/>).</summary>
    public IReadOnlySet<TrackNumber> KilledThreats()
    {
        var set = new HashSet<TrackNumber>();
        foreach (var e in _engagements.Values)
        {
            if (e.Record.Status == EngagementStatus.Killed)
            {
                set.Add(e.Shot.Threat);
            }
        }

        return set;
    }

    /// <summary>True when an assessed kill of <paramref name="threat"/> has been recorded.</summary>
    public bool IsKilled(TrackNumber threat) =>
        _engagements.Values.Any(e => e.Shot.Threat == threat && e.Record.Status == EngagementStatus.Killed);

    /// <summary>Sets a nation's default weapon control status; only that nation's air-defence commander may.</summary>
    public CommandResult SetWeaponControl(Nation nation, WeaponControlStatus status, Actor by, DateTime time)
    {
        if (by.Role != CommandRole.NationalAirDefenceCommander || by.Nation != nation)
        {
            return Refuse(by, CommandAction.SetWeaponControl, null, time, $"only {nation}'s air-defence commander sets {nation}'s weapon control status");
        }

        Roe = Roe.WithStatus(nation, status);
        _audit.Add(new AuditEntry(time, by, CommandAction.SetWeaponControl, "", null, null, true, $"{nation} weapons {status}"));
        return new CommandResult(true, null, "");
    }

    /// <summary>Recommends a planned round; auto-approves it when the owner's pre-delegation covers it and the ROE permits.</summary>
    public CommandResult Recommend(PlannedShot shot, Affiliation identity, Actor by, DateTime time)
    {
        ArgumentNullException.ThrowIfNull(shot);
        if (!_batteries.TryGetValue(shot.BatteryId, out var battery) || battery.Nation != shot.Owner)
        {
            return Refuse(by, CommandAction.Recommend, null, time, $"unknown battery {shot.BatteryId} for {shot.Owner}", shot.Id);
        }

        var mayRecommend = by.Role == CommandRole.JointForceCommander
            || (by.Role == CommandRole.NationalAirDefenceCommander && by.Nation == shot.Owner);
        if (!mayRecommend)
        {
            return Refuse(by, CommandAction.Recommend, null, time, "only the joint force commander or the owning nation's commander recommends", shot.Id);
        }

        var reuse = _shotReuse.TryGetValue(shot.Id, out var n) ? n : 0;
        if (reuse > 0)
        {
            var previous = _engagements[EngagementId(shot.Id, reuse)];
            if (previous.Record.Status is not (EngagementStatus.Killed or EngagementStatus.Missed or EngagementStatus.Cancelled))
            {
                var why = previous.Record.Status == EngagementStatus.Denied
                    ? $"{shot.Owner} denied this pairing at {previous.Record.Time:O}"
                    : $"pairing already {previous.Record.Status} as {previous.Record.Id}";
                return Refuse(by, CommandAction.Recommend, previous, time, why);
            }
        }

        var id = EngagementId(shot.Id, reuse + 1);
        _shotReuse[shot.Id] = reuse + 1;
        var record = new Engagement(id, time, EngagementStatus.Recommended, shot.Threat, shot.BatteryId, shot.Owner,
            by.ToString(), shot.InterceptTime, shot.KillProbability,
            Marking.RelTo(shot.Owner, Core.Classification.Secret, [.. _coalition]));
        var entry = new Entry(shot, identity, record, by);
        _engagements[id] = entry;
        Accept(by, CommandAction.Recommend, entry, null, record, time, "");

        var delegation = _preDelegations.FirstOrDefault(p => p.Covers(shot.Owner, battery.Weapon.Class, shot.ThreatKind));
        if (delegation is not null && Roe.Permits(shot.Owner, shot.InterceptPointEcef, identity))
        {
            var system = new Actor("pre-delegation", CommandRole.NationalAirDefenceCommander, shot.Owner, "");
            Transition(entry, EngagementStatus.Approved, system, time, CommandAction.Approve, "pre-delegation");
        }

        return new CommandResult(true, entry.Record, "");
    }

    /// <summary>Approves an engagement: the owning nation's air-defence commander only, under its ROE.</summary>
    public CommandResult Approve(string engagementId, Actor by, DateTime time) =>
        Decide(engagementId, by, time, CommandAction.Approve, EngagementStatus.Approved, "");

    /// <summary>Denies an engagement: the owning nation's air-defence commander only.</summary>
    public CommandResult Deny(string engagementId, Actor by, DateTime time, string reason) =>
        Decide(engagementId, by, time, CommandAction.Deny, EngagementStatus.Denied, reason);

    /// <summary>Orders the battery to fire an approved engagement: the owning nation's air-defence commander only.</summary>
    public CommandResult Order(string engagementId, Actor by, DateTime time)
    {
        if (!_engagements.TryGetValue(engagementId, out var e))
        {
            return Refuse(by, CommandAction.Order, null, time, "unknown engagement", engagementId);
        }

        if (!IsOwnerCommander(by, e))
        {
            return Refuse(by, CommandAction.Order, e, time, $"only {e.Shot.Owner}'s air-defence commander may order {e.Shot.Owner}'s weapons");
        }

        if (e.Record.Status != EngagementStatus.Approved)
        {
            return Refuse(by, CommandAction.Order, e, time, $"cannot order from {e.Record.Status}");
        }

        if (!Roe.Permits(e.Shot.Owner, e.Shot.InterceptPointEcef, e.Identity))
        {
            return Refuse(by, CommandAction.Order, e, time, $"{e.Shot.Owner} weapons {Roe.StatusFor(e.Shot.Owner, e.Shot.InterceptPointEcef)} for a {e.Identity} target");
        }

        if (e.Shot.Stage == ShotStage.ShootLookShoot)
        {
            if (e.Shot.LookTime is { } look && time < look)
            {
                return Refuse(by, CommandAction.Order, e, time, $"shoot-look-shoot round held until the look at {look:O}");
            }

            if (IsKilled(e.Shot.Threat))
            {
                return Refuse(by, CommandAction.Order, e, time, "threat already assessed killed");
            }
        }

        return Transition(e, EngagementStatus.Ordered, by, time, CommandAction.Order, "");
    }

    /// <summary>Launches an ordered round: the firing battery's operator only.</summary>
    public CommandResult Execute(string engagementId, Actor by, DateTime time)
    {
        if (!_engagements.TryGetValue(engagementId, out var e))
        {
            return Refuse(by, CommandAction.Execute, null, time, "unknown engagement", engagementId);
        }

        if (by.Role != CommandRole.BatteryOperator || by.Nation != e.Shot.Owner || by.BatteryId != e.Shot.BatteryId)
        {
            return Refuse(by, CommandAction.Execute, e, time, $"only the operator of {e.Shot.BatteryId} may launch");
        }

        return e.Record.Status != EngagementStatus.Ordered
            ? Refuse(by, CommandAction.Execute, e, time, $"no fire order (status {e.Record.Status})")
            : Transition(e, EngagementStatus.Executing, by, time, CommandAction.Execute, "");
    }

    /// <summary>Records the kill assessment of a round in flight.</summary>
    public CommandResult Assess(string engagementId, bool killed, Actor by, DateTime time)
    {
        if (!_engagements.TryGetValue(engagementId, out var e))
        {
            return Refuse(by, CommandAction.Assess, null, time, "unknown engagement", engagementId);
        }

        var allowed = by.Nation == e.Shot.Owner && (by.Role is CommandRole.NationalAirDefenceCommander or CommandRole.System
            || (by.Role == CommandRole.BatteryOperator && by.BatteryId == e.Shot.BatteryId));
        if (!allowed)
        {
            return Refuse(by, CommandAction.Assess, e, time, $"only {e.Shot.Owner}'s commander, system or the firing operator assesses");
        }

        return e.Record.Status != EngagementStatus.Executing
            ? Refuse(by, CommandAction.Assess, e, time, $"nothing in flight (status {e.Record.Status})")
            : Transition(e, killed ? EngagementStatus.Killed : EngagementStatus.Missed, by, time, CommandAction.Assess, "");
    }

    /// <summary>Cancels an engagement before launch.</summary>
    public CommandResult Cancel(string engagementId, Actor by, DateTime time, string reason)
    {
        if (!_engagements.TryGetValue(engagementId, out var e))
        {
            return Refuse(by, CommandAction.Cancel, null, time, "unknown engagement", engagementId);
        }

        var owner = by.Nation == e.Shot.Owner && (by.Role is CommandRole.NationalAirDefenceCommander or CommandRole.System
            || (by.Role == CommandRole.BatteryOperator && by.BatteryId == e.Shot.BatteryId));
        var jointWithdraw = by.Role == CommandRole.JointForceCommander && e.RecommendedBy == by
            && e.Record.Status == EngagementStatus.Recommended;
        if (!owner && !jointWithdraw)
        {
            return Refuse(by, CommandAction.Cancel, e, time, $"only {e.Shot.Owner}'s authority may cancel (the joint commander may withdraw his own recommendation)");
        }

        return e.Record.Status is EngagementStatus.Recommended or EngagementStatus.Approved or EngagementStatus.Ordered
            ? Transition(e, EngagementStatus.Cancelled, by, time, CommandAction.Cancel, reason)
            : Refuse(by, CommandAction.Cancel, e, time, $"cannot cancel from {e.Record.Status}");
    }

    private CommandResult Decide(string engagementId, Actor by, DateTime time, CommandAction action, EngagementStatus to, string reason)
    {
        if (!_engagements.TryGetValue(engagementId, out var e))
        {
            return Refuse(by, action, null, time, "unknown engagement", engagementId);
        }

        if (!IsOwnerCommander(by, e))
        {
            return Refuse(by, action, e, time, $"only {e.Shot.Owner}'s air-defence commander may decide on {e.Shot.Owner}'s weapons");
        }

        if (e.Record.Status != EngagementStatus.Recommended)
        {
            return Refuse(by, action, e, time, $"cannot {action} from {e.Record.Status}");
        }

        if (to == EngagementStatus.Approved && !Roe.Permits(e.Shot.Owner, e.Shot.InterceptPointEcef, e.Identity))
        {
            return Refuse(by, action, e, time, $"{e.Shot.Owner} weapons {Roe.StatusFor(e.Shot.Owner, e.Shot.InterceptPointEcef)} for a {e.Identity} target");
        }

        return Transition(e, to, by, time, action, reason);
    }

    private static bool IsOwnerCommander(Actor by, Entry e) =>
        by.Role == CommandRole.NationalAirDefenceCommander && by.Nation == e.Shot.Owner;

    private CommandResult Transition(Entry e, EngagementStatus to, Actor by, DateTime time, CommandAction action, string note)
    {
        var from = e.Record.Status;
        e.Record = e.Record with { Time = time, Status = to, DecidedBy = by.ToString() };
        Accept(by, action, e, from, e.Record, time, note);
        return new CommandResult(true, e.Record, "");
    }

    private void Accept(Actor by, CommandAction action, Entry e, EngagementStatus? from, Engagement record, DateTime time, string note)
    {
        _history.Add(record);
        _audit.Add(new AuditEntry(time, by, action, e.Record.Id, from, record.Status, true, note));
    }

    private CommandResult Refuse(Actor by, CommandAction action, Entry? e, DateTime time, string reason, string id = "")
    {
        var status = e?.Record.Status;
        _audit.Add(new AuditEntry(time, by, action, e?.Record.Id ?? id, status, status, false, reason));
        return new CommandResult(false, e?.Record, reason);
    }

    private static string EngagementId(string shotId, int n) =>
        n == 1 ? shotId : string.Create(CultureInfo.InvariantCulture, $"{shotId}#{n}");

    private sealed class Entry(PlannedShot shot, Affiliation identity, Engagement record, Actor recommendedBy)
    {
        public PlannedShot Shot { get; } = shot;

        public Affiliation Identity { get; } = identity;

        public Actor RecommendedBy { get; } = recommendedBy;

        public Engagement Record { get; set; } = record;
    }
}
