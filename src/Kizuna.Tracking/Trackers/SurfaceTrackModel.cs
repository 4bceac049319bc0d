using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Tracking.Trackers;

/// <summary>
/// How the speed-scheduled estimator treats surface tracks (ships): a confirmed ECEF track whose
/// horizontal speed is below <see cref="MaxHorizontalSpeed"/> and whose height is consistent with
/// the sea surface is predicted with the low process noise <see cref="ProcessNoise"/> and, after each
/// update, constrained to the surface by a height pseudo-measurement of standard deviation
/// <see cref="HeightStd"/>.
/// </summary>
/// <remarks>
/// <para><b>Why.</b> A ship seen only by a radar with coarse elevation accuracy (an airborne radar at
/// 240 km with σ_el = 1° has a vertical error σ ≈ 4 km) keeps a 3-D track kilometres above or below
/// the sea, although its height is known. Surface and air tracks are different environments in
/// surveillance systems; a surface track is held on the surface.</para>
/// <para><b>Surface test.</b> Confirmed, ‖v − (v·u)u‖ &lt; v_max with u the geodetic up unit vector
/// at the track position, and |h| ≤ 3·σ_h + <see cref="HeightMargin"/> with h the track's
/// ellipsoidal height and σ_h² = uᵀ P_pp u its vertical variance. v_max = 20 m/s (39 kt) lies above
/// warship speeds and below the stall speed of fixed-wing aircraft; helicopters hovering low are the
/// known exception.</para>
/// <para><b>Pseudo-measurement.</b> z = 0 (the ellipsoid; the simulator puts ships at height 0,
/// σ_z covers geoid undulation of a few tens of metres), h(x) = ellipsoidal height of the position,
/// linearised with H = [uᵀ 0 …]: S = uᵀ P_pp u + σ_z², K = P Hᵀ / S, x ← x + K (0 − h),
/// P ← P − K S Kᵀ — the constraint as a noisy "perfect" measurement (D. Simon, "Kalman filtering with
/// state constraints: a survey of linear and nonlinear algorithms", IET Control Theory &amp; Applications
/// 4(8), 2010, §2.3 "The measurement-augmentation approach"; Bar-Shalom, Li &amp; Kirubarajan 2001 §5.2
/// for the scalar update).</para>
/// <para><b>Process noise.</b> NCV with q = 0.5 m²/s³: a ship turning at 1°/s at 10 m/s accelerates
/// at 0.17 m/s², and q ≈ a²·T for a revisit T of 2–10 s (Bar-Shalom, Li &amp; Kirubarajan 2001 §6.2.2,
/// choice of the white-noise acceleration intensity).</para>
/// </remarks>
/// <param name="MaxHorizontalSpeed">v_max (m/s), &gt; 0.</param>
/// <param name="ProcessNoise">q of surface tracks (m²/s³), &gt; 0.</param>
/// <param name="HeightStd">σ_z of the surface pseudo-measurement (m), &gt; 0.</param>
/// <param name="HeightMargin">Added to 3·σ_h in the surface test (m), ≥ 0.</param>
public sealed record SurfaceTrackModel(double MaxHorizontalSpeed = 20, double ProcessNoise = 0.5, double HeightStd = 50, double HeightMargin = 200)
{
    /// <summary>Throws when a parameter is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxHorizontalSpeed);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ProcessNoise);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(HeightStd);
        ArgumentOutOfRangeException.ThrowIfNegative(HeightMargin);
    }

    /// <summary>True when <paramref name="track"/> passes the surface test; returns its up vector and height.</summary>
    internal bool IsSurface(Track track, out Vec3 up, out double height)
    {
        up = default;
        height = 0;
        if (!track.IsConfirmed)
        {
            return false;
        }

        var p = track.Position;
        var v = track.Velocity;

        // Cheap pre-test with the geocentric up (within 0.2° of the geodetic one): most tracks are fast.
        var r = p.Norm;
        if (!(r > 0))
        {
            return false;
        }

        var vr = Vec3.Dot(v, p) / r;
        var slack = 1.01 * MaxHorizontalSpeed;
        if (v.NormSquared - (vr * vr) > slack * slack)
        {
            return false;
        }

        var g = Wgs84.EcefToGeodetic(p);
        var (sinLat, cosLat) = Math.SinCos(g.LatitudeRad);
        var (sinLon, cosLon) = Math.SinCos(g.LongitudeRad);
        up = new Vec3(cosLat * cosLon, cosLat * sinLon, sinLat);
        var vu = Vec3.Dot(v, up);
        if (v.NormSquared - (vu * vu) > MaxHorizontalSpeed * MaxHorizontalSpeed)
        {
            return false;
        }

        height = g.HeightM;
        var sigmaH = Math.Sqrt(Math.Max(VerticalVariance(track, up), 0));
        return Math.Abs(height) <= (3 * sigmaH) + HeightMargin;
    }

    /// <summary>Applies the surface pseudo-measurement z = 0 to the track (see remarks).</summary>
    internal void Constrain(Track track, Vec3 up, double height)
    {
        ref var s = ref track.StateBuffer;
        var n = s.Dimension;
        const int stride = LinearAlgebra.StateMatrix.Stride;
        Span<double> k = stackalloc double[LinearAlgebra.StateVector.Capacity];
        var innovationVariance = VerticalVariance(track, up) + (HeightStd * HeightStd);
        for (var i = 0; i < n; i++)
        {
            var row = i * stride;
            k[i] = ((s.Covariance[row] * up.X) + (s.Covariance[row + 1] * up.Y) + (s.Covariance[row + 2] * up.Z)) / innovationVariance;
        }

        var innovation = -height;
        for (var i = 0; i < n; i++)
        {
            s.Mean[i] += k[i] * innovation;
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var value = s.Covariance[(i * stride) + j] - (k[i] * k[j] * innovationVariance);
                s.Covariance[(i * stride) + j] = value;
                s.Covariance[(j * stride) + i] = value;
            }
        }
    }

    private static double VerticalVariance(Track track, Vec3 up)
    {
        var c = track.StateBuffer.PositionCovariance;
        return Vec3.Dot(up, c * up);
    }
}
