using System.Buffers;
using System.Text.Json;
using Kizuna.Core;
using Kizuna.Server.Feed;
using Kizuna.Server.Picture;
using Kizuna.TestSupport;

namespace Kizuna.Server.Tests;

/// <summary>The feed serialiser: allocation-free per tick, compact, and gated.</summary>
public sealed class PictureJsonTests
{
    [Theory]
    [InlineData("JPN")]
    [InlineData("AUS")]
    public void WriteDelta_SteadyState_AllocatesNothing(string nation)
    {
        var source = new SyntheticPictureSource(SyntheticPictureOptions.Create(1_000) with { ApplyReleaseFilter = false });
        var viewer = Nation.Parse(nation);
        var snapshot = source.GetSnapshot(viewer);
        var delta = new PictureDelta(snapshot.Time, snapshot.Tracks, [], snapshot.Alerts, snapshot.Engagements);
        var gate = new ReleaseGate(viewer, new ReleaseCounters());
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        using var writer = new Utf8JsonWriter(buffer);
        var sent = new HashSet<int>();
        var clock = source.Clock;

        var bytes = Allocation.SteadyStateBytes(() =>
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            PictureJson.WriteDelta(writer, delta, clock, gate, sent);
            writer.Flush();
        });

        Assert.Equal(0, bytes);
        Assert.InRange(buffer.WrittenCount / (double)sent.Count, 60, 160);
    }

    [Fact]
    public void WriteDelta_TrackNoLongerReleasable_SentAsDropped()
    {
        var source = new SyntheticPictureSource(SyntheticPictureOptions.Create(20));
        var track = source.GetSnapshot(Nation.Australia).Tracks[0];
        var gate = new ReleaseGate(Nation.Australia, new ReleaseCounters());
        var sent = new HashSet<int> { track.Number.Value };
        var withdrawn = track with { Marking = Marking.OriginatorOnly(Nation.Japan) };

        var json = PictureJson.ToBytes(w => PictureJson.WriteDelta(w, new PictureDelta(track.Time, [withdrawn], [], [], []), source.Clock, gate, sent));

        using var doc = JsonDocument.Parse(json);
        Assert.Equal(0, doc.RootElement.GetProperty("tracks").GetArrayLength());
        Assert.Equal(track.Number.Value, doc.RootElement.GetProperty("dropped")[0].GetInt32());
        Assert.DoesNotContain(track.Number.Value, sent);
    }
}
