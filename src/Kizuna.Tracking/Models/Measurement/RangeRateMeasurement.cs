using Kizuna.Core;

namespace Kizuna.Tracking.Models.Measurement;

/// <summary>
/// The range-rate (radial velocity, pulse-Doppler) component of a radar plot: the measured ṙ, its
/// variance, and the sensor's ECEF position and velocity, with h and its Jacobian for an ECEF
/// position/velocity state. The fourth scalar of the (r, az, el, ṙ) measurement of
/// <see cref="DetectionMeasurementModel"/>, kept beside the <see cref="Vec3"/> of (r, az, el).
/// </summary>
/// <remarks>
/// <para>With p, v the target's ECEF position and velocity and s, v_s the sensor's, Δp = p − s, r = |Δp|,
/// û = Δp / r and Δv = v − v_s:</para>
/// <code>
/// h_ṙ(x)   = Δv · û                      (= dr/dt)
/// ∂h_ṙ/∂p  = (Δv − (Δv·û) û) / r         (the cross-range part of Δv over r)
/// ∂h_ṙ/∂v  = û
/// </code>
/// <para>(Y. Bar-Shalom, X. R. Li, T. Kirubarajan, "Estimation with Applications to Tracking and
/// Navigation", 2001, §10.3.2 for the EKF with a nonlinear h, and S. S. Blackman &amp; R. Popoli, "Design and
/// Analysis of Modern Tracking Systems", 1999, §3.3 on range-rate measurements in the Cartesian EKF; the
/// derivative follows from ∂û/∂p = (I − û ûᵀ) / r.) The noise w_ṙ ~ N(0, σ²_ṙ) is taken as uncorrelated with
/// the (r, az, el) noise, so R = blockdiag(R_polar, σ²_ṙ). Both Δp and Δv are Earth-fixed (ECEF) vectors,
/// matching the simulator's radar model.</para>
/// </remarks>
/// <param name="Value">Measured ṙ (m/s, positive receding).</param>
/// <param name="Variance">σ²_ṙ (m²/s²), &gt; 0.</param>
/// <param name="SensorEcef">The sensor (antenna) position in ECEF (m).</param>
/// <param name="SensorVelocity">The sensor velocity in ECEF (m/s).</param>
public readonly record struct RangeRateMeasurement(double Value, double Variance, Vec3 SensorEcef, Vec3 SensorVelocity)
{
    /// <summary>ṙ̂ = (v − v_s)·û for a target at <paramref name="position"/> with <paramref name="velocity"/> (0 at zero range).</summary>
    public double Function(Vec3 position, Vec3 velocity)
    {
        var los = position - SensorEcef;
        var r = los.Norm;
        return r > 0 ? Vec3.Dot(velocity - SensorVelocity, los) / r : 0;
    }

    /// <summary>
    /// The Jacobian row of h_ṙ: <paramref name="byPosition"/> = ∂ṙ/∂p, <paramref name="byVelocity"/> = ∂ṙ/∂v = û;
    /// returns ṙ̂. Zero at zero range.
    /// </summary>
    public double Jacobian(Vec3 position, Vec3 velocity, out Vec3 byPosition, out Vec3 byVelocity)
    {
        var los = position - SensorEcef;
        var r = los.Norm;
        if (!(r > 0))
        {
            byPosition = default;
            byVelocity = default;
            return 0;
        }

        var u = los * (1 / r);
        var dv = velocity - SensorVelocity;
        var rate = Vec3.Dot(dv, u);
        byPosition = (dv - (u * rate)) * (1 / r);
        byVelocity = u;
        return rate;
    }
}
