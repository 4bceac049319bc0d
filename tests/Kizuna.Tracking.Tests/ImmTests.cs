using Kizuna.Core;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.MultipleModel;
using Kizuna.Tracking.Predictors;
using Kizuna.Tracking.Types;
using Kizuna.Tracking.Updaters;

namespace Kizuna.Tracking.Tests;

/// <summary>
/// The MATLAB "Tracking Maneuvering Targets" scenario: 200 m/s straight for 33 s, a 10°/s turn for
/// 33 s, then 3 m/s² along the velocity for 33 s; position measurements with σ = 1 m every 0.1 s.
/// Flat frame, z up (the target stays at z = 0 and z is measured too).
/// </summary>
public class ImmTests
{
    private const double Dt = 0.1;
    private const int PhaseSteps = 330;
    private static readonly Mat3 R = Mat3.Diagonal(1, 1, 1);

    private static (Vec3[] Truth, Vec3[] Measurements) Scenario(int seed)
    {
        var rng = new Stochastic(seed);
        var truth = new Vec3[3 * PhaseSteps];
        var z = new Vec3[truth.Length];
        var p = Vec3.Zero;
        var v = new Vec3(200, 0, 0);
        var omega = 10 * Math.PI / 180;
        for (var k = 0; k < truth.Length; k++)
        {
            if (k < PhaseSteps)
            {
                p += v * Dt;
            }
            else if (k < 2 * PhaseSteps)
            {
                var (s, c) = Math.SinCos(omega * Dt);
                var vn = new Vec3((c * v.X) - (s * v.Y), (s * v.X) + (c * v.Y), 0);
                p += new Vec3(((s * v.X) - ((1 - c) * v.Y)) / omega, (((1 - c) * v.X) + (s * v.Y)) / omega, 0);
                v = vn;
            }
            else
            {
                var a = 3 * v.Normalized;
                p += (v * Dt) + (0.5 * Dt * Dt * a);
                v += a * Dt;
            }

            truth[k] = p;
            z[k] = p + rng.Sample(R);
        }

        return (truth, z);
    }

    private static GaussianState Initial() => GaussianState.FromPositionVelocity(Vec3.Zero, new Vec3(200, 0, 0), 1, 25);

    private static double RunNcv(double q, Vec3[] truth, Vec3[] z, int from, int to)
    {
        var model = new NearlyConstantVelocity(q);
        var meas = new PositionMeasurementModel(R);
        var s = Initial();
        var sum = 0.0;
        for (var k = 0; k < z.Length; k++)
        {
            KalmanPredictor.Predict(model, ref s, Dt);
            KalmanUpdater.Update(meas, ref s, z[k]);
            if (k >= from && k < to)
            {
                sum += (s.Position - truth[k]).NormSquared;
            }
        }

        return Math.Sqrt(sum / (to - from));
    }

    internal static InteractingMultipleModel CreateImm() => new(
        [new NearlyConstantVelocity(0.5), CoordinatedTurn.Flat(0.5, 1e-3), new NearlyConstantAcceleration(1)],
        new double[,] { { 0.98, 0.01, 0.01 }, { 0.01, 0.98, 0.01 }, { 0.01, 0.01, 0.98 } });

    private static (double TurnRmse, double[] CtProbability) RunImm(Vec3[] truth, Vec3[] z)
    {
        var imm = CreateImm();
        var meas = new PositionMeasurementModel(R);
        var s = imm.CreateState(Initial(), [0.8, 0.1, 0.1], accelerationVariance: 10, turnRateVariance: 0.01);
        var sum = 0.0;
        var ct = new double[z.Length];
        for (var k = 0; k < z.Length; k++)
        {
            imm.Predict(s, Dt);
            var sumPredicted = s.ModeProbabilities.ToArray().Sum();
            Assert.Equal(1, sumPredicted, 1e-12);
            var result = imm.Update(s, meas, z[k]);
            Assert.True(result.IsValid);
            Assert.Equal(1, s.ModeProbabilities.ToArray().Sum(), 1e-12);
            var combined = s.Combined;
            Assert.True(Dense.IsSymmetricPositiveDefinite(combined.Covariance, 6));
            ct[k] = s.ModeProbabilities[1];
            if (k >= PhaseSteps && k < 2 * PhaseSteps)
            {
                sum += (s.Combined.Position - truth[k]).NormSquared;
            }
        }

        return (Math.Sqrt(sum / PhaseSteps), ct);
    }

    /// <summary>
    /// The IMM (NCV q = 0.5, CT q_a = 0.5 / q_ω = 1e-3, CA q = 1; p_ii = 0.98) must cut the
    /// position RMSE during the turn by ≥ 30 % against the best single NCV filter from the grid
    /// q ∈ {1, 10, 100, 1000, 10000} m²/s³ (each NCV q judged on the turn itself, i.e. tuned in
    /// hindsight in its favour). Measured (seed 2024): NCV 9.73 / 3.02 / 1.43 / 1.44 / 1.63 m, IMM 0.86 m (−40 %).
    /// </summary>
    [Fact]
    public void Imm_ManoeuvringTarget_TurnRmseAtLeast30PercentBelowBestNcv()
    {
        var (truth, z) = Scenario(2024);
        var best = double.MaxValue;
        var report = new System.Text.StringBuilder();
        foreach (var q in new[] { 1.0, 10, 100, 1000, 10000 })
        {
            var rmse = RunNcv(q, truth, z, PhaseSteps, 2 * PhaseSteps);
            report.Append($"NCV q={q}: {rmse:0.000} m; ");
            best = Math.Min(best, rmse);
        }

        var (imm, _) = RunImm(truth, z);
        report.Append($"IMM: {imm:0.000} m");
        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        Assert.True(imm <= 0.7 * best, report.ToString());
    }

    [Fact]
    public void Imm_ManoeuvringTarget_ModeProbabilitiesSumToOneAndFavourTurnInTurn()
    {
        var (truth, z) = Scenario(7);
        var (_, ct) = RunImm(truth, z);
        var straight = ct[50..PhaseSteps].Average();
        var turn = ct[(PhaseSteps + 30)..(2 * PhaseSteps)].Average();
        Assert.True(turn > 0.6, $"Mean CT probability in the turn {turn:0.000}.");
        Assert.True(turn > straight + 0.3, $"CT probability: turn {turn:0.000}, straight {straight:0.000}.");
    }

    [Fact]
    public void Imm_InvalidTransitionMatrix_Throws()
    {
        ITransitionModel[] models = [new NearlyConstantVelocity(1), new NearlyConstantVelocity(10)];
        Assert.Throws<ArgumentException>(() => new InteractingMultipleModel(models, new double[,] { { 0.9, 0.2 }, { 0.1, 0.9 } }));
    }
}
