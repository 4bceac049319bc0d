using Kizuna.Core;
using Kizuna.Tracking.Association;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Types;
using Kizuna.Tracking.Updaters;

namespace Kizuna.Tracking.Tests.Association;

public class JpdaTests
{
    private static readonly AssociationParameters Parameters = new(0.9, 0.99, 1e-3);

    /// <summary>One track: the JPDA weights are the PDA weights βᵢ = eᵢ / (b + Σ eⱼ) (Bar-Shalom, Daum &amp; Huang 2009, eq. 31, parametric form).</summary>
    [Fact]
    public void Associate_SingleTrack_EqualsPdaWeights()
    {
        var ll = new[] { -2.0, -3.5, -5.0 };
        var problem = ProblemBuilder.Build(1, 3, (0, 0, ll[0]), (0, 1, ll[1]), (0, 2, ll[2]));
        var result = new AssociationResult();
        new JointProbabilisticDataAssociator(Parameters).Associate(problem, result);
        var b = 1 - (0.9 * 0.99);
        var e = ll.Select(l => 0.9 * Math.Exp(l) / 1e-3).ToArray();
        var denominator = b + e.Sum();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(e[i] / denominator, result.PairWeights[i], 1e-12);
        }

        Assert.Equal(b / denominator, result.MissedWeight(0), 1e-12);
    }

    /// <summary>Two tracks sharing two detections: the five feasible events, summed by hand.</summary>
    [Fact]
    public void Associate_TwoTracksTwoDetections_MatchesHandEnumeration()
    {
        var problem = ProblemBuilder.Build(2, 2, (0, 0, -1.0), (0, 1, -2.0), (1, 0, -2.5), (1, 1, -1.5));
        var result = new AssociationResult();
        new JointProbabilisticDataAssociator(Parameters).Associate(problem, result);
        var b = 1 - (0.9 * 0.99);
        double G(double l) => 0.9 * Math.Exp(l) / 1e-3;
        double g00 = G(-1.0), g01 = G(-2.0), g10 = G(-2.5), g11 = G(-1.5);

        // Events: (miss, miss), (0, miss), (1, miss), (miss, 0), (miss, 1), (0, 1), (1, 0).
        var events = new (double W, int A, int B)[]
        {
            (b * b, -1, -1), (g00 * b, 0, -1), (g01 * b, 1, -1), (b * g10, -1, 0), (b * g11, -1, 1), (g00 * g11, 0, 1), (g01 * g10, 1, 0),
        };
        var total = events.Sum(x => x.W);
        Assert.Equal(events.Where(x => x.A == 0).Sum(x => x.W) / total, result.PairWeights[0], 1e-12);
        Assert.Equal(events.Where(x => x.A == 1).Sum(x => x.W) / total, result.PairWeights[1], 1e-12);
        Assert.Equal(events.Where(x => x.B == 0).Sum(x => x.W) / total, result.PairWeights[2], 1e-12);
        Assert.Equal(events.Where(x => x.B == 1).Sum(x => x.W) / total, result.PairWeights[3], 1e-12);
        Assert.Equal(events.Where(x => x.A == -1).Sum(x => x.W) / total, result.MissedWeight(0), 1e-12);
        Assert.Equal(0, result.ApproximatedClusters);
    }

    /// <summary>A cluster over the event cap is solved by cheap JPDA and counted; for an isolated track cheap JPDA is exact PDA.</summary>
    [Fact]
    public void Associate_OverEventCap_FallsBackAndCounts()
    {
        var problem = ProblemBuilder.Build(2, 2, (0, 0, -1.0), (0, 1, -2.0), (1, 0, -2.5), (1, 1, -1.5));
        var result = new AssociationResult();
        new JointProbabilisticDataAssociator(Parameters, maxEvents: 3).Associate(problem, result);
        Assert.Equal(1, result.ApproximatedClusters);
        Assert.True(result.PairWeights[0] > result.PairWeights[1]);
        Assert.True(result.PairWeights[3] > result.PairWeights[2]);

        var single = ProblemBuilder.Build(1, 2, (0, 0, -1.0), (0, 1, -2.0));
        var exact = new AssociationResult();
        var cheap = new AssociationResult();
        new JointProbabilisticDataAssociator(Parameters).Associate(single, exact);
        new JointProbabilisticDataAssociator(Parameters, maxEvents: 1).Associate(single, cheap);
        Assert.Equal(exact.PairWeights[0], cheap.PairWeights[0], 1e-12);
        Assert.Equal(exact.MissedWeight(0), cheap.MissedWeight(0), 1e-12);
    }

    /// <summary>
    /// The mixture-moment combination equals the textbook PDA update x = x⁻ + Kν,
    /// P = β₀P⁻ + (1 − β₀)Pᶜ + K[Σβᵢνᵢνᵢᵀ − ννᵀ]Kᵀ for a common linear measurement model.
    /// </summary>
    [Fact]
    public void CombinedUpdate_CommonModel_EqualsTextbookPdaWithSpreadTerm()
    {
        var prior = GaussianState.FromPositionVelocity(new Vec3(10, 20, 0), new Vec3(1, -1, 0), 4, 2);
        prior.Covariance[3] = 1.5; // cross-covariance x–vx
        prior.Covariance[3 * StateMatrix.Stride] = 1.5;
        var model = new PositionMeasurementModel(Mat3.Diagonal(1, 2, 1));
        var z = new[] { new Vec3(11, 19, 0.5), new Vec3(8, 22, -0.2), new Vec3(10.5, 20.5, 0) };
        var beta = new[] { 0.5, 0.2, 0.2 };
        const double beta0 = 0.1;

        var pda = ProbabilisticDataAssociation.Begin(prior, beta0);
        for (var i = 0; i < 3; i++)
        {
            var u = prior;
            KalmanUpdater.Update(model, ref u, z[i]);
            pda.Add(beta[i], u);
        }

        var combined = prior;
        pda.Finish(ref combined);

        // Textbook: K = P Hᵀ S⁻¹ with H = [I 0].
        const int n = 6;
        var s = prior.PositionCovariance + model.NoiseCovariance;
        var sInv = s.Inverse();
        var k = new double[n, 3];
        for (var a = 0; a < n; a++)
        {
            for (var c = 0; c < 3; c++)
            {
                for (var l = 0; l < 3; l++)
                {
                    k[a, c] += prior.Cov(a, l) * sInv[l, c];
                }
            }
        }

        var nu = new Vec3[3];
        var nuBar = Vec3.Zero;
        for (var i = 0; i < 3; i++)
        {
            nu[i] = z[i] - prior.Position;
            nuBar += nu[i] * beta[i];
        }

        double KDot(int a, Vec3 v) => (k[a, 0] * v.X) + (k[a, 1] * v.Y) + (k[a, 2] * v.Z);
        for (var a = 0; a < n; a++)
        {
            Assert.Equal(prior.Mean[a] + KDot(a, nuBar), combined.Mean[a], 1e-10);
            for (var b = 0; b < n; b++)
            {
                // Pᶜ = P − K S Kᵀ;  spread = K (Σβνννᵀ − ν̄ν̄ᵀ) Kᵀ.
                var kskt = 0.0;
                for (var c = 0; c < 3; c++)
                {
                    for (var l = 0; l < 3; l++)
                    {
                        kskt += k[a, c] * s[c, l] * k[b, l];
                    }
                }

                var spread = -KDot(a, nuBar) * KDot(b, nuBar);
                for (var i = 0; i < 3; i++)
                {
                    spread += beta[i] * KDot(a, nu[i]) * KDot(b, nu[i]);
                }

                var expected = (beta0 * prior.Cov(a, b)) + ((1 - beta0) * (prior.Cov(a, b) - kskt)) + spread;
                Assert.Equal(expected, combined.Cov(a, b), 1e-10);
            }
        }
    }
}
