using Kizuna.Core;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Tracking.Tests.Trackers;

/// <summary>
/// Issue 3/5: a sensor that reports with a latency (ADS-B) must not lose its targets when another
/// sensor's plots — of other objects — move the tracker past the latency sensor's time stamps.
/// The smallest form of the coalition finding: target A seen only by a sensor with 1.2 s latency,
/// target B (100 km away) seen only by a sensor without latency, both at 1 Hz, one step per second.
/// </summary>
public class LateDetectionTests
{
    private const double Latency = 1.2;
    private static readonly DateTime Epoch = DateTime.UnixEpoch;

    private static TrackerOptions Options(TimeSpan? lateWindow = null) => new()
    {
        Frame = TrackFrame.Flat,
        Association = new Tracking.Association.AssociationParameters(0.9, 0.999, 1e-12),
        Management = TrackManagement.Time,
        LazyPrediction = false, // every frame predicts every track: the hardest case for the latency sensor
        LateDetectionWindow = lateWindow ?? new TrackerOptions().LateDetectionWindow,
        TrackCapacity = 16,
    };

    private static MultiTargetTracker Tracker(TrackerOptions options) =>
        MultiTargetTracker.CreateNearlyConstantVelocityGnn(options, processNoise: 1, velocityStd: 300);

    /// <summary>Target A (250 m/s east) measured at <paramref name="time"/> with a deterministic ±5 m wobble.</summary>
    private static Detection PlotA(double time, string sensor = "adsb") =>
        new(Epoch.AddSeconds(time), sensor, Nation.Japan, MeasurementKind.Cartesian,
            new Vec3(250 * time + (5 * Math.Sin(3 * time)), 1_000 + (5 * Math.Cos(5 * time)), 10_000), Mat3.Identity * 100, default, TruthId: 164);

    /// <summary>Target B (200 m/s north, 100 km from A) measured by a radar without latency.</summary>
    private static Detection PlotB(double time) =>
        new(Epoch.AddSeconds(time), "radar", Nation.Usa, MeasurementKind.Cartesian,
            new Vec3(0, 100_000 + (200 * time) + (5 * Math.Sin(7 * time)), 9_000), Mat3.Identity * 400, default, TruthId: 7);

    /// <summary>
    /// Runs <paramref name="steps"/> one-second steps: at step k the latency sensor delivers its plot
    /// measured at k − 1.2 s; with <paramref name="withRadar"/> the radar delivers its plot at k.
    /// </summary>
    private static MultiTargetTracker Run(TrackerOptions options, bool withRadar, int steps = 30, bool radarSeesA = false)
    {
        var tracker = Tracker(options);
        for (var k = 2; k <= steps; k++)
        {
            var plots = new List<Detection> { PlotA(k - Latency) };
            if (withRadar)
            {
                plots.Add(PlotB(k));
                if (radarSeesA)
                {
                    plots.Add(PlotA(k, "radar") with { Covariance = Mat3.Identity * 400 });
                }
            }

            tracker.Step(Epoch.AddSeconds(k), plots.ToArray());
        }

        return tracker;
    }

    private static Track? Near(MultiTargetTracker tracker, double time)
    {
        var truth = new Vec3(250 * time, 1_000, 10_000);
        foreach (var t in tracker.Tracks)
        {
            var p = t.Position + (t.Velocity * (time - (t.Time - Epoch).TotalSeconds));
            if (t.IsConfirmed && (p - truth).Norm < 500)
            {
                return t;
            }
        }

        return null;
    }

    /// <summary>
    /// The finding, reproduced and fixed: without the radar the latency sensor's target is held; with
    /// the radar's plots of another object it used to be lost (every plot rejected late), and now
    /// it is held with every plot used.
    /// </summary>
    [Fact]
    public void Step_UnrelatedPlotsAheadOfLatencySensor_TargetStillHeld()
    {
        var solo = Run(Options(), withRadar: false);
        var mixed = Run(Options(), withRadar: true);

        Assert.NotNull(Near(solo, 28.8));
        Assert.NotNull(Near(mixed, 28.8));
        Assert.Equal(0, mixed.Statistics.RejectedLate);
        Assert.Equal(2, mixed.Tracks.ToArray().Count(t => t.IsConfirmed)); // A and B, nothing else
    }

    /// <summary>With the late-detection window at zero (the old rule) the same run loses target A: the test above can fail.</summary>
    [Fact]
    public void Step_LateWindowZero_UnrelatedPlotsMakeTrackerDropLatencySensor()
    {
        var mixed = Run(Options(TimeSpan.Zero), withRadar: true);

        Assert.Null(Near(mixed, 28.8));
        Assert.Equal(28, mixed.Statistics.RejectedLate); // every one of A's plots but the first (before any radar frame)
    }

    /// <summary>
    /// Retrodiction is exact: the radar's frames only predict track A, so re-predicting A from its
    /// last posterior gives the solo tracker's estimate to rounding (position within 1 mm, velocity
    /// within 1 µm/s, extrapolated to a common time).
    /// </summary>
    [Fact]
    public void Step_UnrelatedPlotsAheadOfLatencySensor_EstimateEqualsSolo()
    {
        var solo = Near(Run(Options(), withRadar: false), 28.8)!;
        var mixed = Near(Run(Options(), withRadar: true), 28.8)!;
        var common = Epoch.AddSeconds(30);
        var ps = solo.Position + (solo.Velocity * (common - solo.Time).TotalSeconds);
        var pm = mixed.Position + (mixed.Velocity * (common - mixed.Time).TotalSeconds);

        Assert.True((ps - pm).Norm < 1e-3, $"position differs by {(ps - pm).Norm} m");
        Assert.True((solo.Velocity - mixed.Velocity).Norm < 1e-6, $"velocity differs by {(solo.Velocity - mixed.Velocity).Norm} m/s");
    }

    /// <summary>
    /// When the radar also sees A (so A's track is updated after each late plot's time), the late
    /// plot cannot update it but must not start a second track either: one track for A, one for B.
    /// </summary>
    [Fact]
    public void Step_LatePlotOfTrackUpdatedSince_StartsNoDuplicate()
    {
        var tracker = Run(Options(), withRadar: true, radarSeesA: true);

        Assert.NotNull(Near(tracker, 28.8));
        Assert.Equal(2, tracker.Tracks.Length);
        Assert.Equal(2, tracker.Statistics.TracksStarted);
    }
}
