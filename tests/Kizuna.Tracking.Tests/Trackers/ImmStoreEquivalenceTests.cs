using Kizuna.Core;
using Kizuna.Tracking.Association;
using Kizuna.Tracking.Deleters;
using Kizuna.Tracking.Initiators;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.MultipleModel;
using Kizuna.Tracking.Predictors;
using Kizuna.Tracking.Trackers;
using Kizuna.Tracking.Types;
using Kizuna.Tracking.Updaters;

namespace Kizuna.Tracking.Tests.Trackers;

/// <summary>
/// The IMM's fast per-track store (model states packed in one block per track, carved from slabs,
/// unpacked into working copies) and its closed-form predictions must give the textbook IMM's
/// numbers: a reference IMM written element by element over full 9×9 states — mixing with the
/// Granström augmentation over the full matrix then symmetrisation, the generic
/// <see cref="KalmanPredictor"/> through the boxed <see cref="ITransitionModel"/>, the generic
/// <see cref="KalmanUpdater.Update{TMeas}"/>, and the mode-probability update and combination of
/// Blom &amp; Bar-Shalom — runs in lockstep with the real tracker's <see cref="ImmTrackEstimator"/>
/// (every call the tracker makes is mirrored on the reference, keyed by track id), and after every
/// call every model state, every μ and the combined estimate must agree to 1e-9 relative.
/// </summary>
public class ImmStoreEquivalenceTests
{
    private const int S = StateMatrix.Stride;
    private const double Tolerance = 1e-9;

