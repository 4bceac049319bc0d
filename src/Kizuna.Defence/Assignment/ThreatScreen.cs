using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Picture;

namespace Kizuna.Defence.Assignment;

/// <summary>Why the <see cref="ThreatScreen"/> keeps a threat out of engagement planning.</summary>
public enum ScreenVerdict : byte
{
    /// <summary>Offered to the planner.</summary>
    Engage = 0,

    /// <summary>A kill of this track was assessed: it is not engaged again.</summary>
    Killed = 1,

    /// <summary>The threat's flight has ended: its predicted end of flight has passed, or a round missed it at or after its predicted end.</summary>
    Ended = 2,

    /// <summary>The track duplicates another track of the same threat that is engaged, killed, or kept as the representative.</summary>
    Duplicate = 3,
}

/// <summary>Settings of <see cref="ThreatScreen"/> (notional; docs/defence.md "Screening before planning").</summary>
public sealed record ThreatScreenOptions
{
    /// <summary>Defaults.</summary>
    public static ThreatScreenOptions Default { get; } = new();

    /// <summary>Two tracks are the same threat only when their predicted positions now are within this distance (m).</summary>
    public double DuplicatePositionM { get; init; } = 10_000;

    /// <summary>… and their predicted end points (impact / arrival) are within this distance (m).</summary>
    public double DuplicateEndPointM { get; init; } = 20_000;

    /// <summary>… and their predicted ends of flight are within this time (s).</summary>
    public double DuplicateEndTimeS { get; init; } = 20;

    /// <summary>A miss whose intercept came later than the threat's predicted end minus this margin ends the track (s).</summary>
    public double EndMarginS { get; init; } = 5;
}

/// <summary>The screen's answer for one planning cycle.</summary>
/// <param name="Eligible">Threats offered to the planner, in input order.</param>
/// <param name="Suppressed">Every other threat, with the reason.</param>
public sealed record ScreenResult(ImmutableArray<Threat> Eligible, ImmutableDictionary<TrackNumber, ScreenVerdict> Suppressed);

/// <summary>
/// Screens evaluated threats before engagement planning so that rounds go only to live, distinct
/// threats: tracks assessed killed, tracks whose flight has ended and duplicate tracks of one threat
/// are not offered to weapon–target assignment. Sees only the tracks and the engagement records,
/// never the truth.
/// </summary>
/// <remarks>
/// <para><b>Killed.</b> A track with an assessed kill (<see cref="Command.EngagementCoordinator.IsKilled"/>) is not
/// engaged again; a track that keeps its number after a kill is the coasting remnant of the destroyed
/// object (shoot-look-shoot: the look decides, research/c2-anchors.md §3.1 "Dynamic WTA / SLS").</para>
/// <para><b>Ended.</b> A track whose predicted end of flight End (impact or arrival) is at or before now,
/// or against which a round missed at an intercept time t_i ≥ End_latest − m (End_latest: the end
/// predicted in the last screened cycle, m = <see cref="ThreatScreenOptions.EndMarginS"/>), is taken as
/// ended: a miss that late means the object was already on the ground, and the track that remains is
/// coasting on a prediction (its predicted time of impact drifts later as the covariance grows).</para>
/// <para><b>Duplicate.</b> Tracks j and k are the same threat when, at the screening time t,
/// |p_j(t) − p_k(t)| ≤ d_pos, |p_j(E) − p_k(E)| ≤ d_end with E = min(End_j, End_k) (predicted end
/// points), and |End_j − End_k| ≤ Δt_end. Within one group of the same threat the representative is
/// the track that is engaged (rounds committed), else the lowest track number; the others are
/// suppressed, and every member of a group holding a killed track is suppressed. Two real missiles
/// launched together at one aim point are indistinguishable by this rule (stated gap).</para>
/// <para>Not thread-safe; one screen per planning node. Time is passed in.</para>
/// </remarks>
public sealed class ThreatScreen
{
    private readonly ThreatScreenOptions _o;
    private readonly Dictionary<TrackNumber, DateTime> _latestEnd = [];
    private readonly HashSet<TrackNumber> _ended = [];

    /// <summary>Creates a screen.</summary>
    public ThreatScreen(ThreatScreenOptions? options = null) => _o = options ?? ThreatScreenOptions.Default;

    /// <summary>Tracks taken as ended so far.</summary>
    public IReadOnlyCollection<TrackNumber> Ended => _ended;

    /// <summary>
    /// Records a missed round against <paramref name="track"/> with its intercept time: when the intercept came
    /// at or after the latest predicted end of flight minus the margin, the track is ended for good.
    /// Returns true when the track was ended by this miss.
    /// </summary>
    public bool NoteMiss(TrackNumber track, DateTime interceptTime)
    {
        if (_latestEnd.TryGetValue(track, out var end) && interceptTime >= end.AddSeconds(-_o.EndMarginS))
        {
            return _ended.Add(track);
        }

        return false;
    }

