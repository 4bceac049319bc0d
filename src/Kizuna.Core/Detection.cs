using Kizuna.Core.Geodesy;

namespace Kizuna.Core;

/// <summary>What a detection's <see cref="Detection.Value"/> holds and in which frame.</summary>
public enum MeasurementKind : byte
{
    /// <summary>Position in a flat Cartesian frame (x, y, z metres); no geodesy. Used by plain-file input and 2-D studies.</summary>
    Cartesian = 0,

    /// <summary>Position in ECEF (x, y, z metres). Covariance in ECEF axes (m²).</summary>
    PositionEcef = 1,

    /// <summary>
    /// Radar polar (range m, azimuth rad clockwise from north, elevation rad) in the ENU frame at
    /// <see cref="Detection.SensorSite"/>. Covariance diag(σr², σaz², σel²) in those units.
    /// </summary>
    RangeAzimuthElevation = 2,

    /// <summary>
    /// Angles-only line of sight (azimuth rad, elevation rad, 0) in the ENU frame at
    /// <see cref="Detection.SensorSite"/>, e.g. space-based infrared. Covariance uses the upper 2×2 block;
    /// the third diagonal element is 1 by convention and carries no information.
    /// </summary>
    AzimuthElevation = 3,

    /// <summary>
    /// Geodetic position (latitude rad, longitude rad, height m above the ellipsoid), e.g. ADS-B.
    /// Covariance in the local ENU axes at that point (m²).
    /// </summary>
    Geodetic = 4,
}

/// <summary>
/// One detection (plot) emitted by a sensor: who saw it, when, what was measured, how well, and
/// (in simulation only) which true object caused it. A value type, so streams of detections
/// allocate nothing per record.
/// </summary>
/// <param name="Time">UTC time of the measurement.</param>
/// <param name="SensorId">The emitting sensor's identifier (interned string from configuration).</param>
/// <param name="Nation">The nation that owns the sensor.</param>
/// <param name="Kind">What <paramref name="Value"/> holds.</param>
/// <param name="Value">The measurement vector z.</param>
/// <param name="Covariance">The measurement noise covariance R.</param>
/// <param name="SensorSite">The sensor's geodetic position at <paramref name="Time"/>.</param>
/// <param name="TruthId">Simulation truth: the object id (&gt; 0), <see cref="FalseAlarm"/> for clutter, or <see cref="UnknownTruth"/> for live data.</param>
/// <param name="Identity">Cooperative identity (ICAO 24-bit address for ADS-B / Mode S), 0 when none.</param>
/// <param name="RangeRate">
/// Measured radial velocity ṙ (m/s, positive receding) of a pulse-Doppler sensor: the rate of change of
/// the range from the sensor to the target, ṙ = (v_target − v_sensor)·û with û the unit line of sight
/// from the sensor to the target, velocities in ECEF. <see cref="double.NaN"/> when the sensor measures
/// none (every non-Doppler sensor).
/// </param>
/// <param name="RangeRateVariance">σ²_ṙ (m²/s²) of <paramref name="RangeRate"/>; 0 when none. Uncorrelated with <paramref name="Covariance"/>.</param>
/// <param name="SensorVelocity">The sensor's velocity in ECEF (m/s) at <paramref name="Time"/>; zero for a fixed site. Needed with a range rate from a moving sensor (ship, aircraft).</param>
/// <remarks>
/// <para><b>Range rate is an optional field, not a <see cref="MeasurementKind"/>.</b> The kind says what
/// <paramref name="Value"/> holds and in which frame; a radial velocity is an independent extra scalar
/// that a radar polar plot (and in principle a position plot) may carry. Making it a field keeps every
/// switch over the kind (initiation, gating, codecs, CSV) unchanged and lets code that does not use
/// Doppler ignore it; a new kind would have had to be taught to all of them. <see cref="HasRangeRate"/>
/// is the one test consumers make. The tracker uses it with <see cref="MeasurementKind.RangeAzimuthElevation"/>
/// only (the EKF measurement (r, az, el, ṙ) of <c>DetectionMeasurementModel</c>).</para>
/// </remarks>
public readonly record struct Detection(
    DateTime Time,
    string SensorId,
    Nation Nation,
    MeasurementKind Kind,
    Vec3 Value,
    Mat3 Covariance,
    Geodetic SensorSite,
    int TruthId = Detection.UnknownTruth,
    uint Identity = 0,
    double RangeRate = double.NaN,
    double RangeRateVariance = 0,
    Vec3 SensorVelocity = default)
{
    /// <summary>Truth id of a false alarm (clutter).</summary>
    public const int FalseAlarm = -1;

    /// <summary>Truth id when no truth is known (live data).</summary>
    public const int UnknownTruth = 0;

    /// <summary>True for a simulated false alarm.</summary>
    public bool IsFalseAlarm => TruthId == FalseAlarm;

    /// <summary>True when the detection carries a usable range rate: <see cref="RangeRate"/> finite and <see cref="RangeRateVariance"/> finite and &gt; 0.</summary>
    public bool HasRangeRate => double.IsFinite(RangeRate) && RangeRateVariance > 0 && double.IsFinite(RangeRateVariance);
}
