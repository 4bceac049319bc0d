using Kizuna.Tracking.LinearAlgebra;

namespace Kizuna.Tracking.Models.Transition;

/// <summary>
/// Nearly-constant velocity (continuous white-noise acceleration) in 3-D: state
/// [x y z vx vy vz], independent axes, acceleration noise of power spectral density q (m²/s³).
/// </summary>
/// <remarks>
/// Bar-Shalom, Li &amp; Kirubarajan (2001), §6.2.2, eqs. 6.2.2-12 and 6.2.2-13, per axis:
/// <code>
/// F(Δt) = [1 Δt; 0 1]      Q(Δt) = q [Δt³/3  Δt²/2; Δt²/2  Δt]
/// </code>
/// Guidance there: the change in velocity over Δt is of the order √(qΔt). Stone Soup's
/// <c>ConstantVelocity(q)</c> is the same model.
/// </remarks>
/// <param name="SpectralDensity">q (m²/s³), the same on every axis.</param>
public readonly record struct NearlyConstantVelocity(double SpectralDensity) : ITransitionModel
{
    private const int S = StateMatrix.Stride;

    /// <inheritdoc/>
    public int Dimension => 6;

    /// <inheritdoc/>
    public StateLayout Layout => StateLayout.PositionVelocity;

    /// <inheritdoc/>
    public bool IsLinear => true;

    /// <inheritdoc/>
    public void Transition(ref StateVector x, double dt)
    {
        x[0] += dt * x[3];
        x[1] += dt * x[4];
        x[2] += dt * x[5];
    }

    /// <inheritdoc/>
    public void Jacobian(in StateVector x, double dt, ref StateMatrix f)
    {
        for (var i = 0; i < 6; i++)
        {
            f[(i * S) + i] = 1;
        }

        for (var i = 0; i < 3; i++)
        {
            f[(i * S) + i + 3] = dt;
        }
    }

    /// <inheritdoc/>
    public void ProcessNoise(in StateVector x, double dt, ref StateMatrix q)
    {
        var qs = SpectralDensity;
        var dt2 = dt * dt;
        var pp = qs * dt2 * dt / 3;
        var pv = qs * dt2 / 2;
        var vv = qs * dt;
        for (var i = 0; i < 3; i++)
        {
            q[(i * S) + i] = pp;
            q[(i * S) + i + 3] = pv;
            q[((i + 3) * S) + i] = pv;
            q[((i + 3) * S) + i + 3] = vv;
        }
    }
}
