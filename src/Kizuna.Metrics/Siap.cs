using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kizuna.Metrics;

/// <summary>SIAP counts and sums at one time t (symbols of Votruba et al. 2001 / Stone Soup).</summary>
/// <param name="Time">t (s).</param>
/// <param name="J">Truths with a state at t.</param>
/// <param name="JT">Truths in ≥ 1 association active at t.</param>
/// <param name="N">Tracks with a state at t.</param>
/// <param name="NA">Tracks in an association active at t.</param>
/// <param name="PositionErrorSum">Σ |p_track − p_truth| over active associations with states at t (m).</param>
/// <param name="VelocityErrorSum">Σ |v_track − v_truth| over the same associations (m/s).</param>
/// <param name="AccuracyPairs">Number of associations summed in the two error sums.</param>
/// <param name="JU">Associated truths whose tracks all carry no identity.</param>
/// <param name="JC">Associated truths whose tracks all carry the truth's identity.</param>
/// <param name="JI">Associated truths whose tracks all carry an identity, all wrong.</param>
public readonly record struct SiapTimeStep(
    double Time, int J, int JT, int N, int NA, double PositionErrorSum, double VelocityErrorSum, int AccuracyPairs, int JU, int JC, int JI)
{
    /// <summary>JA = JT − JC − JI − JU: truths with mixed identities.</summary>
    public int JA => JT - JC - JI - JU;

    /// <summary>Completeness JT/J (0 if J = 0).</summary>
    public double Completeness => J != 0 ? (double)JT / J : 0;

    /// <summary>Ambiguity NA/JT (1 if JT = 0).</summary>
    public double Ambiguity => JT != 0 ? (double)NA / JT : 1;

    /// <summary>Spuriousness (N − NA)/N (0 if N = 0).</summary>
    public double Spuriousness => N != 0 ? (double)(N - NA) / N : 0;

    /// <summary>Positional accuracy: mean absolute position error (m; 0 if no pairs).</summary>
    public double PositionAccuracy => AccuracyPairs != 0 ? PositionErrorSum / AccuracyPairs : 0;

    /// <summary>Velocity accuracy: mean absolute velocity error (m/s; 0 if no pairs).</summary>
    public double VelocityAccuracy => AccuracyPairs != 0 ? VelocityErrorSum / AccuracyPairs : 0;

    /// <summary>ID completeness (JT − JU)/JT (0 if JT = 0).</summary>
    public double IdCompleteness => JT != 0 ? (double)(JT - JU) / JT : 0;

    /// <summary>ID correctness JC/JT (0 if JT = 0).</summary>
    public double IdCorrectness => JT != 0 ? (double)JC / JT : 0;

    /// <summary>ID ambiguity JA/JT (0 if JT = 0).</summary>
    public double IdAmbiguity => JT != 0 ? (double)JA / JT : 0;
}

/// <summary>Continuity figures of one truth j.</summary>
/// <param name="TruthId">Truth id.</param>
/// <param name="Lifetime">T_j = last − first truth time (s).</param>
/// <param name="TimeTracked">TT_j: Σ of truth sampling intervals whose both ends lie in one association (s).</param>
/// <param name="TracksNeeded">NU_j: tracks needed to cover the truth (Stone Soup's greedy walk).</param>
/// <param name="LongestSegment">TL_j: longest association duration (s).</param>
public readonly record struct TruthContinuity(int TruthId, double Lifetime, double TimeTracked, int TracksNeeded, double LongestSegment);

/// <summary>
/// Every SIAP figure of a run: kinematic attributes (C, A, S, PA, VA as pooled ratios over all
/// times), continuity (R, LS), ID attributes (CID, IDC, IDA), the per-time steps and per-truth
/// continuity they come from, and the counts.
/// </summary>
public sealed record SiapResult
{
    /// <summary>Number of times evaluated (union of track and truth times).</summary>
    public required int TimeCount { get; init; }

    /// <summary>Distinct truths.</summary>
    public required int TruthCount { get; init; }

    /// <summary>Distinct tracks.</summary>
    public required int TrackCount { get; init; }

    /// <summary>Associations used.</summary>
    public required int AssociationCount { get; init; }

    /// <summary>ΣJ, ΣJT, ΣN, ΣNA over times.</summary>
    public required int SumJ { get; init; }

    /// <inheritdoc cref="SumJ"/>
    public required int SumJT { get; init; }

    /// <inheritdoc cref="SumJ"/>
    public required int SumN { get; init; }

