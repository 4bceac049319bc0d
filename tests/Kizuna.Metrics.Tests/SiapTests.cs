using Kizuna.Core;
using Kizuna.Metrics;

namespace Kizuna.Metrics.Tests;

public class SiapTests
{
    /// <summary>
    /// Times t = 0..4 (1 s). Truth 1 at the origin (identity 7), truth 2 at x = 1000 (identity 9),
    /// both at rest. Threshold 50 m.
    ///   track 10: truth 1 + (3,0,0) m, velocity error (1,0,0), identity 7, t0..t4 → assoc [0,4]
    ///   track 11: truth 1 + (0,4,0) m, no identity, t0..t4                    → assoc [0,4]
    ///   track 20: truth 2 + (6,0,0) m, identity 9, t0..t2                     → assoc [0,2]
    ///   track 21: truth 2 + (0,0,8) m, velocity error (0,2,0), identity 5, t2..t4 → assoc [2,4]
    ///   track 99: x = 5000, t0..t4 (spurious)
    /// </summary>
    private static (List<TrackSample> Tracks, List<TruthSample> Truths) Scenario()
    {
        var truths = new List<TruthSample>();
        var tracks = new List<TrackSample>();
        var t2 = new Vec3(1000, 0, 0);
        for (var t = 0; t <= 4; t++)
        {
            truths.Add(new TruthSample(t, 1, Vec3.Zero, Vec3.Zero, 7));
            truths.Add(new TruthSample(t, 2, t2, Vec3.Zero, 9));
            tracks.Add(new TrackSample(t, 10, new Vec3(3, 0, 0), new Vec3(1, 0, 0), 7));
            tracks.Add(new TrackSample(t, 11, new Vec3(0, 4, 0), Vec3.Zero));
            if (t <= 2)
            {
                tracks.Add(new TrackSample(t, 20, t2 + new Vec3(6, 0, 0), Vec3.Zero, 9));
            }

            if (t >= 2)
            {
                tracks.Add(new TrackSample(t, 21, t2 + new Vec3(0, 0, 8), new Vec3(0, 2, 0), 5));
            }

            tracks.Add(new TrackSample(t, 99, new Vec3(5000, 0, 0), Vec3.Zero));
        }

        return (tracks, truths);
    }

    private static SiapResult Compute()
    {
        var (tracks, truths) = Scenario();
        return SiapCalculator.Compute(tracks, truths, new TrackToTruthAssociator(50));
    }

    [Fact]
    public void Associator_HandScenario_GivesExpectedIntervals()
    {
        var (tracks, truths) = Scenario();
        var list = new TrackToTruthAssociator(50).Associate(tracks, truths);
        Assert.Equal(
            [new TrackTruthAssociation(10, 1, 0, 4), new TrackTruthAssociation(11, 1, 0, 4),
             new TrackTruthAssociation(20, 2, 0, 2), new TrackTruthAssociation(21, 2, 2, 4)],
            list);
    }

    [Fact]
    public void Kinematic_HandScenario_MatchesHandArithmetic()
    {
        // J = 2 each time → ΣJ = 10; JT = 2 each time → ΣJT = 10; C = 1.
        // N: t0 4, t1 4, t2 5, t3 4, t4 4 → ΣN = 21. NA: 3, 3, 4, 3, 3 → ΣNA = 16.
        // A = 16/10 = 1.6 (1.5 at t0, 2 at t2). S = (21 − 16)/21 = 5/21.
        // PA sums: t0 3+4+6 = 13, t1 13, t2 3+4+6+8 = 21, t3 3+4+8 = 15, t4 15 → 77; PA = 77/16.
        // VA sums: t0 1, t1 1, t2 1+2 = 3, t3 3, t4 3 → 11; VA = 11/16.
        var r = Compute();
        Assert.Equal((5, 10, 10, 21, 16), (r.TimeCount, r.SumJ, r.SumJT, r.SumN, r.SumNA));
        Assert.Equal(1.0, r.Completeness, 12);
        Assert.Equal(1.6, r.Ambiguity, 12);
        Assert.Equal(1.5, r.Steps[0].Ambiguity, 12);
        Assert.Equal(2.0, r.Steps[2].Ambiguity, 12);
        Assert.Equal(5.0 / 21, r.Spuriousness, 12);
        Assert.Equal(0.25, r.Steps[0].Spuriousness, 12);
        Assert.Equal(77.0 / 16, r.PositionAccuracy, 12);
        Assert.Equal(13.0 / 3, r.Steps[0].PositionAccuracy, 12);
        Assert.Equal(11.0 / 16, r.VelocityAccuracy, 12);
    }

