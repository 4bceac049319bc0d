using Kizuna.Core;

namespace Kizuna.Tracking.LinearAlgebra;

/// <summary>
/// Inverse and log-determinant of a symmetric positive-definite innovation covariance of
/// dimension m ∈ {1, 2, 3} held in the leading block of a <see cref="Mat3"/>.
/// </summary>
/// <remarks>
/// Closed-form Cholesky (Golub &amp; Van Loan, "Matrix Computations", 4th ed., §4.2.5) unrolled
/// for m ≤ 3: L = [l00 0 0; l10 l11 0; l20 l21 l22]; S⁻¹ = L⁻ᵀ L⁻¹; log det S = 2 Σ ln l_ii.
/// Unused rows and columns of the result are zero.
/// </remarks>
public static class SmallSpd
{
    /// <summary>Inverts the leading m×m block of SPD <paramref name="s"/>; false when not positive definite.</summary>
    public static bool TryInvert(in Mat3 s, int m, out Mat3 inverse, out double logDeterminant)
    {
        inverse = default;
        logDeterminant = double.NaN;
        var d0 = s.M00;
        if (!(d0 > 0) || !double.IsFinite(d0))
        {
            return false;
        }

        var l00 = Math.Sqrt(d0);
        var i00 = 1 / l00;
        if (m == 1)
        {
            inverse = new Mat3(i00 * i00, 0, 0, 0, 0, 0, 0, 0, 0);
            logDeterminant = Math.Log(d0);
            return true;
        }

        var l10 = s.M10 * i00;
        var d1 = s.M11 - (l10 * l10);
        if (!(d1 > 0) || !double.IsFinite(d1))
        {
            return false;
        }

        var l11 = Math.Sqrt(d1);
        var i11 = 1 / l11;

        // Inverse of L (lower triangular): N = L⁻¹.
        var n10 = -l10 * i00 * i11;
        if (m == 2)
        {
            // S⁻¹ = Nᵀ N.
            inverse = new Mat3(
                (i00 * i00) + (n10 * n10), n10 * i11, 0,
                n10 * i11, i11 * i11, 0,
                0, 0, 0);
            logDeterminant = 2 * (Math.Log(l00) + Math.Log(l11));
            return true;
        }

        var l20 = s.M20 * i00;
        var l21 = (s.M21 - (l20 * l10)) * i11;
        var d2 = s.M22 - (l20 * l20) - (l21 * l21);
        if (!(d2 > 0) || !double.IsFinite(d2))
        {
            return false;
        }

        var l22 = Math.Sqrt(d2);
        var i22 = 1 / l22;
        var n21 = -l21 * i11 * i22;
        var n20 = -((l20 * i00) + (l21 * n10)) * i22;

        // S⁻¹ = Nᵀ N with N = [i00 0 0; n10 i11 0; n20 n21 i22].
        var a00 = (i00 * i00) + (n10 * n10) + (n20 * n20);
        var a01 = (n10 * i11) + (n20 * n21);
        var a02 = n20 * i22;
        var a11 = (i11 * i11) + (n21 * n21);
        var a12 = n21 * i22;
        var a22 = i22 * i22;
        inverse = new Mat3(a00, a01, a02, a01, a11, a12, a02, a12, a22);
        logDeterminant = 2 * (Math.Log(l00) + Math.Log(l11) + Math.Log(l22));
        return true;
    }

    /// <summary>Quadratic form vᵀ A v over the leading m components.</summary>
    public static double QuadraticForm(in Mat3 a, Vec3 v, int m) => m switch
    {
        1 => v.X * a.M00 * v.X,
        2 => (v.X * ((a.M00 * v.X) + (a.M01 * v.Y))) + (v.Y * ((a.M10 * v.X) + (a.M11 * v.Y))),
        _ => Vec3.Dot(v, a * v),
    };
}