    /// <inheritdoc cref="SumJ"/>
    public required int SumNA { get; init; }

    /// <summary>C = ΣJT/ΣJ (target 1).</summary>
    public required double Completeness { get; init; }

    /// <summary>A = ΣNA/ΣJT (target 1; 1 if ΣJT = 0).</summary>
    public required double Ambiguity { get; init; }

    /// <summary>S = Σ(N − NA)/ΣN (target 0).</summary>
    public required double Spuriousness { get; init; }

    /// <summary>PA = Σ position error / Σ pairs (m, target 0).</summary>
    public required double PositionAccuracy { get; init; }

    /// <summary>VA = Σ velocity error / Σ pairs (m/s, target 0).</summary>
    public required double VelocityAccuracy { get; init; }

    /// <summary>R = Σ_{j: NU_j &gt; 0}(NU_j − 1) / Σ_j TT_j (per second, target 0).</summary>
    public required double RateOfTrackNumberChange { get; init; }

    /// <summary>R exactly as Stone Soup's code sums it: Σ_j (NU_j − 1) over all truths, so each
    /// never-tracked truth adds −1 (can be negative); kept for cross-checking.</summary>
    public required double RateOfTrackNumberChangeStoneSoup { get; init; }

    /// <summary>LS = Σ_j TL_j / Σ_j T_j (target 1).</summary>
    public required double LongestTrackSegment { get; init; }

    /// <summary>CID = Σ(JT − JU)/ΣJT (target 1).</summary>
    public required double IdCompleteness { get; init; }

    /// <summary>IDC = ΣJC/ΣJT (target 1).</summary>
    public required double IdCorrectness { get; init; }

    /// <summary>IDA = ΣJA/ΣJT (target 0).</summary>
    public required double IdAmbiguity { get; init; }

    /// <summary>Per-time counts and values, in time order.</summary>
    public required IReadOnlyList<SiapTimeStep> Steps { get; init; }

    /// <summary>Per-truth continuity, by truth id.</summary>
    public required IReadOnlyList<TruthContinuity> Truths { get; init; }

    /// <summary>A fixed-width text table of the run figures with their targets.</summary>
    public string ToTable()
    {
        var sb = new StringBuilder();
        sb.AppendLine("SIAP metric                     value        target");
        void Row(string name, double value, string target) =>
            sb.AppendLine(CultureInfo.InvariantCulture, $"{name,-30} {value,12:0.######} {target,8}");
        Row("Completeness (C)", Completeness, "1");
        Row("Ambiguity (A)", Ambiguity, "1");
        Row("Spuriousness (S)", Spuriousness, "0");
        Row("Position accuracy PA (m)", PositionAccuracy, "0");
        Row("Velocity accuracy VA (m/s)", VelocityAccuracy, "0");
        Row("Track number change R (/s)", RateOfTrackNumberChange, "0");
        Row("Longest track segment (LS)", LongestTrackSegment, "1");
        Row("ID completeness (CID)", IdCompleteness, "1");
        Row("ID correctness (IDC)", IdCorrectness, "1");
        Row("ID ambiguity (IDA)", IdAmbiguity, "0");
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"times {TimeCount}, truths {TruthCount}, tracks {TrackCount}, associations {AssociationCount}, ΣJ {SumJ}, ΣJT {SumJT}, ΣN {SumN}, ΣNA {SumNA}");
        return sb.ToString();
    }

    /// <summary>The result as indented JSON (all figures, steps and per-truth continuity).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
}

