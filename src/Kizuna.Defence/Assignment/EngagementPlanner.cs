using System.Collections.Immutable;
using System.Globalization;
using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Defence.Command;
using Kizuna.Defence.Weapons;

namespace Kizuna.Defence.Assignment;

/// <summary>Whether a planned round is fired at once or held for a look.</summary>
public enum ShotStage : byte
{
    /// <summary>Fired at its planned launch time.</summary>
    Primary = 0,

    /// <summary>Reserved shoot-look-shoot round: fired only if the threat survives the primary rounds (assessed at the look time).</summary>
    ShootLookShoot = 1,
}

/// <summary>One planned interceptor round.</summary>
/// <param name="Id">Identifier "threat/battery/n", stable across re-plans of the same pairing.</param>
/// <param name="Threat">Target track number.</param>
/// <param name="ThreatKind">Target kind (used by pre-delegation rules).</param>
/// <param name="BatteryId">Firing unit.</param>
/// <param name="Owner">Nation owning the firing unit.</param>
/// <param name="WeaponClass">Layer of the firing unit.</param>
/// <param name="LaunchTime">Planned launch (UTC).</param>
/// <param name="LaunchBy">Latest launch that still intercepts within the window (UTC).</param>
/// <param name="InterceptTime">Planned intercept (UTC).</param>
/// <param name="InterceptPointEcef">Predicted intercept point, ECEF (m).</param>
/// <param name="KillProbability">Single-shot Pk.</param>
/// <param name="Stage">Primary or reserved shoot-look-shoot round.</param>
/// <param name="LookTime">For a reserved round: when the primary rounds are assessed (last primary intercept + assessment time).</param>
public sealed record PlannedShot(
    string Id,
    TrackNumber Threat,
    TrackKind ThreatKind,
    string BatteryId,
    Nation Owner,
    WeaponClass WeaponClass,
    DateTime LaunchTime,
    DateTime LaunchBy,
    DateTime InterceptTime,
    Vec3 InterceptPointEcef,
    double KillProbability,
    ShotStage Stage,
    DateTime? LookTime);

/// <summary>The planner's output: rounds to recommend and the plan's expected figures.</summary>
/// <param name="Time">Planning time (UTC).</param>
/// <param name="Shots">Planned rounds, by threat then launch time.</param>
/// <param name="ExpectedValueSaved">Objective value Σ_j V_j S0_j (1 − Π q) − c·rounds.</param>
/// <param name="ExpectedRounds">Primary rounds plus reserved rounds weighted by the probability that all primaries miss.</param>
/// <param name="Method">Solver used.</param>
/// <param name="FeasiblePairs">Number of (battery, threat) pairs with a window allowed by the ROE.</param>
public sealed record EngagementPlan(
    DateTime Time,
    ImmutableArray<PlannedShot> Shots,
    double ExpectedValueSaved,
    double ExpectedRounds,
    string Method,
    int FeasiblePairs);

