using Kizuna.Core;
using Kizuna.Metrics;

namespace Kizuna.Metrics.Tests;

public class SetDistanceTests
{
    private static Vec3[] X(params double[] xs) => [.. xs.Select(x => new Vec3(x, 0, 0))];

    [Fact]
    public void Ospa_OneExtraTrack_AddsCardinalityPenalty()
    {
        // c = 10, p = 1; tracks {0, 20}, truths {1}: best pair 0↔1 (d = 1), one extra track.
        // OSPA = ((1/2)(1 + 10·1))^1 = 5.5
        var calc = new SetDistanceCalculator(10, 1);
        Assert.Equal(5.5, calc.Ospa(X(0, 20), X(1)), 12);
    }

    [Fact]
    public void Gospa_OneExtraTrack_CountsItAsFalse()
    {
        // c = 10, p = 1: localisation 1, false 10/2 = 5, missed 0 → total 6.
        var g = new SetDistanceCalculator(10, 1).Gospa(X(0, 20), X(1));
        Assert.Equal(6.0, g.Total, 12);
        Assert.Equal(1.0, g.Localisation, 12);
        Assert.Equal(0.0, g.Missed, 12);
        Assert.Equal(5.0, g.False, 12);
        Assert.Equal((1, 0, 1), (g.AssignedCount, g.MissedCount, g.FalseCount));
    }

    [Fact]
    public void OspaAndGospa_PairBeyondCutoff_SaturateAtCutoff()
    {
        // c = 5, p = 2; track {0}, truth {8}: d = 8 ≥ c.
        // OSPA = (min(8,5)² / 1)^(1/2) = 5.
        // GOSPA: no pair assigned; missed = false = 5²/2 = 12.5; total = (12.5 + 12.5)^(1/2) = 5.
        var calc = new SetDistanceCalculator(5, 2);
        Assert.Equal(5.0, calc.Ospa(X(0), X(8)), 12);
        var g = calc.Gospa(X(0), X(8));
        Assert.Equal(5.0, g.Total, 12);
        Assert.Equal(0.0, g.Localisation);
        Assert.Equal(12.5, g.Missed, 12);
        Assert.Equal(12.5, g.False, 12);
        Assert.Equal((0, 1, 1), (g.AssignedCount, g.MissedCount, g.FalseCount));
    }

    [Fact]
    public void OspaAndGospa_TwoByTwo_UseOptimalPairing()
    {
        // c = 10, p = 2; tracks {0, 3}, truths {1, 5}.
        // Pairings: (0↔1, 3↔5) = 1 + 4 = 5; (0↔5, 3↔1) = 25 + 4 = 29 → optimum 5.
        // OSPA = (5/2)^(1/2) = 1.5811388300841898; GOSPA = 5^(1/2) = 2.23606797749979.
        var calc = new SetDistanceCalculator(10, 2);
        Assert.Equal(Math.Sqrt(2.5), calc.Ospa(X(0, 3), X(1, 5)), 12);
        var g = calc.Gospa(X(0, 3), X(1, 5));
        Assert.Equal(Math.Sqrt(5), g.Total, 12);
        Assert.Equal(5.0, g.Localisation, 12);
    }

    [Fact]
    public void OspaAndGospa_NoTracks_AllTruthsMissed()
    {
        // c = 10, p = 1, truths {0, 50}: OSPA = (1/2)(10·2) = 10; GOSPA missed = 2·10/2 = 10, total 10.
        var calc = new SetDistanceCalculator(10, 1);
        Assert.Equal(10.0, calc.Ospa([], X(0, 50)), 12);
        var g = calc.Gospa([], X(0, 50));
        Assert.Equal(10.0, g.Total, 12);
        Assert.Equal(10.0, g.Missed, 12);
        Assert.Equal(2, g.MissedCount);
    }

    [Fact]
    public void OspaAndGospa_BothEmpty_AreZero()
    {
        var calc = new SetDistanceCalculator(10, 2);
        Assert.Equal(0.0, calc.Ospa([], []));
        Assert.Equal(0.0, calc.Gospa([], []).Total);
    }

    [Fact]
    public void Constructor_OrderBelowOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SetDistanceCalculator(10, 0.5));

    [Fact]
    public void Series_TwoTimes_ReportsPerTimeAndMean()
    {
        // c = 10, p = 1. t = 0: track at 1, truth at 0 → OSPA 1, GOSPA 1.
        // t = 1: no track, truth at 0 → OSPA 10, GOSPA 5 (missed c/2). Means: OSPA 5.5, GOSPA 3.
        TrackSample[] tracks = [new(0, 1, new Vec3(1, 0, 0), Vec3.Zero)];
        TruthSample[] truths = [new(0, 1, Vec3.Zero, Vec3.Zero), new(1, 1, Vec3.Zero, Vec3.Zero)];
        var s = SetMetricSeries.Compute(tracks, truths, 10, 1);
        Assert.Equal(2, s.Steps.Count);
        Assert.Equal(1.0, s.Steps[0].Ospa, 12);
        Assert.Equal(10.0, s.Steps[1].Ospa, 12);
        Assert.Equal(5.5, s.MeanOspa, 12);
        Assert.Equal(3.0, s.MeanGospa, 12);
        Assert.Equal(2.5, s.MeanMissed, 12);
    }

    [Fact]
    public void Gospa_RepeatedCalls_DoNotAllocate()
    {
        var calc = new SetDistanceCalculator(10, 2);
        var a = X(0, 3, 7, 30);
        var b = X(1, 5, 8);
        calc.Gospa(a, b);
        calc.Ospa(a, b);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var k = 0; k < 50; k++)
        {
            calc.Gospa(a, b);
            calc.Ospa(a, b);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
