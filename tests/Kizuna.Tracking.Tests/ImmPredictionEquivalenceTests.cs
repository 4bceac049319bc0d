using Kizuna.Core;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.MultipleModel;
using Kizuna.Tracking.Predictors;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Tests;

/// <summary>
/// The IMM's specialised prediction paths (fused coordinated turn, closed-form NCV, block-wise
/// mixing) against the generic <see cref="KalmanPredictor"/> on the same inputs.
/// </summary>
public class ImmPredictionEquivalenceTests
{
    private const int S = StateMatrix.Stride;

    [Theory]
    [InlineData(true, 0.05)]
    [InlineData(true, 1e-7)]
    [InlineData(false, -0.08)]
    [InlineData(false, 0.0)]
    [InlineData(false, 0.3)]
    [InlineData(true, -0.2)]
    public void Predict_SingleCoordinatedTurn_EqualsGenericKalmanPredictorExactly(bool ecef, double omega)
    {
        var ct = ecef ? CoordinatedTurn.Ecef(0.5, 1e-4) : CoordinatedTurn.Flat(0.5, 1e-4);
        var imm = new InteractingMultipleModel([ct], new double[,] { { 1.0 } });
        var position = ecef ? new Vec3(-3_950_000, 3_350_000, 3_700_000) : new Vec3(1_000, -2_000, 3_000);
        var initial = GaussianState.FromPositionVelocity(position, new Vec3(120, -80, 5), 400, 25);
        initial.Covariance[(0 * S) + 4] = initial.Covariance[(4 * S) + 0] = 30; // a cross term
        var state = imm.CreateState(initial, [1.0], 10, 0.01);
        var start = state.ModelState(0);
        start.Mean[6] = omega;
        start.Covariance[(6 * S) + 3] = start.Covariance[(3 * S) + 6] = 0.05;
        state.SetModelState(0, start);
        var expected = start;

        imm.Predict(state, 2.0);
        KalmanPredictor.Predict(ct, ref expected, 2.0);

        var actual = state.ModelState(0);
        for (var a = 0; a < 7; a++)
        {
            // Exactly equal (the closed form adds the same terms in the same order; a skipped
            // zero term can only change the sign of a zero, which == ignores).
            Assert.True(expected.Mean[a] == actual.Mean[a], $"mean[{a}]: {expected.Mean[a]:R} vs {actual.Mean[a]:R}");
            for (var b = 0; b < 7; b++)
            {
                var e = expected.Covariance[(a * S) + b];
                Assert.True(e == actual.Covariance[(a * S) + b], $"P[{a},{b}]: {e:R} vs {actual.Covariance[(a * S) + b]:R}");
            }
        }
    }

