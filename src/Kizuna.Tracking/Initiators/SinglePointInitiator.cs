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
        return true;
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
