using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Tracking.Tests.Trackers;

public class MultiTargetTrackerTests
{
    public static TheoryData<string> Configurations => ["NCV+GNN", "NCV+JPDA", "IMM+GNN", "IMM+JPDA"];

    /// <summary>Every configuration (filter × associator) keeps one confirmed track with one id on a straight target in light clutter.</summary>
    [Theory]
    [MemberData(nameof(Configurations))]
    public void Step_StraightTargetInClutter_OneConfirmedTrackStableId(string configuration)
    {
        var tracker = TrackerFactory.Create(configuration, TrackerFactory.TutorialOptions(1e-4));
        var rng = new Stochastic(42);
        var random = new Random(43);
        var t0 = DateTime.UnixEpoch;
        long? id = null;
        for (var k = 0; k < 60; k++)
        {
            var truth = new Vec3(2 * k, k, 0);
            var list = new List<Detection>
            {
                new(t0.AddSeconds(k), "radar-1", Nation.Usa, MeasurementKind.Cartesian, truth + new Vec3(rng.Normal(), rng.Normal(), 0), Mat3.Identity, default, 1),
            };
            for (var c = 0; c < 3; c++)
            {
                list.Add(new(t0.AddSeconds(k), "radar-1", Nation.Usa, MeasurementKind.Cartesian,
                    new Vec3((random.NextDouble() * 400) - 200, (random.NextDouble() * 400) - 200, 0), Mat3.Identity, default, Detection.FalseAlarm));
            }

            tracker.Step(t0.AddSeconds(k), list.ToArray());
            if (k >= 5)
            {
                var confirmed = tracker.Tracks.ToArray().Where(t => t.IsConfirmed && (t.Position - truth).Norm < 5).ToArray();
                Assert.Single(confirmed);
                id ??= confirmed[0].Id;
                Assert.Equal(id, confirmed[0].Id);
            }
        }

        var track = tracker.Tracks.ToArray().Single(t => t.Id == id);
        Assert.Equal(new Vec3(2, 1, 0).X, track.Velocity.X, 0.5);
        Assert.Equal(15, track.Quality.Value);
        Assert.Equal(1UL, track.ContributingSensors);
        Assert.Equal("radar-1", tracker.SensorName(0));
        Assert.Equal(Nation.Usa, track.LastNation);
        Assert.True(tracker.Statistics.TracksStarted > 1); // clutter started tentative tracks …
        Assert.Equal(1, tracker.Tracks.ToArray().Count(t => t.IsConfirmed)); // … none of which was confirmed
    }

    /// <summary>
    /// Detections delivered up to one scan late with a 2 s lag give bit-identical tracks to in-order
    /// delivery (nothing dropped, same processing order), and ids are stable.
    /// </summary>
    [Fact]
    public void Step_OutOfSequenceWithinLag_IdenticalToInOrder()
    {
        var scenario = new TutorialScenario(10, 30, seed: 5);
        var options = TrackerFactory.TutorialOptions(scenario.ClutterDensity, TimeSpan.FromSeconds(2));
        var inOrder = TrackerFactory.NcvGnn(options);
        var late = TrackerFactory.NcvGnn(options);
        var epoch = TutorialScenario.Epoch;
        Detection[] previousLateHalf = [];
        for (var k = 0; k < scenario.Scans.Count; k++)
        {
            var scan = scenario.Scans[k];
            var time = epoch.AddSeconds(k);
            inOrder.Step(time, scan);
            var half = scan.Length / 2;
            late.Step(time, [.. scan[..half], .. previousLateHalf]);
            previousLateHalf = scan[half..];
        }

        var end = epoch.AddSeconds(scenario.Scans.Count + 2);
        late.Step(end, previousLateHalf);
        inOrder.Step(end, []);
        Assert.Equal(0, late.Statistics.RejectedLate);
        Assert.Equal(inOrder.Statistics.DetectionsProcessed, late.Statistics.DetectionsProcessed);
        Assert.Equal(inOrder.Tracks.Length, late.Tracks.Length);
        for (var i = 0; i < inOrder.Tracks.Length; i++)
        {
            Assert.Equal(inOrder.Tracks[i].Id, late.Tracks[i].Id);
            Assert.Equal(inOrder.Tracks[i].Position, late.Tracks[i].Position);
            Assert.Equal(inOrder.Tracks[i].PositionCovariance, late.Tracks[i].PositionCovariance);
        }
    }

