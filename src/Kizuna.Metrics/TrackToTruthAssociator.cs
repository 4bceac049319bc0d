namespace Kizuna.Metrics;

/// <summary>A track associated with a truth over the closed time interval [Start, End] (s).</summary>
/// <param name="TrackId">Track number.</param>
/// <param name="TruthId">Truth id.</param>
/// <param name="Start">Time of the first of the confirming matches.</param>
/// <param name="End">Time of the last match before the association ended (or the track ended).</param>
public readonly record struct TrackTruthAssociation(long TrackId, int TruthId, double Start, double End)
{
    /// <summary>Duration End − Start (s).</summary>
    public double Duration => End - Start;

    /// <summary>True when <paramref name="time"/> lies in [Start, End].</summary>
    public bool IsActiveAt(double time) => time >= Start && time <= End;
}

/// <summary>Which state components the track-to-truth distance uses.</summary>
public enum AssociationDistance
{
    /// <summary>|p_track − p_truth| (m).</summary>
    Position,

    /// <summary>sqrt(|Δp|² + |Δv|²), the Euclidean norm over the whole state vector (Stone Soup's default measure).</summary>
    PositionAndVelocity,
}

/// <summary>
/// Track-to-truth association with the rules of Stone Soup's <c>TrackToTruth</c>
/// (<c>stonesoup/dataassociator/tracktotrack.py</c>), used by the SIAP metrics.
/// </summary>
/// <remarks>
/// <para>For each track, at each of its times t, the candidate is the truth with a state at exactly t
/// that is closest to the track, provided its distance is &lt; <see cref="Threshold"/> (ties go to
/// the lower truth id). An association with a truth starts once the same truth has been the
/// candidate at <see cref="ConfirmCount"/> (default 3) consecutive track times; its start time is
/// the first of them. It ends after <see cref="MissCount"/> (default 2) consecutive track times at
/// which the candidate is another truth or none; its end time is the last matched time. If at that
/// moment another truth has already been the candidate for ConfirmCount consecutive times, the
/// track switches to it directly (start = first of those times); otherwise the count towards a
/// new association carries on. A track maps to at most one truth at a time; a truth may hold many
/// tracks. An open association is closed when the track ends.</para>
/// <para>Deviations from Stone Soup, both on edge cases: (1) Stone Soup does not reset its miss
/// counter when a new association is formed after one ended, so such an association ends after a
/// single miss if the next state misses; here every new association needs MissCount misses.
/// (2) Stone Soup treats a candidate at distance exactly 0 as "no candidate yet" when comparing
/// later truths (Python falsiness); here the closest truth always wins.</para>
/// <para>Reference for the SIAP context: Votruba et al., "Single Integrated Air Picture (SIAP)
/// Metrics Implementation", SIAP SE Task Force, 29 Oct 2001. Truth must be sampled at the track
/// times; no interpolation is done.</para>
/// </remarks>
public sealed class TrackToTruthAssociator
{
    /// <summary>Creates an associator.</summary>
    /// <param name="threshold">Association distance threshold (m, or the mixed unit of <paramref name="distance"/>).</param>
    /// <param name="confirmCount">Consecutive matches that form an association (≥ 1).</param>
    /// <param name="missCount">Consecutive misses that end it (≥ 1).</param>
    /// <param name="distance">Distance used for the threshold and the "closest" test.</param>
    public TrackToTruthAssociator(double threshold, int confirmCount = 3, int missCount = 2, AssociationDistance distance = AssociationDistance.Position)
    {
        if (!(threshold > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "Threshold must be > 0.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(confirmCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(missCount, 1);
        Threshold = threshold;
        ConfirmCount = confirmCount;
        MissCount = missCount;
        Distance = distance;
    }

    /// <summary>Association threshold.</summary>
    public double Threshold { get; }

    /// <summary>Consecutive matches needed to start an association.</summary>
    public int ConfirmCount { get; }

    /// <summary>Consecutive misses that end an association.</summary>
    public int MissCount { get; }

    /// <summary>Distance measure.</summary>
    public AssociationDistance Distance { get; }

    /// <summary>Associates every track with the truths; returns the associations ordered by track, then start time.</summary>
    public IReadOnlyList<TrackTruthAssociation> Associate(IEnumerable<TrackSample> tracks, IEnumerable<TruthSample> truths)
    {
        var truthPaths = SampleSets.TruthsById(truths);
        var result = new List<TrackTruthAssociation>();
        foreach (var (trackId, states) in SampleSets.TracksById(tracks))
        {
            AssociateTrack(trackId, states, truthPaths, result);
        }

        return result;
    }

    private void AssociateTrack(long trackId, TrackSample[] states, SortedDictionary<int, TruthSample[]> truthPaths, List<TrackTruthAssociation> result)
    {
        int? current = null;
        int? potential = null;
        var potentialCount = 0;
        var potentialStart = 0.0;
        var misses = 0;
        var start = 0.0;
        var end = 0.0;

        foreach (var state in states)
        {
            var candidate = Closest(state, truthPaths);
            if (current is null)
            {
                if (candidate is null)
                {
                    potential = null;
                    potentialCount = 0;
                }
                else if (candidate != potential)
                {
                    potential = candidate;
                    potentialCount = 1;
                    potentialStart = state.Time;
                }
                else
                {
                    potentialCount++;
                }

                if (potentialCount >= ConfirmCount)
                {
                    current = potential;
                    start = potentialStart;
                    end = state.Time;
                    potential = null;
                    potentialCount = 0;
                    misses = 0;
                }

                continue;
            }

            if (candidate == current)
            {
                misses = 0;
                end = state.Time;
                continue;
            }

            misses++;
            if (candidate is not null && candidate == potential)
            {
                potentialCount++;
            }
            else if (candidate is not null)
            {
                potential = candidate;
                potentialCount = 1;
                potentialStart = state.Time;
            }
            else
            {
                potential = null;
                potentialCount = 0;
            }

            if (misses >= MissCount)
            {
                result.Add(new TrackTruthAssociation(trackId, current.Value, start, end));
                misses = 0;
                if (potentialCount >= ConfirmCount)
                {
                    current = potential;
                    start = potentialStart;
                    end = state.Time;
                    potential = null;
                    potentialCount = 0;
                }
                else
                {
                    current = null;
                }
            }
        }

        if (current is not null)
        {
            result.Add(new TrackTruthAssociation(trackId, current.Value, start, end));
        }
    }

    private int? Closest(TrackSample state, SortedDictionary<int, TruthSample[]> truthPaths)
    {
        int? best = null;
        var bestDistance = Threshold;
        foreach (var (truthId, path) in truthPaths)
        {
            var k = SampleSets.IndexAt(path, state.Time, s => s.Time);
            if (k < 0)
            {
                continue;
            }

            var truth = path[k];
            var d = Distance == AssociationDistance.Position
                ? (state.Position - truth.Position).Norm
                : Math.Sqrt((state.Position - truth.Position).NormSquared + (state.Velocity - truth.Velocity).NormSquared);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = truthId;
            }
        }

        return best;
    }
}
