using System.Collections.Immutable;

namespace Kizuna.Simulation.Motion;

/// <summary>One rocket stage: propellant burnt at a constant rate over the burn time.</summary>
/// <param name="PropellantMass">Propellant mass (kg).</param>
/// <param name="DryMass">Structure and motor case dropped at burnout (kg).</param>
/// <param name="SpecificImpulse">Specific impulse Isp (s); thrust F = ṁ·Isp·g₀.</param>
/// <param name="BurnTime">Burn time (s).</param>
public sealed record RocketStage(double PropellantMass, double DryMass, double SpecificImpulse, double BurnTime)
{
    /// <summary>Mass flow ṁ (kg/s).</summary>
    public double MassFlow => PropellantMass / BurnTime;

    /// <summary>Vacuum thrust F = ṁ·Isp·g₀ (N).</summary>
    public double Thrust => MassFlow * SpecificImpulse * Navigation.G0;
}

/// <summary>
/// Notional ballistic-missile classes. All figures are notional (round numbers chosen to give the
/// stated range band with the rocket equation), not the performance of any real missile.
/// </summary>
/// <param name="Name">Class name as used in scenarios ("srbm", "mrbm", "irbm").</param>
/// <param name="Stages">Stages in firing order.</param>
/// <param name="PayloadMass">Re-entry vehicle mass (kg).</param>
/// <param name="VerticalRiseTime">Time of vertical flight before the pitch kick (s).</param>
/// <param name="KickDuration">Time the thrust is held tilted by the pitch-kick angle before the gravity turn (s).</param>
/// <param name="BoostDragArea">C_D·A of the boosting stack (m²).</param>
/// <param name="ReentryBallisticCoefficient">β = m/(C_D·A) of the re-entry vehicle (kg/m²).</param>
/// <remarks>
/// Ideal velocity gain (Tsiolkovsky): Δv = Σ Isp·g₀·ln(m₀/m_f) per stage. SRBM 3.14 km/s, MRBM
/// 4.28 km/s, IRBM 5.93 km/s ideal, of which roughly 0.5–0.8 km/s is lost to gravity and drag.
/// </remarks>
public sealed record BallisticClass(
    string Name,
    ImmutableArray<RocketStage> Stages,
    double PayloadMass,
    double VerticalRiseTime,
    double KickDuration,
    double BoostDragArea,
    double ReentryBallisticCoefficient)
{
    /// <summary>Short range (notional 300–600 km): one stage, 3.9 t propellant, Isp 250 s, 60 s burn.</summary>
    public static BallisticClass Srbm { get; } = new("srbm", [new RocketStage(3_900, 900, 250, 60)], 600, 5, 4, 0.18, 4_000);

    /// <summary>Medium range (notional 1,000–1,300 km): two stages (6 t / 80 s / Isp 255 s; 1.2 t / 50 s / Isp 275 s).</summary>
    public static BallisticClass Mrbm { get; } = new("mrbm", [new RocketStage(6_000, 1_500, 255, 80), new RocketStage(1_200, 400, 275, 50)], 750, 8, 4, 0.40, 6_000);

    /// <summary>Intermediate range (notional ~3,000 km): two stages (11 t / 90 s / Isp 265 s; 3.5 t / 70 s / Isp 290 s).</summary>
    public static BallisticClass Irbm { get; } = new("irbm", [new RocketStage(11_000, 1_800, 265, 90), new RocketStage(3_500, 700, 290, 70)], 800, 10, 4, 0.53, 10_000);

    /// <summary>Lift-off mass (kg).</summary>
    public double LiftOffMass => PayloadMass + Stages.Sum(s => s.PropellantMass + s.DryMass);

    /// <summary>Total burn time (s).</summary>
    public double BurnTime => Stages.Sum(s => s.BurnTime);

    /// <summary>Ideal (rocket-equation) velocity gain (m/s).</summary>
    public double IdealDeltaV
    {
        get
        {
            var dv = 0.0;
            var above = PayloadMass + Stages.Sum(s => s.PropellantMass + s.DryMass);
            foreach (var s in Stages)
            {
                dv += s.SpecificImpulse * Navigation.G0 * Math.Log(above / (above - s.PropellantMass));
                above -= s.PropellantMass + s.DryMass;
            }

            return dv;
        }
    }

    /// <summary>The class of that name (case-insensitive: srbm, mrbm, irbm).</summary>
    public static BallisticClass FromName(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "srbm" => Srbm,
        "mrbm" => Mrbm,
        "irbm" => Irbm,
        _ => throw new ArgumentException($"Unknown ballistic missile class '{name}' (known: srbm, mrbm, irbm).", nameof(name)),
    };
}

/// <summary>Switches and tolerances of the ballistic-missile model.</summary>
/// <param name="J2">Include the J₂ zonal term of the gravity field (else point-mass GM).</param>
/// <param name="EarthRotation">Include Coriolis and centrifugal terms of the rotating ECEF frame (else the frame is treated as inertial).</param>
/// <param name="Drag">Include atmospheric drag (boost and re-entry).</param>
public sealed record BallisticOptions(bool J2 = true, bool EarthRotation = true, bool Drag = true)
{
    /// <summary>Everything on (the default).</summary>
    public static BallisticOptions Full { get; } = new();

    /// <summary>Point-mass gravity only, non-rotating Earth, no drag (for comparison with Kepler).</summary>
    public static BallisticOptions KeplerOnly { get; } = new(false, false, false);

    /// <summary>Relative tolerance of the integrator.</summary>
    public double RelativeTolerance { get; init; } = 1e-10;

    /// <summary>Absolute tolerance of the integrator (m, m/s).</summary>
    public double AbsoluteTolerance { get; init; } = 1e-4;

    /// <summary>Largest integration step, which is also the largest node spacing of the stored table (s).</summary>
    public double MaxStep { get; init; } = 10;

    /// <summary>Aim convergence: stop iterating when the miss is below this (m).</summary>
    public double AimTolerance { get; init; } = 5;

    /// <summary>Most trajectory evaluations the aim solver may use.</summary>
    public int MaxAimEvaluations { get; init; } = 80;

    /// <summary>Sea-level density ρ₀ of the exponential atmosphere (kg/m³).</summary>
    public double SeaLevelDensity { get; init; } = 1.225;

    /// <summary>Density scale height H of the exponential atmosphere (m).</summary>
    public double ScaleHeight { get; init; } = 7_200;

    /// <summary>Override of the missile class (else from the launch's class name).</summary>
    public BallisticClass? Class { get; init; }
}
