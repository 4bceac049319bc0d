using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Defence.Assignment;
using Kizuna.Defence.Command;
using Kizuna.Defence.Weapons;

namespace Kizuna.Defence.Flyout;

/// <summary>Options of <see cref="EngagementSimulator"/>.</summary>
/// <param name="Seed">Seed of the kill draws.</param>
/// <param name="KillAssessmentTime">Delay from intercept to the assessment recorded in the workflow.</param>
/// <param name="LaunchTolerance">How late after its planned launch a round may still go; later, it is cancelled ("re-plan").</param>
/// <param name="AutoOrder">Scripted national cells: order approved rounds when their launch time comes (approval itself is never scripted).</param>
/// <param name="AutoAssess">Record the kill assessment automatically (else the caller assesses, e.g. from the tracker).</param>
public sealed record EngagementSimulatorOptions(
    int Seed,
    TimeSpan KillAssessmentTime,
    TimeSpan LaunchTolerance,
    bool AutoOrder = true,
    bool AutoAssess = true)
{
    /// <summary>Seed 1, 10 s assessment, 2 s launch tolerance, scripted order and assessment.</summary>
    public static EngagementSimulatorOptions Default { get; } = new(1, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2));
}

/// <summary>
/// Closes the loop in simulation: launches approved rounds through the workflow, flies them
/// (<see cref="InterceptorFlyout"/>) and draws each outcome from its kill probability at intercept
/// time with a seeded generator. The exercise driver calls <see cref="Step"/> every simulation step.
/// </summary>
/// <remarks>
/// Outcome at intercept: a miss when the target's true position is farther than the weapon's divert
/// radius from the predicted intercept point; otherwise a Bernoulli draw u &lt; Pk with u from
/// <see cref="Random"/>(seed), drawn in engagement-id order so a seeded run repeats exactly. A round
/// is launched only after the workflow accepted Order (owner's commander) and Execute (battery
/// operator); without approval nothing is fired. Each launch uses one round and makes the battery
/// wait its reload time before its next engagement (the rounds of one salvo ripple in the same step).
/// </remarks>
public sealed class EngagementSimulator
{
    private readonly EngagementCoordinator _coordinator;
    private readonly EngagementSimulatorOptions _options;
    private readonly Dictionary<string, Battery> _batteries;
    private readonly List<InterceptorFlyout> _inFlight = [];
    private readonly List<(InterceptorFlyout Flyout, DateTime AssessAt, bool Killed)> _pendingAssessment = [];
    private readonly HashSet<TrackNumber> _destroyed = [];
    private readonly Dictionary<string, (TrackNumber Threat, DateTime Time)> _lastLaunch = new(StringComparer.Ordinal);
    private readonly Random _random;

    /// <summary>Creates a simulator over the coordinator's workflow.</summary>
    public EngagementSimulator(EngagementCoordinator coordinator, IEnumerable<Battery> batteries, EngagementSimulatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        ArgumentNullException.ThrowIfNull(batteries);
        _coordinator = coordinator;
        _options = options ?? EngagementSimulatorOptions.Default;
        _batteries = batteries.ToDictionary(b => b.Id, StringComparer.Ordinal);
        _random = new Random(_options.Seed);
    }

    /// <summary>Current battery snapshots (rounds left, ready time), for re-planning.</summary>
    public IReadOnlyList<Battery> Batteries => [.. _batteries.Values.OrderBy(b => b.Id, StringComparer.Ordinal)];

    /// <summary>Interceptors in flight (for the picture and the truth stream).</summary>
    public IReadOnlyList<InterceptorFlyout> InFlight => _inFlight;

    /// <summary>Rounds launched so far.</summary>
    public int RoundsFired { get; private set; }

    /// <summary>Threats destroyed so far.</summary>
    public IReadOnlyCollection<TrackNumber> Destroyed => _destroyed;

    /// <summary>
    /// In-flight target updates (the "engage on remote" uplink of networked air defence): every
    /// interceptor still more than <paramref name="lastUplink"/> from its intercept re-aims at the
    /// latest prediction of its target's position at the intercept time, as the network's track
    /// sharpens. The interceptor's notional divert capability bounds each correction: the aim point
    /// moves at most <paramref name="divertFraction"/> × average flyout speed × remaining flight time
    /// (documented, notional). Returns the number of interceptors re-aimed.
    /// </summary>
    /// <param name="time">Now (UTC).</param>
    /// <param name="predicted">Latest predicted target position at a time, or null when the target is no longer held.</param>
    /// <param name="lastUplink">No update closer than this to the intercept.</param>
    /// <param name="divertFraction">Fraction of the average speed available for lateral correction (notional, e.g. 0.2).</param>
    public int UpdateInFlight(DateTime time, Func<TrackNumber, DateTime, Vec3?> predicted, TimeSpan lastUplink, double divertFraction)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        var updated = 0;
        for (var k = 0; k < _inFlight.Count; k++)
        {
            var f = _inFlight[k];
            var remaining = (f.InterceptTime - time).TotalSeconds;
            if (f.LaunchTime > time || remaining <= lastUplink.TotalSeconds || predicted(f.Threat, f.InterceptTime) is not { } aim)
            {
                continue;
            }

            var shift = aim - f.InterceptPointEcef;
            var limit = divertFraction * f.AverageSpeed * remaining;
            var norm = shift.Norm;
            if (norm <= 1e-6)
            {
                continue;
            }

            _inFlight[k] = f with { InterceptPointEcef = f.InterceptPointEcef + (shift * Math.Min(1, limit / norm)) };
            updated++;
        }

