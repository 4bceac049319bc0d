using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Predictors;

/// <summary>
/// Kalman / extended Kalman prediction (the Stone Soup "predictor" role): propagates a
/// <see cref="GaussianState"/> through a <see cref="ITransitionModel"/> in place, allocation-free.
/// </summary>
/// <remarks>
/// Bar-Shalom, Li &amp; Kirubarajan (2001), §5.2.3 (Kalman filter, eqs. 5.2.3-4 and 5.2.3-5) and
/// §10.3.2 (extended Kalman filter, first order):
/// <code>
/// x⁻ = f(x, Δt)            (= F x for a linear model)
/// P⁻ = F P Fᵀ + Q(Δt),     F = ∂f/∂x evaluated at the prior mean
/// </code>
/// P⁻ is symmetrised after the update so round-off never accumulates asymmetry. For a linear
/// model the EKF prediction is exactly the Kalman prediction, so one type serves both.
/// </remarks>
public static class KalmanPredictor
{
    /// <summary>Predicts <paramref name="state"/> forward by <paramref name="dt"/> seconds (negative to retrodict).</summary>
    public static void Predict<TModel>(in TModel model, ref GaussianState state, double dt)
        where TModel : ITransitionModel
    {
        var n = state.Dimension;
        if (n != model.Dimension)
        {
            ThrowDimension(n, model.Dimension);
        }

        var f = default(StateMatrix);
        var q = default(StateMatrix);
        model.Jacobian(state.Mean, dt, ref f);
        model.ProcessNoise(state.Mean, dt, ref q);
        model.Transition(ref state.Mean, dt);
        Propagate(f, ref state.Covariance, q, n);
    }

    /// <summary>
    /// P ← F P Fᵀ + Q on the leading n×n blocks, skipping the structural zeros of F.
    /// </summary>
    /// <remarks>
    /// The motion models' Jacobians are block-sparse (NCV: [I ΔtI; 0 I], 9 of 36 entries non-zero;
    /// CT: 28 of 49; CA: 27 of 81), so (F P)ᵢ. = Σ_{k: Fᵢₖ ≠ 0} Fᵢₖ Pₖ. and
    /// (F P Fᵀ)ᵢⱼ = Σ_{k: Fⱼₖ ≠ 0} (F P)ᵢₖ Fⱼₖ cost O(nnz(F)·n) instead of O(n³). The terms are added in
    /// the same ascending k order as the dense product, and a skipped term is an exact zero, so the
    /// result equals the dense one for finite P.
    /// </remarks>
    internal static void Propagate(in StateMatrix f, ref StateMatrix covariance, in StateMatrix q, int n)
    {
        const int S = StateMatrix.Stride;
        Span<double> p = covariance;
        ReadOnlySpan<double> fs = f;
        ReadOnlySpan<double> qs = q;
        // Sparsity pattern of F: the non-zero columns of each row, in ascending order.
        Span<byte> nonZero = stackalloc byte[StateVector.Capacity * StateVector.Capacity];
        Span<byte> rowCount = stackalloc byte[StateVector.Capacity];
        for (var j = 0; j < n; j++)
        {
            var count = 0;
            for (var k = 0; k < n; k++)
            {
                if (fs[(j * S) + k] != 0)
                {
                    nonZero[(j * S) + count++] = (byte)k;
                }
            }

            rowCount[j] = (byte)count;
        }

        // T = F P (row i of T = Σ_k F_ik row k of P).
        var fp = default(StateMatrix);
        Span<double> t = fp;
        for (var i = 0; i < n; i++)
        {
            var row = t.Slice(i * S, n);
            var cols = nonZero.Slice(i * S, rowCount[i]);
            foreach (var k in cols)
            {
                var fik = fs[(i * S) + k];
                var pk = p.Slice(k * S, n);
                for (var c = 0; c < row.Length; c++)
                {
                    row[c] += fik * pk[c];
                }
            }
        }

        // P = T Fᵀ + Q.
        for (var i = 0; i < n; i++)
        {
            var row = t.Slice(i * S, n);
            for (var j = 0; j < n; j++)
            {
                var fj = fs.Slice(j * S, n);
                var sum = 0.0;
                foreach (var k in nonZero.Slice(j * S, rowCount[j]))
                {
                    sum += row[k] * fj[k];
                }

                p[(i * S) + j] = sum + qs[(i * S) + j];
            }
        }

        Dense.Symmetrize(p, n);
    }

    internal static void ThrowDimension(int state, int model) =>
        throw new ArgumentException($"State dimension {state} does not match the model dimension {model}.");
}
