namespace Kizuna.Tracking.LinearAlgebra;

/// <summary>
/// The row stride of a row-major covariance buffer as a type, so that a kernel written once
/// (<c>Kernel&lt;TStride&gt;</c>) is compiled by the JIT with the stride as a constant for each layout:
/// <see cref="Stride9"/> for a <see cref="StateMatrix"/> (capacity 9 × 9, every model) and
/// <see cref="Stride6"/> for a track's compact 6 × 6 store (<see cref="Trackers.Track"/>).
/// </summary>
internal interface IMatrixStride
{
    /// <summary>Doubles between the starts of two consecutive rows.</summary>
    static abstract int Value { get; }
}

/// <summary>The stride of <see cref="StateMatrix"/> (9).</summary>
internal readonly struct Stride9 : IMatrixStride
{
    /// <inheritdoc/>
    public static int Value => StateMatrix.Stride;
}

/// <summary>The stride of a compact 6 × 6 covariance (a track's store for states of dimension ≤ 6).</summary>
internal readonly struct Stride6 : IMatrixStride
{
    /// <inheritdoc/>
    public static int Value => 6;
}
