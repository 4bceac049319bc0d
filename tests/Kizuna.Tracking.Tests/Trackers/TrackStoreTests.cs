using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Tracking.Tests.Trackers;

/// <summary>
/// The tracker's slot-stable track store: each table slot keeps its object for the tracker's life
/// and deletion moves the data of later tracks down (so table order is memory order). These tests
/// check that the objects stay put and that a moved track keeps every piece of its data.
/// </summary>
public class TrackStoreTests
{
    private const int S = StateMatrix.Stride;

    [Theory]
    [InlineData("NCV+GNN")]
    [InlineData("IMM+GNN")]
    public void Step_WithDeletions_SlotsKeepTheirObjectsWhileTrackDataMoves(string name)
    {
        var scenario = new TutorialScenario(50, 25, seed: 3);
        var tracker = TrackerFactory.Create(name, TrackerFactory.TutorialOptions(scenario.ClutterDensity));
        var previous = Array.Empty<Track>();
        var previousIds = Array.Empty<long>();
        var moved = 0;
        for (var k = 0; k < scenario.Scans.Count; k++)
        {
            tracker.Step(TutorialScenario.Epoch.AddSeconds(k), scenario.Scans[k]);
            var tracks = tracker.Tracks;
            for (var t = 0; t < tracks.Length; t++)
            {
                if (t > 0)
                {
                    Assert.True(tracks[t].Id > tracks[t - 1].Id, "the table is in creation order");
                }

                if (t < previous.Length)
                {
                    Assert.Same(previous[t], tracks[t]);
                    moved += previousIds[t] != tracks[t].Id ? 1 : 0;
                }
            }

            previous = tracks.ToArray();
            previousIds = [.. previous.Select(x => x.Id)];
        }

        Assert.True(tracker.Statistics.TracksDeleted > 100, "the scenario must delete tracks");
        Assert.True(moved > 100, "deletions must have moved track data between slots");
    }

    [Theory]
    [InlineData("NCV+GNN")]
    [InlineData("IMM+GNN")]
    public void Step_TrackMovedToAnotherSlot_KeepsItsManagementDataAndState(string name)
    {
        var scenario = new TutorialScenario(50, 25, seed: 4);
        var tracker = TrackerFactory.Create(name, TrackerFactory.TutorialOptions(scenario.ClutterDensity));
        var before = new Dictionary<long, Snapshot>();
        var checkedMoves = 0;
        for (var k = 0; k < scenario.Scans.Count; k++)
        {
            var time = TutorialScenario.Epoch.AddSeconds(k);
            tracker.Step(time, scenario.Scans[k]);
            var tracks = tracker.Tracks;
            for (var t = 0; t < tracks.Length; t++)
            {
                var track = tracks[t];
                if (before.TryGetValue(track.Id, out var old))
                {
                    var hit = (track.HitHistory & 1) == 1;
                    Assert.Equal(old.Frames + 1, track.Frames);
                    Assert.Equal((old.HitHistory << 1) | (hit ? 1UL : 0UL), track.HitHistory);
                    Assert.Equal(old.Hits + (hit ? 1 : 0), track.Hits);
                    Assert.Equal(old.Created, track.Created);
                    Assert.Equal(hit ? time : old.LastUpdate, track.LastUpdate);
                    Assert.True(track.IsConfirmed || !old.IsConfirmed, "confirmation never reverts");
                    Assert.Equal(time, track.Time);
                    checkedMoves += old.Slot != t ? 1 : 0;
                }

                if (track.Imm is { } imm)
                {
                    var combined = imm.Combined;
                    // The combined estimate and the track's state are the same numbers after a move.
                    for (var a = 0; a < 6; a++)
                    {
                        Assert.Equal(combined.Mean[a], track.State.Mean[a]);
                        for (var b = 0; b < 6; b++)
                        {
                            Assert.Equal(combined.Covariance[(a * S) + b], track.State.Covariance[(a * S) + b]);
                        }
                    }

                    Assert.Equal(1, imm.ModeProbabilities.ToArray().Sum(), 1e-12);
                }
            }

            before.Clear();
            for (var t = 0; t < tracks.Length; t++)
            {
                var x = tracks[t];
                before[x.Id] = new Snapshot(t, x.Frames, x.Hits, x.HitHistory, x.Created, x.LastUpdate, x.IsConfirmed);
            }
        }

        Assert.True(checkedMoves > 100, "the check must cover tracks that moved slot");
    }

    private readonly record struct Snapshot(int Slot, int Frames, int Hits, ulong HitHistory, DateTime Created, DateTime LastUpdate, bool IsConfirmed);
}
