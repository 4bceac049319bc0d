using Kizuna.Core;

namespace Kizuna.Tracking.Models.Measurement;

/// <summary>
/// Linear position measurement z = p + v in the track's own frame: a flat Cartesian frame
/// (<see cref="MeasurementKind.Cartesian"/>) or ECEF (<see cref="MeasurementKind.PositionEcef"/>,
/// and ADS-B after <see cref="GeodeticMeasurement"/> conversion).
/// </summary>
/// <remarks>h(x) = H x with H = [I₃ 0] (Bar-Shalom, Li &amp; Kirubarajan (2001), §5.2.1 linear
/// measurement equation); R is given in the same axes as the state.</remarks>
/// <param name="NoiseCovariance">R (m²), 3×3.</param>
public readonly record struct PositionMeasurementModel(Mat3 NoiseCovariance) : IMeasurementModel
{
    /// <inheritdoc/>
    public int Dimension => 3;

    /// <inheritdoc/>
    public bool IsLinear => true;

    /// <inheritdoc/>
    public Vec3 Function(Vec3 position) => position;

    /// <inheritdoc/>
    public Mat3 Jacobian(Vec3 position) => Mat3.Identity;

    /// <inheritdoc/>
    public Vec3 Residual(Vec3 measured, Vec3 predicted) => measured - predicted;
}
