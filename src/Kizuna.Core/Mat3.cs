using System.Globalization;

namespace Kizuna.Core;

/// <summary>
/// A 3×3 matrix of doubles, row-major (M{row}{col}). Used for rotations between frames,
/// Jacobians and measurement covariances. Immutable and allocation-free.
/// </summary>
public readonly record struct Mat3(
    double M00, double M01, double M02,
    double M10, double M11, double M12,
    double M20, double M21, double M22)
{
    /// <summary>The identity matrix.</summary>
    public static Mat3 Identity => new(1, 0, 0, 0, 1, 0, 0, 0, 1);

    /// <summary>The zero matrix.</summary>
    public static Mat3 Zero => default;

    /// <summary>A diagonal matrix.</summary>
    public static Mat3 Diagonal(double d0, double d1, double d2) => new(d0, 0, 0, 0, d1, 0, 0, 0, d2);

    /// <summary>Matrix built from three rows.</summary>
    public static Mat3 FromRows(Vec3 r0, Vec3 r1, Vec3 r2) =>
        new(r0.X, r0.Y, r0.Z, r1.X, r1.Y, r1.Z, r2.X, r2.Y, r2.Z);

    /// <summary>Element access (row, column), 0-based.</summary>
    public double this[int row, int col] => (row, col) switch
    {
        (0, 0) => M00, (0, 1) => M01, (0, 2) => M02,
        (1, 0) => M10, (1, 1) => M11, (1, 2) => M12,
        (2, 0) => M20, (2, 1) => M21, (2, 2) => M22,
        _ => throw new ArgumentOutOfRangeException(nameof(row)),
    };

    /// <summary>Row i as a vector.</summary>
    public Vec3 Row(int i) => i switch
    {
        0 => new Vec3(M00, M01, M02),
        1 => new Vec3(M10, M11, M12),
        2 => new Vec3(M20, M21, M22),
        _ => throw new ArgumentOutOfRangeException(nameof(i)),
    };

    /// <summary>The transpose.</summary>
    public Mat3 Transpose() => new(M00, M10, M20, M01, M11, M21, M02, M12, M22);

    /// <summary>Trace.</summary>
    public double Trace => M00 + M11 + M22;

    /// <summary>Determinant.</summary>
    public double Determinant =>
        (M00 * ((M11 * M22) - (M12 * M21))) - (M01 * ((M10 * M22) - (M12 * M20))) + (M02 * ((M10 * M21) - (M11 * M20)));

    /// <summary>Inverse by the adjugate; throws when singular.</summary>
    public Mat3 Inverse()
    {
        var det = Determinant;
        if (det == 0 || !double.IsFinite(det))
        {
            throw new InvalidOperationException("Matrix is singular.");
        }

        var inv = 1.0 / det;
        return new Mat3(
            ((M11 * M22) - (M12 * M21)) * inv, ((M02 * M21) - (M01 * M22)) * inv, ((M01 * M12) - (M02 * M11)) * inv,
            ((M12 * M20) - (M10 * M22)) * inv, ((M00 * M22) - (M02 * M20)) * inv, ((M02 * M10) - (M00 * M12)) * inv,
            ((M10 * M21) - (M11 * M20)) * inv, ((M01 * M20) - (M00 * M21)) * inv, ((M00 * M11) - (M01 * M10)) * inv);
    }

    /// <summary>Symmetrised copy (A + Aᵀ)/2, to remove round-off asymmetry from covariances.</summary>
    public Mat3 Symmetrize()
    {
        var a01 = 0.5 * (M01 + M10);
        var a02 = 0.5 * (M02 + M20);
        var a12 = 0.5 * (M12 + M21);
        return new Mat3(M00, a01, a02, a01, M11, a12, a02, a12, M22);
    }

    /// <summary>Congruence transform J·P·Jᵀ (covariance propagation through a linear map J).</summary>
    public static Mat3 Congruence(Mat3 j, Mat3 p) => (j * p * j.Transpose()).Symmetrize();

    public static Mat3 operator *(Mat3 a, Mat3 b) => new(
        (a.M00 * b.M00) + (a.M01 * b.M10) + (a.M02 * b.M20), (a.M00 * b.M01) + (a.M01 * b.M11) + (a.M02 * b.M21), (a.M00 * b.M02) + (a.M01 * b.M12) + (a.M02 * b.M22),
        (a.M10 * b.M00) + (a.M11 * b.M10) + (a.M12 * b.M20), (a.M10 * b.M01) + (a.M11 * b.M11) + (a.M12 * b.M21), (a.M10 * b.M02) + (a.M11 * b.M12) + (a.M12 * b.M22),
        (a.M20 * b.M00) + (a.M21 * b.M10) + (a.M22 * b.M20), (a.M20 * b.M01) + (a.M21 * b.M11) + (a.M22 * b.M21), (a.M20 * b.M02) + (a.M21 * b.M12) + (a.M22 * b.M22));

    public static Vec3 operator *(Mat3 a, Vec3 v) => new(
        (a.M00 * v.X) + (a.M01 * v.Y) + (a.M02 * v.Z),
        (a.M10 * v.X) + (a.M11 * v.Y) + (a.M12 * v.Z),
        (a.M20 * v.X) + (a.M21 * v.Y) + (a.M22 * v.Z));

    public static Mat3 operator +(Mat3 a, Mat3 b) => new(
        a.M00 + b.M00, a.M01 + b.M01, a.M02 + b.M02,
        a.M10 + b.M10, a.M11 + b.M11, a.M12 + b.M12,
        a.M20 + b.M20, a.M21 + b.M21, a.M22 + b.M22);

    /// <summary>"[[m00, m01, m02], [m10, …], […]]" in the invariant culture.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"[[{M00:R}, {M01:R}, {M02:R}], [{M10:R}, {M11:R}, {M12:R}], [{M20:R}, {M21:R}, {M22:R}]]");

    public static Mat3 operator *(Mat3 a, double s) => new(
        a.M00 * s, a.M01 * s, a.M02 * s, a.M10 * s, a.M11 * s, a.M12 * s, a.M20 * s, a.M21 * s, a.M22 * s);
}
