using Kizuna.Core.Geodesy;

namespace Kizuna.Core.Tests.Geodesy;

public class CovarianceTransformTests
{
    private const double Mrad = 1e-3;

    /// <summary>Symmetric and positive-definite by Sylvester's criterion (all leading minors &gt; 0).</summary>
    private static void AssertSymmetricPositiveDefinite(Mat3 p)
    {
        Assert.Equal(p.M01, p.M10);
        Assert.Equal(p.M02, p.M20);
        Assert.Equal(p.M12, p.M21);
        Assert.True(p.M00 > 0, $"m00 {p.M00}");
        Assert.True((p.M00 * p.M11) - (p.M01 * p.M10) > 0, $"2x2 minor of {p}");
        Assert.True(p.Determinant > 0, $"det of {p}");
    }

    private static Mat3 RandomSpd(Random rng, double scale)
    {
        var a = new Mat3(
            rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5,
            rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5,
            rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5);
        return ((a * a.Transpose()) + (Mat3.Identity * 0.1)) * scale;
    }

    [Fact]
    public void AllTransforms_RandomInputs_GiveSymmetricPositiveDefinite()
    {
        var rng = new Random(20240601);
        for (var i = 0; i < 200; i++)
        {
            var z = new RadarPolar(1_000 + (rng.NextDouble() * 400_000), rng.NextDouble() * 2 * Math.PI, (rng.NextDouble() - 0.5) * 1.5);
            var site = Geodetic.FromDegrees((rng.NextDouble() - 0.5) * 170, (rng.NextDouble() - 0.5) * 360, rng.NextDouble() * 1000);
            var frame = new EnuFrame(site);
            var polarR = Mat3.Diagonal(Math.Pow(5 + (rng.NextDouble() * 50), 2), Math.Pow(Mrad * (0.5 + rng.NextDouble()), 2), Math.Pow(Mrad * (0.5 + rng.NextDouble()), 2));

            var enuP = CovarianceTransforms.PolarToEnu(z, polarR);
            AssertSymmetricPositiveDefinite(enuP);
            AssertSymmetricPositiveDefinite(CovarianceTransforms.EnuToPolar(z.ToEnu(), enuP));
            AssertSymmetricPositiveDefinite(CovarianceTransforms.EnuToEcef(frame, enuP));
            AssertSymmetricPositiveDefinite(CovarianceTransforms.EcefToEnu(frame, RandomSpd(rng, 100)));
            AssertSymmetricPositiveDefinite(CovarianceTransforms.LocalEnuToEcef(site, RandomSpd(rng, 100)));
            AssertSymmetricPositiveDefinite(CovarianceTransforms.GeodeticToEcef(site, Mat3.Diagonal(1e-12, 1e-12, 25)));
            AssertSymmetricPositiveDefinite(CovarianceTransforms.PolarToEcef(frame, z, polarR).Covariance);
        }
    }

    [Fact]
    public void EnuToEcefThenBack_AnyCovariance_IsIdentityAndKeepsTrace()
    {
        var rng = new Random(7);
        var frame = new EnuFrame(Geodetic.FromDegrees(-12.4, 130.8, 30));
        var p = RandomSpd(rng, 1e4);

        var ecef = CovarianceTransforms.EnuToEcef(frame, p);
        var back = CovarianceTransforms.EcefToEnu(frame, ecef);

        Assert.Equal(p.Trace, ecef.Trace, 1e-8);
        Assert.Equal(p.Determinant, ecef.Determinant, p.Determinant * 1e-9);
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                Assert.Equal(p[i, j], back[i, j], 1e-8);
            }
        }
    }

    [Fact]
    public void LocalEnuToEcef_SameAsFrameAtPoint()
    {
        var at = Geodetic.FromDegrees(35.0, 139.0, 10_000);
        var p = Mat3.Diagonal(900, 400, 2500);

        var a = CovarianceTransforms.LocalEnuToEcef(at, p);
        var b = CovarianceTransforms.EnuToEcef(new EnuFrame(at), p);

        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                Assert.Equal(b[i, j], a[i, j], 1e-9);
            }
        }
    }

    [Fact]
    public void GeodeticToEcef_HeightOnlyVariance_LiesAlongTheEllipsoidNormal()
    {
        var at = Geodetic.FromDegrees(45, 90, 0);
        var p = CovarianceTransforms.GeodeticToEcef(at, Mat3.Diagonal(0, 0, 100));
        var up = new EnuFrame(at).RotateToEcef(new Vec3(0, 0, 1));

        // P = σ² u uᵀ: its action on the normal returns σ² u, and the trace is σ².
        var pu = p * up;
        Assert.Equal(100, p.Trace, 1e-9);
        Assert.Equal(0, (pu - (up * 100)).Norm, 1e-9);
    }

    /// <summary>
    /// 20,000 noisy polar plots (fixed seed) at 60 km: the sample covariance of their ENU positions
    /// matches J R Jᵀ to within Monte Carlo error (relative standard error √(2/N) ≈ 1 % on variances).
    /// </summary>
    [Fact]
    public void PolarToEnu_MonteCarloSmallNoise_MatchesSampleCovariance()
    {
        const int n = 20_000;
        var truth = new RadarPolar(60_000, 0.7, 0.05);
        var sigma = new Vec3(15, 1.5 * Mrad, 2 * Mrad);
        var r = Mat3.Diagonal(sigma.X * sigma.X, sigma.Y * sigma.Y, sigma.Z * sigma.Z);
        var rng = new Random(12345);
        var samples = new Vec3[n];
        var mean = Vec3.Zero;
        for (var i = 0; i < n; i++)
        {
            var noisy = new RadarPolar(
                truth.RangeM + (sigma.X * Gaussian(rng)),
                truth.AzimuthRad + (sigma.Y * Gaussian(rng)),
                truth.ElevationRad + (sigma.Z * Gaussian(rng)));
            samples[i] = noisy.ToEnu();
            mean += samples[i] / n;
        }

        var s = Mat3.Zero;
        foreach (var x in samples)
        {
            var d = x - mean;
            s += new Mat3(d.X * d.X, d.X * d.Y, d.X * d.Z, d.Y * d.X, d.Y * d.Y, d.Y * d.Z, d.Z * d.X, d.Z * d.Y, d.Z * d.Z) * (1.0 / (n - 1));
        }

        var predicted = CovarianceTransforms.PolarToEnu(truth, r);

        for (var i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs((s[i, i] / predicted[i, i]) - 1) < 0.05, $"variance {i}: sample {s[i, i]} predicted {predicted[i, i]}");
            for (var j = i + 1; j < 3; j++)
            {
                var rhoS = s[i, j] / Math.Sqrt(s[i, i] * s[j, j]);
                var rhoP = predicted[i, j] / Math.Sqrt(predicted[i, i] * predicted[j, j]);
                Assert.True(Math.Abs(rhoS - rhoP) < 0.03, $"correlation {i}{j}: sample {rhoS} predicted {rhoP}");
            }
        }

        Assert.True((mean - truth.ToEnu()).Norm < 3.0, $"mean offset {(mean - truth.ToEnu()).Norm} m");
    }

    private static double Gaussian(Random rng)
    {
        // Box–Muller.
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
