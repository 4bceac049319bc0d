using Kizuna.Core;
using Kizuna.Network.Messages;
using Kizuna.Network.Sharing;
using Kizuna.Network.Wire;
using Microsoft.Extensions.Time.Testing;
using static Kizuna.Network.Tests.TestData;

namespace Kizuna.Network.Tests.Sharing;

/// <summary>Classification by content: the releasing node classifies the degraded copy with the originator's guide.</summary>
public sealed class ClassificationByContentTests
{
    private readonly InMemoryReleaseAuditLog _log = new();

    private ReleasePolicy Policy(SharingAgreements? a = null) =>
        new(a ?? Trilateral(), _log, new FakeTimeProvider(new DateTimeOffset(T0)));

    /// <summary>A track report as a node marks it under the trilateral guides: CONFIDENTIAL (full content), releasable to all.</summary>
    private static TrackReport NodeTrack(Nation reporter) => Track(reporter, RelAll(reporter, Classification.Confidential));

    private static bool OnGrid(double x, double q) => Math.Abs((x / q) - Math.Round(x / q)) < 1e-9;

    [Fact]
    public void Decide_JpnTrackToAus_ReleasedAtConfidentialRoundedTo100mWithoutSensorIds()
    {
        var d = Policy().Decide(Jpn, Aus, NodeTrack(Jpn));

        Assert.True(d.IsAllowed, d.Reason);
        var r = Assert.IsType<TrackReport>(d.Released);
        Assert.Equal(Classification.Confidential, r.Marking.Classification);
        Assert.True(OnGrid(r.PositionEcef.X, 100) && OnGrid(r.PositionEcef.Y, 100) && OnGrid(r.PositionEcef.Z, 100), $"{r.PositionEcef}");
        Assert.Empty(r.Sensors);
        Assert.Equal(0u, r.Identity);
    }

    [Theory]
    [InlineData("USA")]
    [InlineData("AUS")]
    public void Decide_UsaOrAusTrackToGbr_SanitisedToRestrictedAt500mAndAudited(string reporter)
    {
        var from = Nation.Parse(reporter);
        var d = Policy().Decide(from, Gbr, NodeTrack(from));

        Assert.True(d.IsAllowed, d.Reason);
        var r = Assert.IsType<TrackReport>(d.Released);
        Assert.Equal(Classification.Restricted, r.Marking.Classification);
        Assert.Equal(from, r.Marking.Originator);
        Assert.True(OnGrid(r.PositionEcef.X, 500) && OnGrid(r.PositionEcef.Y, 500) && OnGrid(r.PositionEcef.Z, 500), $"{r.PositionEcef}");
        Assert.Empty(r.Sensors);
        var entry = Assert.Single(_log.Entries);
        Assert.True(entry.Allowed);
        Assert.Contains("sanitised CONFIDENTIAL -> RESTRICTED", entry.Reason, StringComparison.Ordinal);
        Assert.Contains("rounded to 500 m", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_JpnTrackToGbr_RefusedWhateverItsLevel()
    {
        var d = Policy().Decide(Jpn, Gbr, Track(Jpn, RelAll(Jpn, Classification.Unclassified)));

        Assert.False(d.IsAllowed);
        Assert.Contains("default deny", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_UsaForwardingJpnTrackToGbr_Refused()
    {
        // A JPN-originated report in USA hands (JPN -> USA names no forward_to) never goes on to GBR.
        var d = Policy().Decide(Usa, Gbr, NodeTrack(Jpn));

        Assert.False(d.IsAllowed);
        Assert.Contains("may not forward JPN data to GBR", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_UsaTrackDerivedFromJpnPlots_RefusedToGbrEvenWhenSanitisable()
    {
        // Derived-data marking (DerivedDataMarking): releasable to JPN only.
        var d = Policy().Decide(Usa, Gbr, Track(Usa, Marking.RelTo(Usa, Classification.Confidential, Jpn)));

        Assert.False(d.IsAllowed);
        Assert.Contains("does not release to GBR", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_MarkedAboveTheGuidesFullContentLevel_NeverDowngraded()
    {
        // SECRET is above the USA guide's level for a full track (CONFIDENTIAL): something outside the
        // guide made it SECRET, so sanitising positions and sensors cannot lower it.
        var d = Policy().Decide(Usa, Gbr, Track(Usa, RelAll(Usa, Classification.Secret)));

        Assert.False(d.IsAllowed);
        Assert.Contains("SECRET (track without sensor ids, rounded to 500 m, USA guide) exceeds the USA -> GBR maximum RESTRICTED", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NoGuideConfigured_EverythingSecretSoCappedPairsGetNothing()
    {
        var a = SharingAgreements.Create(Trilateral().All, gateway: Trilateral().GatewaySettings);
        var jpnTrack = Track(Jpn, RelAll(Jpn, Classification.Secret));

        Assert.False(Policy(a).Decide(Jpn, Aus, jpnTrack).IsAllowed);
        Assert.Equal(ClassificationGuide.Default, a.GuideOf(Jpn));
    }

    [Fact]
    public void Decide_NoticeToGbr_ReleasedAtTrackNumberLevel()
    {
        var notice = Notice(Usa) with { Marking = RelAll(Usa, Classification.Restricted) };

        var d = Policy().Decide(Usa, Gbr, notice);

        Assert.True(d.IsAllowed, d.Reason);
        Assert.Equal(Classification.Restricted, d.Released!.Marking.Classification);
    }

    [Fact]
    public void Decide_FullPrecisionPartnerWithSensorIds_KeepsTheOriginalLevel()
    {
        var track = NodeTrack(Usa);

        var d = Policy().Decide(Usa, Jpn, track);

        Assert.True(d.IsAllowed);
        Assert.Same(track, d.Released);
    }

    [Fact]
    public void Permits_AgreesWithDecide_AndWritesNoAudit()
    {
        var policy = Policy();
        var cases = new (Nation From, Nation To, TrackReport Report)[]
        {
            (Jpn, Aus, NodeTrack(Jpn)),
            (Usa, Gbr, NodeTrack(Usa)),
            (Jpn, Gbr, NodeTrack(Jpn)),
            (Usa, Gbr, Track(Usa, RelAll(Usa, Classification.Secret))),
            (Usa, Aus, Track(Usa, Marking.RelTo(Usa, Classification.Confidential, Jpn))),
            (Aus, Jpn, NodeTrack(Aus)),
        };

        var permits = cases.Select(c => policy.Permits(c.From, c.To, c.Report.Marking, MessageType.TrackReport)).ToList();
        Assert.Empty(_log.Entries);
        var decides = cases.Select(c => policy.Decide(c.From, c.To, c.Report).IsAllowed).ToList();
        Assert.Equal(decides, permits);
        Assert.Equal([true, true, false, false, false, true], permits);
    }

    [Fact]
    public void Guide_LevelOfCopy_NeverAboveTheOriginalMarking()
    {
        var guide = Trilateral().GuideOf(Usa);
        var copy = new ReleasedContent(MessageType.TrackReport, false, false, 1_000);

        Assert.Equal(Classification.Unclassified, guide.LevelOfCopy(Classification.Unclassified, copy));
        Assert.Equal(Classification.Restricted, guide.LevelOfCopy(Classification.Confidential, copy));
        Assert.Equal(Classification.Confidential, guide.LevelOfCopy(Classification.Confidential, copy with { PositionRoundingM = 100 }));
        Assert.Equal(Classification.TopSecret, guide.LevelOfCopy(Classification.TopSecret, copy));
    }
}
