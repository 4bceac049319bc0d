using Kizuna.Tracking.LinearAlgebra;

namespace Kizuna.Tracking.Models.Transition;

/// <summary>Which components a model's state carries after position (0–2) and velocity (3–5).</summary>
public enum StateLayout : byte
{
    /// <summary>n = 6: position, velocity.</summary>
    PositionVelocity = 0,

    /// <summary>n = 7: position, velocity, turn rate ω (rad/s) at index 6.</summary>
    PositionVelocityTurnRate = 1,

    /// <summary>n = 9: position, velocity, acceleration (m/s²) at 6–8.</summary>
    PositionVelocityAcceleration = 2,
}

/// <summary>
/// A transition (motion) model x_k = f(x_{k−1}, Δt) + w, w ~ N(0, Q(Δt)) — the Stone Soup
/// "transition model" role. Implementations are immutable value types; filters take them as a
/// generic <c>in TModel</c> so calls are devirtualised.
/// </summary>
public interface ITransitionModel
{
    /// <summary>State dimension n.</summary>
    int Dimension { get; }

    /// <summary>The state layout (for IMM mixing across unequal dimensions).</summary>
    StateLayout Layout { get; }

    /// <summary>True when f is linear (f(x) = F x with F independent of x).</summary>
    bool IsLinear { get; }

    /// <summary>x ← f(x, Δt) in place.</summary>
    void Transition(ref StateVector x, double dt);

    /// <summary>Writes the Jacobian F = ∂f/∂x at <paramref name="x"/> into the leading n×n block of <paramref name="f"/> (zero on entry).</summary>
    void Jacobian(in StateVector x, double dt, ref StateMatrix f);

    /// <summary>Writes the process noise covariance Q(Δt) at <paramref name="x"/> into the leading n×n block of <paramref name="q"/> (zero on entry).</summary>
    void ProcessNoise(in StateVector x, double dt, ref StateMatrix q);
}
