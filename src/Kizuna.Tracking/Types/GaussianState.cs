using Kizuna.Core;
using Kizuna.Tracking.LinearAlgebra;

namespace Kizuna.Tracking.Types;

/// <summary>
/// A Gaussian state estimate N(x, P) of dimension n ≤ 9: the mean <see cref="Mean"/> and the
/// covariance <see cref="Covariance"/> in fixed inline buffers (no heap allocation).
/// </summary>
/// <remarks>
/// <para><b>State frame.</b> Tracks live in ECEF (WGS-84 Earth-centred, Earth-fixed, metres and
/// metres per second, axes fixed to the rotating Earth); flat Cartesian studies use the same
/// layout in their own frame. ECEF is exact at theatre scale (sensors thousands of km apart at
/// their true WGS-84 positions, no flat-Earth approximation); ../shared/DESIGN.md "Frames".</para>
/// <para><b>Layout.</b> Components 0–2 are position (x, y, z), 3–5 velocity; a model may add
/// model-specific components after them (see <see cref="Models.Transition.StateLayout"/>):
/// acceleration at 6–8 or turn rate ω at 6.</para>
/// <para>A mutable working buffer passed by <c>ref</c>: the filters update it in place. Copy it
/// (plain assignment) to keep a snapshot.</para>
/// </remarks>
public struct GaussianState
{
    /// <summary>The mean x (first <see cref="Dimension"/> elements).</summary>
    public StateVector Mean;

    /// <summary>The covariance P (leading <see cref="Dimension"/> × <see cref="Dimension"/> block, stride 9).</summary>
    public StateMatrix Covariance;

    /// <summary>The state dimension n.</summary>
    public int Dimension;

    /// <summary>A zero state of dimension <paramref name="dimension"/>.</summary>
    public static GaussianState Zero(int dimension)
    {
        if (dimension is < 1 or > StateVector.Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "State dimension must be 1..9.");
        }

        return new GaussianState { Dimension = dimension };
    }

    /// <summary>
    /// A 6-D position/velocity state with diagonal covariance: position variance
    /// <paramref name="positionVariance"/> (m²) and velocity variance <paramref name="velocityVariance"/> (m²/s²) per axis.
    /// </summary>
    public static GaussianState FromPositionVelocity(Vec3 position, Vec3 velocity, double positionVariance, double velocityVariance)
    {
        var s = Zero(6);
        s.SetPosition(position);
        s.SetVelocity(velocity);
        for (var i = 0; i < 3; i++)
        {
            s.Covariance[(i * StateMatrix.Stride) + i] = positionVariance;
            s.Covariance[((i + 3) * StateMatrix.Stride) + i + 3] = velocityVariance;
        }

        return s;
    }

    /// <summary>Position (components 0–2).</summary>
    public readonly Vec3 Position => new(Mean[0], Mean[1], Mean[2]);

    /// <summary>Velocity (components 3–5).</summary>
    public readonly Vec3 Velocity => new(Mean[3], Mean[4], Mean[5]);

    /// <summary>The 3×3 position covariance block.</summary>
    public readonly Mat3 PositionCovariance => Block3(0);

    /// <summary>The 3×3 velocity covariance block.</summary>
    public readonly Mat3 VelocityCovariance => Block3(3);

    /// <summary>Element (r, c) of the covariance.</summary>
    public readonly double Cov(int row, int col) => Covariance[(row * StateMatrix.Stride) + col];

    /// <summary>Sets the position components.</summary>
    public void SetPosition(Vec3 p)
    {
        Mean[0] = p.X;
        Mean[1] = p.Y;
        Mean[2] = p.Z;
    }

    /// <summary>Sets the velocity components.</summary>
    public void SetVelocity(Vec3 v)
    {
        Mean[3] = v.X;
        Mean[4] = v.Y;
        Mean[5] = v.Z;
    }

    /// <summary>Sets the diagonal 3×3 block starting at <paramref name="index"/> to <paramref name="block"/> (off-diagonal blocks untouched).</summary>
    public void SetBlock3(int index, in Mat3 block)
    {
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                Covariance[((index + r) * StateMatrix.Stride) + index + c] = block[r, c];
            }
        }
    }

    /// <summary>
    /// Copies the meaningful part (dimension, leading n entries of the mean, leading n×n block of the
    /// covariance) into <paramref name="destination"/>; its other entries are left as they are. The
    /// hot paths use it instead of a whole-struct copy (a 6-D state is 336 of the 728 bytes).
    /// </summary>
    internal readonly void CopyLeadingTo(ref GaussianState destination)
    {
        var n = Dimension;
        destination.Dimension = n;
        ((ReadOnlySpan<double>)Mean)[..n].CopyTo(destination.Mean);
        ReadOnlySpan<double> from = Covariance;
        Span<double> to = destination.Covariance;
        for (var a = 0; a < n; a++)
        {
            from.Slice(a * StateMatrix.Stride, n).CopyTo(to.Slice(a * StateMatrix.Stride, n));
        }
    }

    private readonly Mat3 Block3(int i)
    {
        const int s = StateMatrix.Stride;
        return new Mat3(
            Covariance[(i * s) + i], Covariance[(i * s) + i + 1], Covariance[(i * s) + i + 2],
            Covariance[((i + 1) * s) + i], Covariance[((i + 1) * s) + i + 1], Covariance[((i + 1) * s) + i + 2],
            Covariance[((i + 2) * s) + i], Covariance[((i + 2) * s) + i + 1], Covariance[((i + 2) * s) + i + 2]);
    }
}
