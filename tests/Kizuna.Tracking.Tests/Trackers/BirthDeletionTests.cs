using Kizuna.Core;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Tracking.Tests.Trackers;

/// <summary>
/// Deletion now runs inside the update pass, and a new track is checked once at birth instead of in a
/// separate pass after initiation: a track the deleter rejects at birth must be counted as started and
/// deleted, never appear in the table, and leave its slot to the next new track.
/// </summary>
public class BirthDeletionTests
{
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(TrackManagement.Frames)]
    [InlineData(TrackManagement.Time)]
    public void Step_DeleterRejectsEveryNewTrack_CountedAsStartedAndDeletedAndNeverListed(TrackManagement management)
    {
        // Initial position σ = 1 m (R = I) is above the 0.5 m limit, so every new track is deleted at birth.
        var options = TrackerFactory.TutorialOptions(1e-6) with { Management = management };
        var tracker = MultiTargetTracker.CreateNearlyConstantVelocityGnn(options, processNoise: 0.05, velocityStd: 2, maxPositionStd: 0.5);

        tracker.Step(Epoch, Scan(Epoch, 0));
        tracker.Step(Epoch.AddSeconds(1), Scan(Epoch.AddSeconds(1), 1));

        Assert.Equal(0, tracker.Tracks.Length);
        Assert.Equal(6, tracker.Statistics.TracksStarted);
        Assert.Equal(6, tracker.Statistics.TracksDeleted);
    }

    [Fact]
    public void Step_SurvivorsAndNewTracks_TableStaysInCreationOrder()
    {
        // Three targets seen in scan 0, only the middle one in scans 1–3, and two new ones from scan 2:
        // the outer two are deleted after 2 tentative misses while later tracks are born behind them.
        var tracker = TrackerFactory.NcvGnn(TrackerFactory.TutorialOptions(1e-6));
        tracker.Step(Epoch, [At(Epoch, 0), At(Epoch, 1_000), At(Epoch, 2_000)]);
        tracker.Step(Epoch.AddSeconds(1), [At(Epoch.AddSeconds(1), 1_000)]);
        tracker.Step(Epoch.AddSeconds(2), [At(Epoch.AddSeconds(2), 1_000), At(Epoch.AddSeconds(2), 5_000), At(Epoch.AddSeconds(2), 6_000)]);

        var ids = tracker.Tracks.ToArray().Select(t => t.Id).ToArray();
        Assert.Equal([2L, 4L, 5L], ids);
        Assert.Equal(2, tracker.Statistics.TracksDeleted);
        Assert.Equal(1_000, tracker.Tracks[0].Position.X, 6);
        Assert.Equal(5_000, tracker.Tracks[1].Position.X, 6);
        Assert.Equal(6_000, tracker.Tracks[2].Position.X, 6);
    }

    private static Detection[] Scan(DateTime time, int k) =>
        [At(time, 0 + k), At(time, 1_000 + k), At(time, 2_000 + k)];

    private static Detection At(DateTime time, double x) =>
        new(time, "radar-1", Nation.Usa, MeasurementKind.Cartesian, new Vec3(x, 0, 0), Mat3.Identity, default);
}
