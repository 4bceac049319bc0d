using System.Text.Json;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Network.Messages;
using Kizuna.Network.Sharing;
using Kizuna.Network.Wire;
using Microsoft.Extensions.Time.Testing;
using static Kizuna.Network.Tests.TestData;

namespace Kizuna.Network.Tests.Sharing;

public sealed class ReleasePolicyTests
{
    private readonly InMemoryReleaseAuditLog _log = new();

    private ReleasePolicy Policy(SharingAgreements? a = null) =>
        new(a ?? Trilateral(), _log, new FakeTimeProvider(new DateTimeOffset(T0)));

    [Fact]
    public void Decide_NoAgreement_RefusesByDefault()
    {
        var d = Policy(SharingAgreements.None).Decide(Usa, Jpn, Track(Usa));

        Assert.False(d.IsAllowed);
        Assert.Null(d.Released);
        Assert.Contains("default deny", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_JpnDataToGbr_IsRefusedAndAudited()
    {
        var d = Policy().Decide(Jpn, Gbr, Track(Jpn, RelAll(Jpn, Classification.Unclassified)));

        Assert.False(d.IsAllowed);
        var entry = Assert.Single(_log.Entries);
        Assert.Equal((Jpn, Gbr, MessageType.TrackReport, false), (entry.From, entry.To, entry.Type, entry.Allowed));
        Assert.Equal(T0, entry.DecidedAt);
    }

    [Fact]
    public void Decide_MarkingNotReleasable_RefusedEvenWithAgreement()
    {
        var d = Policy().Decide(Usa, Jpn, Track(Usa, Marking.OriginatorOnly(Usa)));

        Assert.False(d.IsAllowed);
        Assert.Contains("does not release to JPN", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_MeasurementsOnTracksOnlyPair_Refused()
    {
        var d = Policy().Decide(Jpn, Aus, Batch(Jpn));

        Assert.False(d.IsAllowed);
        Assert.Contains("does not release measurements", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ClassificationAboveAgreementMaximum_Refused()
    {
        var d = Policy().Decide(Usa, Gbr, Track(Usa, RelAll(Usa, Classification.Secret)));

        Assert.False(d.IsAllowed);
        Assert.Contains("exceeds", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_FullPrecisionPair_ReleasesTheMessageUnchanged()
    {
        var track = Track(Usa);
        var d = Policy().Decide(Usa, Jpn, track);

        Assert.True(d.IsAllowed);
        Assert.Same(track, d.Released);
    }

    [Fact]
    public void Decide_TracksOnlyPair_RoundsPositionsInflatesCovarianceAndStripsIdentities()
    {
        var track = Track(Jpn);
        var d = Policy().Decide(Jpn, Aus, track);

        Assert.True(d.IsAllowed);
        var r = Assert.IsType<TrackReport>(d.Released);
        Assert.Equal(new Vec3(-3_950_100, 3_351_000, 3_700_500), r.PositionEcef);
        Assert.True((r.PositionEcef - track.PositionEcef).Norm <= Math.Sqrt(3) * 50);
        Assert.Equal(track.PositionCovariance.M00 + (100.0 * 100.0 / 12.0), r.PositionCovariance.M00, 9);
        Assert.Equal(track.PositionCovariance.M01, r.PositionCovariance.M01);
        Assert.Equal(track.VelocityEcef, r.VelocityEcef);
        Assert.Equal(0u, r.Identity);
        Assert.Equal(Affiliation.Pending, r.Affiliation);
        Assert.Equal(TrackKind.Aircraft, r.Kind);
        Assert.Empty(r.Sensors);
        Assert.Contains("positions rounded to 100 m", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_SensorSitesWithheld_ConvertsRadarPlotToEcefPositionAndPseudonymisesNothingElse()
    {
        var plot = RadarPlot(Usa, "USA-TPY-2-Kyogamisaki");
        var d = Policy().Decide(Usa, Aus, Batch(Usa, 1, null, plot));

        Assert.True(d.IsAllowed);
        var x = Assert.Single(((DetectionBatch)d.Released!).Detections);
        var expected = CovarianceTransforms.PolarToEcef(new EnuFrame(plot.SensorSite), new RadarPolar(plot.Value.X, plot.Value.Y, plot.Value.Z), plot.Covariance);
        Assert.Equal(MeasurementKind.PositionEcef, x.Kind);
        Assert.Equal(default, x.SensorSite);
        Assert.Equal(expected.Position, x.Value);
        Assert.Equal(expected.Covariance, x.Covariance);
        Assert.Equal(plot.SensorId, x.SensorId);
    }

    /// <summary>Without its site a plot's range rate is meaningless, and its sensor velocity would reveal the platform's motion: both go.</summary>
    [Fact]
    public void Decide_SensorSitesWithheld_RangeRateAndSensorVelocityRemoved()
    {
        var plot = RadarPlot(Usa, "USA-TPY-2-Kyogamisaki") with { RangeRate = -240, RangeRateVariance = 4, SensorVelocity = new Vec3(5, 6, 7) };
        var d = Policy().Decide(Usa, Aus, Batch(Usa, 1, null, plot));

        var x = Assert.Single(((DetectionBatch)d.Released!).Detections);
        Assert.Equal(MeasurementKind.PositionEcef, x.Kind);
        Assert.False(x.HasRangeRate);
        Assert.Equal(default, x.SensorVelocity);
    }

    [Fact]
    public void Decide_SensorIdsHidden_UsesStablePseudonymsPerReceiver()
    {
        var a = SharingAgreements.Create([SharingAgreement.Create(Usa, Jpn, ShareCategories.Measurements | ShareCategories.SensorPositions)]);
        var policy = Policy(a);
        var b = Batch(Usa, 1, null, RadarPlot(Usa, "radar-A"), RadarPlot(Usa, "radar-B"), RadarPlot(Usa, "radar-A"));

        var first = ((DetectionBatch)policy.Decide(Usa, Jpn, b).Released!).Detections;
        var again = ((DetectionBatch)policy.Decide(Usa, Jpn, b).Released!).Detections;

        Assert.Equal(["USA-S1", "USA-S2", "USA-S1"], first.Select(x => x.SensorId));
        Assert.Equal(first.Select(x => x.SensorId), again.Select(x => x.SensorId));
    }

    [Fact]
    public void Decide_AnglesOnlyWithSitesWithheld_IsDroppedFromTheBatch()
    {
        var ir = RadarPlot(Usa, "USA-SBIRS") with { Kind = MeasurementKind.AzimuthElevation, Value = new Vec3(0.7, 0.2, 0) };
        var d = Policy().Decide(Usa, Aus, Batch(Usa, 1, null, ir, RadarPlot(Usa, "r")));

        Assert.True(d.IsAllowed);
        Assert.Single(((DetectionBatch)d.Released!).Detections);
        Assert.Contains("1 angles-only detection(s) dropped", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ForwardingAllowedByOriginator_IsReleased()
    {
        // USA -> JPN says forward_to: [AUS]; JPN -> AUS releases tracks.
        var d = Policy().Decide(Jpn, Aus, Track(Usa, RelAll(Usa, Classification.Confidential)));

        Assert.True(d.IsAllowed, d.Reason);
    }

    [Fact]
    public void Decide_ForwardingNotAllowedByOriginator_IsRefused()
    {
        // JPN -> USA has no forward_to, so the USA may not pass JPN data to GBR even though USA -> GBR releases tracks.
        var d = Policy().Decide(Usa, Gbr, Track(Jpn, RelAll(Jpn, Classification.Restricted)));

        Assert.False(d.IsAllowed);
        Assert.Contains("may not forward JPN data to GBR", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonLinesAuditLog_WritesOneParsableLinePerDecision()
    {
        using var stream = new MemoryStream();
        var log = new JsonLinesReleaseAuditLog(new NonClosingStream(stream));
        var policy = new ReleasePolicy(Trilateral(), log, new FakeTimeProvider(new DateTimeOffset(T0)));
        policy.Decide(Usa, Jpn, Track(Usa));
        policy.Decide(Jpn, Gbr, Track(Jpn));
        log.Dispose();

        var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("2026-03-01T12:00:00.0000000Z", first.RootElement.GetProperty("time").GetString());
        Assert.Equal("allowed", first.RootElement.GetProperty("decision").GetString());
        Assert.Equal("tracks", first.RootElement.GetProperty("type").GetString());
        Assert.Equal("refused", second.RootElement.GetProperty("decision").GetString());
        Assert.Equal("GBR", second.RootElement.GetProperty("to").GetString());
        Assert.False(string.IsNullOrEmpty(second.RootElement.GetProperty("reason").GetString()));
    }

    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