/// <summary>Options of <see cref="EngagementPlanner"/>.</summary>
/// <param name="SampleStep">Path sampling step for engagement windows.</param>
/// <param name="KillAssessmentTime">Time from an intercept to its kill assessment (the "look").</param>
/// <param name="MaxRoundsPerPair">Largest salvo of one battery at one threat.</param>
/// <param name="RoundCost">Cost per round in value units (0: pure expected value saved).</param>
/// <param name="ShootLookShoot">Hold later-layer rounds for a look when their window allows.</param>
/// <param name="Solver">WTA solver options.</param>
public sealed record EngagementPlannerOptions(
    TimeSpan SampleStep,
    TimeSpan KillAssessmentTime,
    int MaxRoundsPerPair = 2,
    double RoundCost = 0,
    bool ShootLookShoot = true,
    WtaSolverOptions? Solver = null)
{
    /// <summary>1 s sampling, 10 s kill assessment, salvos of up to 2, shoot-look-shoot on, end margin 5 s + 3σ.</summary>
    public static EngagementPlannerOptions Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

    /// <summary>
    /// Fixed part of the margin kept before a threat's predicted end of flight: no intercept is planned
    /// later than End − (<see cref="EndMargin"/> + <see cref="EndSigmaFactor"/> · σ_End) (default 5 s).
    /// </summary>
    public TimeSpan EndMargin { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Multiple of the end-of-flight 1-σ (<see cref="Threat.EndSigmaS"/>) added to the margin (default 3).</summary>
    public double EndSigmaFactor { get; init; } = 3;

    /// <summary>The latest intercept time the planner accepts against <paramref name="threat"/>.</summary>
    public DateTime LatestIntercept(Threat threat)
    {
        ArgumentNullException.ThrowIfNull(threat);
        var margin = EndMargin.TotalSeconds + (EndSigmaFactor * Math.Max(0, threat.EndSigmaS));
        var end = threat.Path.End;
        return margin >= (end - DateTime.MinValue).TotalSeconds ? DateTime.MinValue : end.AddSeconds(-margin);
    }
}

/// <summary>
/// Coalition engagement planning: engagement windows for every (battery, threat), ROE filter,
/// weapon–target assignment, then shoot-look-shoot staging across layers.
/// </summary>
/// <remarks>
/// <para>Pairs: p_ij = Pk_i(kind_j) when battery i has rounds, a window against threat j
/// (<see cref="EngagementWindows"/>) and its nation's ROE at the earliest intercept point permits the
/// target's identity (<see cref="RulesOfEngagement.Permits(Nation, Vec3, Affiliation)"/>); 0 otherwise.
/// Values are V_j · S0_j where S0_j is the survival probability left by rounds already committed
/// (so re-planning does not re-buy what is already in the air).</para>
/// <para>Shoot-look-shoot (research/c2-anchors.md §3.1 "Dynamic WTA / SLS" and §3.2 item 7): the rounds
/// assigned to a threat are ordered by earliest intercept; the smallest leading group is kept as
/// primary such that every later assignment still has a window whose launch is not before
/// look = (last primary intercept + kill-assessment time). Those later rounds are reserved: fired
/// only if the threat survives the look. Expected value is unchanged (the same rounds are
/// committed), expected expenditure drops to n₁ + n₂ Π q₁.</para>
/// <para>Across re-plans the same rule holds: when rounds are already committed against a threat, a new
/// round is launched only after their look (<c>pendingLooks</c>), so no second shot is fired before the
/// first has been assessed. Intercepts are planned only up to End − (m + k·σ_End) (<see cref="EngagementPlannerOptions.EndMargin"/>,
/// <see cref="EngagementPlannerOptions.EndSigmaFactor"/>): the predicted end of flight has an uncertainty
/// (for a ballistic threat the unscented-transform σ of the time of impact), and an intercept planned
/// after the true end of flight can only miss.</para>
/// </remarks>
public sealed class EngagementPlanner
{
    private readonly EngagementPlannerOptions _options;

    /// <summary>Creates a planner.</summary>
    public EngagementPlanner(EngagementPlannerOptions? options = null) => _options = options ?? EngagementPlannerOptions.Default;

    /// <summary>Plans engagements at <paramref name="now"/>.</summary>
    /// <param name="now">Decision time (UTC, simulation or live).</param>
    /// <param name="threats">Evaluated threats.</param>
    /// <param name="batteries">Current battery snapshots.</param>
    /// <param name="roe">Rules of engagement.</param>
    /// <param name="identities">Identity per threat track (missing: <see cref="Affiliation.Pending"/>).</param>
    /// <param name="committedSurvival">Per threat, the survival probability left by rounds already committed (missing: 1).</param>
    /// <param name="pendingLooks">Per threat, the look of rounds already committed (their last intercept + kill-assessment
    /// time, <see cref="EngagementCoordinator.PendingLooks"/>): a new round is launched only after it, so every later shot
    /// follows a kill assessment (missing: no constraint).</param>
    public EngagementPlan Plan(
        DateTime now,
        IReadOnlyList<Threat> threats,
        IReadOnlyList<Battery> batteries,
        RulesOfEngagement roe,
        IReadOnlyDictionary<TrackNumber, Affiliation> identities,
        IReadOnlyDictionary<TrackNumber, double>? committedSurvival = null,
        IReadOnlyDictionary<TrackNumber, DateTime>? pendingLooks = null)
    {
        ArgumentNullException.ThrowIfNull(threats);
        ArgumentNullException.ThrowIfNull(batteries);
        ArgumentNullException.ThrowIfNull(roe);
        ArgumentNullException.ThrowIfNull(identities);
        var t = threats.Count;
        var w = batteries.Count;
        var samples = new ThreatPathSamples[t];
        var values = new double[t];
        var lookOf = new DateTime[t];
        for (var j = 0; j < t; j++)
        {
            lookOf[j] = pendingLooks is not null && pendingLooks.TryGetValue(threats[j].Track, out var look) ? look : DateTime.MinValue;
            samples[j] = ThreatPathSamples.Create(threats[j].Path, now, _options.LatestIntercept(threats[j]), _options.SampleStep);
            var s0 = committedSurvival is not null && committedSurvival.TryGetValue(threats[j].Track, out var s) ? s : 1.0;
            values[j] = Math.Max(0, threats[j].Value) * Math.Clamp(s0, 0, 1);
        }

        var windows = new EngagementWindow[w * t];
        var pk = new double[w * t];
        var capacity = new int[w];
        var feasiblePairs = 0;
        for (var i = 0; i < w; i++)
        {
            var b = batteries[i];
            capacity[i] = b.Inventory;
            if (b.Inventory == 0)
            {
                continue;
            }

            for (var j = 0; j < t; j++)
            {
                var p = b.Weapon.KillProbability(threats[j].Kind);
                if (p <= 0 || values[j] <= 0)
                {
                    continue;
                }

                var win = EngagementWindows.Compute(b, samples[j], Later(b.EarliestLaunch(now), lookOf[j]));
                if (!win.IsFeasible)
                {
                    continue;
                }

                var identity = identities.TryGetValue(threats[j].Track, out var a) ? a : Affiliation.Pending;
                if (!roe.Permits(b.Nation, win.EarliestInterceptPoint, identity))
                {
                    continue;
                }

                windows[(i * t) + j] = win;
                pk[(i * t) + j] = p;
                feasiblePairs++;
            }
        }

        var instance = new WtaInstance(values, capacity, pk, _options.MaxRoundsPerPair, _options.RoundCost);
        var solution = WtaSolver.Solve(instance, _options.Solver);
        var shots = ImmutableArray.CreateBuilder<PlannedShot>();
        var expectedRounds = 0.0;
        var assigned = new List<int>();
        for (var j = 0; j < t; j++)
        {
            assigned.Clear();
            for (var i = 0; i < w; i++)
            {
                if (solution.Counts[(i * t) + j] > 0)
                {
                    assigned.Add(i);
                }
            }

            if (assigned.Count == 0)
            {
                continue;
            }

            assigned.Sort((a, b) =>
            {
                var c = windows[(a * t) + j].EarliestIntercept.CompareTo(windows[(b * t) + j].EarliestIntercept);
                return c != 0 ? c : string.CompareOrdinal(batteries[a].Id, batteries[b].Id);
            });
            expectedRounds += Stage(now, lookOf[j], threats[j], samples[j], batteries, windows, solution.Counts, assigned, t, j, shots);
        }

        return new EngagementPlan(now, shots.ToImmutable(), solution.Value, expectedRounds, solution.Method, feasiblePairs);
    }

    private static DateTime Later(DateTime a, DateTime b) => a > b ? a : b;

    private double Stage(
        DateTime now, DateTime pendingLook, Threat threat, ThreatPathSamples path, IReadOnlyList<Battery> batteries, EngagementWindow[] windows,
        int[] counts, List<int> assigned, int t, int j, ImmutableArray<PlannedShot>.Builder shots)
    {
        var n = assigned.Count;
        var reservedWindows = new EngagementWindow[n];
        var primaryCount = n;
        var look = DateTime.MinValue;
        if (_options.ShootLookShoot)
        {
            for (var k = 1; k < n; k++)
            {
                var lastPrimary = DateTime.MinValue;
                for (var a = 0; a < k; a++)
                {
                    var ti = windows[(assigned[a] * t) + j].EarliestIntercept;
                    lastPrimary = ti > lastPrimary ? ti : lastPrimary;
                }

                var candidateLook = lastPrimary + _options.KillAssessmentTime;
                var ok = true;
                for (var a = k; a < n && ok; a++)
                {
                    var b = batteries[assigned[a]];
                    var notBefore = Later(b.EarliestLaunch(now), pendingLook);
                    reservedWindows[a] = EngagementWindows.Compute(b, path, candidateLook > notBefore ? candidateLook : notBefore);
                    ok = reservedWindows[a].IsFeasible;
                }

                if (ok)
                {
                    primaryCount = k;
                    look = candidateLook;
                    break;
                }
            }
        }

        var missAll = 1.0;
        var expected = 0.0;
        for (var a = 0; a < n; a++)
        {
            var i = assigned[a];
            var b = batteries[i];
            var reserved = a >= primaryCount;
            var win = reserved ? reservedWindows[a] : windows[(i * t) + j];
            var p = b.Weapon.KillProbability(threat.Kind);
            var rounds = counts[(i * t) + j];
            for (var r = 0; r < rounds; r++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"{threat.Track}/{b.Id}/{r + 1}");
                shots.Add(new PlannedShot(
                    id, threat.Track, threat.Kind, b.Id, b.Nation, b.Weapon.Class,
                    win.LaunchForEarliest, win.LaunchBy, win.EarliestIntercept, win.EarliestInterceptPoint, p,
                    reserved ? ShotStage.ShootLookShoot : ShotStage.Primary,
                    reserved ? look : null));
                if (!reserved)
                {
                    missAll *= 1 - p;
                }
            }

            expected += reserved ? 0 : rounds;
        }

        for (var a = primaryCount; a < n; a++)
        {
            expected += counts[(assigned[a] * t) + j] * missAll;
        }

        return expected;
    }
}
