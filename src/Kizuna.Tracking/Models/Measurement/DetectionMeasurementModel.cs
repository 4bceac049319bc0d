using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.Updaters;

namespace Kizuna.Tracking.Models.Measurement;

/// <summary>
/// The measurement model attached to one <see cref="Detection"/>, chosen by its
/// <see cref="MeasurementKind"/> — a closed union over the concrete models, so a tracker can
/// update any track with any sensor's plot without boxing or virtual calls.
/// </summary>
/// <remarks>
/// Cartesian and PositionEcef use <see cref="PositionMeasurementModel"/> directly; Geodetic is
/// converted to ECEF by <see cref="GeodeticMeasurement"/>; RangeAzimuthElevation and
/// AzimuthElevation use the polar models at the detection's <see cref="Detection.SensorSite"/>.
/// Building the sensor frame costs two sin/cos pairs; pass a cached <see cref="EnuFrame"/> to
/// avoid it.
/// <para><b>Range rate.</b> A RangeAzimuthElevation detection with <see cref="Detection.HasRangeRate"/> gives the
/// 4-D measurement (r, az, el, ṙ): (r, az, el) is the <see cref="Vec3"/> measurement as before, and ṙ with its
/// variance and the sensor's ECEF position and velocity travel in <see cref="RangeRate"/>
/// (<see cref="RangeRateMeasurement"/>), so the filters' <see cref="Vec3"/> measurement interface is unchanged.
/// <see cref="KalmanUpdater"/> then updates and gates with m = 4. <see cref="IMeasurementModel.Dimension"/> and the
/// <see cref="IMeasurementModel"/> members describe the (r, az, el) part only (3); consumers that know nothing
/// of range rate (e.g. the unscented updater) use that part and ignore ṙ. A range rate on any other kind is
/// ignored.</para>
/// </remarks>
public readonly record struct DetectionMeasurementModel : IMeasurementModel
{
    // Kind first, then the position model: a position detection's hot fields (kind, R) share the
    // struct's first two cache lines instead of sitting ~340 bytes apart.
    private readonly MeasurementKind _kind;
    private readonly PositionMeasurementModel _position;
    private readonly RangeAzimuthElevationMeasurementModel _radar;
    private readonly AzimuthElevationMeasurementModel _angles;
    private readonly RangeRateMeasurement _rangeRate;
    private readonly bool _hasRangeRate;

    private DetectionMeasurementModel(MeasurementKind kind, PositionMeasurementModel position,
        RangeAzimuthElevationMeasurementModel radar, AzimuthElevationMeasurementModel angles,
        bool hasRangeRate = false, RangeRateMeasurement rangeRate = default)
    {
        _kind = kind;
        _position = position;
        _radar = radar;
        _angles = angles;
        _hasRangeRate = hasRangeRate;
        _rangeRate = rangeRate;
    }

    /// <summary>True for a radar polar detection that carries a range rate: the measurement is (r, az, el, ṙ).</summary>
    public bool HasRangeRate => _hasRangeRate;

    /// <summary>The range-rate component (meaningful when <see cref="HasRangeRate"/>).</summary>
    public RangeRateMeasurement RangeRate => _rangeRate;

    /// <summary>The (r, az, el) model of a radar polar detection (meaningful for <see cref="MeasurementKind.RangeAzimuthElevation"/>).</summary>
    public RangeAzimuthElevationMeasurementModel Radar => _radar;

    /// <summary><see cref="Radar"/> by reference (no copy on the updater's hot path).</summary>
    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    internal ref readonly RangeAzimuthElevationMeasurementModel RadarRef => ref _radar;

    /// <summary><see cref="RangeRate"/> by reference.</summary>
    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    internal ref readonly RangeRateMeasurement RangeRateRef => ref _rangeRate;

    /// <summary>The detection kind this model serves.</summary>
    public MeasurementKind Kind => _kind;

    /// <summary>The model for <paramref name="detection"/> and the measurement vector to feed it (ECEF for Geodetic).</summary>
    public static DetectionMeasurementModel FromDetection(in Detection detection, out Vec3 measurement) =>
        detection.Kind is MeasurementKind.RangeAzimuthElevation or MeasurementKind.AzimuthElevation
            ? FromDetection(detection, new EnuFrame(detection.SensorSite), out measurement)
            : FromDetection(detection, default, out measurement);

    /// <summary>As <see cref="FromDetection(in Detection, out Vec3)"/> with a cached frame at the sensor site.</summary>
    public static DetectionMeasurementModel FromDetection(in Detection detection, in EnuFrame sensorFrame, out Vec3 measurement)
    {
        measurement = detection.Value;
        switch (detection.Kind)
        {
            case MeasurementKind.Cartesian:
            case MeasurementKind.PositionEcef:
                return new(detection.Kind, new PositionMeasurementModel(detection.Covariance), default, default);
            case MeasurementKind.Geodetic:
                return new(detection.Kind, GeodeticMeasurement.ToEcef(detection.Value, detection.Covariance, out measurement), default, default);
            case MeasurementKind.RangeAzimuthElevation:
                return detection.HasRangeRate
                    ? new(detection.Kind, default, new RangeAzimuthElevationMeasurementModel(sensorFrame, detection.Covariance), default, true,
                        new RangeRateMeasurement(detection.RangeRate, detection.RangeRateVariance, sensorFrame.OriginEcef, detection.SensorVelocity))
                    : new(detection.Kind, default, new RangeAzimuthElevationMeasurementModel(sensorFrame, detection.Covariance), default);
            case MeasurementKind.AzimuthElevation:
                measurement = new Vec3(detection.Value.X, detection.Value.Y, 0);
                return new(detection.Kind, default, default, new AzimuthElevationMeasurementModel(sensorFrame, detection.Covariance));
            default:
                throw new ArgumentOutOfRangeException(nameof(detection), detection.Kind, "Unknown measurement kind.");
        }
    }

    /// <summary>
    /// The model of a position detection (<paramref name="kind"/> Cartesian, PositionEcef or Geodetic)
    /// with R = <paramref name="noise"/> in the track frame: equal to what <see cref="FromDetection(in Detection, out Vec3)"/>
    /// returns for such a detection, built from a compact copy of R.
    /// </summary>
    internal static DetectionMeasurementModel Position(MeasurementKind kind, in Mat3 noise) =>
        new(kind, new PositionMeasurementModel(noise), default, default);

    /// <summary>True for the kinds whose model is a position model (H = [I 0]).</summary>
    internal static bool IsPositionKindOf(MeasurementKind kind) => kind is MeasurementKind.Cartesian or MeasurementKind.PositionEcef or MeasurementKind.Geodetic;

    private bool IsPosition => Kind is MeasurementKind.Cartesian or MeasurementKind.PositionEcef or MeasurementKind.Geodetic;

    /// <summary>True for the position kinds, whose model is z = x_p + w with R the detection's (ECEF) covariance.</summary>
    internal bool IsPositionKind => IsPosition;

    /// <inheritdoc/>
    public int Dimension => Kind == MeasurementKind.AzimuthElevation ? 2 : 3;

    /// <inheritdoc/>
    public bool IsLinear => IsPosition;

    /// <inheritdoc/>
    public Mat3 NoiseCovariance => Kind switch
    {
        MeasurementKind.RangeAzimuthElevation => _radar.NoiseCovariance,
        MeasurementKind.AzimuthElevation => _angles.NoiseCovariance,
        _ => _position.NoiseCovariance,
    };

    /// <inheritdoc/>
    public Vec3 Function(Vec3 position) => Kind switch
    {
        MeasurementKind.RangeAzimuthElevation => _radar.Function(position),
        MeasurementKind.AzimuthElevation => _angles.Function(position),
        _ => position,
    };

    /// <inheritdoc/>
    public Mat3 Jacobian(Vec3 position) => Kind switch
    {
        MeasurementKind.RangeAzimuthElevation => _radar.Jacobian(position),
        MeasurementKind.AzimuthElevation => _angles.Jacobian(position),
        _ => Mat3.Identity,
    };

    /// <inheritdoc/>
    public Vec3 Residual(Vec3 measured, Vec3 predicted) => Kind switch
    {
        MeasurementKind.RangeAzimuthElevation => _radar.Residual(measured, predicted),
        MeasurementKind.AzimuthElevation => _angles.Residual(measured, predicted),
        _ => measured - predicted,
    };
}
