using Kizuna.Core;
using Kizuna.Tracking.Deleters;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Tracking.Tests.Management;

/// <summary>Deleter behaviour, checked through a tracker so that tracks are real.</summary>
public class DeleterContractTests
{
    private static readonly Mat3 R = Mat3.Identity;

    public static TheoryData<string> Deleters => ["missed", "covariance", "any"];

    private static ITrackDeleter Create(string name) => name switch
    {
        "missed" => new MissedUpdateDeleter(3, 2),
        "covariance" => new CovarianceDeleter(3),
        _ => new AnyDeleter(new MissedUpdateDeleter(3, 2), new CovarianceDeleter(3)),
    };

    /// <summary>Every deleter keeps a well-updated track and eventually deletes a track that stops receiving detections.</summary>
    [Theory]
    [MemberData(nameof(Deleters))]
    public void Deleter_UpdatedThenStarved_KeepsThenDeletes(string name)
    {
        var options = new TrackerOptions { Frame = TrackFrame.Flat, Association = new(0.9, 0.99, 1e-4), Confirmation = new(2, 3) };
        var tracker = new MultiTargetTracker(options,
            new KalmanTrackEstimator<Kizuna.Tracking.Models.Transition.NearlyConstantVelocity>(new(0.05)),
            new Kizuna.Tracking.Association.GlobalNearestNeighbourAssociator(options.Association),
            new Kizuna.Tracking.Initiators.SinglePointInitiator(2),
            Create(name));
        var t0 = DateTime.UnixEpoch;
        for (var k = 0; k < 10; k++)
        {
            var d = new Detection(t0.AddSeconds(k), "s", Nation.Usa, MeasurementKind.Cartesian, new Vec3(k, 0, 0), R, default);
            tracker.Step(d.Time, [d]);
        }

        Assert.Equal(1, tracker.Tracks.Length);
        Assert.True(tracker.Tracks[0].IsConfirmed);
        var id = tracker.Tracks[0].Id;

        // Far-away detections only: the track coasts (one frame per second) until deleted.
        var frames = 0;
        while (tracker.Tracks.ToArray().Any(t => t.Id == id) && frames < 100)
        {
            frames++;
            var d = new Detection(t0.AddSeconds(10 + frames), "s", Nation.Usa, MeasurementKind.Cartesian, new Vec3(1e6, 1e6, 0), R, default);
            tracker.Step(d.Time, [d]);
        }

        Assert.InRange(frames, 1, 99);
        Assert.True(tracker.Statistics.TracksDeleted >= 1);
    }
}
