using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Network.Messages;
using Kizuna.Network.Picture;
using Kizuna.Network.Sharing;
using Microsoft.Extensions.Time.Testing;
using static Kizuna.Network.Tests.TestData;

namespace Kizuna.Network.Tests.Sharing;

/// <summary>Per-receiver track-number aliases (<see cref="TrackNumberGateway"/>, agreement key <c>track_numbers: alias</c>).</summary>
public sealed class TrackNumberAliasTests
{
    private static readonly ImmutableArray<byte> Key = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))];
    private readonly InMemoryReleaseAuditLog _log = new();

    /// <summary>USA, JPN and AUS all release tracks (and alerts, engagements) to GBR as aliases; full partners see coalition numbers.</summary>
    internal static SharingAgreements AliasedToGbr(ImmutableArray<byte>? key = null) => SharingAgreements.Create(
        [
            SharingAgreement.Create(Usa, Jpn, ShareCategories.Tracks | ShareCategories.Identities),
            SharingAgreement.Create(Usa, Aus, ShareCategories.Tracks | ShareCategories.Identities | ShareCategories.SensorIdentities),
            SharingAgreement.Create(Usa, Gbr, ShareCategories.Tracks | ShareCategories.Alerts | ShareCategories.EngagementStatus, 500, trackNumbers: TrackNumberRelease.Alias),
            SharingAgreement.Create(Jpn, Gbr, ShareCategories.Tracks, 500, trackNumbers: TrackNumberRelease.Alias),
            SharingAgreement.Create(Aus, Gbr, ShareCategories.Tracks, 500, trackNumbers: TrackNumberRelease.Alias),
            SharingAgreement.Create(Gbr, Usa, ShareCategories.Tracks),
        ],
        gateway: new TrackNumberGatewaySettings(40_000, 79_999, key ?? Key));

    private ReleasePolicy Policy(SharingAgreements? a = null) => new(a ?? AliasedToGbr(), _log, new FakeTimeProvider(new DateTimeOffset(T0)));

    private static TrackNumber AliasOf(SharingAgreements a, int coalition) =>
        a.Gateway!.TryAlias(Gbr, new TrackNumber(coalition), out var alias) ? alias : throw new InvalidOperationException("no alias");

    [Fact]
    public void Gateway_EveryCoalitionNumberOfOtherBlocks_DistinctAliasInGatewayBlockThatResolvesBack()
    {
        var gateway = AliasedToGbr().Gateway!;
        var seen = new HashSet<int>();
        var plan = TrackNumberPlan.Default;
        foreach (var (owner, block) in plan.Blocks.Where(b => b.Key != Gbr))
        {
            for (var n = block.First; n <= block.Last; n++)
            {
                Assert.True(gateway.TryAlias(Gbr, new TrackNumber(n), out var alias));
                Assert.InRange(alias.Value, 40_000, 79_999);
                Assert.True(seen.Add(alias.Value), $"{owner} number {n}: alias {alias} already given");
                Assert.True(gateway.TryResolve(Gbr, alias, out var back));
                Assert.Equal(n, back.Value);
            }
        }

        Assert.Equal(23_000, seen.Count); // USA 7,000 + JPN 8,000 + AUS 8,000
    }

    [Fact]
    public void Gateway_JpnBlockAliases_SpreadEvenlyOverTheAliasRange()
    {
        // The block of origin cannot be read off the alias: JPN's 8,000 numbers land in each quarter of
        // the 23,000 aliases in use about equally (2,000 each), not in one contiguous run.
        var gateway = AliasedToGbr().Gateway!;
        var quarters = new int[4];
        for (var n = 10_000; n <= 17_999; n++)
        {
            Assert.True(gateway.TryAlias(Gbr, new TrackNumber(n), out var alias));
            quarters[(alias.Value - 40_000) * 4 / 23_000]++;
        }

        Assert.All(quarters, q => Assert.InRange(q, 1_800, 2_200));
    }

    [Fact]
    public void Gateway_OtherKey_OtherAliases()
    {
        var a = AliasOf(AliasedToGbr(), 10_023);
        var b = AliasOf(AliasedToGbr([.. Enumerable.Range(1, 32).Select(i => (byte)(i * 11))]), 10_023);
        Assert.NotEqual(a, b);
        Assert.Equal(a, AliasOf(AliasedToGbr(), 10_023)); // same key, same alias: every releasing node agrees
    }

    [Fact]
    public void Gateway_ReceiverOwnNumber_PassesUnchanged()
    {
        var gateway = AliasedToGbr().Gateway!;
        Assert.True(gateway.TryAlias(Gbr, new TrackNumber(30_005), out var own));
        Assert.Equal(30_005, own.Value);
        Assert.True(gateway.TryAlias(Gbr, new TrackNumber(500), out var exercise)); // exercise control: in no nation's block
        Assert.Equal(500, exercise.Value);
        Assert.False(gateway.Aliases(Aus));
    }

    [Fact]
    public void Decide_ReportToAliasedReceiver_CarriesAliasAndAuditsTheMapping()
    {
        var agreements = AliasedToGbr();
        var policy = Policy(agreements);
        var report = Track(Usa, number: 10_023);

        var toGbr = policy.Decide(Usa, Gbr, report);
        var toAus = policy.Decide(Usa, Aus, report);

        var released = Assert.IsType<TrackReport>(toGbr.Released);
        Assert.Equal(AliasOf(agreements, 10_023), released.Number);
        Assert.InRange(released.Number.Value, 40_000, 79_999);
        Assert.Contains($"track number 10023 -> {released.Number} (GBR alias)", toGbr.Reason, StringComparison.Ordinal);
        Assert.Contains(_log.Entries, e => e.To == Gbr && e.Allowed && e.Reason.Contains("GBR alias", StringComparison.Ordinal));
        Assert.Equal(10_023, Assert.IsType<TrackReport>(toAus.Released).Number.Value); // full partner: the coalition number
    }

    [Fact]
    public void Decide_ReportToFullPartnerUnderAliasingAgreements_ReleasedAsTheSameInstance()
    {
        // The undegraded path stays allocation-free: a full partner gets the message itself.
        var report = Track(Usa, number: 10_023);
        var d = Policy().Decide(Usa, Aus, report);
        Assert.Same(report, d.Released);
    }

    [Fact]
    public void Decide_HandoverUsaJpnUsa_GbrSeesOneAliasThroughout()
    {
        var policy = Policy();
        var numbers = new[] { Usa, Jpn, Usa, Aus }
            .Select(reporter => Assert.IsType<TrackReport>(policy.Decide(reporter, Gbr, Track(reporter, number: 10_023)).Released))
            .Select(r => r.Number)
            .ToList();

        Assert.Single(numbers.Distinct());
        Assert.InRange(numbers[0].Value, 40_000, 79_999);
    }

    [Fact]
    public void Decide_CorrelateAndDropNotices_ReachGbrInAliasForm()
    {
        var agreements = AliasedToGbr();
        var policy = Policy(agreements);
        var correlate = new TrackNumberNotice(TrackNumberNoticeKind.Correlate, Usa, T0, new TrackNumber(1_201), new TrackNumber(10_023), RelAll(Usa));
        var drop = new TrackNumberNotice(TrackNumberNoticeKind.Drop, Usa, T0, new TrackNumber(1_201), TrackNumber.None, RelAll(Usa));

        var c = Assert.IsType<TrackNumberNotice>(policy.Decide(Usa, Gbr, correlate).Released);
        var d = Assert.IsType<TrackNumberNotice>(policy.Decide(Usa, Gbr, drop).Released);

        Assert.Equal((AliasOf(agreements, 1_201), AliasOf(agreements, 10_023)), (c.Kept, c.Retired));
        Assert.Equal((AliasOf(agreements, 1_201), TrackNumber.None), (d.Kept, d.Retired));
        Assert.Equal(correlate, policy.Decide(Usa, Aus, correlate).Released); // full partner: unchanged
    }

    [Fact]
    public void Decide_TakeoverNotice_WithheldFromAliasedReceiverOnly()
    {
        var policy = Policy();
        var takeover = new TrackNumberNotice(TrackNumberNoticeKind.Takeover, Usa, T0, new TrackNumber(10_023), TrackNumber.None, RelAll(Usa));

        var gbr = policy.Decide(Usa, Gbr, takeover);
        Assert.False(gbr.IsAllowed);
        Assert.Contains("R2 is internal", gbr.Reason, StringComparison.Ordinal);
        Assert.True(policy.Decide(Usa, Aus, takeover).IsAllowed);
    }

    [Fact]
    public void Decide_ReportFromAliasedReceiver_ResolvedToCoalitionNumber()
    {
        var agreements = AliasedToGbr();
        var policy = Policy(agreements);
        var alias = AliasOf(agreements, 10_023);

        var back = Assert.IsType<TrackReport>(policy.Decide(Gbr, Usa, Track(Gbr, number: alias.Value)).Released);
        var own = Assert.IsType<TrackReport>(policy.Decide(Gbr, Usa, Track(Gbr, number: 30_005)).Released);

        Assert.Equal(10_023, back.Number.Value);
        Assert.Equal(30_005, own.Number.Value);
    }

    [Fact]
    public void Decide_ToAliasedReceiver_MarkingCutToReceiverAndItsForwardList()
    {
        var d = Policy().Decide(Usa, Gbr, Track(Usa, RelAll(Usa, Classification.Restricted), number: 1_201));
        var released = Assert.IsType<TrackReport>(d.Released);
        Assert.Equal([Gbr], released.Marking.ReleasableTo);
        Assert.Equal(Usa, released.Marking.Originator);
    }

    [Fact]
    public void Decide_AlertAndEngagementToAliasedReceiver_ThreatNumberAliased()
    {
        var agreements = AliasedToGbr();
        var policy = Policy(agreements);

        var alert = Assert.IsType<AlertMessage>(policy.Decide(Usa, Gbr, AlertMsg(Usa)).Released);
        var engagement = Assert.IsType<EngagementMessage>(policy.Decide(Usa, Gbr, EngagementMsg(Usa)).Released);

        Assert.Equal(AliasOf(agreements, 1_201), alert.Alert.Threat);
        Assert.Equal(AliasOf(agreements, 1_201), engagement.Engagement.Threat);
    }

    [Fact]
    public void Decide_NumberInsideTheAliasBlock_RefusedToAliasedReceiver()
    {
        // No node allocates there; passing it unchanged could collide with an alias.
        var d = Policy().Decide(Usa, Gbr, Track(Usa, number: 45_000));
        Assert.False(d.IsAllowed);
        Assert.Contains("has no alias for GBR", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_AliasAndCoalitionTowardsOneReceiver_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => SharingAgreements.Create(
            [
                SharingAgreement.Create(Usa, Gbr, ShareCategories.Tracks, trackNumbers: TrackNumberRelease.Alias),
                SharingAgreement.Create(Aus, Gbr, ShareCategories.Tracks),
            ],
            gateway: new TrackNumberGatewaySettings(40_000, 79_999, Key)));
        Assert.Contains("same track_numbers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_GatewayBlockOverlapsPlanBlock_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => SharingAgreements.Create(
            [SharingAgreement.Create(Usa, Gbr, ShareCategories.Tracks, trackNumbers: TrackNumberRelease.Alias)],
            gateway: new TrackNumberGatewaySettings(37_000, 79_999, Key)));
        Assert.Contains("overlaps the track-number block of GBR", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TrilateralFile_GbrAliasedFullPartnersCoalition()
    {
        var a = Trilateral();
        Assert.True(a.TryGet(Usa, Gbr, out var usaGbr));
        Assert.True(a.TryGet(Aus, Gbr, out var ausGbr));
        Assert.True(a.TryGet(Usa, Jpn, out var usaJpn));
        Assert.Equal(TrackNumberRelease.Alias, usaGbr.TrackNumbers);
        Assert.Equal(TrackNumberRelease.Alias, ausGbr.TrackNumbers);
        Assert.Equal(TrackNumberRelease.Coalition, usaJpn.TrackNumbers);
        Assert.Equal([Gbr], a.Gateway!.Receivers);
    }

    [Theory]
    [InlineData("    track_numbers: secret\n", "agreements[0].track_numbers must be coalition or alias", 5)]
    [InlineData("    track_numbers: alias\n  - from: AUS\n    to: GBR\n    share: [tracks]\n", "AUS -> GBR releases coalition track numbers", 6)]
    public void Parse_BadTrackNumbersOption_ErrorWithPosition(string extra, string message, int line)
    {
        var yaml = "agreements:\n  - from: USA\n    to: GBR\n    share: [tracks]\n" + extra
            + "track_number_gateway:\n  key: 000102030405060708090a0b0c0d0e0f\n";
        var ex = Assert.Throws<AgreementFileException>(() => AgreementFile.Parse(yaml, "a.yaml"));
        var error = Assert.Single(ex.Errors);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(line, error.Line);
    }

    [Theory]
    [InlineData("", "no track_number_gateway")]
    [InlineData("track_number_gateway:\n  key: 0011\n", "at least 32 hex digits")]
    [InlineData("track_number_gateway:\n  first: 20000\n  key: 000102030405060708090a0b0c0d0e0f\n", "overlaps the track-number block of AUS")]
    public void Parse_AliasWithBadOrMissingGateway_Error(string gateway, string message)
    {
        var yaml = "agreements:\n  - from: USA\n    to: GBR\n    share: [tracks]\n    track_numbers: alias\n" + gateway;
        var ex = Assert.Throws<AgreementFileException>(() => AgreementFile.Parse(yaml, "a.yaml"));
        Assert.Contains(ex.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
    }
}