    [Fact]
    public void Step_ClutteredHundredTargets_EveryModelStateMatchesTextbookImm()
    {
        var scenario = new TutorialScenario(100, 40, seed: 5);
        var options = TrackerFactory.TutorialOptions(scenario.ClutterDensity);
        var lockstep = new Lockstep(new ImmTrackEstimator(TrackerFactory.ThreeModelImm(), [0.8, 0.1, 0.1]), Reference.ThreeModel());
        var tracker = new MultiTargetTracker(options, lockstep, new GlobalNearestNeighbourAssociator(options.Association),
            new SinglePointInitiator(2), new AnyDeleter(new MissedUpdateDeleter(3, 2), new CovarianceDeleter(50)));
        for (var k = 0; k < scenario.Scans.Count; k++)
        {
            tracker.Step(TutorialScenario.Epoch.AddSeconds(k), scenario.Scans[k]);
        }

        Assert.True(tracker.Statistics.TracksConfirmed >= 90, "the scenario must confirm the targets' tracks");
        Assert.True(lockstep.Predictions > 4_000, $"only {lockstep.Predictions} predictions compared");
        Assert.True(lockstep.Updates > 2_500, $"only {lockstep.Updates} updates compared");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PredictUpdate_ManoeuvringTarget_EveryModelStateMatchesTextbookImm(bool ecef)
    {
        // A 200 m/s target in a 6°/s turn (the coordinated turn's non-Taylor branch), with the IMM's
        // public API against the reference; in ECEF the turn is about the local vertical.
        var imm = ecef
            ? new InteractingMultipleModel([new NearlyConstantVelocity(0.5), CoordinatedTurn.Ecef(0.5, 1e-3), new NearlyConstantAcceleration(1)],
                new double[,] { { 0.95, 0.03, 0.02 }, { 0.03, 0.95, 0.02 }, { 0.02, 0.03, 0.95 } })
            : TrackerFactory.ThreeModelImm();
        var reference = new Reference(imm);
        var origin = ecef ? new Vec3(-3_950_000, 3_350_000, 3_700_000) : new Vec3(1_000, -2_000, 300);
        var up = ecef ? origin.Normalized : new Vec3(0, 0, 1);
        var east = Vec3.Cross(new Vec3(0, 0, 1), up).Normalized;
        east = ecef ? east : new Vec3(1, 0, 0);
        var north = Vec3.Cross(up, east);
        var initial = GaussianState.FromPositionVelocity(origin, 200 * east, 100, 400);
        var state = imm.CreateState(initial, [0.8, 0.1, 0.1], 10, 0.01);
        var refState = reference.Create(initial, [0.8, 0.1, 0.1], 10, 0.01);
        Compare(reference, refState, state, state.Combined);
        var rng = new Stochastic(3);
        var turn = 6 * Math.PI / 180;
        var turnModel = ecef ? 1 : 2;
        var maxTurnProbability = 0.0;
        for (var k = 1; k <= 60; k++)
        {
            var t = k * 0.5;
            var angle = turn * t;
            var truth = origin + ((200 / turn) * ((Math.Sin(angle) * east) + ((1 - Math.Cos(angle)) * north)));
            imm.Predict(state, 0.5);
            reference.Predict(refState, 0.5);
            Compare(reference, refState, state, state.Combined);
            var z = truth + new Vec3(3 * rng.Normal(), 3 * rng.Normal(), 3 * rng.Normal());
            var model = new PositionMeasurementModel(new Mat3(9, 1, 0, 1, 9, 0, 0, 0, 9));
            var a = imm.Update(state, model, z);
            var b = reference.Update(refState, model, z);
            Assert.Equal(b.IsValid, a.IsValid);
            Close(b.LogLikelihood, a.LogLikelihood, 1, "ln Λ");
            Compare(reference, refState, state, state.Combined);
            maxTurnProbability = Math.Max(maxTurnProbability, state.ModeProbabilities[turnModel]);
        }

        Assert.True(maxTurnProbability > 0.5, $"the turn model must come to dominate (max μ = {maxTurnProbability}), else the test does not exercise it");
    }

    [Fact]
    public void ApplySurfaceConstraint_ShipSeenWithCoarseHeight_EveryModelStateAndMuMatchTextbookConstrainedImm()
    {
        // A 10 m/s ship at sea level measured every 10 s with σ 100 m horizontally and 4 km vertically:
        // after every update the surface pseudo-measurement (σ_z 50 m) is applied through the public API
        // and, on the reference, as a full-matrix scalar Kalman update of each model (H = [uᵀ 0 …],
        // linearised at the reference's own combined estimate, P ← (I − K H) P) with the mode probabilities
        // updated by N(hⱼ; 0, Sⱼ) and the combination recomputed.
        var imm = new InteractingMultipleModel([new NearlyConstantVelocity(20), CoordinatedTurn.Ecef(20, 1e-4), new NearlyConstantAcceleration(1)],
            new double[,] { { 0.95, 0.03, 0.02 }, { 0.03, 0.95, 0.02 }, { 0.02, 0.03, 0.95 } });
        var reference = new Reference(imm);
        var site = Kizuna.Core.Geodesy.Geodetic.FromDegrees(36.8, 133.2, 0);
        var frame = new Kizuna.Core.Geodesy.EnuFrame(site);
        var origin = frame.OriginEcef;
        var east = frame.RotateToEcef(new Vec3(1, 0, 0));
        var up = frame.RotateToEcef(new Vec3(0, 0, 1));
        var noise = frame.EnuToEcef * Mat3.Diagonal(100 * 100, 100 * 100, 4_000.0 * 4_000) * frame.EcefToEnu;
        var initial = GaussianState.FromPositionVelocity(origin + (2_000 * up), 10 * east, 3_000.0 * 3_000, 30 * 30);
        var state = imm.CreateState(initial, [0.8, 0.1, 0.1], 10, 0.01);
        var refState = reference.Create(initial, [0.8, 0.1, 0.1], 10, 0.01);
        var rng = new Stochastic(11);
        var largestBefore = 0.0;
        var largestAfter = 0.0;
        for (var k = 1; k <= 40; k++)
        {
            imm.Predict(state, 10);
            reference.Predict(refState, 10);
            var truth = origin + (10 * k * 10 * east);
            var z = truth + (frame.EnuToEcef * new Vec3(100 * rng.Normal(), 100 * rng.Normal(), 4_000 * rng.Normal()));
            var model = new PositionMeasurementModel(noise);
            imm.Update(state, model, z);
            reference.Update(refState, model, z);
            var g = Kizuna.Core.Geodesy.Wgs84.EcefToGeodetic(state.Combined.Position);
            var (sinLat, cosLat) = Math.SinCos(g.LatitudeRad);
            var (sinLon, cosLon) = Math.SinCos(g.LongitudeRad);
            var u = new Vec3(cosLat * cosLon, cosLat * sinLon, sinLat);
            largestBefore = Math.Max(largestBefore, Math.Abs(g.HeightM));
            imm.ApplySurfaceConstraint(state, u, g.HeightM, 50);
            reference.Constrain(refState, u, g.HeightM, 50);
            Compare(reference, refState, state, state.Combined);
            largestAfter = Math.Max(largestAfter, Math.Abs(Kizuna.Core.Geodesy.Wgs84.EcefToGeodetic(state.Combined.Position).HeightM));
        }

        Assert.True(largestBefore > 1_000, $"the updates must leave the surface (largest |h| before the hold {largestBefore:0} m), else the test does not exercise the hold");
        Assert.True(largestAfter < 100, $"largest |h| after the hold {largestAfter:0} m");
    }

    private static void Compare(Reference reference, RefState expected, ImmState actual, in GaussianState combined)
    {
        for (var j = 0; j < expected.Models.Length; j++)
        {
            CloseState(expected.Models[j], actual.ModelState(j), $"model {j}");
            Close(expected.Mu[j], actual.ModeProbabilities[j], 1e-12, "μ", j);
        }

        CloseState(reference.Combine(expected), combined, "combined");
    }

    private static void CloseState(in GaussianState expected, in GaussianState actual, string what)
    {
        Assert.Equal(expected.Dimension, actual.Dimension);
        var n = expected.Dimension;
        for (var a = 0; a < n; a++)
        {
            var sa = Math.Sqrt(Math.Abs(expected.Cov(a, a)));
            Close(expected.Mean[a], actual.Mean[a], sa, what, a);
            for (var b = 0; b < n; b++)
            {
                Close(expected.Cov(a, b), actual.Cov(a, b), sa * Math.Sqrt(Math.Abs(expected.Cov(b, b))), what, a, b);
            }
        }
    }

    /// <summary>|e − a| ≤ 1e-9 max(|e|, scale): relative, with the natural scale (σ, σσ) as the floor for values near zero.</summary>
    private static void Close(double expected, double actual, double scale, string what, int a = -1, int b = -1)
    {
        var bound = Tolerance * Math.Max(Math.Abs(expected), scale);
        if (!(Math.Abs(expected - actual) <= bound))
        {
            Assert.Fail($"{what} [{a},{b}]: expected {expected:R}, got {actual:R}");
        }
    }

    private sealed class RefState(int models)
    {
        public GaussianState[] Models { get; } = new GaussianState[models];

        public double[] Mu { get; } = new double[models];
    }

    /// <summary>The textbook IMM, element by element over full matrices (Blom &amp; Bar-Shalom 1988; Granström et al. 2015).</summary>
    private sealed class Reference(InteractingMultipleModel imm)
    {
        private readonly ITransitionModel[] _models = [.. Enumerable.Range(0, imm.ModelCount).Select(imm.Model)];
        private readonly double[,] _p = TransitionMatrix(imm);

        public static Reference ThreeModel() => new(TrackerFactory.ThreeModelImm());

        public RefState Create(in GaussianState initial, ReadOnlySpan<double> mu0, double accelerationVariance, double turnRateVariance)
        {
            var s = new RefState(_models.Length);
            var sum = 0.0;
            foreach (var m in mu0)
            {
                sum += m;
            }

            for (var j = 0; j < _models.Length; j++)
            {
                var n = _models[j].Dimension;
                var g = GaussianState.Zero(n);
                for (var a = 0; a < 6; a++)
                {
                    g.Mean[a] = initial.Mean[a];
                    for (var b = 0; b < 6; b++)
                    {
                        g.Covariance[(a * S) + b] = initial.Covariance[(a * S) + b];
                    }
                }

                for (var a = 6; a < n; a++)
                {
                    g.Covariance[(a * S) + a] = _models[j].Layout == StateLayout.PositionVelocityTurnRate ? turnRateVariance : accelerationVariance;
                }

                Dense.Symmetrize(g.Covariance, n);
                s.Models[j] = g;
                s.Mu[j] = mu0[j] / sum;
            }

            return s;
        }

        public void Predict(RefState s, double dt)
        {
            var r = _models.Length;
            var before = (GaussianState[])s.Models.Clone();
            var cbar = new double[r];
            for (var j = 0; j < r; j++)
            {
                for (var i = 0; i < r; i++)
                {
                    cbar[j] += _p[i, j] * s.Mu[i];
                }

                var n = _models[j].Dimension;
                var mixed = GaussianState.Zero(n);
                for (var i = 0; i < r; i++)
                {
                    var w = _p[i, j] * s.Mu[i] / cbar[j];
                    var same = _models[i].Layout == _models[j].Layout;
                    for (var a = 0; a < n; a++)
                    {
                        mixed.Mean[a] += w * (a < 6 || same ? before[i].Mean[a] : before[j].Mean[a]);
                    }
                }

                for (var i = 0; i < r; i++)
                {
                    var w = _p[i, j] * s.Mu[i] / cbar[j];
                    var same = _models[i].Layout == _models[j].Layout;
                    for (var a = 0; a < n; a++)
                    {
                        var da = (a < 6 || same ? before[i].Mean[a] : before[j].Mean[a]) - mixed.Mean[a];
                        for (var b = 0; b < n; b++)
                        {
                            var db = (b < 6 || same ? before[i].Mean[b] : before[j].Mean[b]) - mixed.Mean[b];
                            var pab = same || (a < 6 && b < 6) ? before[i].Cov(a, b)
                                : a >= 6 && b >= 6 ? before[j].Cov(a, b) : 0;
                            mixed.Covariance[(a * S) + b] += w * (pab + (da * db));
                        }
                    }
                }

                Dense.Symmetrize(mixed.Covariance, n);
                KalmanPredictor.Predict(_models[j], ref mixed, dt);
                s.Models[j] = mixed;
            }

            var total = cbar.Sum();
            for (var j = 0; j < r; j++)
            {
                s.Mu[j] = cbar[j] / total;
            }
        }

        public UpdateResult Update<TMeas>(RefState s, in TMeas model, Vec3 z)
            where TMeas : IMeasurementModel
        {
            var r = _models.Length;
            var logs = new double[r];
            for (var j = 0; j < r; j++)
            {
                logs[j] = KalmanUpdater.Update(model, ref s.Models[j], z).LogLikelihood;
            }

            var max = logs.Max();
            var total = 0.0;
            for (var j = 0; j < r; j++)
            {
                s.Mu[j] *= Math.Exp(logs[j] - max);
                total += s.Mu[j];
            }

            for (var j = 0; j < r; j++)
            {
                s.Mu[j] /= total;
            }

            return new UpdateResult(default, default, 0, max + Math.Log(total), model.Dimension, true);
        }

        /// <summary>The surface pseudo-measurement z = 0 on every model, element by element over full matrices, then the μ update.</summary>
        public void Constrain(RefState s, Vec3 up, double height, double sigma)
        {
            var r = _models.Length;
            var combined = Combine(s);
            var logs = new double[r];
            for (var j = 0; j < r; j++)
            {
                ref var x = ref s.Models[j];
                var n = x.Dimension;
                var h = new double[n];
                h[0] = up.X;
                h[1] = up.Y;
                h[2] = up.Z;
                var predicted = height;
                for (var a = 0; a < 3; a++)
                {
                    predicted += h[a] * (x.Mean[a] - combined.Mean[a]);
                }

                var innovationVariance = sigma * sigma;
                var ph = new double[n];
                for (var a = 0; a < n; a++)
                {
                    for (var b = 0; b < n; b++)
                    {
                        ph[a] += x.Cov(a, b) * h[b];
                    }

                    innovationVariance += h[a] * ph[a];
                }

                var gain = ph.Select(v => v / innovationVariance).ToArray();
                var innovation = 0 - predicted;
                var hp = new double[n];
                for (var b = 0; b < n; b++)
                {
                    for (var c = 0; c < n; c++)
                    {
                        hp[b] += h[c] * x.Cov(c, b);
                    }
                }

                var updated = x;
                for (var a = 0; a < n; a++)
                {
                    updated.Mean[a] = x.Mean[a] + (gain[a] * innovation);
                    for (var b = 0; b < n; b++)
                    {
                        updated.Covariance[(a * S) + b] = x.Cov(a, b) - (gain[a] * hp[b]);
                    }
                }

                Dense.Symmetrize(updated.Covariance, n);
                x = updated;
                logs[j] = -0.5 * ((innovation * innovation / innovationVariance) + Math.Log(2 * Math.PI * innovationVariance));
            }

            var max = logs.Max();
            var total = 0.0;
            for (var j = 0; j < r; j++)
            {
                s.Mu[j] *= Math.Exp(logs[j] - max);
                total += s.Mu[j];
            }

            for (var j = 0; j < r; j++)
            {
                s.Mu[j] /= total;
            }
        }

        public GaussianState Combine(RefState s)
        {
            var c = GaussianState.Zero(6);
            for (var j = 0; j < _models.Length; j++)
            {
                for (var a = 0; a < 6; a++)
                {
                    c.Mean[a] += s.Mu[j] * s.Models[j].Mean[a];
                }
            }

            for (var j = 0; j < _models.Length; j++)
            {
                for (var a = 0; a < 6; a++)
                {
                    for (var b = 0; b < 6; b++)
                    {
                        var da = s.Models[j].Mean[a] - c.Mean[a];
                        var db = s.Models[j].Mean[b] - c.Mean[b];
                        c.Covariance[(a * S) + b] += s.Mu[j] * (s.Models[j].Cov(a, b) + (da * db));
                    }
                }
            }

            return c;
        }

        private static double[,] TransitionMatrix(InteractingMultipleModel imm)
        {
            // The configuration's matrix is private: recover it from a one-step prediction of a
            // one-hot μ (c̄ⱼ = p_ij when μ = eᵢ, Δt = 0 leaves the states alone).
            var r = imm.ModelCount;
            var p = new double[r, r];
            var initial = GaussianState.FromPositionVelocity(Vec3.Zero, Vec3.Zero, 1, 1);
            for (var i = 0; i < r; i++)
            {
                var mu = new double[r];
                mu[i] = 1;
                var s = imm.CreateState(initial, mu, 1, 1);
                imm.Predict(s, 0);
                for (var j = 0; j < r; j++)
                {
                    p[i, j] = s.ModeProbabilities[j];
                }
            }

            return p;
        }
    }

    /// <summary>Forwards every call to the real estimator (general path) and mirrors it on the reference, comparing after each.</summary>
    private sealed class Lockstep(ImmTrackEstimator inner, Reference reference) : ITrackEstimator
    {
        private readonly Dictionary<long, RefState> _states = [];

        public int Predictions { get; private set; }

        public int Updates { get; private set; }

        public void Initialise(Track track, in GaussianState initial)
        {
            inner.Initialise(track, initial);
            _states[track.Id] = reference.Create(initial, [0.8, 0.1, 0.1], inner.AccelerationVariance, inner.TurnRateVariance);
            if (track.Id != 0)
            {
                Compare(reference, _states[track.Id], track.Imm!, track.State);
            }
        }

        public void Predict(Track track, double dt)
        {
            inner.Predict(track, dt);
            var s = _states[track.Id];
            reference.Predict(s, dt);
            Compare(reference, s, track.Imm!, track.State);
            Predictions++;
        }

        public UpdateResult Evaluate(Track track, in DetectionMeasurementModel model, Vec3 measurement) =>
            inner.Evaluate(track, model, measurement);

        public UpdateResult Update(Track track, in DetectionMeasurementModel model, Vec3 measurement)
        {
            var result = inner.Update(track, model, measurement);
            var s = _states[track.Id];
            reference.Update(s, model, measurement);
            Compare(reference, s, track.Imm!, track.State);
            Updates++;
            return result;
        }

        public void UpdateMixture(Track track, double missedWeight, ReadOnlySpan<WeightedMeasurement> hypotheses, in AssociationParameters parameters) =>
            throw new NotSupportedException("GNN only");
    }
}
