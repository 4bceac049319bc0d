namespace Kizuna.Tracking.LinearAlgebra;

/// <summary>
/// Allocation-free dense linear algebra for small matrices (n ≤ 9) held in <see cref="StateMatrix"/>
/// buffers (row stride 9) and <see cref="StateVector"/> buffers, addressed through spans.
/// </summary>
/// <remarks>
/// Cholesky factorisation A = L Lᵀ of a symmetric positive-definite matrix (G. H. Golub &amp;
/// C. F. Van Loan, "Matrix Computations", 4th ed. (2013), §4.2.5, Algorithm 4.2.2, the
/// "gaxpy" Cholesky): L_jj = √(A_jj − Σ_{k&lt;j} L_jk²), L_ij = (A_ij − Σ_{k&lt;j} L_ik L_jk) / L_jj.
/// Solves use forward then backward substitution (§3.1); log det A = 2 Σ ln L_jj; the inverse is
/// obtained by solving A X = I column by column. Factorisation fails (returns false) when a
/// pivot is not strictly positive and finite, which is the test for positive definiteness used
/// throughout the tracker. Outputs must not alias inputs unless stated.
/// </remarks>
public static class Dense
{
    private const int S = StateMatrix.Stride;

    /// <summary>C (n×m) = A (n×k) · B (k×m).</summary>
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int n, int k, int m)
    {
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < m; j++)
            {
                var sum = 0.0;
                for (var l = 0; l < k; l++)
                {
                    sum += a[(i * S) + l] * b[(l * S) + j];
                }

                c[(i * S) + j] = sum;
            }
        }
    }

    /// <summary>C (n×m) = A (n×k) · Bᵀ, with B stored as m×k.</summary>
    public static void MultiplyTransposed(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int n, int k, int m)
    {
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < m; j++)
            {
                var sum = 0.0;
                for (var l = 0; l < k; l++)
                {
                    sum += a[(i * S) + l] * b[(j * S) + l];
                }

                c[(i * S) + j] = sum;
            }
        }
    }

    /// <summary>y (n) = A (n×k) · x (k).</summary>
    public static void MultiplyVector(ReadOnlySpan<double> a, ReadOnlySpan<double> x, Span<double> y, int n, int k)
    {
        for (var i = 0; i < n; i++)
        {
            var sum = 0.0;
            for (var l = 0; l < k; l++)
            {
                sum += a[(i * S) + l] * x[l];
            }

            y[i] = sum;
        }
    }

    /// <summary>A ← A + B on the leading n×n block.</summary>
    public static void AddInPlace(Span<double> a, ReadOnlySpan<double> b, int n)
    {
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                a[(i * S) + j] += b[(i * S) + j];
            }
        }
    }

    /// <summary>B = Aᵀ for an n×m matrix A (B is m×n).</summary>
    public static void Transpose(ReadOnlySpan<double> a, Span<double> b, int n, int m)
    {
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < m; j++)
            {
                b[(j * S) + i] = a[(i * S) + j];
            }
        }
    }

    /// <summary>A ← (A + Aᵀ)/2 on the leading n×n block (removes round-off asymmetry exactly).</summary>
    public static void Symmetrize(Span<double> a, int n) => Symmetrize<Stride9>(a, n);

    /// <summary><see cref="Symmetrize(Span{double}, int)"/> for a buffer of row stride <typeparamref name="TStride"/>.</summary>
    internal static void Symmetrize<TStride>(Span<double> a, int n)
        where TStride : struct, IMatrixStride
    {
        var s = TStride.Value;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var v = 0.5 * (a[(i * s) + j] + a[(j * s) + i]);
                a[(i * s) + j] = v;
                a[(j * s) + i] = v;
            }
        }
    }

    /// <summary>
    /// In-place Cholesky factorisation: on success the lower triangle of the leading n×n block
    /// holds L (A = L Lᵀ) and the strict upper triangle is zeroed. Returns false when A is not
    /// numerically positive definite.
    /// </summary>
    public static bool Cholesky(Span<double> a, int n)
    {
        for (var j = 0; j < n; j++)
        {
            var d = a[(j * S) + j];
            for (var k = 0; k < j; k++)
            {
                var l = a[(j * S) + k];
                d -= l * l;
            }

            if (!(d > 0) || !double.IsFinite(d))
            {
                return false;
            }

            var ljj = Math.Sqrt(d);
            a[(j * S) + j] = ljj;
            var inv = 1.0 / ljj;
            for (var i = j + 1; i < n; i++)
            {
                var v = a[(i * S) + j];
                for (var k = 0; k < j; k++)
                {
                    v -= a[(i * S) + k] * a[(j * S) + k];
                }

                a[(i * S) + j] = v * inv;
            }

            for (var i = j + 1; i < n; i++)
            {
                a[(j * S) + i] = 0;
            }
        }

        return true;
    }

    /// <summary>Solves L Lᵀ x = b in place (b ← x), given the Cholesky factor L from <see cref="Cholesky"/>.</summary>
    public static void CholeskySolve(ReadOnlySpan<double> l, Span<double> b, int n)
    {
        for (var i = 0; i < n; i++)
        {
            var v = b[i];
            for (var k = 0; k < i; k++)
            {
                v -= l[(i * S) + k] * b[k];
            }

            b[i] = v / l[(i * S) + i];
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var v = b[i];
            for (var k = i + 1; k < n; k++)
            {
                v -= l[(k * S) + i] * b[k];
            }

            b[i] = v / l[(i * S) + i];
        }
    }

    /// <summary>log det A = 2 Σ ln L_jj from the Cholesky factor L.</summary>
    public static double LogDeterminantFromCholesky(ReadOnlySpan<double> l, int n)
    {
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            sum += Math.Log(l[(i * S) + i]);
        }

        return 2 * sum;
    }

    /// <summary>
    /// Inverse of a symmetric positive-definite matrix by Cholesky; writes the symmetric inverse
    /// into <paramref name="inverse"/> and its log-determinant into <paramref name="logDeterminant"/>.
    /// Returns false (outputs unspecified) when A is not positive definite. A is not modified.
    /// </summary>
    public static bool InvertSpd(ReadOnlySpan<double> a, Span<double> inverse, int n, out double logDeterminant)
    {
        Span<double> l = stackalloc double[S * S];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                l[(i * S) + j] = a[(i * S) + j];
            }
        }

        if (!Cholesky(l, n))
        {
            logDeterminant = double.NaN;
            return false;
        }

        logDeterminant = LogDeterminantFromCholesky(l, n);
        Span<double> col = stackalloc double[S];
        for (var j = 0; j < n; j++)
        {
            col.Clear();
            col[j] = 1;
            CholeskySolve(l, col, n);
            for (var i = 0; i < n; i++)
            {
                inverse[(i * S) + j] = col[i];
            }
        }

        Symmetrize(inverse, n);
        return true;
    }

    /// <summary>
    /// Squared Mahalanobis distance xᵀ A⁻¹ x for SPD A (not modified). Returns NaN when A is not
    /// positive definite.
    /// </summary>
    public static double MahalanobisSquared(ReadOnlySpan<double> x, ReadOnlySpan<double> a, int n)
    {
        Span<double> l = stackalloc double[S * S];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                l[(i * S) + j] = a[(i * S) + j];
            }
        }

        if (!Cholesky(l, n))
        {
            return double.NaN;
        }

        // d² = |L⁻¹ x|², forward substitution only.
        Span<double> y = stackalloc double[S];
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            var v = x[i];
            for (var k = 0; k < i; k++)
            {
                v -= l[(i * S) + k] * y[k];
            }

            y[i] = v / l[(i * S) + i];
            sum += y[i] * y[i];
        }

        return sum;
    }

    /// <summary>True when the leading n×n block is exactly symmetric and Cholesky-factorisable.</summary>
    public static bool IsSymmetricPositiveDefinite(ReadOnlySpan<double> a, int n)
    {
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                if (a[(i * S) + j] != a[(j * S) + i])
                {
                    return false;
                }
            }
        }

        Span<double> l = stackalloc double[S * S];
        a[..(S * S)].CopyTo(l);
        return Cholesky(l, n);
    }
}
