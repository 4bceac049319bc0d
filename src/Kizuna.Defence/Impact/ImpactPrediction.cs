using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Defence.Impact;

/// <summary>
/// Predicted impact (and estimated launch) of a ballistic track: the unscented-transform mean and
/// covariance of the impact point, its 95 % ellipse, and the time of impact.
/// </summary>
/// <param name="StateTime">UTC time of the track state the prediction starts from.</param>
/// <param name="Impacts">False when the nominal state does not reach the ground within the horizon (e.g. still climbing to orbit).</param>
/// <param name="ImpactPoint">Mean predicted impact point (geodetic, at the impact height).</param>
/// <param name="ImpactEcef">Mean predicted impact point (ECEF, m).</param>
/// <param name="TimeOfImpact">Mean predicted UTC time of impact.</param>
/// <param name="TimeOfImpactSigmaS">1-σ of the time of impact (s).</param>
/// <param name="Ellipse">Impact-point covariance in the tangent plane at <paramref name="ImpactPoint"/>.</param>
/// <param name="ImpactSpeed">Nominal speed at impact (m/s).</param>
/// <param name="LaunchPoint">Estimated launch point: the free-flight arc back-propagated to the ground (boost not modelled).</param>
/// <param name="LaunchTime">Estimated UTC time at which the back-propagated arc leaves the ground.</param>
/// <param name="LaunchEllipse">Launch-point covariance in the tangent plane at <paramref name="LaunchPoint"/>.</param>
public readonly record struct ImpactPrediction(
    DateTime StateTime,
    bool Impacts,
    Geodetic ImpactPoint,
    Vec3 ImpactEcef,
    DateTime TimeOfImpact,
    double TimeOfImpactSigmaS,
    ImpactEllipse Ellipse,
    double ImpactSpeed,
    Geodetic LaunchPoint,
    DateTime LaunchTime,
    ImpactEllipse LaunchEllipse)
{
    /// <summary>Time to go from <paramref name="now"/> to the predicted impact (s).</summary>
    public double TimeToGoS(DateTime now) => (TimeOfImpact - now).TotalSeconds;

    /// <summary>Offset (east, north) of <paramref name="point"/> from the predicted impact point in its tangent plane (m).</summary>
    public (double East, double North) OffsetOf(Geodetic point)
    {
        var enu = new EnuFrame(ImpactPoint).ToEnu(point);
        return (enu.X, enu.Y);
    }
}
