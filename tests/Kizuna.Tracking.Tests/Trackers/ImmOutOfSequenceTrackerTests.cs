using Kizuna.Core;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Tracking.Tests.Trackers;

/// <summary>The IMM tracker with late plots (MaxOutOfSequenceAge): used, counted, gated, allocation-free.</summary>
public class ImmOutOfSequenceTrackerTests
{
    private static readonly DateTime T0 = DateTime.UnixEpoch;

    /// <summary>A confirmed IMM track of a target moving +1 m/s in x (σ = 1 m plots, 1 s scans to t = 9 s, then an empty scan at 10 s).</summary>
    private static MultiTargetTracker TrackedTarget(string configuration, double maxAgeSeconds)
    {
        var options = TrackerFactory.TutorialOptions(1e-4, TimeSpan.FromSeconds(1)) with { MaxOutOfSequenceAge = TimeSpan.FromSeconds(maxAgeSeconds) };
        var tracker = TrackerFactory.Create(configuration, options);
        var rng = new Stochastic(3);
        for (var k = 0; k < 10; k++)
        {
            tracker.Step(T0.AddSeconds(k), [new Detection(T0.AddSeconds(k), "s", Nation.Usa, MeasurementKind.Cartesian, new Vec3(k + rng.Normal(), rng.Normal(), 0), Mat3.Identity, default)]);
        }

        tracker.Step(T0.AddSeconds(10), []);
        return tracker;
    }

    /// <summary>
    /// A late plot stamped t = 5 s (4 s behind the last processed frame, within MaxOutOfSequenceAge = 6 s): on the
    /// target's track at that time (5.5, 0.5) it is used; contradicting the track — 40 m across it — it is gated out
    /// at its own time (the IMM's retrodicted mixture, including its high-noise model's spread over the lag):
    /// rejected and counted, not used, the track untouched (position and covariance bit for bit), no new track.
    /// </summary>
    [Theory]
    [InlineData(0.5, true)]
    [InlineData(40.0, false)]
    public void Step_ImmLatePlot_UsedOnTrackGatedOutWhenContradicting(double across, bool used)
    {
        var tracker = TrackedTarget("IMM+GNN", 6);
        Assert.Equal(T0.AddSeconds(9), tracker.ProcessedUpTo);
        var track = Assert.Single(tracker.Tracks.ToArray());
        Assert.True(track.IsConfirmed);
        var before = track.State;
        var started = tracker.Statistics.TracksStarted;
        tracker.Step(T0.AddSeconds(10), [new Detection(T0.AddSeconds(5), "late", Nation.Japan, MeasurementKind.Cartesian, new Vec3(5.5, across, 0), Mat3.Identity * 0.25, default)]);
        var after = tracker.Tracks[0].State;
        Assert.Equal(used ? 1 : 0, tracker.Statistics.OutOfSequenceUpdates);
        Assert.Equal(used ? 0 : 1, tracker.Statistics.RejectedLate);
        Assert.Equal(started, tracker.Statistics.TracksStarted);
        Assert.Equal(used, before.Position != after.Position);
        Assert.Equal(used, before.PositionCovariance != after.PositionCovariance);
    }

    /// <summary>
    /// Lazy prediction (time management): target A's track is last predicted at t = 9 s, because the frames of
    /// t = 10–12 s hold only target B's plots, 100 km away. A late plot of A stamped 10.5 s (older than the last
    /// frame, newer than A's track) is the IMM's ordinary predict and update, done on a scratch copy: used and
    /// counted, A's track moved to 10.5 s and to the plot (within 1 m), B's track untouched by the evaluation
    /// every confirmed track gets.
    /// </summary>
    [Fact]
    public void Step_ImmLatePlotNewerThanLazyTrack_PredictedAndUpdated()
    {
        var options = TrackerFactory.TutorialOptions(1e-6) with
        {
            Management = TrackManagement.Time,
            TimeManagement = TimeManagementOptions.AirSurveillance,
            LazyPrediction = true,
            MaxOutOfSequenceAge = TimeSpan.FromSeconds(5),
        };
        var tracker = TrackerFactory.ImmGnn(options);
        var farAway = new Vec3(100_000, 0, 0);
        for (var k = 0; k <= 12; k++)
        {
            var t = T0.AddSeconds(k);
            var b = new Detection(t, "s", Nation.Usa, MeasurementKind.Cartesian, farAway + new Vec3(k, 0, 0), Mat3.Identity, default);
            tracker.Step(t, k < 10 ? [new Detection(t, "s", Nation.Usa, MeasurementKind.Cartesian, new Vec3(k, 0, 0), Mat3.Identity, default), b] : [b]);
        }

        var a = tracker.Tracks.ToArray().Single(x => x.Position.X < 1_000);
        var far = tracker.Tracks.ToArray().Single(x => x.Position.X > 1_000);
        Assert.True(a.IsConfirmed && far.IsConfirmed);
        Assert.Equal(T0.AddSeconds(9), a.Time);
        var farBefore = far.State;
        tracker.Step(T0.AddSeconds(12), [new Detection(T0.AddSeconds(10.5), "late", Nation.Japan, MeasurementKind.Cartesian, new Vec3(10.5, 0, 0), Mat3.Identity, default)]);
        Assert.Equal(1, tracker.Statistics.OutOfSequenceUpdates);
        Assert.Equal(0, tracker.Statistics.RejectedLate);
        Assert.Equal(T0.AddSeconds(10.5), a.Time);
        Assert.True((a.Position - new Vec3(10.5, 0, 0)).Norm < 1, $"{a.Position}");
        Assert.Equal(farBefore.Position, far.State.Position);
        Assert.Equal(farBefore.PositionCovariance, far.State.PositionCovariance);
    }

