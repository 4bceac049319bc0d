using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Defence.ThreatEvaluation;
using Kizuna.Defence.Warning;
using Kizuna.Tracking.Types;

namespace Kizuna.Defence.Tests.ThreatEvaluation;

public sealed class ThreatAndWarningTests
{
    private static readonly DefendedAsset[] Assets =
    [
        new("Tokyo", Nation.Japan, Geodetic.FromDegrees(35.6895, 139.6917), 25_000, 10),
        new("Yokota Air Base", Nation.Usa, Geodetic.FromDegrees(35.7485, 139.3485), 0, 8),
        new("Kadena Air Base", Nation.Usa, Geodetic.FromDegrees(26.3516, 127.7692), 0, 8),
        new("Fukuoka", Nation.Japan, Geodetic.FromDegrees(33.5904, 130.4017), 10_000, 7),
    ];

    private static ThreatTrack Ballistic(int n, int index, double afterBurnout, int seed = 3)
    {
        var t = Truth.Trajectories[index];
        var s = Truth.Filter(t, new Random(seed), 150, afterBurnout, out var time);
        return new ThreatTrack(new TrackNumber(n), Truth.Epoch.AddSeconds(time), s, TrackKind.BallisticMissile, Affiliation.Hostile);
    }

    private static ThreatTrack Air(int n, Geodetic at, double courseDeg, double speed, TrackKind kind, Affiliation aff = Affiliation.Hostile)
    {
        var frame = new EnuFrame(at);
        var (s, c) = Math.SinCos(courseDeg * Math.PI / 180);
        var v = frame.RotateToEcef(new Vec3(speed * s, speed * c, 0));
        return new ThreatTrack(new TrackNumber(n), Truth.Epoch, GaussianState.FromPositionVelocity(frame.OriginEcef, v, 1e4, 100), kind, aff);
    }

    [Fact]
    public void Evaluate_MissileAimedAtTokyo_ThreatensTokyoAndWarnsJapan()
    {
        var a = new ThreatEvaluator(Assets).Evaluate(Ballistic(1, 0, 40));
        Assert.NotNull(a);
        Assert.Equal("Tokyo", a.Threat.AssetName);
        Assert.Equal(Nation.Japan, a.Threat.AssetOwner);
        Assert.Contains(Nation.Japan, a.WarnedNations);
        Assert.InRange(a.Threat.Value, 1, 10 + 8);
        Assert.True(a.TimeToGoS > 60);
        Assert.Equal(a.TimeOfImpact, a.Threat.Path.End);
    }

    [Fact]
    public void Evaluate_CruiseMissileHeadingForKadena_PathEndsAtKadenaAndWarnsUsa()
    {
        var kadena = Assets[2].Position;
        var start = Spherical.Destination(kadena with { HeightM = 20 }, 250 * Math.PI / 180, 100_000);
        var course = Spherical.Bearing(start, kadena) * 180 / Math.PI;
        var a = new ThreatEvaluator(Assets).Evaluate(Air(2, start, course, 250, TrackKind.CruiseMissile));
        Assert.NotNull(a);
        Assert.Equal("Kadena Air Base", a.Threat.AssetName);
        Assert.Contains(Nation.Usa, a.WarnedNations);
        Assert.Equal(400, a.TimeToGoS, 5);
        var end = Wgs84.EcefToGeodetic(a.Threat.Path.PositionEcefAt(a.Threat.Path.End));
        Assert.True(Spherical.Distance(end, kadena) < 100);
    }

    [Fact]
    public void Evaluate_AircraftFlyingAwayOrFriendly_IsNoThreat()
    {
        var ev = new ThreatEvaluator(Assets);
        var nearTokyo = Geodetic.FromDegrees(34.0, 141.5, 9_000);
        Assert.Null(ev.Evaluate(Air(3, nearTokyo, 150, 230, TrackKind.Aircraft)));
        Assert.NotNull(ev.Evaluate(Air(3, nearTokyo, 320, 230, TrackKind.Aircraft)));
        Assert.Null(ev.Evaluate(Air(3, nearTokyo, 320, 230, TrackKind.Aircraft, Affiliation.Friend)));
    }

    [Fact]
    public void Evaluate_SameValueSoonerImpact_RanksFirst()
    {
        var ev = new ThreatEvaluator(Assets);
        var kadena = Assets[2].Position;
        var near = Spherical.Destination(kadena with { HeightM = 20 }, Math.PI, 50_000);
        var far = Spherical.Destination(kadena with { HeightM = 20 }, Math.PI, 150_000);
        var ranked = ev.Evaluate([Air(1, far, 0, 250, TrackKind.CruiseMissile), Air(2, near, 0, 250, TrackKind.CruiseMissile)]);
        Assert.Equal(2, ranked.Length);
        Assert.Equal(new TrackNumber(2), ranked[0].Threat.Track);
        Assert.True(ranked[0].Threat.Priority > ranked[1].Threat.Priority);
    }

    [Fact]
    public void WarningService_ThreatLifecycle_IssuesUpdatesAndClearsWithWarningTime()
    {
        var ev = new ThreatEvaluator(Assets);
        var w = new WarningService(new WarningOptions(Nation.Japan));
        var early = ev.Evaluate(Ballistic(7, 0, 10))!;
        var first = w.Step(early.Threat.Path.Start, [early]);
        Assert.Contains(first, a => a.Warned == Nation.Japan && a.State == AlertState.Issued && a.AssetName == "Tokyo");
        Assert.All(first, a => Assert.Equal(early.Threat.Path.Start, a.Time));

        // Same prediction again: nothing new. A sharper prediction (longer track): updated.
        Assert.Empty(w.Step(early.Threat.Path.Start.AddSeconds(2), [early]));
        var late = ev.Evaluate(Ballistic(7, 0, 90))!;
        var second = w.Step(late.Threat.Path.Start, [late]);
        Assert.Contains(second, a => a.Warned == Nation.Japan && a.State == AlertState.Updated);

        var cleared = w.Step(late.TimeOfImpact, []);
        Assert.Contains(cleared, a => a.Warned == Nation.Japan && a.State == AlertState.Cleared);
        Assert.Empty(w.Active);
        var wt = Assert.Single(w.WarningTimes, x => x.Warned == Nation.Japan);
        Assert.Equal(late.TimeOfImpact, wt.PredictedImpact);
        Assert.Equal((late.TimeOfImpact - early.Threat.Path.Start).TotalSeconds, wt.Duration.TotalSeconds, 6);
        Report.Write($"warning: Tokyo MRBM, alert at burnout+14 s, warning time {wt.Duration.TotalSeconds:F0} s");
    }

    [Fact]
    public void WarningService_TerritoryOnlyThreatToGuam_WarnsUsaWithNoAsset()
    {
        var ev = new ThreatEvaluator(Assets);
        var guam = Geodetic.FromDegrees(13.45, 144.8, 500);
        var start = Spherical.Destination(guam, 0, 60_000);
        var a = ev.Evaluate(Air(9, start, 180, 250, TrackKind.CruiseMissile))!;
        Assert.Equal(string.Empty, a.Threat.AssetName);
        var alerts = new WarningService(new WarningOptions(Nation.Japan)).Step(Truth.Epoch, [a]);
        var alert = Assert.Single(alerts);
        Assert.Equal(Nation.Usa, alert.Warned);
        Assert.Contains(Nation.Usa, alert.Marking.ReleasableTo);
    }
}
