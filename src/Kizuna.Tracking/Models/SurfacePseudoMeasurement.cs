using Kizuna.Core;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Models;

/// <summary>
/// The sea-surface height pseudo-measurement z = 0 applied to one Gaussian estimate: the scalar Kalman
/// update that holds a surface track on the ellipsoid (see <see cref="Trackers.SurfaceTrackModel"/>).
/// </summary>
/// <remarks>
/// <para>h(x) = ellipsoidal height of the position, linearised about a point x̄ with height h̄ and
/// geodetic up unit vector u: h(x) ≈ h̄ + uᵀ(p − p̄), H = [uᵀ 0 …] (the gradient of the height at the
/// surface is the ellipsoid normal; the linearisation error is the curvature term |p − p̄|²/(2R) ≈
/// 0.08 m for points 1 km apart). Then</para>
/// <code>
/// ν = 0 − (h̄ + uᵀ(p − p̄)),  S = uᵀ P_pp u + σ_z²,  K = P Hᵀ / S,
/// x ← x + K ν,  P ← P − K S Kᵀ   (exactly symmetric: element (i, j) and (j, i) are the same product)
/// </code>
/// <para>The constraint as a noisy perfect measurement: D. Simon, "Kalman filtering with state
/// constraints: a survey of linear and nonlinear algorithms", IET Control Theory &amp; Applications
/// 4(8), 2010, §2.3 (measurement augmentation); the scalar update: Bar-Shalom, Li &amp; Kirubarajan
/// 2001 §5.2. Allocation-free (the gain lives on the stack).</para>
/// </remarks>
internal static class SurfacePseudoMeasurement
{
    /// <summary>
    /// Applies the pseudo-measurement to <paramref name="state"/>, linearised about a point of height
    /// <paramref name="linearisationHeight"/> at <paramref name="linearisationPoint"/> with up vector
    /// <paramref name="up"/>; <paramref name="variance"/> is σ_z² (m²). Returns the log-likelihood of the
    /// pseudo-measurement under the estimate before the update, ln N(ν; 0, S) = −½ (ν²/S + ln 2πS).
    /// </summary>
    public static double Apply(ref GaussianState state, Vec3 up, Vec3 linearisationPoint, double linearisationHeight, double variance)
    {
        var offset = state.Position - linearisationPoint;
        return Update(ref state, 0, linearisationHeight + Vec3.Dot(up, offset), up, variance);
    }

    /// <summary>
    /// Applies the vertical-velocity pseudo-measurement ḣ = uᵀv = 0 with variance <paramref name="variance"/>
    /// (m²/s²) to <paramref name="state"/>: H = [0 uᵀ 0 …], linear for a given up vector. Returns ln N(ν; 0, S).
    /// </summary>
    public static double ApplyVerticalVelocity(ref GaussianState state, Vec3 up, double variance) =>
        Update(ref state, 3, Vec3.Dot(up, state.Velocity), up, variance);

    /// <summary>The scalar update z = 0 of h(x) ≈ <paramref name="predicted"/> with H = uᵀ on components <paramref name="at"/>…+2.</summary>
    private static double Update(ref GaussianState state, int at, double predicted, Vec3 up, double variance)
    {
        const int stride = StateMatrix.Stride;
        var n = state.Dimension;
        Span<double> k = stackalloc double[StateVector.Capacity];
        var block = at == 0 ? state.PositionCovariance : state.VelocityCovariance;
        var innovationVariance = Vec3.Dot(up, block * up) + variance;
        for (var i = 0; i < n; i++)
        {
            var row = (i * stride) + at;
            k[i] = ((state.Covariance[row] * up.X) + (state.Covariance[row + 1] * up.Y) + (state.Covariance[row + 2] * up.Z)) / innovationVariance;
        }

        var innovation = -predicted;
        for (var i = 0; i < n; i++)
        {
            state.Mean[i] += k[i] * innovation;
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var value = state.Covariance[(i * stride) + j] - (k[i] * k[j] * innovationVariance);
                state.Covariance[(i * stride) + j] = value;
                state.Covariance[(j * stride) + i] = value;
            }
        }

        return -0.5 * ((innovation * innovation / innovationVariance) + Math.Log(2 * Math.PI * innovationVariance));
    }
}
