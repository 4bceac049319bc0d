using Kizuna.Core;
using Kizuna.Tracking.LinearAlgebra;

namespace Kizuna.Tracking.Tests;

/// <summary>Seeded Gaussian sampling and χ² quantiles for Monte Carlo consistency tests.</summary>
internal sealed class Stochastic(int seed)
{
    private readonly Random _random = new(seed);
    private double? _spare;

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public double Normal()
    {
        if (_spare is { } s)
        {
            _spare = null;
            return s;
        }

        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        var r = Math.Sqrt(-2 * Math.Log(u1));
        _spare = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A draw from N(0, P) for the leading n×n block of P.</summary>
    public StateVector Sample(in StateMatrix covariance, int n)
    {
        var l = covariance;
        Assert.True(Dense.Cholesky(l, n), "Sampling covariance must be positive definite.");
        Span<double> e = stackalloc double[StateVector.Capacity];
        for (var i = 0; i < n; i++)
        {
            e[i] = Normal();
        }

        var x = default(StateVector);
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k <= i; k++)
            {
                x[i] += l[(i * StateMatrix.Stride) + k] * e[k];
            }
        }

        return x;
    }

    /// <summary>A draw from N(0, R) for a 3×3 covariance.</summary>
    public Vec3 Sample(Mat3 r)
    {
        var m = default(StateMatrix);
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                m[(i * StateMatrix.Stride) + j] = r[i, j];
            }
        }

        var x = Sample(m, 3);
        return new Vec3(x[0], x[1], x[2]);
    }

    /// <summary>
    /// χ² quantile for large degrees of freedom by the Wilson–Hilferty approximation
    /// (M. Abramowitz &amp; I. Stegun, "Handbook of Mathematical Functions", 26.4.17), accurate to
    /// well under 1 % for k ≥ 30: χ²_p(k) ≈ k (1 − 2/(9k) + z_p √(2/(9k)))³.
    /// </summary>
    public static double ChiSquareQuantile(double z, int dof)
    {
        var a = 2.0 / (9.0 * dof);
        var t = 1 - a + (z * Math.Sqrt(a));
        return dof * t * t * t;
    }

    /// <summary>z for the two-sided 95 % interval.</summary>
    public const double Z975 = 1.959963984540054;

    /// <summary>Normalised estimation error squared (x − x̂)ᵀ P⁻¹ (x − x̂) over the first n components.</summary>
    public static double Nees(in StateVector truth, in Types.GaussianState estimate, int n)
    {
        Span<double> e = stackalloc double[StateVector.Capacity];
        for (var i = 0; i < n; i++)
        {
            e[i] = truth[i] - estimate.Mean[i];
        }

        ReadOnlySpan<double> p = estimate.Covariance;
        return Dense.MahalanobisSquared(e, p, n);
    }
}
