using Kizuna.Core;
using Kizuna.Metrics;

namespace Kizuna.Metrics.Tests;

public class TrackToTruthAssociatorTests
{
    // Truth 1 at x = 0 and truth 2 at x = 100 for t = 0..9; threshold 10.
    private static readonly TruthSample[] Truths =
        [.. Enumerable.Range(0, 10).SelectMany(t => new[]
        {
            new TruthSample(t, 1, Vec3.Zero, Vec3.Zero),
            new TruthSample(t, 2, new Vec3(100, 0, 0), Vec3.Zero),
        })];

    /// <summary>Track 7 with x positions per time t = 0, 1, …</summary>
    private static TrackSample[] Track(params double[] xs) =>
        [.. xs.Select((x, t) => new TrackSample(t, 7, new Vec3(x, 0, 0), Vec3.Zero))];

    private static readonly TrackToTruthAssociator Associator = new(10);

    [Fact]
    public void Associate_TwoMatchesOnly_FormsNoAssociation() =>
        Assert.Empty(Associator.Associate(Track(1, 1, 500, 500), Truths));

    [Fact]
    public void Associate_ThreeMatchesAfterAMiss_StartsAtFirstOfTheThree()
    {
        // t0 far, t1..t3 on truth 1 → confirmed at t3, start t1, end t3 (track ends).
        var a = Assert.Single(Associator.Associate(Track(500, 1, 1, 1), Truths));
        Assert.Equal(new TrackTruthAssociation(7, 1, 1, 3), a);
    }

    [Fact]
    public void Associate_SingleMiss_KeepsAssociation()
    {
        // matches t0..t4, miss t5, matches t6, t7 → one association [0, 7].
        var a = Assert.Single(Associator.Associate(Track(1, 1, 1, 1, 1, 500, 1, 1), Truths));
        Assert.Equal(new TrackTruthAssociation(7, 1, 0, 7), a);
    }

    [Fact]
    public void Associate_TwoMisses_EndsAtLastMatchAndReconfirmsLater()
    {
        // matches t0..t4, misses t5, t6 → [0, 4]; matches t7..t9 → new [7, 9].
        var list = Associator.Associate(Track(1, 1, 1, 1, 1, 500, 500, 1, 1, 1), Truths);
        Assert.Equal([new TrackTruthAssociation(7, 1, 0, 4), new TrackTruthAssociation(7, 1, 7, 9)], list);
    }

    [Fact]
    public void Associate_ReconfirmedAssociation_NeedsTwoMissesAgain()
    {
        // [0,2] ends at misses t3,t4; t5..t7 reconfirm [5,7]; one miss at t8 must not end it; t9 matches → [5, 9].
        var list = Associator.Associate(Track(1, 1, 1, 500, 500, 1, 1, 1, 500, 1), Truths);
        Assert.Equal([new TrackTruthAssociation(7, 1, 0, 2), new TrackTruthAssociation(7, 1, 5, 9)], list);
    }

    [Fact]
    public void Associate_Handover_SwitchesTruthWithStartAtFirstNewMatch()
    {
        // on truth 1 at t0..t3, on truth 2 from t4: misses t4, t5 end [0, 3]; truth 2 counted
        // from t4 and confirmed at t6 → [4, 9].
        var list = Associator.Associate(Track(1, 1, 1, 1, 99, 99, 99, 99, 99, 99), Truths);
        Assert.Equal([new TrackTruthAssociation(7, 1, 0, 3), new TrackTruthAssociation(7, 2, 4, 9)], list);
    }

    [Fact]
    public void Associate_TwoTruthsInGate_PicksTheClosest()
    {
        // Truths at 0 and 6, track at 4 (distances 4 and 2) → truth 6.
        TruthSample[] truths = [.. Enumerable.Range(0, 3).SelectMany(t => new[]
        {
            new TruthSample(t, 1, Vec3.Zero, Vec3.Zero),
            new TruthSample(t, 2, new Vec3(6, 0, 0), Vec3.Zero),
        })];
        var a = Assert.Single(Associator.Associate(Track(4, 4, 4), truths));
        Assert.Equal(2, a.TruthId);
    }
}
