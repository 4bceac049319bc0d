using System.Globalization;
using System.Runtime.CompilerServices;

namespace Kizuna.Core;

/// <summary>
/// A Cartesian 3-vector of doubles (metres, metres per second, or unitless), used for ECEF and
/// local ENU coordinates. Immutable and allocation-free.
/// </summary>
public readonly record struct Vec3(double X, double Y, double Z)
{
    /// <summary>The zero vector.</summary>
    public static Vec3 Zero => default;

    /// <summary>Euclidean norm |v|.</summary>
    public double Norm => Math.Sqrt((X * X) + (Y * Y) + (Z * Z));

    /// <summary>Squared Euclidean norm.</summary>
    public double NormSquared => (X * X) + (Y * Y) + (Z * Z);

    /// <summary>Unit vector in the same direction (zero stays zero).</summary>
    public Vec3 Normalized
    {
        get
        {
            var n = Norm;
            return n > 0 ? this / n : Zero;
        }
    }

    /// <summary>Dot product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(Vec3 a, Vec3 b) => (a.X * b.X) + (a.Y * b.Y) + (a.Z * b.Z);

    /// <summary>Cross product a × b.</summary>
    public static Vec3 Cross(Vec3 a, Vec3 b) =>
        new((a.Y * b.Z) - (a.Z * b.Y), (a.Z * b.X) - (a.X * b.Z), (a.X * b.Y) - (a.Y * b.X));

    /// <summary>Component access by index 0..2.</summary>
    public double this[int i] => i switch
    {
        0 => X,
        1 => Y,
        2 => Z,
        _ => throw new ArgumentOutOfRangeException(nameof(i)),
    };

    public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    public static Vec3 operator -(Vec3 a, Vec3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
    public static Vec3 operator -(Vec3 a) => new(-a.X, -a.Y, -a.Z);
    public static Vec3 operator *(Vec3 a, double s) => new(a.X * s, a.Y * s, a.Z * s);
    public static Vec3 operator *(double s, Vec3 a) => new(a.X * s, a.Y * s, a.Z * s);
    public static Vec3 operator /(Vec3 a, double s) => new(a.X / s, a.Y / s, a.Z / s);

    /// <summary>True when every component is finite.</summary>
    public bool IsFinite => double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Z);

    /// <summary>"(x, y, z)" in the invariant culture, round-trippable.</summary>
    /// <remarks>Overrides the record's generated text, which would print <see cref="Normalized"/> (itself a
    /// <see cref="Vec3"/>) and recurse without end.</remarks>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({X:R}, {Y:R}, {Z:R})");
}