    /// <summary>
    /// Two IMM trackers (separate estimators with the same model set, as the national nodes of a coalition run)
    /// stepped alternately on one thread, each taking a late plot per step that is newer than its lazily predicted
    /// track (the predict-and-update path on the thread's scratch block): over steps 20–39 both use every such plot
    /// and nothing is allocated (the scratch block is shared by equal layouts, not reallocated per estimator).
    /// </summary>
    [Fact]
    public void Step_TwoImmTrackersLatePlotsNewerThanLazyTracks_AllocateNothing()
    {
        var options = TrackerFactory.TutorialOptions(1e-6) with
        {
            Management = TrackManagement.Time,
            TimeManagement = TimeManagementOptions.AirSurveillance,
            LazyPrediction = true,
            MaxOutOfSequenceAge = TimeSpan.FromSeconds(5),
        };
        MultiTargetTracker[] trackers = [TrackerFactory.ImmGnn(options), TrackerFactory.ImmGnn(options)];
        var farAway = new Vec3(100_000, 0, 0);
        var scans = new Detection[40][];
        for (var k = 0; k < scans.Length; k++)
        {
            var t = T0.AddSeconds(k);
            var b = new Detection(t, "s", Nation.Usa, MeasurementKind.Cartesian, farAway + new Vec3(k, 0, 0), Mat3.Identity, default);
            var a = k < 10
                ? new Detection(t, "s", Nation.Usa, MeasurementKind.Cartesian, new Vec3(k, 0, 0), Mat3.Identity, default)
                : new Detection(t.AddSeconds(-1.5), "late", Nation.Japan, MeasurementKind.Cartesian, new Vec3(k - 1.5, 0, 0), Mat3.Identity, default);
            scans[k] = [b, a];
        }

        for (var k = 0; k < 20; k++)
        {
            foreach (var tracker in trackers)
            {
                tracker.Step(T0.AddSeconds(k), scans[k]);
            }
        }

        var used = trackers.Select(x => x.Statistics.OutOfSequenceUpdates).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var k = 20; k < scans.Length; k++)
        {
            foreach (var tracker in trackers)
            {
                tracker.Step(T0.AddSeconds(k), scans[k]);
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.All(trackers, (x, i) => Assert.Equal(used[i] + 20, x.Statistics.OutOfSequenceUpdates));
        Assert.All(trackers, x => Assert.Equal(0, x.Statistics.RejectedLate));
        Assert.All(trackers, x => Assert.Equal(T0.AddSeconds(37.5), x.Tracks.ToArray().Single(t => t.Position.X < 1_000).Time));
        Assert.Equal(0, allocated);
    }

    /// <summary>
    /// Steady state with late plots, IMM (3 models, GNN): the 30-target tutorial scenario where five true plots
    /// of every scan arrive two scans late (MaxOutOfSequenceAge = 3 s) allocates zero bytes over steps 25–49, and
    /// uses the late plots (more than 80 of the 125 late plots in the window). A whole warm-up run first, so the
    /// thread's IMM working states exist before the measured window.
    /// </summary>
    [Fact]
    public void Step_ImmSteadyStateWithLatePlots_AllocatesNothing()
    {
        var scenario = new TutorialScenario(30, 50, seed: 21);
        var options = TrackerFactory.TutorialOptions(scenario.ClutterDensity) with { MaxOutOfSequenceAge = TimeSpan.FromSeconds(3) };
        var scans = new Detection[scenario.Scans.Count][];
        for (var k = 0; k < scans.Length; k++)
        {
            var scan = scenario.Scans[k];
            var lateIndices = scan.Select((d, i) => (d, i)).Where(p => !p.d.IsFalseAlarm).Take(5).Select(p => p.i).ToHashSet();
            var own = scan.Where((_, i) => !lateIndices.Contains(i));
            var earlier = k >= 2 ? scenario.Scans[k - 2].Where(d => !d.IsFalseAlarm).Take(5) : [];
            scans[k] = [.. own, .. earlier];
        }

        var warm = TrackerFactory.ImmGnn(options);
        for (var k = 0; k < 10; k++)
        {
            warm.Step(TutorialScenario.Epoch.AddSeconds(k), scans[k]);
        }

        var tracker = TrackerFactory.ImmGnn(options);
        for (var k = 0; k < 25; k++)
        {
            tracker.Step(TutorialScenario.Epoch.AddSeconds(k), scans[k]);
        }

        var used = tracker.Statistics.OutOfSequenceUpdates;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var k = 25; k < 50; k++)
        {
            tracker.Step(TutorialScenario.Epoch.AddSeconds(k), scans[k]);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        used = tracker.Statistics.OutOfSequenceUpdates - used;
        TestContext.Current.TestOutputHelper?.WriteLine($"IMM: {allocated} bytes over 25 steps; {used} late plots used, {tracker.Statistics.RejectedLate} rejected in total");
        Assert.True(used > 80, $"only {used} late plots used");
        Assert.Equal(0, allocated);
    }
}
