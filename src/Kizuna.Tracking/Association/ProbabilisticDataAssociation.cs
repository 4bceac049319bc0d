using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Association;

/// <summary>
/// The PDA combined state update: the moment-matched Gaussian of the mixture
/// β₀ N(x⁻, P⁻) + Σᵢ βᵢ N(xᵢ, Pᵢ), where xᵢ, Pᵢ is the Kalman update of the prior with detection i.
/// Accumulated one hypothesis at a time, allocation-free.
/// </summary>
/// <remarks>
/// <para>Bar-Shalom, Daum &amp; Huang, "The probabilistic data association filter", IEEE CSM 29(6),
/// 2009, eqs. (37)–(44), with ν = Σᵢ βᵢ νᵢ and a common gain K:</para>
/// <code>
/// x = x⁻ + K ν
/// P = β₀ P⁻ + (1 − β₀) Pᶜ + P̃,    Pᶜ = P⁻ − K S Kᵀ,
/// P̃ = K [ Σᵢ βᵢ νᵢ νᵢᵀ − ν νᵀ ] Kᵀ          (the spread of the innovations)
/// </code>
/// <para>Computed here as the mixture moments x = Σ βᵢ xᵢ (i = 0 the prior), P = Σ βᵢ [Pᵢ + (xᵢ − x)(xᵢ − x)ᵀ].
/// With xᵢ = x⁻ + K νᵢ and Pᵢ = Pᶜ these are exactly the equations above (Σᵢ βᵢ (xᵢ − x)(xᵢ − x)ᵀ =
/// K [Σ βᵢ νᵢ νᵢᵀ − ν νᵀ] Kᵀ since ν₀ = 0); unlike them they remain correct when the detections
/// of one gate come from sensors with different measurement models (different S and K), which a
/// multi-sensor tracker meets. Deviations are taken from the prior mean to limit cancellation.</para>
/// </remarks>
public struct ProbabilisticDataAssociation
{
    private GaussianState _prior;
    private StateVector _meanDeviation;
    private StateMatrix _second;
    private double _weight;

    /// <summary>Starts a combination from the predicted state and the missed weight β₀.</summary>
    public static ProbabilisticDataAssociation Begin(in GaussianState prior, double missedWeight)
    {
        var pda = new ProbabilisticDataAssociation { _prior = prior, _weight = missedWeight };
        var n = prior.Dimension;
        for (var a = 0; a < n; a++)
        {
            for (var b = 0; b < n; b++)
            {
                pda._second[(a * StateMatrix.Stride) + b] = missedWeight * prior.Covariance[(a * StateMatrix.Stride) + b];
            }
        }

        return pda;
    }

    /// <summary>The predicted state the combination started from.</summary>
    public readonly GaussianState Prior => _prior;

    /// <summary>Adds hypothesis i: the state updated with detection i, of weight βᵢ.</summary>
    public void Add(double weight, in GaussianState updated)
    {
        var n = _prior.Dimension;
        Span<double> d = stackalloc double[StateVector.Capacity];
        for (var a = 0; a < n; a++)
        {
            d[a] = updated.Mean[a] - _prior.Mean[a];
            _meanDeviation[a] += weight * d[a];
        }

        for (var a = 0; a < n; a++)
        {
            for (var b = 0; b < n; b++)
            {
                var i = (a * StateMatrix.Stride) + b;
                _second[i] += weight * (updated.Covariance[i] + (d[a] * d[b]));
            }
        }

        _weight += weight;
    }

    /// <summary>Writes the combined estimate into <paramref name="result"/> (weights are normalised by their sum).</summary>
    public readonly void Finish(ref GaussianState result)
    {
        var n = _prior.Dimension;
        var w = _weight > 0 ? _weight : 1;
        result = _prior;
        for (var a = 0; a < n; a++)
        {
            result.Mean[a] = _prior.Mean[a] + (_meanDeviation[a] / w);
        }

        for (var a = 0; a < n; a++)
        {
            for (var b = 0; b < n; b++)
            {
                result.Covariance[(a * StateMatrix.Stride) + b] =
                    (_second[(a * StateMatrix.Stride) + b] / w) - (_meanDeviation[a] * _meanDeviation[b] / (w * w));
            }
        }

        Dense.Symmetrize(result.Covariance, n);
    }
}
