using Kizuna.Core;
using Kizuna.Tracking.LinearAlgebra;

namespace Kizuna.Tracking.Tests;

public class DenseTests
{
    private const int S = StateMatrix.Stride;

    private static StateMatrix RandomSpd(int n, int seed)
    {
        var rng = new Random(seed);
        var a = default(StateMatrix);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                a[(i * S) + j] = rng.NextDouble() - 0.5;
            }
        }

        var spd = default(StateMatrix);
        Dense.MultiplyTransposed(a, a, spd, n, n, n);
        for (var i = 0; i < n; i++)
        {
            spd[(i * S) + i] += 0.1;
        }

        return spd;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(9)]
    public void InvertSpd_RandomMatrix_ProductIsIdentity(int n)
    {
        var a = RandomSpd(n, 42 + n);
        var inv = default(StateMatrix);
        Assert.True(Dense.InvertSpd(a, inv, n, out _));
        var product = default(StateMatrix);
        Dense.Multiply(a, inv, product, n, n, n);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                Assert.Equal(i == j ? 1.0 : 0.0, product[(i * S) + j], 1e-9);
            }
        }
    }

    [Fact]
    public void LogDeterminant_DiagonalTimesRotation_MatchesSumOfLogs()
    {
        // A = Rᵀ D R has det = Π dᵢ for a rotation R.
        var r = new Core.Geodesy.EnuFrame(Core.Geodesy.Geodetic.FromDegrees(35, 139)).EcefToEnu;
        var a = Mat3.Congruence(r.Transpose(), Mat3.Diagonal(2, 1e-3, 5e4));
        var m = default(StateMatrix);
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                m[(i * S) + j] = a[i, j];
            }
        }

        var inv = default(StateMatrix);
        Assert.True(Dense.InvertSpd(m, inv, 3, out var logDet));
        // Condition number 5e7: round-off in the smallest eigenvalue is ~1e-8 relative.
        Assert.Equal(Math.Log(2) + Math.Log(1e-3) + Math.Log(5e4), logDet, 1e-7);
        Assert.True(SmallSpd.TryInvert(a, 3, out var inv3, out var logDet3));
        Assert.Equal(logDet, logDet3, 1e-9);
        Assert.Equal(inv[(1 * S) + 2], inv3.M12, 1e-6 * Math.Abs(inv3.M12) + 1e-12);
    }

    [Fact]
    public void CholeskySolve_KnownSystem_ReturnsSolution()
    {
        var a = RandomSpd(7, 7);
        var x = default(StateVector);
        for (var i = 0; i < 7; i++)
        {
            x[i] = i - 3;
        }

        var b = default(StateVector);
        Dense.MultiplyVector(a, x, b, 7, 7);
        var l = a;
        Assert.True(Dense.Cholesky(l, 7));
        Dense.CholeskySolve(l, b, 7);
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(x[i], b[i], 1e-9);
        }
    }

    [Fact]
    public void Cholesky_IndefiniteMatrix_ReturnsFalse()
    {
        var a = default(StateMatrix);
        a[0] = 1;
        a[1] = 2;
        a[S] = 2;
        a[S + 1] = 1;
        Assert.False(Dense.Cholesky(a, 2));
        Assert.False(SmallSpd.TryInvert(new Mat3(1, 2, 0, 2, 1, 0, 0, 0, 1), 3, out _, out _));
    }

    [Fact]
    public void SmallSpd_TwoByTwoBlock_MatchesAdjugateInverse()
    {
        var s = new Mat3(4, 1.5, 99, 1.5, 2, 99, 99, 99, 99);
        Assert.True(SmallSpd.TryInvert(s, 2, out var inv, out var logDet));
        var det = (4 * 2) - (1.5 * 1.5);
        Assert.Equal(2 / det, inv.M00, 1e-12);
        Assert.Equal(-1.5 / det, inv.M01, 1e-12);
        Assert.Equal(4 / det, inv.M11, 1e-12);
        Assert.Equal(0, inv.M22);
        Assert.Equal(Math.Log(det), logDet, 1e-12);
    }
}
