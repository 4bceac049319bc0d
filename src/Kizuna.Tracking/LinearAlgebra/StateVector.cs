using System.Runtime.CompilerServices;

namespace Kizuna.Tracking.LinearAlgebra;

/// <summary>
/// A fixed-capacity state vector of up to <see cref="Capacity"/> doubles, stored inline (no heap
/// allocation). Only the first n elements are meaningful, n being the owning state's dimension.
/// </summary>
/// <remarks>
/// A mutable working buffer by design: filters update states in place through <c>ref</c>, which is
/// what keeps one update free of allocations and copies. Element access is <c>v[i]</c>.
/// </remarks>
[InlineArray(Capacity)]
public struct StateVector
{
    /// <summary>Maximum dimension (position, velocity, acceleration in 3-D).</summary>
    public const int Capacity = 9;

    private double _element0;
}

/// <summary>
/// A fixed-capacity square matrix of up to 9 × 9 doubles, row-major with a row stride of
/// <see cref="Stride"/>, stored inline. Element (r, c) is <c>m[r * StateMatrix.Stride + c]</c>.
/// </summary>
/// <remarks>A mutable working buffer, like <see cref="StateVector"/>.</remarks>
[InlineArray(Stride * Stride)]
public struct StateMatrix
{
    /// <summary>Row stride (and capacity per side).</summary>
    public const int Stride = StateVector.Capacity;

    private double _element0;
}
