using Kizuna.Core;
using Kizuna.Tracking.Association;
using Kizuna.Tracking.Deleters;
using Kizuna.Tracking.Initiators;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.Trackers;
using Kizuna.Tracking.Types;

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

    /// <summary>
    /// The state store of each layout (a compact 6 × 6 store for NCV, a full 9-stride store for the
    /// 7-D coordinated turn and the 9-D constant-acceleration model): track A (id 1) is started first and
    /// dies after three misses, so track B moves from slot 1 to slot 0 while it is being updated. Its
    /// state must be exactly that of B tracked alone (the two are 50 km apart: independent clusters), its
    /// accessors must agree with its state, and the state must be zero beyond its dimension.
    /// </summary>
    [Theory]
    [InlineData("NCV", 6)]
    [InlineData("CT", 7)]
    [InlineData("NCA", 9)]
    public void Step_TrackMovedBySlotDeletion_KeepsExactlyTheStateOfAnUndisturbedRun(string model, int dimension)
    {
        var both = SingleModelTracker(model);
        var alone = SingleModelTracker(model);
        var epoch = TutorialScenario.Epoch;
        var moved = false;
        for (var k = 0; k < 12; k++)
        {
            var time = epoch.AddSeconds(k);
            var b = Plot(time, new Vec3(50_000 + (30 * k) + (0.3 * Math.Sin(k)), 2 * k, 0));
            Detection[] scan = k < 2 ? [Plot(time, new Vec3(10 * k, 0, 0)), b] : [b];
            both.Step(time, scan);
            alone.Step(time, [b]);

            var mine = Assert.Single(alone.Tracks.ToArray());
            var same = both.Tracks.ToArray().Single(t => t.Id == 2);
            moved |= both.Tracks[0].Id == 2;
            Assert.Equal(dimension, same.State.Dimension);
            AssertSameState(mine.State, same.State);
            Assert.Equal(same.State.Position, same.Position);
            Assert.Equal(same.State.Velocity, same.Velocity);
            Assert.Equal(same.State.PositionCovariance, same.PositionCovariance);
            var state = same.State;
            for (var a = 0; a < StateVector.Capacity; a++)
            {
                Assert.Equal(0, a < dimension ? 0 : state.Mean[a]);
                for (var c = 0; c < StateVector.Capacity; c++)
                {
                    Assert.Equal(0, a < dimension && c < dimension ? 0 : state.Covariance[(a * S) + c]);
                }
            }
        }

        Assert.True(moved, "track A must have been deleted so that track B moved to slot 0");
    }

    private static void AssertSameState(in GaussianState expected, in GaussianState actual)
    {
        Assert.Equal(expected.Dimension, actual.Dimension);
        for (var a = 0; a < expected.Dimension; a++)
        {
            Assert.Equal(expected.Mean[a], actual.Mean[a]);
            for (var c = 0; c < expected.Dimension; c++)
            {
                Assert.Equal(expected.Covariance[(a * S) + c], actual.Covariance[(a * S) + c]);
            }
        }
    }

    private static Detection Plot(DateTime time, Vec3 position) =>
        new(time, "radar-1", Nation.Usa, MeasurementKind.Cartesian, position, Mat3.Identity, default, 0);

    private static MultiTargetTracker SingleModelTracker(string model)
    {
        var options = TrackerFactory.TutorialOptions(1e-9);
        ITrackEstimator estimator = model switch
        {
            "NCV" => new KalmanTrackEstimator<NearlyConstantVelocity>(new NearlyConstantVelocity(0.5)),
            "CT" => new KalmanTrackEstimator<CoordinatedTurn>(CoordinatedTurn.Flat(0.5, 1e-4)),
            _ => new KalmanTrackEstimator<NearlyConstantAcceleration>(new NearlyConstantAcceleration(0.5)),
        };
        return new MultiTargetTracker(options, estimator, new GlobalNearestNeighbourAssociator(options.Association),
            new SinglePointInitiator(40), new AnyDeleter(new MissedUpdateDeleter(3, 2), new CovarianceDeleter(1e6)));
    }

    private readonly record struct Snapshot(int Slot, int Frames, int Hits, ulong HitHistory, DateTime Created, DateTime LastUpdate, bool IsConfirmed);
}
