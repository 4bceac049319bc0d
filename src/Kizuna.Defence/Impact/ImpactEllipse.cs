namespace Kizuna.Defence.Impact;

/// <summary>
/// A horizontal Gaussian (east/north covariance in the tangent plane at a predicted point) and its
/// confidence ellipse.
/// </summary>
/// <param name="VarianceEast">σ²_E (m²).</param>
/// <param name="CovarianceEastNorth">σ_EN (m²).</param>
/// <param name="VarianceNorth">σ²_N (m²).</param>
/// <remarks>
/// For a bivariate normal, d² = xᵀ Σ⁻¹ x is χ² with 2 degrees of freedom, whose quantile has the
/// closed form k²(p) = −2 ln(1 − p) (5.991 for p = 0.95); the p-ellipse has semi-axes
/// k·√λ₁,₂ along the eigenvectors of Σ (Y. Bar-Shalom, X. R. Li, T. Kirubarajan, "Estimation with
/// Applications to Tracking and Navigation", 2001, §1.4.17 and §3.7.3).
/// </remarks>
public readonly record struct ImpactEllipse(double VarianceEast, double CovarianceEastNorth, double VarianceNorth)
{
    /// <summary>The 95 % scale k² = −2 ln 0.05.</summary>
    public static readonly double Chi2Of95 = -2 * Math.Log(0.05);

    /// <summary>Larger eigenvalue of Σ (m²).</summary>
    public double MajorVariance => (0.5 * (VarianceEast + VarianceNorth)) + HalfSpread;

    /// <summary>Smaller eigenvalue of Σ (m²), ≥ 0.</summary>
    public double MinorVariance => Math.Max(0, (0.5 * (VarianceEast + VarianceNorth)) - HalfSpread);

    /// <summary>95 % semi-major axis (m).</summary>
    public double SemiMajor95M => Math.Sqrt(Chi2Of95 * MajorVariance);

    /// <summary>95 % semi-minor axis (m).</summary>
    public double SemiMinor95M => Math.Sqrt(Chi2Of95 * MinorVariance);

    /// <summary>Bearing of the semi-major axis, clockwise from north, in [0, π) (rad).</summary>
    public double OrientationRad
    {
        get
        {
            // Major eigenvector direction θ from east (counter-clockwise): tan 2θ = 2σ_EN / (σ²_E − σ²_N).
            var theta = 0.5 * Math.Atan2(2 * CovarianceEastNorth, VarianceEast - VarianceNorth);
            var bearing = (0.5 * Math.PI) - theta;
            bearing %= Math.PI;
            return bearing < 0 ? bearing + Math.PI : bearing;
        }
    }

    private double HalfSpread
    {
        get
        {
            var d = 0.5 * (VarianceEast - VarianceNorth);
            return Math.Sqrt((d * d) + (CovarianceEastNorth * CovarianceEastNorth));
        }
    }

    /// <summary>Squared Mahalanobis distance of the offset (east, north) in metres; +∞ for a degenerate Σ with a non-zero offset.</summary>
    public double MahalanobisSquared(double east, double north)
    {
        var det = (VarianceEast * VarianceNorth) - (CovarianceEastNorth * CovarianceEastNorth);
        if (!(det > 0))
        {
            return east == 0 && north == 0 ? 0 : double.PositiveInfinity;
        }

        return ((VarianceNorth * east * east) - (2 * CovarianceEastNorth * east * north) + (VarianceEast * north * north)) / det;
    }

    /// <summary>True when the offset (east, north) lies inside the 95 % ellipse.</summary>
    public bool Contains95(double east, double north) => MahalanobisSquared(east, north) <= Chi2Of95;

    /// <summary>Probability density of the offset (east, north) (1/m²); 0 for a degenerate Σ.</summary>
    public double Density(double east, double north)
    {
        var det = (VarianceEast * VarianceNorth) - (CovarianceEastNorth * CovarianceEastNorth);
        return det > 0 ? Math.Exp(-0.5 * MahalanobisSquared(east, north)) / (2 * Math.PI * Math.Sqrt(det)) : 0;
    }

    /// <summary>
    /// Probability that the impact falls inside the disc of radius <paramref name="radiusM"/> centred at
    /// offset (east, north): midpoint rule on a polar grid (8 rings × 16 sectors) of the Gaussian density,
    /// or the indicator of the centre for a degenerate Σ; clamped to [0, 1].
    /// </summary>
    public double ProbabilityInDisc(double east, double north, double radiusM)
    {
        var det = (VarianceEast * VarianceNorth) - (CovarianceEastNorth * CovarianceEastNorth);
        if (!(det > 0) || radiusM <= 0)
        {
            return Math.Sqrt((east * east) + (north * north)) <= radiusM ? 1 : 0;
        }

        const int rings = 8, sectors = 16;
        var sum = 0.0;
        var dr = radiusM / rings;
        var dphi = 2 * Math.PI / sectors;
        for (var i = 0; i < rings; i++)
        {
            var rho = (i + 0.5) * dr;
            for (var j = 0; j < sectors; j++)
            {
                var (s, c) = Math.SinCos((j + 0.5) * dphi);
                sum += Density(east + (rho * c), north + (rho * s)) * rho;
            }
        }

        return Math.Clamp(sum * dr * dphi, 0, 1);
    }
}
