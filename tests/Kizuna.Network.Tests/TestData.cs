using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Network.Messages;
using Kizuna.Network.Sharing;
using Kizuna.TestSupport;

namespace Kizuna.Network.Tests;

internal static class TestData
{
    public static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public static readonly Nation Usa = Nation.Usa;
    public static readonly Nation Jpn = Nation.Japan;
    public static readonly Nation Aus = Nation.Australia;
    public static readonly Nation Gbr = Nation.UnitedKingdom;

    public static Marking RelAll(Nation originator, Classification c = Classification.Confidential) =>
        Marking.RelTo(originator, c, Usa, Jpn, Aus, Gbr);

    public static SharingAgreements Trilateral() => AgreementFile.Load(Paths.InRepo("scenarios/agreements-trilateral.yaml"));

    public static Detection RadarPlot(Nation nation, string sensor, double rangeM = 150_000, uint identity = 0) => new(
        T0,
        sensor,
        nation,
        MeasurementKind.RangeAzimuthElevation,
        new Vec3(rangeM, 0.7, 0.05),
        Mat3.Diagonal(50 * 50, 0.002 * 0.002, 0.003 * 0.003),
        Geodetic.FromDegrees(35.5, 139.8, 40),
        TruthId: 7,
        Identity: identity);

    public static DetectionBatch Batch(Nation source, long sequence = 1, Marking? marking = null, params Detection[] detections) =>
        new(source, T0, sequence, detections.Length == 0 ? [RadarPlot(source, source.Code + "-radar-1")] : [.. detections], marking ?? RelAll(source));

    public static TrackReport Track(Nation reporter, Marking? marking = null, int number = 1201) => new(
        reporter,
        new TrackNumber(number),
        42,
        T0,
        new Vec3(-3_950_123.4, 3_350_987.6, 3_700_456.7),
        new Vec3(120.5, -80.25, 3.5),
        new Mat3(400, 10, 5, 10, 500, 7, 5, 7, 900),
        Mat3.Diagonal(25, 25, 36),
        11,
        TrackKind.CivilAircraft,
        Affiliation.Neutral,
        0x86D4A1,
        ["JPN-FPS-5-Sado", "JPN-E-2D-1"],
        marking ?? RelAll(reporter));

    public static TrackNumberNotice Notice(Nation issuer) =>
        new(TrackNumberNoticeKind.Correlate, issuer, T0, new TrackNumber(1201), new TrackNumber(4402), RelAll(issuer));

    public static AlertMessage AlertMsg(Nation originator) => new(new Alert(
        "AL-7", T0, AlertState.Issued, Jpn, new TrackNumber(1201), TrackKind.BallisticMissile, "Tokyo",
        Geodetic.FromDegrees(35.68, 139.76, 0), 12_000, 4_000, 0.6, T0.AddMinutes(6), RelAll(originator)));

    public static EngagementMessage EngagementMsg(Nation owner) => new(new Engagement(
        "EN-3", T0, EngagementStatus.Approved, new TrackNumber(1201), "JPN-SM3-Kongo", owner, "JPN/commander",
        T0.AddMinutes(4), 0.85, RelAll(owner)));
}
