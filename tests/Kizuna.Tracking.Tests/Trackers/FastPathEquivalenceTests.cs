using Kizuna.Core;
using Kizuna.Tracking.Association;
using Kizuna.Tracking.Deleters;
using Kizuna.Tracking.Initiators;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.Trackers;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Tests.Trackers;

/// <summary>
/// The tracker's fast paths for the built-in estimators — gating from its compact copies of the
/// predicted positions and of each detection's z and R, the position update from that compact
/// copy, and single-point initiation written straight into the track's state — must give bit-for-bit what the general path gives (every candidate pair through
/// <see cref="ITrackEstimator.Evaluate"/>, every update through <see cref="ITrackEstimator.Update"/>
/// with the detection's measurement model). The general path is forced by wrapping the same
/// estimator in a plain <see cref="ITrackEstimator"/> that forwards every call.
/// </summary>
public class FastPathEquivalenceTests
{
    [Theory]
    [InlineData("NCV", true)]
    [InlineData("NCV", false)]
    [InlineData("IMM", true)]
    public void Step_FastAndGeneralPaths_GiveIdenticalTracks(string filter, bool gnn)
    {
        var scenario = new TutorialScenario(100, 40, seed: 5);
        var options = TrackerFactory.TutorialOptions(scenario.ClutterDensity);
        var fast = Create(options, Estimator(filter), gnn);
        var general = Create(options, new Forwarding(Estimator(filter)), gnn);
        var updates = 0L;
        for (var k = 0; k < scenario.Scans.Count; k++)
        {
            var time = TutorialScenario.Epoch.AddSeconds(k);
            fast.Step(time, scenario.Scans[k]);
            general.Step(time, scenario.Scans[k]);
            var a = fast.Tracks;
            var b = general.Tracks;
            Assert.Equal(b.Length, a.Length);
            for (var t = 0; t < a.Length; t++)
            {
                AssertSame(b[t], a[t]);
                updates += a[t].Hits;
            }
        }

        Assert.Equal(general.Statistics, fast.Statistics);
        Assert.True(fast.Statistics.TracksConfirmed >= 90, "the scenario must confirm the targets' tracks");
        Assert.True(updates > 10_000, "the comparison must cover many updates");
    }

    private static ITrackEstimator Estimator(string filter) => filter == "IMM"
        ? new ImmTrackEstimator(TrackerFactory.ThreeModelImm(), [0.8, 0.1, 0.1])
        : new KalmanTrackEstimator<NearlyConstantVelocity>(new NearlyConstantVelocity(0.05));

    private static MultiTargetTracker Create(TrackerOptions options, ITrackEstimator estimator, bool gnn) => new(
        options,
        estimator,
        gnn ? new GlobalNearestNeighbourAssociator(options.Association) : new JointProbabilisticDataAssociator(options.Association),
        new SinglePointInitiator(2),
        new AnyDeleter(new MissedUpdateDeleter(3, 2), new CovarianceDeleter(50)));

    private static void AssertSame(Track expected, Track actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.IsConfirmed, actual.IsConfirmed);
        Assert.Equal(expected.HitHistory, actual.HitHistory);
        Assert.Equal(expected.Quality, actual.Quality);
        Assert.Equal(expected.LastNation, actual.LastNation);
        Assert.Equal(expected.Identity, actual.Identity);
        var x = expected.State;
        var y = actual.State;
        Assert.Equal(x.Dimension, y.Dimension);

        // The whole buffers, not only the leading n×n block: the fast initiation writes only that
        // block, so the rest must still equal what the general path's whole-struct copy leaves.
        for (var r = 0; r < StateVector.Capacity; r++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(x.Mean[r]), BitConverter.DoubleToInt64Bits(y.Mean[r]));
            for (var c = 0; c < StateVector.Capacity; c++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(x.Cov(r, c)), BitConverter.DoubleToInt64Bits(y.Cov(r, c)));
            }
        }
    }

    /// <summary>Forwards every call; being none of the tracker's internal fast-path markers, it forces the general path.</summary>
    private sealed class Forwarding(ITrackEstimator inner) : ITrackEstimator
    {
        public void Initialise(Track track, in GaussianState initial) => inner.Initialise(track, initial);

        public void Predict(Track track, double dt) => inner.Predict(track, dt);

        public UpdateResult Evaluate(Track track, in DetectionMeasurementModel model, Vec3 measurement) => inner.Evaluate(track, model, measurement);

        public UpdateResult Update(Track track, in DetectionMeasurementModel model, Vec3 measurement) => inner.Update(track, model, measurement);

        public void UpdateMixture(Track track, double missedWeight, ReadOnlySpan<WeightedMeasurement> hypotheses, in AssociationParameters parameters) =>
            inner.UpdateMixture(track, missedWeight, hypotheses, parameters);
    }
}
