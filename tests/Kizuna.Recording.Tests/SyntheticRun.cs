using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;

namespace Kizuna.Recording.Tests;

/// <summary>
/// A small hand-made recording whose report figures can be computed by hand. Times t = 0..10 s
/// (1 s) after <see cref="Start"/>; nations JPN and AUS.
///   truth 1 "threat-1": ballistic threat, straight line (ECEF velocity constant), impact event at t = 10.
///   truth 2 "patrol-2": aircraft 1° of longitude away, t = 0..10, no impact.
///   JPN picture: TN 101 = truth 1 exactly at t = 0..10; TN 102 = truth 2 exactly at t = 5..10.
///   AUS picture: TN 101 = truth 1 at t = 0..10; TN 900 spurious (5° away) at t = 0..10.
///   Alerts on TN 101: JPN issued t = 2 (predicted impact t = 11), updated t = 4; AUS issued t = 6.
///   Engagement E1 (JPN battery PAC3-A): recommended t = 3, approved t = 4 by JPN/commander,
///   executing t = 5, missed t = 9.
/// Hand-computed, union of times t = 0..10 (11 times):
///   JPN: ΣJ = 22, ΣJT = 5·1 + 6·2 = 17 → completeness 17/22 = 0.773; ΣN = ΣNA = 17 → ambiguity 1, spuriousness 0.
///   AUS: ΣJ = 22, ΣJT = 11 → completeness 0.500; ΣN = 22, ΣNA = 11 → spuriousness 0.500, ambiguity 1.
///   Warning times (impact t = 10): JPN 10 − 2 = 8.0 s, AUS 10 − 6 = 4.0 s; predicted JPN 9.0 s, AUS 5.0 s.
///   Leakers: truth 1 only (truth 2 is not a threat); engagements against it: 1; warned AUS, JPN.
/// </summary>
internal static class SyntheticRun
{
    public static readonly DateTime Start = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    public static readonly Marking JpnOnly = Marking.OriginatorOnly(Nation.Japan);

    public static readonly Marking RelAus = Marking.RelTo(Nation.Japan, Classification.Secret, Nation.Australia, Nation.Usa);

    public static RunMetadata Metadata => new("synthetic", 42, Start, [Nation.Japan, Nation.Australia], "test", "hand-made");

    public static DateTime At(double seconds) => Start.AddSeconds(seconds);

    public static (Vec3 Position, Vec3 Velocity) Truth(int truthId, double t)
    {
        var origin = Geodetic.FromDegrees(truthId == 1 ? 35.0 : 35.0, truthId == 1 ? 139.0 : 140.0, 10_000);
        var frame = new EnuFrame(origin);
        var v = frame.RotateToEcef(truthId == 1 ? new Vec3(300, 0, -50) : new Vec3(0, 200, 0));
        return (frame.OriginEcef + (v * t), v);
    }

    public static PictureTrack Track(int tn, int truthId, double t, Marking marking)
    {
        var (p, v) = Truth(truthId, t);
        var g = Wgs84.EcefToGeodetic(p);
        var frame = new EnuFrame(g);
        return new PictureTrack(new TrackNumber(tn), At(t), g, frame.RotateToEnu(v), 50, 12,
            truthId == 1 ? TrackKind.BallisticMissile : TrackKind.Aircraft,
            truthId == 1 ? Affiliation.Hostile : Affiliation.Friend, Nation.Japan, marking, ["JPN-FPS5"]);
    }

    public static void Write(string path, RunRecorderOptions? options = null)
    {
        using var rec = RunRecorder.Create(path, Metadata, options);
        rec.RecordTruthObject(new TruthObjectRecord(1, "threat-1", "BallisticMissile", true));
        rec.RecordTruthObject(new TruthObjectRecord(2, "patrol-2", "Aircraft", false));
        rec.RecordAsset(new DefendedAssetRecord("Tokyo", Nation.Japan, Geodetic.FromDegrees(35.68, 139.77)));
        for (var t = 0; t <= 10; t++)
        {
            foreach (var id in new[] { 1, 2 })
            {
                var (p, v) = Truth(id, t);
                rec.RecordTruth(new TruthState(At(t), id, p, v));
            }

            rec.RecordTrack(Nation.Japan, Track(101, 1, t, RelAus));
            if (t >= 5)
            {
                rec.RecordTrack(Nation.Japan, Track(102, 2, t, JpnOnly));
            }

            rec.RecordTrack(Nation.Australia, Track(101, 1, t, RelAus));
            var spurious = Track(900, 1, t, RelAus) with { Position = Geodetic.FromDegrees(30, 134, 5000), Kind = TrackKind.Unknown };
            rec.RecordTrack(Nation.Australia, spurious);
        }

        rec.RecordAlert(Alert("A1", 2, AlertState.Issued, Nation.Japan));
        rec.RecordAlert(Alert("A1", 4, AlertState.Updated, Nation.Japan));
        rec.RecordAlert(Alert("A2", 6, AlertState.Issued, Nation.Australia));
        rec.RecordEngagement(Engagement(3, EngagementStatus.Recommended, ""));
        rec.RecordEngagement(Engagement(4, EngagementStatus.Approved, "JPN/commander"));
        rec.RecordDecision(new DecisionRecord(At(4), "sato", "commander", Nation.Japan, "approve", "E1", "threat to Tokyo"));
        rec.RecordEngagement(Engagement(5, EngagementStatus.Executing, "JPN/commander"));
        rec.RecordEngagement(Engagement(9, EngagementStatus.Missed, "JPN/commander"));
        rec.RecordRelease(new ReleaseDecisionRecord(At(1), Nation.Japan, Nation.Australia, "track", "00102", false, "JPN->AUS: own aircraft withheld"));
        rec.RecordEvent(new RunEventRecord(At(0), RunEventKinds.Launch, "threat-1", 1));
        rec.RecordEvent(new RunEventRecord(At(10), RunEventKinds.Impact, "threat-1", 1, "ground"));
    }

    public static Alert Alert(string id, double t, AlertState state, Nation warned) =>
        new(id, At(t), state, warned, new TrackNumber(101), TrackKind.BallisticMissile, "Tokyo",
            Geodetic.FromDegrees(35.68, 139.77), 5000, 2000, 0.5, At(11), RelAus);

    public static Engagement Engagement(double t, EngagementStatus status, string by) =>
        new("E1", At(t), status, new TrackNumber(101), "PAC3-A", Nation.Japan, by, At(9), 0.8, JpnOnly);

    public static ImmutableArray<Nation> Nations => [Nation.Japan, Nation.Australia];
}
