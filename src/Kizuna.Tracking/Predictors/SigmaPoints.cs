using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Predictors;

/// <summary>Generation of the 2n + 1 scaled sigma points of a Gaussian state (allocation-free).</summary>
/// <remarks>χ₀ = x̄, χᵢ = x̄ + s Lᵢ, χᵢ₊ₙ = x̄ − s Lᵢ with L the lower Cholesky factor of P, Lᵢ its
/// i-th column and s = √(n + λ) (Julier &amp; Uhlmann 2004, §IV).</remarks>
public static class SigmaPoints
{
    /// <summary>Largest number of sigma points (2·9 + 1).</summary>
    public const int MaxCount = (2 * StateVector.Capacity) + 1;

    /// <summary>Fills <paramref name="points"/>[0..2n] from <paramref name="state"/>; false when P is not positive definite.</summary>
    public static bool Generate(in GaussianState state, double scale, Span<StateVector> points)
    {
        var n = state.Dimension;
        var l = state.Covariance;
        if (!Dense.Cholesky(l, n))
        {
            return false;
        }

        points[0] = state.Mean;
        for (var i = 0; i < n; i++)
        {
            points[1 + i] = state.Mean;
            points[1 + n + i] = state.Mean;
            for (var r = i; r < n; r++)
            {
                var d = scale * l[(r * StateMatrix.Stride) + i];
                points[1 + i][r] += d;
                points[1 + n + i][r] -= d;
            }
        }

        return true;
    }
}