    [Fact]
    public void Predict_ThreeModels_EqualsElementwiseMixingThenGenericPrediction()
    {
        ITransitionModel[] models = [new NearlyConstantVelocity(0.05), new NearlyConstantVelocity(5), CoordinatedTurn.Flat(0.05, 1e-4)];
        var p = new double[,] { { 0.9, 0.05, 0.05 }, { 0.05, 0.9, 0.05 }, { 0.05, 0.05, 0.9 } };
        var imm = new InteractingMultipleModel(models, p);
        var initial = GaussianState.FromPositionVelocity(new Vec3(10, 20, 30), new Vec3(200, 10, 0), 100, 16);
        var state = imm.CreateState(initial, [0.6, 0.3, 0.1], 10, 0.01);
        // Make the model states differ, as they do after updates.
        var before = ModelStates(state);
        before[0].Mean[0] += 5;
        before[1].Mean[3] -= 3;
        before[1].Covariance[(1 * S) + 1] += 50;
        before[2].Mean[6] = 0.03;
        before[2].Covariance[(6 * S) + 4] = before[2].Covariance[(4 * S) + 6] = 0.02;
        SetModelStates(state, before);
        double[] mu = [.. state.ModeProbabilities];

        imm.Predict(state, 1.0);

        for (var j = 0; j < 3; j++)
        {
            var cbar = 0.0;
            for (var i = 0; i < 3; i++)
            {
                cbar += p[i, j] * mu[i];
            }

            var n = models[j].Dimension;
            var mixed = GaussianState.Zero(n);
            for (var i = 0; i < 3; i++)
            {
                var w = p[i, j] * mu[i] / cbar;
                for (var a = 0; a < n; a++)
                {
                    mixed.Mean[a] += w * (a < 6 || models[i].Dimension == n ? before[i].Mean[a] : before[j].Mean[a]);
                }
            }

            for (var i = 0; i < 3; i++)
            {
                var w = p[i, j] * mu[i] / cbar;
                var same = models[i].Dimension == n;
                for (var a = 0; a < n; a++)
                {
                    var da = (a < 6 || same ? before[i].Mean[a] : before[j].Mean[a]) - mixed.Mean[a];
                    for (var b = 0; b < n; b++)
                    {
                        var db = (b < 6 || same ? before[i].Mean[b] : before[j].Mean[b]) - mixed.Mean[b];
                        var pab = same || (a < 6 && b < 6) ? before[i].Covariance[(a * S) + b]
                            : a >= 6 && b >= 6 ? before[j].Covariance[(a * S) + b] : 0;
                        mixed.Covariance[(a * S) + b] += w * (pab + (da * db));
                    }
                }
            }

            KalmanPredictor.Predict(models[j], ref mixed, 1.0);
            for (var a = 0; a < n; a++)
            {
                Assert.Equal(mixed.Mean[a], state.ModelState(j).Mean[a], (Math.Abs(mixed.Mean[a]) * 1e-12) + 1e-12);
                for (var b = 0; b < n; b++)
                {
                    var e = mixed.Covariance[(a * S) + b];
                    Assert.Equal(e, state.ModelState(j).Covariance[(a * S) + b], (Math.Abs(e) * 1e-10) + 1e-10);
                }
            }

            Assert.Equal(cbar, state.ModeProbabilities[j], 1e-12);
        }
    }

    [Fact]
    public void Predict_ZeroInterval_EqualsElementwiseMixingThenSymmetrisationBitForBit()
    {
        // Over Δt = 0 every model's prediction is the identity (F = I, Q = 0), so the IMM's
        // predicted model states are exactly its mixed estimates: compare them, to the last bit,
        // with the element-wise mixing formula over the full matrix followed by symmetrisation.
        ITransitionModel[] models = [new NearlyConstantVelocity(0.05), new NearlyConstantVelocity(5), CoordinatedTurn.Flat(0.05, 1e-4)];
        var p = new double[,] { { 0.9, 0.05, 0.05 }, { 0.05, 0.9, 0.05 }, { 0.05, 0.05, 0.9 } };
        var imm = new InteractingMultipleModel(models, p);
        var initial = GaussianState.FromPositionVelocity(new Vec3(1e5, -2e4, 30), new Vec3(200, 10, 0), 100, 16);
        initial.Covariance[(0 * S) + 3] = initial.Covariance[(3 * S) + 0] = 7.25;
        var state = imm.CreateState(initial, [0.6, 0.3, 0.1], 10, 0.01);
        var rng = new Random(11);
        for (var k = 0; k < 5; k++)
        {
            // Make the model states differ as they do after updates (kept exactly symmetric).
            var before = ModelStates(state);
            for (var j = 0; j < 3; j++)
            {
                before[j].Mean[0] += rng.NextDouble() * 10;
                before[j].Mean[4] -= rng.NextDouble();
                var v = rng.NextDouble();
                before[j].Covariance[(1 * S) + 4] += v;
                before[j].Covariance[(4 * S) + 1] += v;
            }

            before[2].Mean[6] = 0.01 * (k + 1);
            before[2].Covariance[(6 * S) + 4] = before[2].Covariance[(4 * S) + 6] = 0.002 * (k + 1);
            SetModelStates(state, before);
            double[] mu = [.. state.ModeProbabilities];

            imm.Predict(state, 0.0);

            for (var j = 0; j < 3; j++)
            {
                var cbar = 0.0;
                for (var i = 0; i < 3; i++)
                {
                    cbar += p[i, j] * mu[i];
                }

                var n = models[j].Dimension;
                var mixed = GaussianState.Zero(n);
                for (var i = 0; i < 3; i++)
                {
                    var w = p[i, j] * mu[i] / cbar;
                    for (var a = 0; a < n; a++)
                    {
                        mixed.Mean[a] += w * (a < 6 || models[i].Dimension == n ? before[i].Mean[a] : before[j].Mean[a]);
                    }
                }

                for (var i = 0; i < 3; i++)
                {
                    var w = p[i, j] * mu[i] / cbar;
                    var same = models[i].Dimension == n;
                    for (var a = 0; a < n; a++)
                    {
                        var da = (a < 6 || same ? before[i].Mean[a] : before[j].Mean[a]) - mixed.Mean[a];
                        for (var b = 0; b < n; b++)
                        {
                            var db = (b < 6 || same ? before[i].Mean[b] : before[j].Mean[b]) - mixed.Mean[b];
                            var cross = !same && (a < 6) != (b < 6);
                            var pab = same || (a < 6 && b < 6) ? before[i].Covariance[(a * S) + b] : before[j].Covariance[(a * S) + b];
                            mixed.Covariance[(a * S) + b] += cross ? w * (da * db) : w * (pab + (da * db));
                        }
                    }
                }

                Dense.Symmetrize(mixed.Covariance, n);
                for (var a = 0; a < n; a++)
                {
                    Assert.Equal(BitConverter.DoubleToInt64Bits(mixed.Mean[a]), BitConverter.DoubleToInt64Bits(state.ModelState(j).Mean[a]));
                    for (var b = 0; b < n; b++)
                    {
                        Assert.Equal(BitConverter.DoubleToInt64Bits(mixed.Covariance[(a * S) + b]), BitConverter.DoubleToInt64Bits(state.ModelState(j).Covariance[(a * S) + b]));
                    }
                }
            }
        }
    }

