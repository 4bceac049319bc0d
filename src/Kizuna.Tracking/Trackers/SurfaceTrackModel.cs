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
/// <para><b>Surface test.</b> Confirmed, ‖v_h‖ ≤ v_max + k·σ_v with v_h = v − (v·u)u, u the geodetic up
/// unit vector at the track position, σ_v² = v̂_hᵀ P_vv v̂_h the variance of the horizontal speed along
/// its estimated direction and k = <see cref="SpeedSigmas"/>, and |h| ≤ 3·σ_h + <see cref="HeightMargin"/> with h the track's
/// ellipsoidal height and σ_h² = uᵀ P_pp u its vertical variance. v_max = 20 m/s (39 kt) lies above
/// warship speeds and below the stall speed of fixed-wing aircraft; helicopters hovering low are the
/// known exception. Both conditions are hypothesis tests of "this is a surface object" against the
/// track's own uncertainty (one-sided for the speed, two-sided for the height; Bar-Shalom, Li &amp;
/// Kirubarajan 2001 §1.5.3, tests with Gaussian statistics), not tests of the point estimate: a ship
/// seen by a radar with 0.3° azimuth noise at 240 km (1.3 km cross-range) has a two-point velocity
/// error of ≈ 100–180 m/s, so its estimated speed stays above 20 m/s for its first ≈ 100 s; a test of
/// the point estimate kept it off the surface (2–3 km high or low) for those samples, 11 % of the
/// ship's 900 s (issue 3: |height| p95 1,482 m). An airliner (230 m/s) fails the test as soon as its
/// velocity σ is below ≈ 100 m/s, which its confirmation already ensures.</para>
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
    /// <summary>
    /// k of the one-sided speed test ‖v_h‖ ≤ v_max + k·σ_v (2: a ship is rejected with probability
    /// ≈ 2.3 % when the speed error is Gaussian; see remarks).
    /// </summary>
    public const double SpeedSigmas = 2;

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

        // The speed bound of the surface test is v_max + k·σ_v (see remarks); σ_v ≤ √(trace P_vv).
        var velocityCovariance = track.StateBuffer.VelocityCovariance;
        var trace = velocityCovariance.M00 + velocityCovariance.M11 + velocityCovariance.M22;
        var vr = Vec3.Dot(v, p) / r;
        var slack = (1.01 * MaxHorizontalSpeed) + (SpeedSigmas * Math.Sqrt(Math.Max(trace, 0)));
        if (v.NormSquared - (vr * vr) > slack * slack)
        {
            return false;
        }

        var g = Wgs84.EcefToGeodetic(p);
        var (sinLat, cosLat) = Math.SinCos(g.LatitudeRad);
        var (sinLon, cosLon) = Math.SinCos(g.LongitudeRad);
        up = new Vec3(cosLat * cosLon, cosLat * sinLon, sinLat);
        var vu = Vec3.Dot(v, up);
        var horizontal = v - (up * vu);
        var speed = horizontal.Norm;
        if (speed > MaxHorizontalSpeed)
        {
            // σ_v along the estimated horizontal direction: the speed is consistent with ≤ v_max unless
            // it exceeds v_max by more than SpeedSigmas of its own standard deviation.
            var direction = horizontal * (1 / speed);
            var sigmaV = Math.Sqrt(Math.Max(Vec3.Dot(direction, velocityCovariance * direction), 0));
            if (speed > MaxHorizontalSpeed + (SpeedSigmas * sigmaV))
            {
                return false;
            }
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