/// <summary>
/// SIAP metrics computed exactly as Stone Soup's <c>SIAPMetrics</c> and <c>IDSIAPMetrics</c>
/// (<c>stonesoup/metricgenerator/tracktotruthmetrics.py</c>).
/// </summary>
/// <remarks>
/// <para>Reference: Votruba et al., "Single Integrated Air Picture (SIAP) Metrics Implementation",
/// SIAP Systems Engineering Task Force, 29 Oct 2001. For every time t in the union of track and
/// truth times, with associations active on a closed interval: J(t), JT(t), N(t), NA(t) and the
/// error sums of <see cref="SiapTimeStep"/>. Run values are pooled ratios of sums over t:
/// C = ΣJT/ΣJ, A = ΣNA/ΣJT, S = Σ(N−NA)/ΣN, PA = ΣPA/ΣNA, VA = ΣVA/ΣNA, CID = Σ(JT−JU)/ΣJT,
/// IDC = ΣJC/ΣJT, IDA = ΣJA/ΣJT; continuity R = Σ(NU_j − 1)/ΣTT_j and LS = ΣTL_j/ΣT_j.</para>
/// <para>Details that follow Stone Soup's code: PA/VA are mean absolute (not RMS) errors, one
/// term per active association; TT_j counts an interval of consecutive truth times only if both
/// ends fall in the same association; NU_j walks the truth times, at each uncovered-so-far time
/// takes the covering association with the latest end, counts it, and jumps past that end — and
/// stops if that end is not a later truth time (Stone Soup's <c>list.index</c> behaviour).
/// A truth's identity is the first non-zero <see cref="TruthSample.Identity"/> of its samples
/// (Stone Soup: path metadata); a track's identity at t is that of its sample at t (0 if none).
/// Deviations: R sums NU_j − 1 only over tracked truths (<see cref="SiapResult.RateOfTrackNumberChangeStoneSoup"/>
/// keeps Stone Soup's sum); an active association without a track or truth state at t is left out
/// of the PA/VA sums and of their denominator (Stone Soup raises an error there).</para>
/// </remarks>
public static class SiapCalculator
{
    /// <summary>Associates <paramref name="tracks"/> to <paramref name="truths"/> with
    /// <paramref name="associator"/> and computes every SIAP figure.</summary>
    public static SiapResult Compute(IReadOnlyCollection<TrackSample> tracks, IReadOnlyCollection<TruthSample> truths, TrackToTruthAssociator associator)
    {
        ArgumentNullException.ThrowIfNull(associator);
        return Compute(tracks, truths, associator.Associate(tracks, truths));
    }