        return updated;
    }

    /// <summary>
    /// Advances to <paramref name="time"/>: launches due rounds, resolves intercepts and records
    /// assessments. <paramref name="truth"/> gives a threat's true ECEF position at a time (null when
    /// unknown or gone); without it only the Pk draw decides.
    /// </summary>
    /// <returns>Intercepts resolved in this step (killed: the caller removes the truth object).</returns>
    public IReadOnlyList<InterceptOutcome> Step(DateTime time, Func<TrackNumber, DateTime, Vec3?>? truth = null)
    {
        var outcomes = new List<InterceptOutcome>();
        LaunchDue(time);

        _inFlight.Sort((a, b) =>
        {
            var c = a.InterceptTime.CompareTo(b.InterceptTime);
            return c != 0 ? c : string.CompareOrdinal(a.EngagementId, b.EngagementId);
        });
        for (var k = 0; k < _inFlight.Count; k++)
        {
            var f = _inFlight[k];
            if (f.InterceptTime > time)
            {
                continue;
            }

            var u = _random.NextDouble();
            var miss = double.NaN;
            string reason;
            bool killed;
            if (_destroyed.Contains(f.Threat))
            {
                killed = false;
                reason = "target already destroyed";
            }
            else
            {
                var truePos = truth?.Invoke(f.Threat, f.InterceptTime);
                if (truePos is { } p)
                {
                    miss = (p - f.InterceptPointEcef).Norm;
                }

                if (miss > f.DivertRadius)
                {
                    killed = false;
                    reason = "outside divert";
                }
                else
                {
                    killed = u < f.KillProbability;
                    reason = killed ? "kill" : "pk miss";
                }
            }

            if (killed)
            {
                _destroyed.Add(f.Threat);
            }

            outcomes.Add(new InterceptOutcome(f.EngagementId, f.Threat, f.BatteryId, f.InterceptTime, killed, miss, reason));
            _pendingAssessment.Add((f, f.InterceptTime + _options.KillAssessmentTime, killed));
            _inFlight.RemoveAt(k);
            k--;
        }

        if (_options.AutoAssess)
        {
            for (var k = 0; k < _pendingAssessment.Count; k++)
            {
                var (f, at, killed) = _pendingAssessment[k];
                if (at > time)
                {
                    continue;
                }

                _coordinator.Assess(f.EngagementId, killed, Actor.SystemOf(_batteries[f.BatteryId].Nation), at);
                _pendingAssessment.RemoveAt(k);
                k--;
            }
        }

        return outcomes;
    }

    private void LaunchDue(DateTime time)
    {
        var due = _coordinator.Current
            .Where(e => e.Status is EngagementStatus.Approved or EngagementStatus.Ordered)
            .OrderBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
        foreach (var e in due)
        {
            var shot = _coordinator.ShotOf(e.Id)!;
            var system = Actor.SystemOf(shot.Owner);
            if (_destroyed.Contains(shot.Threat) || _coordinator.IsKilled(shot.Threat))
            {
                _coordinator.Cancel(e.Id, system, time, "threat destroyed");
                continue;
            }

            if (time < shot.LaunchTime || (shot.LookTime is { } look && time < look))
            {
                continue;
            }

            if (time > shot.LaunchTime + _options.LaunchTolerance || time > shot.LaunchBy)
            {
                _coordinator.Cancel(e.Id, system, time, "launch time passed; re-plan");
                continue;
            }

            if (!_batteries.TryGetValue(shot.BatteryId, out var battery) || battery.Inventory == 0)
            {
                _coordinator.Cancel(e.Id, system, time, "no rounds left");
                continue;
            }

            // Rounds of one salvo (same battery, same threat, same step) ripple together; reload applies between engagements.
            var salvoPartner = _lastLaunch.TryGetValue(battery.Id, out var last) && last.Threat == shot.Threat && last.Time == time;
            if (battery.ReadyTime > time && !salvoPartner)
            {
                continue;
            }

            if (e.Status == EngagementStatus.Approved)
            {
                if (!_options.AutoOrder)
                {
                    continue;
                }

                var order = _coordinator.Order(e.Id, Actor.NationalCommander($"{shot.Owner} AD cell (scripted)", shot.Owner), time);
                if (!order.Accepted)
                {
                    continue;
                }
            }

            var operatorActor = Actor.Operator($"{shot.BatteryId} operator", shot.Owner, shot.BatteryId);
            if (!_coordinator.Execute(e.Id, operatorActor, time).Accepted)
            {
                continue;
            }

            _batteries[battery.Id] = battery with { Inventory = battery.Inventory - 1, ReadyTime = time + battery.Weapon.ReloadTime };
            _lastLaunch[battery.Id] = (shot.Threat, time);
            RoundsFired++;
            _inFlight.Add(new InterceptorFlyout(e.Id, battery.Id, shot.Threat, battery.PositionEcef, shot.InterceptPointEcef,
                time, shot.InterceptTime, shot.KillProbability, battery.Weapon.DivertRadius.Metres));
        }
    }
}
