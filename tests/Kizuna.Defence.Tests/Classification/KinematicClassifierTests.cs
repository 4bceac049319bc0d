using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Defence.Classification;

namespace Kizuna.Defence.Tests.Classification;

public sealed class KinematicClassifierTests
{
    private static PictureTrack Track(int n, double s, Geodetic p, Vec3 venu, uint icao = 0) =>
        new(new TrackNumber(n), Truth.Epoch.AddSeconds(s), p, venu, 100, 10, TrackKind.Unknown, Affiliation.Pending, Nation.Japan,
            Marking.OriginatorOnly(Nation.Japan), ImmutableArray<string>.Empty, icao);

    private static PictureTrack FromTruth(int n, Simulation.Motion.BallisticTrajectory t, double s)
    {
        var k = Truth.State(t, s);
        var g = Wgs84.EcefToGeodetic(k.PositionEcef);
        return Track(n, s, g, new EnuFrame(g).RotateToEnu(k.VelocityEcef));
    }

    [Fact]
    public void Classify_SimulatedMissileAfterBurnout_IsBallisticInFreeFlight()
    {
        var c = new KinematicClassifier();
        var t = Truth.Trajectories[0];
        c.Classify(FromTruth(1, t, t.BurnoutTime + 5));
        var r = c.Classify(FromTruth(1, t, t.BurnoutTime + 15));
        Assert.Equal(TrackKind.BallisticMissile, r.Kind);
        Assert.True(r.Confidence >= 0.9);
        Assert.True(r.SpecificForce < 1, $"{r.SpecificForce}");
    }

    [Fact]
    public void Classify_SimulatedMissileWhileBoosting_IsBallisticWithLowConfidence()
    {
        var c = new KinematicClassifier();
        var t = Truth.Trajectories[0];
        c.Classify(FromTruth(1, t, t.BurnoutTime - 20));
        var r = c.Classify(FromTruth(1, t, t.BurnoutTime - 10));
        Assert.Equal(TrackKind.BallisticMissile, r.Kind);
        Assert.True(r.Confidence < 0.9);
        Assert.True(r.SpecificForce > 15);
    }

    [Theory]
    [InlineData(20, 260, TrackKind.CruiseMissile)]
    [InlineData(10_000, 240, TrackKind.Aircraft)]
    [InlineData(0, 8, TrackKind.Surface)]
    [InlineData(3_000, 5, TrackKind.Unknown)]
    public void Classify_HeightAndSpeed_GivesTheKind(double height, double speed, TrackKind expected)
    {
        var c = new KinematicClassifier();
        Assert.Equal(expected, c.Classify(Track(1, 0, Geodetic.FromDegrees(30, 130, height), new Vec3(speed, 0, 0))).Kind);
    }

    [Fact]
    public void Classify_AdsbIdentity_IsCivilAndNeutral()
    {
        var r = new KinematicClassifier().Classify(Track(1, 0, Geodetic.FromDegrees(35, 139, 11_000), new Vec3(230, 0, 0), 0x86D1A2));
        Assert.Equal(TrackKind.CivilAircraft, r.Kind);
        Assert.Equal(Affiliation.Neutral, r.SuggestedAffiliation);
        Assert.Equal(CivilAnomaly.None, r.Anomalies);
    }

    [Fact]
    public void Classify_CivilTrackStopsReportingAdsb_IsFlaggedAfterTheTimeout()
    {
        var c = new KinematicClassifier();
        var p = Geodetic.FromDegrees(35, 139, 11_000);
        c.Classify(Track(1, 0, p, new Vec3(230, 0, 0), 0x86D1A2));
        Assert.Equal(CivilAnomaly.None, c.Classify(Track(1, 20, p, new Vec3(230, 0, 0))).Anomalies);
        var r = c.Classify(Track(1, 40, p, new Vec3(230, 0, 0)));
        Assert.Equal(CivilAnomaly.AdsbLost, r.Anomalies);
        Assert.Equal(Affiliation.Suspect, r.SuggestedAffiliation);
    }

    [Fact]
    public void Classify_CivilTrackLeavesItsRoute_IsFlaggedOffRoute()
    {
        var route = new CivilRoute([Geodetic.FromDegrees(35, 139), Geodetic.FromDegrees(35, 135)], 10_000);
        var c = new KinematicClassifier(routes: new Dictionary<uint, CivilRoute> { [0xABCDEF] = route });
        Assert.Equal(CivilAnomaly.None, c.Classify(Track(1, 0, Geodetic.FromDegrees(35.05, 137, 11_000), new Vec3(-230, 0, 0), 0xABCDEF)).Anomalies);
        Assert.Equal(CivilAnomaly.OffRoute, c.Classify(Track(1, 10, Geodetic.FromDegrees(35.5, 137, 11_000), new Vec3(-230, 0, 0), 0xABCDEF)).Anomalies);
    }
}