    /// <summary>With a lag, nothing is processed before the lag has passed (the documented latency).</summary>
    [Fact]
    public void Step_WithLag_HoldsDetectionsForTheLag()
    {
        var tracker = TrackerFactory.NcvGnn(TrackerFactory.TutorialOptions(1e-4, TimeSpan.FromSeconds(1.5)));
        var t0 = DateTime.UnixEpoch;
        var d = new Detection(t0, "s", Nation.Usa, MeasurementKind.Cartesian, Vec3.Zero, Mat3.Identity, default);
        tracker.Step(t0, [d]);
        Assert.Equal(1, tracker.PendingDetections);
        Assert.Equal(0, tracker.Tracks.Length);
        tracker.Step(t0.AddSeconds(1.5), []);
        Assert.Equal(0, tracker.PendingDetections);
        Assert.Equal(1, tracker.Tracks.Length);
        Assert.Equal(t0, tracker.ProcessedUpTo);
    }

    /// <summary>A detection older than the last processed frame (later than the lag) is rejected and counted; invalid ones too.</summary>
    [Fact]
    public void Step_LaterThanLagOrInvalid_RejectedAndCounted()
    {
        var tracker = TrackerFactory.NcvGnn(TrackerFactory.TutorialOptions(1e-4, TimeSpan.FromSeconds(1)));
        var twin = TrackerFactory.NcvGnn(TrackerFactory.TutorialOptions(1e-4, TimeSpan.FromSeconds(1)));
        var t0 = DateTime.UnixEpoch;
        for (var k = 0; k < 10; k++)
        {
            Detection[] scan = [new Detection(t0.AddSeconds(k), "s", Nation.Usa, MeasurementKind.Cartesian, new Vec3(k, 0, 0), Mat3.Identity, default)];
            tracker.Step(t0.AddSeconds(k), scan);
            twin.Step(t0.AddSeconds(k), scan);
        }

        twin.Step(t0.AddSeconds(10), []);
        tracker.Step(t0.AddSeconds(10), [
            new Detection(t0.AddSeconds(5), "s", Nation.Usa, MeasurementKind.Cartesian, new Vec3(5, 0, 0), Mat3.Identity, default),
            new Detection(t0.AddSeconds(10), "s", Nation.Usa, MeasurementKind.Cartesian, new Vec3(double.NaN, 0, 0), Mat3.Identity, default),
            new Detection(t0.AddSeconds(10), "s", Nation.Usa, MeasurementKind.PositionEcef, new Vec3(1, 0, 0), Mat3.Identity, default),
        ]);
        Assert.Equal(1, tracker.Statistics.RejectedLate);
        Assert.Equal(2, tracker.Statistics.RejectedInvalid);
        Assert.Equal(twin.Tracks[0].Position, tracker.Tracks[0].Position);
        Assert.Equal(t0.AddSeconds(9), tracker.ProcessedUpTo);
    }

    /// <summary>Two sensors observing one target at the same times: one track, both sensors recorded, no duplicate.</summary>
    [Fact]
    public void Step_TwoSensorsOneTarget_OneTrackBothSensors()
    {
        var tracker = TrackerFactory.NcvGnn(TrackerFactory.TutorialOptions(1e-4));
        var rng = new Stochastic(8);
        var t0 = DateTime.UnixEpoch;
        for (var k = 0; k < 20; k++)
        {
            var truth = new Vec3(k, 0, 0);
            tracker.Step(t0.AddSeconds(k), [
                new Detection(t0.AddSeconds(k), "b", Nation.Japan, MeasurementKind.Cartesian, truth + new Vec3(rng.Normal(), rng.Normal(), 0), Mat3.Identity, default),
                new Detection(t0.AddSeconds(k), "a", Nation.Usa, MeasurementKind.Cartesian, truth + new Vec3(rng.Normal(), rng.Normal(), 0), Mat3.Identity, default, 0, 0xABCDEF),
            ]);
        }

        Assert.Equal(1, tracker.Tracks.Length);
        Assert.Equal(0b11UL, tracker.Tracks[0].ContributingSensors);
        Assert.Equal(0xABCDEFu, tracker.Tracks[0].Identity);
        Assert.Equal(40, tracker.Statistics.Frames);
    }

