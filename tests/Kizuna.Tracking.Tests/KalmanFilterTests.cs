using Kizuna.Core;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.Predictors;
using Kizuna.Tracking.Types;
using Kizuna.Tracking.Updaters;

namespace Kizuna.Tracking.Tests;

public class KalmanFilterTests
{
    private const int S = StateMatrix.Stride;

    /// <summary>
    /// Stone Soup tutorial 01 (S1) in 3-D: start [x, y, z, vx, vy, vz] = [0, 0, 0, 1, 1, 0],
    /// NCV q = 0.05, 20 × 1 s, R = 5 I (the tutorial's diag(5, 5) plus the same on z), 200 seeded
    /// Monte Carlo runs. The run-averaged NEES at each step must lie in the two-sided 95 % χ²(Mn)/M
    /// interval at ≥ 18 of 20 steps, and the overall ANEES in its 95 % interval.
    /// </summary>
    [Fact]
    public void Kalman_StoneSoupS1MonteCarlo_NeesWithinChiSquareBounds()
    {
        const int runs = 200;
        const int steps = 20;
        const int n = 6;
        var model = new NearlyConstantVelocity(0.05);
        var measurement = new PositionMeasurementModel(Mat3.Diagonal(5, 5, 5));
        var rng = new Stochastic(20260101);
        var q = default(StateMatrix);
        model.ProcessNoise(default, 1.0, ref q);
        var neesSum = new double[steps];
        for (var run = 0; run < runs; run++)
        {
            var truth = default(StateVector);
            truth[3] = 1;
            truth[4] = 1;
            var prior = GaussianState.FromPositionVelocity(Vec3.Zero, Vec3.Zero, 1.5, 0.5);
            var e0 = rng.Sample(prior.Covariance, n);
            for (var i = 0; i < n; i++)
            {
                prior.Mean[i] = truth[i] + e0[i];
            }

            var track = prior;
            for (var k = 0; k < steps; k++)
            {
                model.Transition(ref truth, 1.0);
                var w = rng.Sample(q, n);
                for (var i = 0; i < n; i++)
                {
                    truth[i] += w[i];
                }

                var z = new Vec3(truth[0], truth[1], truth[2]) + rng.Sample(measurement.NoiseCovariance);
                KalmanPredictor.Predict(model, ref track, 1.0);
                var result = KalmanUpdater.Update(measurement, ref track, z);
                Assert.True(result.IsValid);
                neesSum[k] += Stochastic.Nees(truth, track, n);
            }
        }

        var lo = Stochastic.ChiSquareQuantile(-Stochastic.Z975, runs * n) / runs;
        var hi = Stochastic.ChiSquareQuantile(Stochastic.Z975, runs * n) / runs;
        var inside = 0;
        var total = 0.0;
        for (var k = 0; k < steps; k++)
        {
            var mean = neesSum[k] / runs;
            total += mean;
            if (mean >= lo && mean <= hi)
            {
                inside++;
            }
        }

        Assert.True(inside >= 18, $"Only {inside}/20 steps had NEES in [{lo:0.00}, {hi:0.00}].");
        var anees = total / steps;
        var aLo = Stochastic.ChiSquareQuantile(-Stochastic.Z975, runs * n * steps) / (runs * steps);
        var aHi = Stochastic.ChiSquareQuantile(Stochastic.Z975, runs * n * steps) / (runs * steps);
        Assert.InRange(anees, aLo, aHi);
    }