    [Fact]
    public void PredictAndUpdate_AsymmetricInitialCovariance_ModelAndCombinedCovariancesStayExactlySymmetric()
    {
        ITransitionModel[] models = [new NearlyConstantVelocity(0.5), CoordinatedTurn.Flat(0.5, 1e-3), new NearlyConstantAcceleration(1)];
        var imm = new InteractingMultipleModel(models, new double[,] { { 0.98, 0.01, 0.01 }, { 0.01, 0.98, 0.01 }, { 0.01, 0.01, 0.98 } });
        var initial = GaussianState.FromPositionVelocity(new Vec3(0, 0, 0), new Vec3(150, 0, 0), 25, 100);
        initial.Covariance[(0 * S) + 1] = 1.0000000000001; // asymmetric in the last bits, as a user R can be
        initial.Covariance[(1 * S) + 0] = 1.0;
        var state = imm.CreateState(initial, [0.8, 0.1, 0.1], 10, 0.01);
        var measurement = new Kizuna.Tracking.Models.Measurement.PositionMeasurementModel(new Mat3(4, 0.5, 0, 0.5, 4, 0, 0, 0, 4));
        for (var k = 0; k < 30; k++)
        {
            imm.Predict(state, 1.0);
            AssertSymmetric(state);
            var result = imm.Update(state, measurement, new Vec3(150 * (k + 1), 3 * k * k, 0));
            Assert.True(result.IsValid);
            AssertSymmetric(state);
        }
    }

    private static GaussianState[] ModelStates(ImmState state) =>
        [.. Enumerable.Range(0, state.ModelCount).Select(state.ModelState)];

    private static void SetModelStates(ImmState state, GaussianState[] states)
    {
        for (var j = 0; j < states.Length; j++)
        {
            state.SetModelState(j, states[j]);
        }
    }

    private static void AssertSymmetric(ImmState state)
    {
        foreach (var g in ModelStates(state).Append(state.Combined))
        {
            for (var a = 0; a < g.Dimension; a++)
            {
                for (var b = a + 1; b < g.Dimension; b++)
                {
                    Assert.Equal(BitConverter.DoubleToInt64Bits(g.Covariance[(a * S) + b]), BitConverter.DoubleToInt64Bits(g.Covariance[(b * S) + a]));
                }
            }
        }
    }
}
