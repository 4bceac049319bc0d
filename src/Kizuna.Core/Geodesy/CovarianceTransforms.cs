namespace Kizuna.Core.Geodesy;

/// <summary>A position and its error covariance in the same Cartesian frame (m, m²).</summary>
/// <param name="Position">The mean position.</param>
/// <param name="Covariance">Its covariance.</param>
public readonly record struct PositionCovariance(Vec3 Position, Mat3 Covariance);

/// <summary>
/// First-order (linearised) propagation of measurement and position covariances between radar
/// polar, local ENU, ECEF and geodetic coordinates: P′ = J·P·Jᵀ for the Jacobian J of the map, and
/// P′ = R·P·Rᵀ for a pure rotation R (exact). Results are symmetrised, so they stay symmetric
/// positive-definite whenever the input is and J is non-singular.
/// </summary>
/// <remarks>
/// <para>The polar → Cartesian result is the classic "converted measurement" covariance
/// R_c = J R Jᵀ (Y. Bar-Shalom, X. R. Li, T. Kirubarajan, "Estimation with Applications to Tracking
/// and Navigation", Wiley 2001, §10.4.3; S. Blackman, R. Popoli, "Design and Analysis of Modern
/// Tracking Systems", Artech House 1999, §4.2). It is accurate while the cross-range error r·σ_az
/// stays small against r (r σ²_az ≪ σ_r, Lerro and Bar-Shalom, IEEE T-AES 29(3) 1993); beyond that the
/// debiased conversion is needed, which this class does not implement.</para>
/// <para>ENU ⇄ ECEF: with R the ECEF → ENU rotation of <see cref="EnuFrame"/>,
/// P_enu = R P_ecef Rᵀ and P_ecef = Rᵀ P_enu R (exact; the frames differ by a rotation and a
/// translation, and a translation does not change a covariance). A 6×6 position-velocity covariance
/// rotates block-wise with the same R.</para>
/// </remarks>
public static class CovarianceTransforms
{
    /// <summary>Converted-measurement covariance J R Jᵀ in the sensor's ENU frame, J = <see cref="Jacobians.PolarToEnu"/>.</summary>
    /// <param name="z">The polar measurement (linearisation point).</param>
    /// <param name="polarCovariance">R in (m², rad², rad²), e.g. diag(σr², σaz², σel²).</param>
    public static Mat3 PolarToEnu(RadarPolar z, Mat3 polarCovariance) =>
        Mat3.Congruence(Jacobians.PolarToEnu(z), polarCovariance);

    /// <summary>Covariance of (r, az, el) for an ENU position covariance: H P Hᵀ with H = <see cref="Jacobians.EnuToPolar"/>.</summary>
    public static Mat3 EnuToPolar(Vec3 enu, Mat3 enuCovariance) =>
        Mat3.Congruence(Jacobians.EnuToPolar(enu), enuCovariance);

    /// <summary>ENU-axes covariance → ECEF axes: Rᵀ P R (exact).</summary>
    public static Mat3 EnuToEcef(EnuFrame frame, Mat3 enuCovariance) =>
        Mat3.Congruence(frame.EnuToEcef, enuCovariance);

    /// <summary>ECEF-axes covariance → ENU axes of <paramref name="frame"/>: R P Rᵀ (exact).</summary>
    public static Mat3 EcefToEnu(EnuFrame frame, Mat3 ecefCovariance) =>
        Mat3.Congruence(frame.EcefToEnu, ecefCovariance);

    /// <summary>
    /// Covariance of (φ, λ, h) in (rad², rad², m²) → ECEF (m²): J P Jᵀ with J = <see cref="Jacobians.GeodeticToEcef"/>.
    /// </summary>
    public static Mat3 GeodeticToEcef(Geodetic at, Mat3 geodeticCovariance) =>
        Mat3.Congruence(Jacobians.GeodeticToEcef(at), geodeticCovariance);

    /// <summary>
    /// Covariance given in the local ENU axes at <paramref name="at"/> (how ADS-B accuracy, e.g. NACp /
    /// NACv, is stated) → ECEF axes. Equivalent to <see cref="EnuToEcef"/> with a frame at <paramref name="at"/>.
    /// </summary>
    public static Mat3 LocalEnuToEcef(Geodetic at, Mat3 enuCovariance) =>
        Mat3.Congruence(LocalRotationEnuToEcef(at), enuCovariance);

    /// <summary>
    /// A radar plot as a Cartesian ECEF position with its converted covariance: position
    /// = site + Rᵀ·enu(z), covariance = Rᵀ (J R_z Jᵀ) R.
    /// </summary>
    public static PositionCovariance PolarToEcef(EnuFrame site, RadarPolar z, Mat3 polarCovariance) =>
        new(site.ToEcef(z.ToEnu()), EnuToEcef(site, PolarToEnu(z, polarCovariance)));

    /// <summary>The ENU → ECEF rotation Rᵀ at a point, without building an <see cref="EnuFrame"/>.</summary>
    private static Mat3 LocalRotationEnuToEcef(Geodetic at)
    {
        var (sinLat, cosLat) = Math.SinCos(at.LatitudeRad);
        var (sinLon, cosLon) = Math.SinCos(at.LongitudeRad);
        return new Mat3(
            -sinLon, -sinLat * cosLon, cosLat * cosLon,
            cosLon, -sinLat * sinLon, cosLat * sinLon,
            0, cosLat, sinLat);
    }
}
