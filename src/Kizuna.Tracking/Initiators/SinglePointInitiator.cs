using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Initiators;

/// <summary>
/// Single-point initiation: the position and its covariance come from the detection, the velocity
/// is zero with a broad isotropic prior of standard deviation <see cref="VelocityStd"/>.
/// </summary>
/// <remarks>
/// <para>x₀ = [p(z), 0], P₀ = blockdiag(R_p, σ_v² I₃) (Bar-Shalom, Willett &amp; Tian 2011, §3.2.1,
/// "one-point initialisation"; Stone Soup's <c>SimpleMeasurementInitiator</c> with a velocity prior).
/// p(z) and R_p are the position and covariance of the detection in the track frame:
/// Cartesian and ECEF as given, Geodetic converted to ECEF (<see cref="GeodeticMeasurement"/>),
/// radar polar converted to ECEF with the first-order converted-measurement covariance
/// (<see cref="CovarianceTransforms.PolarToEcef"/>). σ_v should cover the speeds of the targets of
/// interest (e.g. 300 m/s for aircraft); the first update then fixes the velocity.</para>
/// <para><b>Range rate.</b> A radar polar plot with a measured ṙ (<see cref="Detection.HasRangeRate"/>) also
/// tells the radial velocity: with û the measured line of sight (ECEF unit vector from the sensor at az, el)
/// and v_s the sensor velocity, the measurement is y = v·û = ṙ + v_s·û with variance σ²_ṙ. The velocity prior
/// N(0, σ_v² I) is conditioned on it (one scalar Kalman update with H = ûᵀ, Bar-Shalom, Li &amp; Kirubarajan
/// 2001 §5.2.3; the same one-point initialisation with the Doppler component as in Blackman &amp; Popoli 1999
/// §3.3):</para>
/// <code>
/// v₀ = g y û,   P_v = σ_v² (I − û ûᵀ) + g σ_ṙ² û ûᵀ,   g = σ_v² / (σ_v² + σ²_ṙ)
/// </code>
/// <para>so the radial component starts at ṙ (plus the sensor's own radial speed) with σ ≈ σ_ṙ (g → 1 for
/// σ_v ≫ σ_ṙ) and the cross-range components keep the wide prior. A stationary "alias" of a moving target —
/// the next target of a trail landing where this one was — then no longer fits the track's prediction, and its
/// ṙ contradicts the track's in the 4-D gate. The position/velocity cross-covariance is left zero (the
/// error of û, σ_angle ≈ 3 mrad, moves the radial velocity by ≤ |v| σ_angle, below σ_ṙ for the speeds
/// involved). Without a range rate, x₀ and P₀ are exactly as above.</para>
/// <para><b>Angles-only</b> detections (space IR lines of sight) carry no range, so they never start
/// a track: they only update existing tracks (a triangulating initiator over several sensors is a
/// possible extension).</para>
/// </remarks>
/// <param name="VelocityStd">σ_v (m/s), &gt; 0.</param>
public sealed record SinglePointInitiator(double VelocityStd) : ITrackInitiator
{
    /// <inheritdoc/>
    public bool TryInitiate(in Detection detection, out GaussianState initial)
    {
        initial = default;
        if (!TryPosition(detection, out var position, out var covariance))
        {
            return false;
        }

        initial = GaussianState.FromPositionVelocity(position, Vec3.Zero, 0, VelocityStd * VelocityStd);
        initial.SetBlock3(0, covariance);
        if (detection.Kind == MeasurementKind.RangeAzimuthElevation && detection.HasRangeRate)
        {
            ApplyRangeRate(ref initial, detection, VelocityStd * VelocityStd);
        }

        return true;
    }

    /// <summary>Conditions the velocity prior N(0, <paramref name="velocityVariance"/> I) of <paramref name="state"/> on the plot's range rate (see remarks).</summary>
    private static void ApplyRangeRate(ref GaussianState state, in Detection detection, double velocityVariance)
    {
        double az = detection.Value.Y, el = detection.Value.Z;
        var enu = new Vec3(Math.Cos(el) * Math.Sin(az), Math.Cos(el) * Math.Cos(az), Math.Sin(el));
        var u = new EnuFrame(detection.SensorSite).RotateToEcef(enu);
        var y = detection.RangeRate + Vec3.Dot(detection.SensorVelocity, u);
        var variance = detection.RangeRateVariance;
        var g = velocityVariance / (velocityVariance + variance);
        state.SetVelocity(u * (g * y));
        var radial = (g * variance) - velocityVariance;
        var pv = new Mat3(
            velocityVariance + (radial * u.X * u.X), radial * u.X * u.Y, radial * u.X * u.Z,
            radial * u.Y * u.X, velocityVariance + (radial * u.Y * u.Y), radial * u.Y * u.Z,
            radial * u.Z * u.X, radial * u.Z * u.Y, velocityVariance + (radial * u.Z * u.Z));
        state.SetBlock3(3, pv);
    }

    /// <summary>
    /// The position of a position-bearing detection in the track frame and its covariance; false for
    /// angles-only detections. Also used by the tracker's spatial pre-gate.
    /// </summary>
    public static bool TryPosition(in Detection detection, out Vec3 position, out Mat3 covariance)
    {
        switch (detection.Kind)
        {
            case MeasurementKind.Cartesian:
            case MeasurementKind.PositionEcef:
                position = detection.Value;
                covariance = detection.Covariance;
                return true;
            case MeasurementKind.Geodetic:
                covariance = GeodeticMeasurement.ToEcef(detection.Value, detection.Covariance, out position).NoiseCovariance;
                return true;
            case MeasurementKind.RangeAzimuthElevation:
                var polar = new RadarPolar(detection.Value.X, detection.Value.Y, detection.Value.Z);
                var pc = CovarianceTransforms.PolarToEcef(new EnuFrame(detection.SensorSite), polar, detection.Covariance);
                position = pc.Position;
                covariance = pc.Covariance;
                return true;
            default:
                position = default;
                covariance = default;
                return false;
        }
    }
}
