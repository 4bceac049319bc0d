namespace Kizuna.Tracking.Gating;

/// <summary>
/// An ellipsoidal validation gate: a detection is inside when its squared Mahalanobis distance
/// d² = νᵀ S⁻¹ ν is at most the χ² threshold γ for the measurement dimension m, so that a
/// correct detection falls inside with probability P_G.
/// </summary>
/// <remarks>
/// Bar-Shalom, Daum &amp; Huang, "The probabilistic data association filter", IEEE Control Systems
/// Magazine 29(6):82–100, 2009, eq. (9) (validation region V(γ) = {z : νᵀS⁻¹ν ≤ γ}) and Table 1;
/// γ = F⁻¹_χ²(m)(P_G) (<see cref="ChiSquare.Quantile"/>). Thresholds for m = 1, 2, 3, 4 (4: radar
/// (r, az, el, ṙ)) are precomputed, so <see cref="Threshold(int)"/> is a table look-up on the hot path.
/// </remarks>
public readonly record struct ChiSquareGate
{
    private readonly double _gamma1;
    private readonly double _gamma2;
    private readonly double _gamma3;
    private readonly double _gamma4;

    private ChiSquareGate(double probability)
    {
        Probability = probability;
        _gamma1 = ChiSquare.Quantile(probability, 1);
        _gamma2 = ChiSquare.Quantile(probability, 2);
        _gamma3 = ChiSquare.Quantile(probability, 3);
        _gamma4 = ChiSquare.Quantile(probability, 4);
    }

    /// <summary>The gate probability P_G.</summary>
    public double Probability { get; }

    /// <summary>A gate that keeps a correct detection with probability <paramref name="probability"/> (e.g. 0.99).</summary>
    public static ChiSquareGate FromProbability(double probability) => new(probability);

    /// <summary>γ for measurement dimension <paramref name="dimension"/> (1, 2, 3, or 4 for a radar plot with range rate).</summary>
    public double Threshold(int dimension) => dimension switch
    {
        1 => _gamma1,
        2 => _gamma2,
        3 => _gamma3,
        4 => _gamma4,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Measurement dimension must be 1..4."),
    };

    /// <summary>
    /// The threshold of the position-bearing dimension m = 3, used to size spatial pre-gates. It stays γ₃ when
    /// plots carry a range rate (m = 4, γ₄ &gt; γ₃) so the pre-gate, and every existing result, is unchanged; the
    /// cost is that a 4-D plot whose position part alone lies between γ₃ and γ₄ of the track (|ν_p|² &gt; γ₃ tr S_p,
    /// a far looser condition than d²_p &gt; γ₃) can be pre-gated out — a named approximation.
    /// </summary>
    public double MaxThreshold => _gamma3;

    /// <summary>True when d² = <paramref name="mahalanobisSquared"/> lies inside the gate for dimension <paramref name="dimension"/>.</summary>
    public bool Contains(double mahalanobisSquared, int dimension) => mahalanobisSquared <= Threshold(dimension);
}
