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

        var fp = default(StateMatrix);
        Span<double> p = state.Covariance;
        Dense.Multiply(f, p, fp, n, n, n);
        Dense.MultiplyTransposed(fp, f, p, n, n, n);
        Dense.AddInPlace(p, q, n);
        Dense.Symmetrize(p, n);
    }

    internal static void ThrowDimension(int state, int model) =>
        throw new ArgumentException($"State dimension {state} does not match the model dimension {model}.");
}