    /// <summary>Computes every SIAP figure from given associations.</summary>
    public static SiapResult Compute(IEnumerable<TrackSample> tracks, IEnumerable<TruthSample> truths, IReadOnlyList<TrackTruthAssociation> associations)
    {
        var trackPaths = SampleSets.TracksById(tracks);
        var truthPaths = SampleSets.TruthsById(truths);
        var truthIdentity = truthPaths.ToDictionary(kv => kv.Key, kv => kv.Value.Select(s => s.Identity).FirstOrDefault(i => i != 0));

        var times = new SortedSet<double>(trackPaths.Values.SelectMany(p => p.Select(s => s.Time)));
        times.UnionWith(truthPaths.Values.SelectMany(p => p.Select(s => s.Time)));

        var steps = new List<SiapTimeStep>(times.Count);
        var activeTruths = new HashSet<int>();
        var activeTracks = new HashSet<long>();
        foreach (var t in times)
        {
            var j = truthPaths.Values.Count(p => SampleSets.IndexAt(p, t, s => s.Time) >= 0);
            var n = trackPaths.Values.Count(p => SampleSets.IndexAt(p, t, s => s.Time) >= 0);
            activeTruths.Clear();
            activeTracks.Clear();
            double pa = 0, va = 0;
            var pairs = 0;
            foreach (var a in associations)
            {
                if (!a.IsActiveAt(t) || !truthPaths.TryGetValue(a.TruthId, out var truthPath) || !trackPaths.TryGetValue(a.TrackId, out var trackPath))
                {
                    continue;
                }

                activeTruths.Add(a.TruthId);
                activeTracks.Add(a.TrackId);
                var ti = SampleSets.IndexAt(truthPath, t, s => s.Time);
                var ki = SampleSets.IndexAt(trackPath, t, s => s.Time);
                if (ti >= 0 && ki >= 0)
                {
                    pa += (trackPath[ki].Position - truthPath[ti].Position).Norm;
                    va += (trackPath[ki].Velocity - truthPath[ti].Velocity).Norm;
                    pairs++;
                }
            }

            int ju = 0, jc = 0, ji = 0;
            foreach (var truthId in activeTruths)
            {
                var truthId0 = truthIdentity[truthId];
                bool allNone = true, allCorrect = true, allWrong = true;
                foreach (var a in associations)
                {
                    if (a.TruthId != truthId || !a.IsActiveAt(t) || !trackPaths.TryGetValue(a.TrackId, out var trackPath))
                    {
                        continue;
                    }

                    var ki = SampleSets.IndexAt(trackPath, t, s => s.Time);
                    var id = ki >= 0 ? trackPath[ki].Identity : 0u;
                    allNone &= id == 0;
                    allCorrect &= id != 0 && id == truthId0;
                    allWrong &= id != 0 && id != truthId0;
                }

                if (allNone)
                {
                    ju++;
                }
                else if (allCorrect && truthId0 != 0)
                {
                    jc++;
                }
                else if (allWrong)
                {
                    ji++;
                }
            }

            steps.Add(new SiapTimeStep(t, j, activeTruths.Count, n, activeTracks.Count, pa, va, pairs, ju, jc, ji));
        }

        var continuity = new List<TruthContinuity>(truthPaths.Count);
        foreach (var (truthId, path) in truthPaths)
        {
            var own = associations.Where(a => a.TruthId == truthId && trackPaths.ContainsKey(a.TrackId)).ToList();
            continuity.Add(new TruthContinuity(
                truthId,
                path[^1].Time - path[0].Time,
                TimeTracked(path, own),
                TracksNeeded(path, own),
                own.Count == 0 ? 0 : own.Max(a => a.Duration)));
        }

        int sumJ = steps.Sum(s => s.J), sumJT = steps.Sum(s => s.JT), sumN = steps.Sum(s => s.N), sumNA = steps.Sum(s => s.NA);
        var sumPairs = steps.Sum(s => s.AccuracyPairs);
        int sumJU = steps.Sum(s => s.JU), sumJC = steps.Sum(s => s.JC), sumJA = steps.Sum(s => s.JA);
        var sumTT = continuity.Sum(c => c.TimeTracked);
        var sumT = continuity.Sum(c => c.Lifetime);
        var changes = continuity.Where(c => c.TracksNeeded > 0).Sum(c => c.TracksNeeded - 1);
        var changesStoneSoup = continuity.Sum(c => c.TracksNeeded - 1);

        return new SiapResult
        {
            TimeCount = steps.Count,
            TruthCount = truthPaths.Count,
            TrackCount = trackPaths.Count,
            AssociationCount = associations.Count,
            SumJ = sumJ,
            SumJT = sumJT,
            SumN = sumN,
            SumNA = sumNA,
            Completeness = sumJ != 0 ? (double)sumJT / sumJ : 0,
            Ambiguity = sumJT != 0 ? (double)sumNA / sumJT : 1,
            Spuriousness = sumN != 0 ? (double)(sumN - sumNA) / sumN : 0,
            PositionAccuracy = sumPairs != 0 ? steps.Sum(s => s.PositionErrorSum) / sumPairs : 0,
            VelocityAccuracy = sumPairs != 0 ? steps.Sum(s => s.VelocityErrorSum) / sumPairs : 0,
            RateOfTrackNumberChange = sumTT != 0 ? changes / sumTT : 0,
            RateOfTrackNumberChangeStoneSoup = sumTT != 0 ? changesStoneSoup / sumTT : 0,
            LongestTrackSegment = sumT != 0 ? continuity.Sum(c => c.LongestSegment) / sumT : 0,
            IdCompleteness = sumJT != 0 ? (double)(sumJT - sumJU) / sumJT : 0,
            IdCorrectness = sumJT != 0 ? (double)sumJC / sumJT : 0,
            IdAmbiguity = sumJT != 0 ? (double)sumJA / sumJT : 0,
            Steps = steps,
            Truths = continuity,
        };
    }

    private static double TimeTracked(TruthSample[] path, List<TrackTruthAssociation> own)
    {
        var total = 0.0;
        for (var k = 0; k + 1 < path.Length; k++)
        {
            var t0 = path[k].Time;
            var t1 = path[k + 1].Time;
            if (own.Exists(a => a.IsActiveAt(t0) && a.IsActiveAt(t1)))
            {
                total += t1 - t0;
            }
        }

        return total;
    }

    private static int TracksNeeded(TruthSample[] path, List<TrackTruthAssociation> own)
    {
        if (own.Count == 0)
        {
            return 0;
        }

        // Latest end first; a stable sort keeps input order among equal ends.
        var byEnd = own.OrderByDescending(a => a.End).ToList();
        var needed = 0;
        var k = 0;
        while (k < path.Length)
        {
            var t = path[k].Time;
            var covering = byEnd.FindIndex(a => a.IsActiveAt(t));
            if (covering < 0)
            {
                k++;
                continue;
            }

            needed++;
            var end = byEnd[covering].End;
            var next = Array.FindIndex(path, k + 1, s => s.Time == end);
            if (next < 0)
            {
                break;
            }

            k = next + 1;
        }

        return needed;
    }
}
