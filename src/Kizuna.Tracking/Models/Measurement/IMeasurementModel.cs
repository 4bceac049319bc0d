using Kizuna.Core;

namespace Kizuna.Tracking.Models.Measurement;

/// <summary>
/// A measurement model z = h(x) + v, v ~ N(0, R) — the Stone Soup "measurement model" role —
/// for measurements of dimension m ≤ 3 that depend on the target position only (components 0–2
/// of the state), which covers every <see cref="MeasurementKind"/>. H = ∂h/∂x is then [H_p 0].
/// Implementations are immutable value types.
/// </summary>
public interface IMeasurementModel
{
    /// <summary>Measurement dimension m (2 or 3).</summary>
    int Dimension { get; }

    /// <summary>True when h is linear in position.</summary>
    bool IsLinear { get; }

    /// <summary>Measurement noise covariance R (leading m×m block meaningful).</summary>
    Mat3 NoiseCovariance { get; }

    /// <summary>Predicted measurement ẑ = h(p) for a target at <paramref name="position"/> (components ≥ m are zero).</summary>
    Vec3 Function(Vec3 position);

    /// <summary>H_p = ∂h/∂p at <paramref name="position"/> (rows ≥ m are zero).</summary>
    Mat3 Jacobian(Vec3 position);

    /// <summary>The residual z − ẑ with angular components wrapped into (−π, π] (components ≥ m are zero).</summary>
    Vec3 Residual(Vec3 measured, Vec3 predicted);
}
