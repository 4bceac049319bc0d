using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Tracking.Models.Measurement;

/// <summary>
/// Converts a geodetic position report (ADS-B latitude, longitude, ellipsoidal height with a
/// covariance in the local ENU axes) into an ECEF position measurement for the linear
/// <see cref="PositionMeasurementModel"/>.
/// </summary>
/// <remarks>
/// z_ECEF = GeodeticToEcef(φ, λ, h) (exact, NIMA TR8350.2 eq. 4-14); R_ECEF = Rᵀ R_ENU R with R
/// the ECEF→ENU rotation at the reported point — an exact rotation of the covariance, since a
/// position error small against the Earth radius is a free vector in the tangent frame.
/// </remarks>
public static class GeodeticMeasurement
{
    /// <summary>ECEF measurement and model for a geodetic report <paramref name="latLonHeight"/> (rad, rad, m) with ENU covariance.</summary>
    public static PositionMeasurementModel ToEcef(Vec3 latLonHeight, Mat3 enuCovariance, out Vec3 ecef)
    {
        var frame = new EnuFrame(new Geodetic(latLonHeight.X, latLonHeight.Y, latLonHeight.Z));
        ecef = frame.OriginEcef;
        return new PositionMeasurementModel(Mat3.Congruence(frame.EnuToEcef, enuCovariance));
    }
}
