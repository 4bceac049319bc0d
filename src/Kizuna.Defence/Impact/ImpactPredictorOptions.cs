using Kizuna.Core.Geodesy;

namespace Kizuna.Defence.Impact;

/// <summary>Settings of <see cref="ImpactPredictor"/>. Change with <c>with</c>.</summary>
public sealed record ImpactPredictorOptions
{
    /// <summary>Defaults: the simulator's physics (J₂, Earth rotation, drag in the standard exponential atmosphere).</summary>
    public static ImpactPredictorOptions Default { get; } = new();

    /// <summary>Force model of the free flight.</summary>
    public FreeFlightModel Model { get; init; } = FreeFlightModel.Full;

    /// <summary>Assumed re-entry ballistic coefficient β = m/(C_D A) (kg/m²); it is not observable from a short exo-atmospheric track.</summary>
    public double NominalBallisticCoefficient { get; init; } = 5_000;

    /// <summary>1-σ of ln β: the prior spread of the unknown ballistic coefficient, carried as a seventh sigma-point dimension.</summary>
    public double BallisticCoefficientLogSigma { get; init; } = 0.3;

    /// <summary>Height of the impact surface above the ellipsoid (m).</summary>
    public double ImpactHeightM { get; init; }

    /// <summary>Relative tolerance of the Dormand–Prince integrator.</summary>
    public double RelativeTolerance { get; init; } = 1e-9;

    /// <summary>Absolute tolerance of the integrator (m, m/s).</summary>
    public double AbsoluteTolerance { get; init; } = 1e-3;

    /// <summary>Largest integration step (s); also the largest node spacing of a recorded path.</summary>
    public double MaxStepS { get; init; } = 10;

    /// <summary>Longest flight propagated, forwards or backwards (s).</summary>
    public double HorizonS { get; init; } = 3_600;

    /// <summary>Unscented-transform spread α (Wan and van der Merwe's scaled UT).</summary>
    public double Alpha { get; init; } = 1.0;

    /// <summary>Unscented-transform β (2 is optimal for a Gaussian prior).</summary>
    public double Beta { get; init; } = 2.0;

    /// <summary>Unscented-transform κ.</summary>
    public double Kappa { get; init; }
}
