using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.Models;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Trackers;

/// <summary>
/// How the tracker treats surface tracks (ships): a confirmed ECEF track whose horizontal speed is
/// consistent with at most <see cref="MaxHorizontalSpeed"/> and whose height is consistent with the sea
/// surface is held on the surface by a height pseudo-measurement of standard deviation
/// <see cref="HeightStd"/> after each update, including the update that confirms it. Used by the
/// speed-scheduled NCV estimator (which also predicts surface tracks with the low process noise
/// <see cref="ProcessNoise"/>) and by the IMM estimator (<see cref="ImmTrackEstimator"/>, every
/// model-conditioned estimate held).
/// </summary>
/// <remarks>
/// <para><b>Why.</b> A ship seen only by a radar with coarse elevation accuracy (an airborne radar at
/// 240 km with σ_el = 1° has a vertical error σ ≈ 4 km) keeps a 3-D track kilometres above or below
/// the sea, although its height is known. Surface and air tracks are different environments in
/// surveillance systems; a surface track is held on the surface.</para>
/// <para><b>Surface test.</b> Confirmed, ‖v_h‖ ≤ v_max + k·σ_v with v_h = v − (v·u)u, u the geodetic up
/// unit vector at the track position, σ_v² = v̂_hᵀ P_vv v̂_h the variance of the horizontal speed along
/// its estimated direction and k = <see cref="SpeedSigmas"/>, and the height gate below. v_max = 20 m/s
/// (39 kt) lies above warship speeds and below the stall speed of fixed-wing aircraft; helicopters are
/// separated from ships by the height gate only. Both conditions are hypothesis tests of "this is a
/// surface object" against the track's own uncertainty (one-sided for the speed, two-sided for the
/// height; Bar-Shalom, Li &amp; Kirubarajan 2001 §1.5.3, tests with Gaussian statistics), not tests of the
/// point estimate: a ship seen by a radar with 0.3° azimuth noise at 240 km (1.3 km cross-range) has a
/// two-point velocity error of ≈ 100–180 m/s, so its estimated speed stays above 20 m/s for its first
/// ≈ 100 s; a test of the point estimate kept it off the surface (2–3 km high or low) for those samples,
/// 11 % of the ship's 900 s (issue 3: |height| p95 1,482 m). An airliner (230 m/s) fails the test as
/// soon as its velocity σ is below ≈ 100 m/s, which its confirmation already ensures.</para>
/// <para><b>Height gate.</b> The hold is applied only when the pseudo-measurement's own normalised
/// innovation squared passes a χ²(1) gate, h² / (σ_h² + σ_z²) ≤ γ = <see cref="HeightGate"/> (4: the 95 %
/// gate), with h the ellipsoidal height of the updated, not yet held estimate, σ_h² = uᵀ P_pp u its
/// vertical variance and σ_z = <see cref="HeightStd"/> — the normalised innovation squared test of the
/// constraint treated as a measurement (Bar-Shalom, Li &amp; Kirubarajan 2001 §5.4), so the surface
/// hypothesis is rejected when the track's own height estimate contradicts it, whatever the sensor's
/// accuracy. A ship whose height is poorly known (σ_h of kilometres) passes with probability 0.95 at each
/// update; once held, its NIS stays near 0. An air target at height H with a track σ_h is held at an update
/// with probability Φ(−(H − 2√(σ_h² + σ_z²))/σ_h): a 10 m/s helicopter at 300 m seen by a 3-D radar at
/// 20 km (σ_h ≈ 32 m) never (5 σ), at 35 km (σ_h ≈ 55 m) ≈ 0.3 % of updates (one transient hold in 59
/// updates of the seeded test run, γ = 9 gave 8 %). The former rule |h| ≤ 3σ_h + 200 m (a fixed margin)
/// held the 20 km helicopter again and again (mean height error 81–92 m). A target whose height is not
/// resolved from the surface (σ_h of kilometres) is held: nothing in its data separates it from a ship.
/// A false hold is sticky: the held estimate has σ_h ≈ σ_z, so it is released only when the sensor's
/// height evidence outweighs σ_z (quickly for a 3-D radar, never for a sensor that cannot resolve it).</para>
/// <para><b>Confirming update.</b> The surface test needs a confirmed track (a tentative track's
/// velocity is the initiation prior, σ 300 m/s, which passes any speed test), but the tracker decides
/// confirmation after the update; it therefore tells the estimator (<see cref="ITrackConfirmationObserver"/>),
/// which applies the hold to the state the confirming update produced, so the first confirmed estimate a
/// user sees is already on the surface.</para>
/// <para><b>Pseudo-measurement.</b> z = 0 (the ellipsoid; the simulator puts ships at height 0,
/// σ_z covers geoid undulation of a few tens of metres), h(x) = ellipsoidal height of the position,
/// linearised with H = [uᵀ 0 …]: S = uᵀ P_pp u + σ_z², K = P Hᵀ / S, x ← x + K (0 − h),
/// P ← P − K S Kᵀ — the constraint as a noisy "perfect" measurement (D. Simon, "Kalman filtering with
/// state constraints: a survey of linear and nonlinear algorithms", IET Control Theory &amp; Applications
/// 4(8), 2010, §2.3 "The measurement-augmentation approach"; Bar-Shalom, Li &amp; Kirubarajan 2001 §5.2
/// for the scalar update; <see cref="Models.SurfacePseudoMeasurement"/>).</para>
/// <para><b>Process noise.</b> NCV with q = 0.5 m²/s³: a ship turning at 1°/s at 10 m/s accelerates
/// at 0.17 m/s², and q ≈ a²·T for a revisit T of 2–10 s (Bar-Shalom, Li &amp; Kirubarajan 2001 §6.2.2,
/// choice of the white-noise acceleration intensity). The IMM keeps its own model set's process noises.</para>
/// </remarks>
/// <param name="MaxHorizontalSpeed">v_max (m/s), &gt; 0.</param>
/// <param name="ProcessNoise">q of surface tracks (m²/s³), &gt; 0.</param>
/// <param name="HeightStd">σ_z of the surface pseudo-measurement (m), &gt; 0.</param>
/// <param name="HeightGate">γ of the height gate h² ≤ γ (σ_h² + σ_z²) (χ² with 1 degree of freedom; 4 = 95 %), &gt; 0.</param>
public sealed record SurfaceTrackModel(double MaxHorizontalSpeed = 20, double ProcessNoise = 0.5, double HeightStd = 50, double HeightGate = 4)
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
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(HeightGate);
    }

    /// <summary>True when <paramref name="track"/> passes the surface test; returns its up vector and height.</summary>
    internal bool IsSurface(Track track, out Vec3 up, out double height)
    {
        up = default;
        height = 0;
        return track.IsConfirmed && IsSurface(track.StateBuffer, out up, out height);
    }

    /// <summary>
    /// True when the estimate <paramref name="state"/> (of a confirmed track; position and velocity in
    /// components 0–5, ECEF) passes the speed and height tests of the remarks; returns the geodetic up
    /// vector and the ellipsoidal height at its position.
    /// </summary>
    internal bool IsSurface(in GaussianState state, out Vec3 up, out double height)
    {
        up = default;
        height = 0;
        var p = state.Position;
        var v = state.Velocity;

        // Cheap pre-test with the geocentric up (within 0.2° of the geodetic one): most tracks are fast.
        var r = p.Norm;
        if (!(r > 0))
        {
            return false;
        }

        // The speed bound of the surface test is v_max + k·σ_v (see remarks); σ_v ≤ √(trace P_vv).
        var velocityCovariance = state.VelocityCovariance;
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

        // Height gate: the normalised innovation squared of the pseudo-measurement, h²/(σ_h² + σ_z²) ≤ γ.
        height = g.HeightM;
        var innovationVariance = Math.Max(Vec3.Dot(up, state.PositionCovariance * up), 0) + (HeightStd * HeightStd);
        return height * height <= HeightGate * innovationVariance;
    }

    /// <summary>Applies the surface pseudo-measurement z = 0 to the track (see remarks).</summary>
    internal void Constrain(Track track, Vec3 up, double height) =>
        _ = SurfacePseudoMeasurement.Apply(ref track.StateBuffer, up, track.StateBuffer.Position, height, HeightStd * HeightStd);
}
