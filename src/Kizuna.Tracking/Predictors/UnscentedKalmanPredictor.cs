using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Predictors;

/// <summary>
/// Unscented Kalman prediction: sigma points of N(x, P) pushed through the nonlinear transition
/// f, recombined with the scaled-unscented-transform weights, plus Q.
/// </summary>
/// <remarks>
/// Julier &amp; Uhlmann, Proc. IEEE 92(3) 2004, §IV–V; Wan &amp; van der Merwe 2000, Algorithm 3.1:
/// <code>
/// 𝒳ᵢ⁻ = f(χᵢ, Δt),  x⁻ = Σ Wᵢᵐ 𝒳ᵢ⁻,  P⁻ = Σ Wᵢᶜ (𝒳ᵢ⁻ − x⁻)(𝒳ᵢ⁻ − x⁻)ᵀ + Q(Δt)
/// </code>
/// Q is additive and evaluated at the prior mean. State components are not angular (turn rate ω is
/// a rate), so plain weighted sums are exact. Returns false and leaves the state unchanged when P
/// is not positive definite.
/// </remarks>
public static class UnscentedKalmanPredictor
{
    /// <summary>Predicts <paramref name="state"/> forward by <paramref name="dt"/> seconds.</summary>
    public static bool Predict<TModel>(in TModel model, ref GaussianState state, double dt, UnscentedTransformParameters parameters)
        where TModel : ITransitionModel
    {
        var n = state.Dimension;
        if (n != model.Dimension)
        {
            KalmanPredictor.ThrowDimension(n, model.Dimension);
        }

        var (wm0, wc0, wi, scale) = parameters.Weights(n);
        Span<StateVector> chi = stackalloc StateVector[SigmaPoints.MaxCount];
        if (!SigmaPoints.Generate(state, scale, chi))
        {
            return false;
        }

        var count = (2 * n) + 1;
        var q = default(StateMatrix);
        model.ProcessNoise(state.Mean, dt, ref q);
        for (var i = 0; i < count; i++)
        {
            model.Transition(ref chi[i], dt);
        }

        var mean = default(StateVector);
        for (var i = 0; i < count; i++)
        {
            var w = i == 0 ? wm0 : wi;
            for (var r = 0; r < n; r++)
            {
                mean[r] += w * chi[i][r];
            }
        }

        Span<double> p = state.Covariance;
        p.Clear();
        for (var i = 0; i < count; i++)
        {
            var w = i == 0 ? wc0 : wi;
            for (var r = 0; r < n; r++)
            {
                var dr = chi[i][r] - mean[r];
                for (var c = 0; c < n; c++)
                {
                    p[(r * StateMatrix.Stride) + c] += w * dr * (chi[i][c] - mean[c]);
                }
            }
        }

        Dense.AddInPlace(p, q, n);
        Dense.Symmetrize(p, n);
        state.Mean = mean;
        return true;
    }
}
