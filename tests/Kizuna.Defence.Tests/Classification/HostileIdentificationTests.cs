using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Defence.Classification;

namespace Kizuna.Defence.Tests.Classification;

/// <summary>
/// The identification rule, fed by the real classifier. Each case is one cause of rounds wasted on
/// civil airliners in the default scenario (docs/benchmarks.md "Defence — default scenario"); the
/// previous rule (one sea-skimming classification ⇒ hostile for life) fails every "not hostile" case.
/// </summary>
public sealed class HostileIdentificationTests
{
    private static readonly DateTime Epoch = new(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    // Open sea south-west of Okinawa, far from any airfield; Naha (ROAH) as the airfield.
    private static readonly Geodetic Sea = Geodetic.FromDegrees(27.0, 126.3, 0);
    private static readonly Geodetic Naha = Geodetic.FromDegrees(26.196, 127.646, 0);

    private static PictureTrack Track(double s, Geodetic at, double height, double east, double up = 0, uint icao = 0) =>
        new(new TrackNumber(1), Epoch.AddSeconds(s), at with { HeightM = height }, new Vec3(east, 0, up), 300, 10, TrackKind.Unknown,
            Affiliation.Pending, Nation.Usa, Marking.OriginatorOnly(Nation.Usa), ImmutableArray<string>.Empty, icao);

    /// <summary>Classifies and identifies a sequence of (time, height, speed, ICAO) updates; returns the identities.</summary>
    private static List<Affiliation> Run(IdentificationOptions? options, Geodetic at, params (double S, double Height, double Speed, uint Icao)[] updates)
    {
        var classifier = new KinematicClassifier();
        var id = new HostileIdentification(options);
        var result = new List<Affiliation>();
        foreach (var (s, h, v, icao) in updates)
        {
            var t = Track(s, at, h, v, 0, icao);
            result.Add(id.Identify(t, classifier.Classify(t)));
        }

        return result;
    }

    [Fact]
    public void Identify_AirlinerWhoseFirstHeightEstimateIsBelow300m_NotHostile()
    {
        // Seen in the run: a new track of an airliner at 10 km whose first height estimate is near the sea surface.
        var ids = Run(null, Sea, (0, 150, 230, 0), (2, 9_800, 230, 0), (4, 10_050, 230, 0), (6, 10_000, 230, 0));
        Assert.DoesNotContain(Affiliation.Hostile, ids);
    }

    [Fact]
    public void Identify_SeaSkimmerOnThreeClassificationsOverFourSeconds_Hostile()
    {
        var ids = Run(null, Sea, (0, 15, 240, 0), (2, 20, 240, 0), (4, 12, 240, 0));
        Assert.Equal([Affiliation.Pending, Affiliation.Pending, Affiliation.Hostile], ids);
    }

    [Fact]
    public void Identify_DeclaredSeaSkimmerPopsUpTo300m_StaysHostile()
    {
        var ids = Run(null, Sea, (0, 15, 240, 0), (2, 15, 240, 0), (4, 15, 240, 0), (6, 400, 240, 0), (8, 800, 240, 0), (10, 300, 240, 0), (12, 900, 240, 0));
        Assert.All(ids.Skip(2), a => Assert.Equal(Affiliation.Hostile, a));
    }

    [Fact]
    public void Identify_CruiseDeclaredTrackThatClimbsToAirlinerHeight_Revoked()
    {
        var ids = Run(null, Sea, (0, 100, 230, 0), (2, 100, 230, 0), (4, 100, 230, 0), (6, 9_000, 230, 0), (8, 9_500, 230, 0), (10, 10_000, 230, 0));
        Assert.Equal(Affiliation.Hostile, ids[2]);
        Assert.Equal(Affiliation.Pending, ids[^1]);
    }

    [Fact]
    public void Identify_AdsbIdentityAfterCruiseDeclaration_Neutral()
    {
        // Seen in the run: an airliner declared hostile kept that identity after its ADS-B identity arrived.
        var ids = Run(null, Sea, (0, 100, 230, 0), (2, 100, 230, 0), (4, 100, 230, 0), (6, 10_000, 230, 0x86D1A2));
        Assert.Equal(Affiliation.Hostile, ids[2]);
        Assert.Equal(Affiliation.Neutral, ids[^1]);
    }

    [Fact]
    public void Identify_LowFastTrackNearCivilAirfield_NotHostile()
    {
        var options = IdentificationOptions.Default with { CivilAirfields = [Naha] };
        var near = Spherical.Destination(Naha, 0.5, 20_000);
        var ids = Run(options, near, (0, 200, 170, 0), (2, 220, 170, 0), (4, 240, 170, 0), (6, 260, 170, 0));
        Assert.DoesNotContain(Affiliation.Hostile, ids);

        // The same track over the open sea is declared.
        Assert.Contains(Affiliation.Hostile, Run(options, Sea, (0, 200, 170, 0), (2, 220, 170, 0), (4, 240, 170, 0), (6, 260, 170, 0)));
    }

    [Fact]
    public void Identify_CruiseClassificationInterrupted_CountRestarts()
    {
        var ids = Run(null, Sea, (0, 15, 240, 0), (2, 15, 240, 0), (4, 5_000, 240, 0), (6, 15, 240, 0), (8, 15, 240, 0));
        Assert.DoesNotContain(Affiliation.Hostile, ids);
    }

    [Fact]
    public void Identify_BallisticInFreeFlight_HostileForLifeThroughAircraftLikeReentry()
    {
        var classifier = new KinematicClassifier();
        var id = new HostileIdentification();
        var t = Truth.Trajectories[0];
        PictureTrack At(double s)
        {
            var k = Truth.State(t, s);
            var g = Wgs84.EcefToGeodetic(k.PositionEcef);
            return new PictureTrack(new TrackNumber(7), Truth.Epoch.AddSeconds(s), g, new EnuFrame(g).RotateToEnu(k.VelocityEcef), 100, 10,
                TrackKind.Unknown, Affiliation.Pending, Nation.Usa, Marking.OriginatorOnly(Nation.Usa), ImmutableArray<string>.Empty);
        }

        var a = At(t.BurnoutTime + 5);
        id.Identify(a, classifier.Classify(a));
        var b = At(t.BurnoutTime + 15);
        Assert.Equal(Affiliation.Hostile, id.Identify(b, classifier.Classify(b)));

        // A slow, low state afterwards (as a re-entry might read) does not revoke a ballistic declaration.
        var slow = Track(t.BurnoutTime + 30, Sea, 5_000, 200) with { Number = new TrackNumber(7) };
        Assert.Equal(Affiliation.Hostile, id.Identify(slow, new TrackClassification(TrackKind.Aircraft, 0.8, CivilAnomaly.None, Affiliation.Pending, 0)));
    }

    [Fact]
    public void Identify_LowFastTrackWithImplausibleHeight_NotHostile()
    {
        // Seen in the run: an arriving airliner whose height estimate read −1.2 km at 170 m/s.
        var ids = Run(null, Sea, (0, -1_200, 170, 0), (2, -1_100, 170, 0), (4, -1_170, 170, 0), (6, -1_000, 170, 0));
        Assert.DoesNotContain(Affiliation.Hostile, ids);
    }
}