    /// <summary>
    /// Required robustness test: 20,000 steps of an ECEF-scale track (|x| ≈ 6.4e6 m) with tiny
    /// process noise, random Δt in [0.01, 20] s, and R cycling through 1 m², 10⁶ m² and a rotated
    /// anisotropic diag(1, 10³, 10⁶) m² (a 10⁶:1 spread inside one update). The Joseph-form
    /// covariance must stay exactly symmetric and Cholesky-positive-definite at every step, and the
    /// filter must stay statistically consistent (time-averaged NEES within 15 % of n = 6).
    /// </summary>
    [Fact]
    public void Kalman_MillionToOneScaleSpread_CovarianceStaysSymmetricPositiveDefinite()
    {
        const int n = 6;
        const int steps = 20_000;
        var model = new NearlyConstantVelocity(1e-4);
        var rng = new Stochastic(77);
        var uniform = new Random(78);
        var rotation = new Core.Geodesy.EnuFrame(Core.Geodesy.Geodetic.FromDegrees(-31, 115)).EcefToEnu;
        var rs = new[]
        {
            Mat3.Diagonal(1, 1, 1),
            Mat3.Diagonal(1e6, 1e6, 1e6),
            Mat3.Congruence(rotation.Transpose(), Mat3.Diagonal(1, 1e3, 1e6)),
        };

        var truth = default(StateVector);
        truth[0] = 6.4e6;
        truth[1] = 1e5;
        truth[2] = -2e5;
        truth[3] = 250;
        truth[4] = -40;
        truth[5] = 3;
        var track = GaussianState.FromPositionVelocity(Vec3.Zero, Vec3.Zero, 1e6, 1e2);
        var e0 = rng.Sample(track.Covariance, n);
        for (var i = 0; i < n; i++)
        {
            track.Mean[i] = truth[i] + e0[i];
        }

        var neesTotal = 0.0;
        var minVariance = double.MaxValue;
        var maxVariance = 0.0;
        for (var k = 0; k < steps; k++)
        {
            var dt = 0.01 + (uniform.NextDouble() * 19.99);
            var q = default(StateMatrix);
            model.ProcessNoise(default, dt, ref q);
            model.Transition(ref truth, dt);
            var w = rng.Sample(q, n);
            for (var i = 0; i < n; i++)
            {
                truth[i] += w[i];
            }

            var r = rs[k % 3];
            var measurement = new PositionMeasurementModel(r);
            var z = new Vec3(truth[0], truth[1], truth[2]) + rng.Sample(r);
            KalmanPredictor.Predict(model, ref track, dt);
            var result = KalmanUpdater.Update(measurement, ref track, z);
            Assert.True(result.IsValid, $"Step {k}: S not positive definite.");
            Assert.True(Dense.IsSymmetricPositiveDefinite(track.Covariance, n), $"Step {k}: P lost symmetry or definiteness.");
            for (var i = 0; i < n; i++)
            {
                minVariance = Math.Min(minVariance, track.Cov(i, i));
                maxVariance = Math.Max(maxVariance, track.Cov(i, i));
            }

            neesTotal += Stochastic.Nees(truth, track, n);
        }

        Assert.True(maxVariance / minVariance > 1e6, $"The run must actually span 10⁶:1 (got {maxVariance / minVariance:E1}).");
        Assert.InRange(neesTotal / steps, 0.85 * n, 1.15 * n);
    }

    [Fact]
    public void Predict_DimensionMismatch_Throws()
    {
        var state = GaussianState.Zero(9);
        Assert.Throws<ArgumentException>(() => KalmanPredictor.Predict(new NearlyConstantVelocity(1), ref state, 1));
    }

    [Fact]
    public void Evaluate_SameAsUpdateStatistics_AndLeavesStateUnchanged()
    {
        var state = GaussianState.FromPositionVelocity(new Vec3(10, 20, 30), new Vec3(1, 0, 0), 4, 1);
        var model = new PositionMeasurementModel(Mat3.Diagonal(2, 3, 4));
        var z = new Vec3(12, 17, 31);
        var before = state;
        var evaluated = KalmanUpdater.Evaluate(model, state, z);
        Assert.Equal(0, (before.Position - state.Position).Norm);
        var updated = KalmanUpdater.Update(model, ref state, z);

        // S = P_pp + R = diag(6, 7, 8); ν = (2, −3, 1); d² = 4/6 + 9/7 + 1/8.
        Assert.Equal((4.0 / 6) + (9.0 / 7) + (1.0 / 8), evaluated.MahalanobisSquared, 1e-12);
        Assert.Equal(evaluated.MahalanobisSquared, updated.MahalanobisSquared, 1e-12);
        var expectedLog = -0.5 * (evaluated.MahalanobisSquared + Math.Log(6 * 7 * 8) + (3 * Math.Log(2 * Math.PI)));
        Assert.Equal(expectedLog, updated.LogLikelihood, 1e-12);

        // Scalar Kalman gain on x: K = 4/6 → x = 10 + (4/6)·2, P = 4 − 16/6.
        Assert.Equal(10 + (4.0 / 6 * 2), state.Mean[0], 1e-12);
        Assert.Equal(4 - (16.0 / 6), state.Cov(0, 0), 1e-12);
    }
}