    /// <summary>Screens the threats of one planning cycle.</summary>
    /// <param name="now">Planning time (UTC).</param>
    /// <param name="threats">Evaluated threats.</param>
    /// <param name="engaged">Tracks with rounds committed (recommended, approved, ordered or in flight).</param>
    /// <param name="killed">Tracks with an assessed kill.</param>
    public ScreenResult Screen(DateTime now, IReadOnlyList<Threat> threats, IReadOnlySet<TrackNumber> engaged, IReadOnlySet<TrackNumber> killed) =>
        Screen(now, threats, engaged, killed, ImmutableDictionary<TrackNumber, Affiliation>.Empty);

    /// <summary>
    /// Screens the threats of one planning cycle; in a duplicate group the representative is an engaged
    /// track, else a <see cref="Affiliation.Hostile"/> one, else the lowest track number (a pending
    /// duplicate must not hide the hostile track that weapons tight lets the planner engage).
    /// </summary>
    /// <param name="now">Planning time (UTC).</param>
    /// <param name="threats">Evaluated threats.</param>
    /// <param name="engaged">Tracks with rounds committed (recommended, approved, ordered or in flight).</param>
    /// <param name="killed">Tracks with an assessed kill.</param>
    /// <param name="identities">Identity per track (missing: pending).</param>
    public ScreenResult Screen(DateTime now, IReadOnlyList<Threat> threats, IReadOnlySet<TrackNumber> engaged, IReadOnlySet<TrackNumber> killed,
        IReadOnlyDictionary<TrackNumber, Affiliation> identities)
    {
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(threats);
        ArgumentNullException.ThrowIfNull(engaged);
        ArgumentNullException.ThrowIfNull(killed);
        var suppressed = ImmutableDictionary.CreateBuilder<TrackNumber, ScreenVerdict>();
        var live = new List<Threat>(threats.Count);
        foreach (var t in threats)
        {
            _latestEnd[t.Track] = t.Path.End;
            if (killed.Contains(t.Track))
            {
                suppressed[t.Track] = ScreenVerdict.Killed;
            }
            else if (_ended.Contains(t.Track) || t.Path.End <= now)
            {
                suppressed[t.Track] = ScreenVerdict.Ended;
            }
            else
            {
                live.Add(t);
            }
        }

        // Groups of the same threat (union–find over pairs); killed tracks take part so that their duplicates are suppressed.
        var pool = new List<Threat>(live);
        foreach (var t in threats)
        {
            if (suppressed.TryGetValue(t.Track, out var v) && v == ScreenVerdict.Killed && t.Path.End > now)
            {
                pool.Add(t);
            }
        }

        var parent = new int[pool.Count];
        for (var i = 0; i < parent.Length; i++)
        {
            parent[i] = i;
        }

        for (var i = 0; i < pool.Count; i++)
        {
            for (var k = i + 1; k < pool.Count; k++)
            {
                if (SameThreat(now, pool[i], pool[k]))
                {
                    parent[Find(parent, i)] = Find(parent, k);
                }
            }
        }

        var representative = new Dictionary<int, Threat>();
        var groupKilled = new HashSet<int>();
        for (var i = 0; i < pool.Count; i++)
        {
            var root = Find(parent, i);
            var t = pool[i];
            if (killed.Contains(t.Track))
            {
                groupKilled.Add(root);
                continue;
            }

            if (!representative.TryGetValue(root, out var r) || Better(t, r, engaged, identities))
            {
                representative[root] = t;
            }
        }

        var eligible = ImmutableArray.CreateBuilder<Threat>();
        for (var i = 0; i < live.Count; i++)
        {
            var root = Find(parent, i);
            var t = live[i];
            if (!groupKilled.Contains(root) && representative[root].Track == t.Track)
            {
                eligible.Add(t);
            }
            else
            {
                suppressed[t.Track] = ScreenVerdict.Duplicate;
            }
        }

        return new ScreenResult(eligible.ToImmutable(), suppressed.ToImmutable());
    }

    /// <summary>The duplicate test of the remarks.</summary>
    public bool SameThreat(DateTime now, Threat a, Threat b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (Math.Abs((a.Path.End - b.Path.End).TotalSeconds) > _o.DuplicateEndTimeS)
        {
            return false;
        }

        if ((a.Path.PositionEcefAt(Clamp(now, a.Path)) - b.Path.PositionEcefAt(Clamp(now, b.Path))).Norm > _o.DuplicatePositionM)
        {
            return false;
        }

        var e = a.Path.End < b.Path.End ? a.Path.End : b.Path.End;
        return (a.Path.PositionEcefAt(e) - b.Path.PositionEcefAt(e)).Norm <= _o.DuplicateEndPointM;
    }

    private static DateTime Clamp(DateTime t, IThreatPath p) => t < p.Start ? p.Start : t > p.End ? p.End : t;

    private static bool Better(Threat candidate, Threat current, IReadOnlySet<TrackNumber> engaged, IReadOnlyDictionary<TrackNumber, Affiliation> identities)
    {
        var ce = engaged.Contains(candidate.Track);
        var re = engaged.Contains(current.Track);
        if (ce != re)
        {
            return ce;
        }

        var ch = identities.TryGetValue(candidate.Track, out var a) && a == Affiliation.Hostile;
        var rh = identities.TryGetValue(current.Track, out var b) && b == Affiliation.Hostile;
        return ch != rh ? ch : candidate.Track.CompareTo(current.Track) < 0;
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }
}
