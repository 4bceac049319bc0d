using Kizuna.Tracking.LinearAlgebra;

namespace Kizuna.Tracking.Models.Transition;

/// <summary>
/// Nearly-constant acceleration (continuous white-noise jerk, "Wiener process acceleration") in
/// 3-D: state [x y z vx vy vz ax ay az], independent axes, jerk noise of spectral density q (m²/s⁵).
/// </summary>
/// <remarks>
/// Bar-Shalom, Li &amp; Kirubarajan (2001), §6.2.3, eqs. 6.2.3-7 and 6.2.3-8, per axis:
/// <code>
/// F(Δt) = [1 Δt Δt²/2; 0 1 Δt; 0 0 1]
/// Q(Δt) = q [Δt⁵/20 Δt⁴/8 Δt³/6; Δt⁴/8 Δt³/3 Δt²/2; Δt³/6 Δt²/2 Δt]
/// </code>
/// The layout interleaves by derivative (all positions, all velocities, all accelerations).
/// </remarks>
/// <param name="SpectralDensity">q (m²/s⁵), the same on every axis.</param>
public readonly record struct NearlyConstantAcceleration(double SpectralDensity) : ITransitionModel
{
    private const int S = StateMatrix.Stride;

    /// <inheritdoc/>
    public int Dimension => 9;

    /// <inheritdoc/>
    public StateLayout Layout => StateLayout.PositionVelocityAcceleration;

    /// <inheritdoc/>
    public bool IsLinear => true;

    /// <inheritdoc/>
    public void Transition(ref StateVector x, double dt)
    {
        var h = 0.5 * dt * dt;
        for (var i = 0; i < 3; i++)
        {
            x[i] += (dt * x[i + 3]) + (h * x[i + 6]);
            x[i + 3] += dt * x[i + 6];
        }
    }

    /// <inheritdoc/>
    public void Jacobian(in StateVector x, double dt, ref StateMatrix f)
    {
        for (var i = 0; i < 9; i++)
        {
            f[(i * S) + i] = 1;
        }

        for (var i = 0; i < 3; i++)
        {
            f[(i * S) + i + 3] = dt;
            f[(i * S) + i + 6] = 0.5 * dt * dt;
            f[((i + 3) * S) + i + 6] = dt;
        }
    }

    /// <inheritdoc/>
    public void ProcessNoise(in StateVector x, double dt, ref StateMatrix q)
    {
        var qs = SpectralDensity;
        var dt2 = dt * dt;
        var dt3 = dt2 * dt;
        var pp = qs * dt3 * dt2 / 20;
        var pv = qs * dt2 * dt2 / 8;
        var pa = qs * dt3 / 6;
        var vv = qs * dt3 / 3;
        var va = qs * dt2 / 2;
        var aa = qs * dt;
        for (var i = 0; i < 3; i++)
        {
            int p = i, v = i + 3, a = i + 6;
            q[(p * S) + p] = pp;
            q[(p * S) + v] = pv;
            q[(v * S) + p] = pv;
            q[(p * S) + a] = pa;
            q[(a * S) + p] = pa;
            q[(v * S) + v] = vv;
            q[(v * S) + a] = va;
            q[(a * S) + v] = va;
            q[(a * S) + a] = aa;
        }
    }
}