    [Fact]
    public void Continuity_HandScenario_CountsTrackNumberChange()
    {
        // Truth 1: TT = 4 s, NU = 1, TL = 4 s, T = 4 s.
        // Truth 2: intervals [0,1],[1,2] in track 20, [2,3],[3,4] in track 21 → TT = 4 s;
        //   greedy walk: t0 → track 20 (end 2) → t3 → track 21 (end 4) → NU = 2; TL = 2 s; T = 4 s.
        // R = ((1−1) + (2−1)) / (4 + 4) = 0.125; LS = (4 + 2)/(4 + 4) = 0.75.
        var r = Compute();
        Assert.Equal([new TruthContinuity(1, 4, 4, 1, 4), new TruthContinuity(2, 4, 4, 2, 2)], r.Truths);
        Assert.Equal(0.125, r.RateOfTrackNumberChange, 12);
        Assert.Equal(0.125, r.RateOfTrackNumberChangeStoneSoup, 12);
        Assert.Equal(0.75, r.LongestTrackSegment, 12);
    }

    [Fact]
    public void Identity_HandScenario_MatchesHandArithmetic()
    {
        // Truth 1 (id 7) held by track 10 (7) and 11 (none) → mixed (JA) every time.
        // Truth 2 (id 9): t0, t1 track 20 (9) → JC; t2 tracks 20 (9) + 21 (5) → JA; t3, t4 track 21 (5) → JI.
        // ΣJT = 10, ΣJU = 0, ΣJC = 2, ΣJI = 2, ΣJA = 6 → CID = 1, IDC = 0.2, IDA = 0.6.
        var r = Compute();
        Assert.Equal(1.0, r.IdCompleteness, 12);
        Assert.Equal(0.2, r.IdCorrectness, 12);
        Assert.Equal(0.6, r.IdAmbiguity, 12);
        Assert.Equal((0, 1, 0, 1), (r.Steps[0].JU, r.Steps[0].JC, r.Steps[0].JI, r.Steps[0].JA));
        Assert.Equal((0, 0, 1, 1), (r.Steps[4].JU, r.Steps[4].JC, r.Steps[4].JI, r.Steps[4].JA));
    }

    [Fact]
    public void Rate_UntrackedTruth_StoneSoupSumGoesNegative()
    {
        // Truth 1 tracked by one track over 0..4 (NU 1, TT 4); truth 3 never tracked (NU 0).
        // Ours: (1 − 1)/4 = 0. Stone Soup's sum: ((1 − 1) + (0 − 1))/4 = −0.25.
        var truths = new List<TruthSample>();
        var tracks = new List<TrackSample>();
        for (var t = 0; t <= 4; t++)
        {
            truths.Add(new TruthSample(t, 1, Vec3.Zero, Vec3.Zero));
            truths.Add(new TruthSample(t, 3, new Vec3(9000, 0, 0), Vec3.Zero));
            tracks.Add(new TrackSample(t, 10, new Vec3(1, 0, 0), Vec3.Zero));
        }

        var r = SiapCalculator.Compute(tracks, truths, new TrackToTruthAssociator(50));
        Assert.Equal(0.0, r.RateOfTrackNumberChange, 12);
        Assert.Equal(-0.25, r.RateOfTrackNumberChangeStoneSoup, 12);
        Assert.Equal(0.5, r.Completeness, 12);
        Assert.Equal(0.5, r.LongestTrackSegment, 12);
        Assert.Equal(0.0, r.IdCompleteness, 12); // the only associated truth's track has no identity: JU = JT
    }

    [Fact]
    public void Output_TableAndJson_CarryTheFigures()
    {
        var r = Compute();
        Assert.Contains("Ambiguity (A)", r.ToTable(), StringComparison.Ordinal);
        Assert.Contains("1.6", r.ToTable(), StringComparison.Ordinal);
        using var doc = System.Text.Json.JsonDocument.Parse(r.ToJson());
        Assert.Equal(1.6, doc.RootElement.GetProperty("Ambiguity").GetDouble(), 12);
        Assert.Equal(5, doc.RootElement.GetProperty("Steps").GetArrayLength());
    }
}