    /// <summary>Radar plots (range, azimuth, elevation) from a real WGS-84 site give one ECEF track at the right place.</summary>
    [Fact]
    public void Step_RadarPlotsInEcef_TracksTarget()
    {
        var site = new Geodetic(35.0 * Math.PI / 180, 139.0 * Math.PI / 180, 50);
        var frame = new EnuFrame(site);
        var options = new TrackerOptions { Frame = TrackFrame.Ecef, Association = new(0.9, 0.99, 1e-12), Confirmation = new(2, 3) };
        var tracker = MultiTargetTracker.CreateNearlyConstantVelocityGnn(options, processNoise: 1, velocityStd: 300);
        var rng = new Stochastic(77);
        var t0 = DateTime.UnixEpoch;
        var r = Mat3.Diagonal(50 * 50, Math.Pow(0.15 * Math.PI / 180, 2), Math.Pow(0.15 * Math.PI / 180, 2));
        Vec3 truthEcef = default;
        for (var k = 0; k < 30; k++)
        {
            var enu = new Vec3(40_000 + (200.0 * k * 5), 60_000, 8_000);
            truthEcef = frame.ToEcef(enu);
            var p = RadarPolar.FromEnu(enu);
            var z = new Vec3(p.RangeM + (50 * rng.Normal()), p.AzimuthRad + (0.15 * Math.PI / 180 * rng.Normal()), p.ElevationRad + (0.15 * Math.PI / 180 * rng.Normal()));
            tracker.Step(t0.AddSeconds(5 * k), [new Detection(t0.AddSeconds(5 * k), "radar-jp", Nation.Japan, MeasurementKind.RangeAzimuthElevation, z, r, site)]);
        }

        Assert.Equal(1, tracker.Tracks.Length);
        Assert.True(tracker.Tracks[0].IsConfirmed);
        Assert.True((tracker.Tracks[0].Position - truthEcef).Norm < 300);
        Assert.True((tracker.Tracks[0].Velocity.Norm - 200) < 30);
    }
}

public class KalmanTrackEstimatorTests
{
    /// <summary>The closed-form NCV prediction used by the tracker equals the generic <c>KalmanPredictor</c> on a full, correlated covariance.</summary>
    [Theory]
    [InlineData(0.1)]
    [InlineData(1.0)]
    [InlineData(7.5)]
    public void Predict_NearlyConstantVelocity_EqualsGenericPredictor(double dt)
    {
        var rng = new Stochastic(3);
        var s = Kizuna.Tracking.Types.GaussianState.Zero(6);
        var a = new double[6, 6];
        for (var i = 0; i < 6; i++)
        {
            s.Mean[i] = rng.Normal() * 100;
            for (var j = 0; j < 6; j++)
            {
                a[i, j] = rng.Normal();
            }
        }

        for (var i = 0; i < 6; i++)
        {
            for (var j = 0; j < 6; j++)
            {
                var sum = i == j ? 1.0 : 0.0;
                for (var k = 0; k < 6; k++)
                {
                    sum += a[i, k] * a[j, k];
                }

                s.Covariance[(i * 9) + j] = sum;
            }
        }

        var model = new Kizuna.Tracking.Models.Transition.NearlyConstantVelocity(0.3);
        var generic = s;
        Kizuna.Tracking.Predictors.KalmanPredictor.Predict(model, ref generic, dt);
        var host = TrackerFactory.NcvGnn(TrackerFactory.TutorialOptions(1e-4));
        host.Step(DateTime.UnixEpoch, [new Detection(DateTime.UnixEpoch, "s", Nation.Usa, MeasurementKind.Cartesian, Vec3.Zero, Mat3.Identity, default)]);
        var track = host.Tracks[0];
        var estimator = new KalmanTrackEstimator<Kizuna.Tracking.Models.Transition.NearlyConstantVelocity>(model);
        estimator.Initialise(track, s);
        estimator.Predict(track, dt);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(generic.Mean[i], track.State.Mean[i], 1e-9);
            for (var j = 0; j < 6; j++)
            {
                Assert.Equal(generic.Cov(i, j), track.State.Cov(i, j), 1e-9);
            }
        }
    }
}
