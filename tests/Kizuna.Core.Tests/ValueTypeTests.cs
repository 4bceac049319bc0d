using System.Collections.Immutable;

namespace Kizuna.Core.Tests;

public class AngleTests
{
    private const double TwoPi = 2 * Math.PI;

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(Math.PI, Math.PI)]
    [InlineData(-Math.PI, Math.PI)]
    [InlineData(TwoPi, 0.0)]
    [InlineData(-TwoPi, 0.0)]
    [InlineData(3 * Math.PI, Math.PI)]
    [InlineData(-0.5, TwoPi - 0.5)]
    [InlineData(7.0, 7.0 - TwoPi)]
    public void Normalized0To2Pi_EdgeCases_WrapIntoHalfOpenInterval(double input, double expected)
    {
        var r = Angle.FromRadians(input).Normalized0To2Pi().Radians;

        Assert.Equal(expected, r, 1e-12);
        Assert.InRange(r, 0, Math.BitDecrement(TwoPi));
    }

    [Fact]
    public void Normalized0To2Pi_TinyNegative_StaysBelowTwoPi()
    {
        var r = Angle.FromRadians(-1e-20).Normalized0To2Pi().Radians;

        Assert.True(r is >= 0 and < TwoPi, $"{r:R}");
    }

    [Theory]
    [InlineData(Math.PI, Math.PI)]
    [InlineData(-Math.PI, Math.PI)]
    [InlineData(3 * Math.PI, Math.PI)]
    [InlineData(-3 * Math.PI, Math.PI)]
    [InlineData(TwoPi, 0.0)]
    [InlineData(1.5 * Math.PI, -0.5 * Math.PI)]
    [InlineData(-1.5 * Math.PI, 0.5 * Math.PI)]
    [InlineData(0.25, 0.25)]
    public void WrapPi_EdgeCases_WrapIntoMinusPiExclusivePiInclusive(double input, double expected)
    {
        var r = Angle.WrapPi(input);

        Assert.Equal(expected, r, 1e-12);
        Assert.True(r > -Math.PI && r <= Math.PI, $"{r:R}");
        Assert.Equal(expected, Angle.FromRadians(input).NormalizedPlusMinusPi().Radians, 1e-12);
    }

    [Fact]
    public void FromDegrees_180_IsPiAndRoundTrips()
    {
        var a = Angle.FromDegrees(180);

        Assert.Equal(Math.PI, a.Radians);
        Assert.Equal(180, a.Degrees, 1e-12);
        Assert.Equal("180°", a.ToString());
    }

    [Fact]
    public void Operators_AddSubtractCompare_Behave()
    {
        var a = Angle.FromDegrees(30);
        var b = Angle.FromDegrees(45);

        Assert.Equal(75, (a + b).Degrees, 1e-12);
        Assert.Equal(-15, (a - b).Degrees, 1e-12);
        Assert.Equal(60, (a * 2).Degrees, 1e-12);
        Assert.True(a < b && b > a && a <= Angle.FromDegrees(30) && b >= a);
        Assert.True(a.CompareTo(b) < 0);
    }
}

public class LengthAndSpeedTests
{
    [Fact]
    public void Length_NauticalMilesAndFeet_UseInternationalDefinitions()
    {
        Assert.Equal(1852.0, Length.FromNauticalMiles(1).Metres);
        Assert.Equal(0.3048, Length.FromFeet(1).Metres, 1e-15);
        Assert.Equal(10_668.0, Length.FromFeet(35_000).Metres, 1e-9);
        Assert.Equal(250.0, Length.FromMetres(463_000).NauticalMiles, 1e-12);
        Assert.Equal(1000.0, Length.FromMetres(304.8).Feet, 1e-9);
        Assert.Equal(12.5, Length.FromKilometres(12.5).Kilometres, 1e-12);
    }

    [Fact]
    public void Length_Operators_AddSubtractCompare()
    {
        var a = Length.FromMetres(100);
        var b = Length.FromKilometres(1);

        Assert.Equal(1100, (a + b).Metres);
        Assert.Equal(900, (b - a).Metres);
        Assert.True(a < b && b > a && a <= Length.FromMetres(100) && b >= Length.FromMetres(1000));
    }

    [Fact]
    public void Speed_Knots_IsOneNauticalMilePerHour()
    {
        Assert.Equal(1852.0 / 3600.0, Speed.FromKnots(1).MetresPerSecond, 1e-15);
        Assert.Equal(450.0, Speed.FromKnots(450).Knots, 1e-12);
        Assert.Equal(194.3844492440605, Speed.FromMetresPerSecond(100).Knots, 1e-9);
        Assert.Equal(340.29, Speed.FromMach(1).MetresPerSecond);
        Assert.True(Speed.FromKnots(10) > Speed.FromMetresPerSecond(5));
    }
}

public class NationParsingTests
{
    [Theory]
    [InlineData("USA", "USA")]
    [InlineData("jpn", "JPN")]
    [InlineData("Aus", "AUS")]
    [InlineData("gbr", "GBR")]
    [InlineData("fra", "FRA")]
    public void TryParse_ThreeLetters_SucceedsUpperCase(string input, string code)
    {
        Assert.True(Nation.TryParse(input, out var n));
        Assert.Equal(code, n.Code);
        Assert.Equal(code, n.ToString());
        Assert.False(n.IsUnset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("US")]
    [InlineData("USAA")]
    [InlineData("U$A")]
    [InlineData("ÜSA")]
    [InlineData("U A")]
    [InlineData("123")]
    public void TryParse_Invalid_ReturnsFalseAndUnset(string? input)
    {
        Assert.False(Nation.TryParse(input, out var n));
        Assert.True(n.IsUnset);
    }

    [Fact]
    public void Parse_KnownCodes_ReturnTheNamedInstances()
    {
        Assert.Equal(Nation.Usa, Nation.Parse("usa"));
        Assert.Equal(Nation.Australia, Nation.Parse("AUS"));
        Assert.Equal(Nation.UnitedKingdom, Nation.Parse("GBR"));
        Assert.Throws<FormatException>(() => Nation.Parse("XX"));
    }

    [Fact]
    public void Default_IsUnsetWithEmptyCode()
    {
        var n = default(Nation);

        Assert.True(n.IsUnset);
        Assert.Equal(string.Empty, n.Code);
    }

    [Fact]
    public void CompareTo_OrdersByCode()
    {
        Assert.True(Nation.Australia.CompareTo(Nation.Japan) < 0);
        Assert.True(Nation.Usa.CompareTo(Nation.UnitedKingdom) > 0);
    }
}

public class MarkingTests
{
    [Fact]
    public void Equals_SameContentBuiltSeparately_AreEqualWithEqualHash()
    {
        var a = Marking.RelTo(Nation.Usa, Classification.Secret, Nation.Japan, Nation.Australia);
        var b = Marking.RelTo(Nation.Usa, Classification.Secret, Nation.Australia, Nation.Japan);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Marking.RelTo(Nation.Usa, Classification.Secret, Nation.Japan));
        Assert.NotEqual(a, Marking.RelTo(Nation.Usa, Classification.Confidential, Nation.Japan, Nation.Australia));
        Assert.NotEqual(a, Marking.RelTo(Nation.Japan, Classification.Secret, Nation.Usa, Nation.Australia));
    }

    [Fact]
    public void OriginatorOnly_DeniesEveryOtherNation()
    {
        var m = Marking.OriginatorOnly(Nation.Usa);

        Assert.True(m.IsReleasableTo(Nation.Usa));
        Assert.False(m.IsReleasableTo(Nation.Japan));
        Assert.False(m.IsReleasableTo(Nation.Australia));
        Assert.False(m.IsReleasableTo(default));
        Assert.Equal("SECRET//USA ONLY", m.ToString());
    }

    [Fact]
    public void RelTo_ReleasesOnlyListedNations()
    {
        var m = Marking.RelTo(Nation.Japan, Classification.Confidential, Nation.Usa);

        Assert.True(m.IsReleasableTo(Nation.Japan));
        Assert.True(m.IsReleasableTo(Nation.Usa));
        Assert.False(m.IsReleasableTo(Nation.Australia));
        Assert.False(m.IsReleasableTo(Nation.UnitedKingdom));
    }

    [Fact]
    public void Banner_ListsOriginatorAndReleasesAlphabetically()
    {
        var m = Marking.RelTo(Nation.Usa, Classification.Secret, Nation.Japan, Nation.Australia);

        Assert.Equal("SECRET//REL TO AUS, JPN, USA", m.ToString());
    }

    [Fact]
    public void Banner_TopSecretAndUnclassified_SpellTheLevel()
    {
        Assert.Equal("TOP SECRET//AUS ONLY", Marking.OriginatorOnly(Nation.Australia, Classification.TopSecret).ToString());
        Assert.Equal("UNCLASSIFIED//REL TO GBR, USA", Marking.RelTo(Nation.UnitedKingdom, Classification.Unclassified, Nation.Usa).ToString());
    }

    [Fact]
    public void Constructor_UnsetOriginator_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Marking(Classification.Secret, default, ImmutableSortedSet<Nation>.Empty));
    }
}

public class Mat3Tests
{
    private static readonly Mat3 A = new(4, -2, 1, 3, 6, -4, 2, 1, 8);

    private static void AssertMatrixEqual(Mat3 expected, Mat3 actual, double tol)
    {
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= tol, $"[{i},{j}] {expected} vs {actual}");
            }
        }
    }

    [Fact]
    public void Determinant_KnownMatrix_MatchesCofactorExpansion()
    {
        // 4(48 + 4) + 2(24 + 8) + 1(3 − 12) = 208 + 64 − 9 = 263.
        Assert.Equal(263, A.Determinant, 1e-9);
        Assert.Equal(1, Mat3.Identity.Determinant);
        Assert.Equal(24, Mat3.Diagonal(2, 3, 4).Determinant);
    }

    [Fact]
    public void Inverse_TimesSelf_IsIdentityBothSides()
    {
        var inv = A.Inverse();

        AssertMatrixEqual(Mat3.Identity, inv * A, 1e-14);
        AssertMatrixEqual(Mat3.Identity, A * inv, 1e-14);
    }

    [Fact]
    public void Inverse_Singular_Throws()
    {
        var singular = new Mat3(1, 2, 3, 2, 4, 6, 0, 1, 1);

        Assert.Throws<InvalidOperationException>(() => singular.Inverse());
    }

    [Fact]
    public void Congruence_AnyJacobian_GivesSymmetricResultEqualToJPJt()
    {
        var p = new Mat3(4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2);

        var c = Mat3.Congruence(A, p);

        Assert.Equal(c.M01, c.M10);
        Assert.Equal(c.M02, c.M20);
        Assert.Equal(c.M12, c.M21);
        AssertMatrixEqual(A * p * A.Transpose(), c, 1e-12);
    }

    [Fact]
    public void TransposeRowAndIndexer_AreConsistent()
    {
        var t = A.Transpose();

        Assert.Equal(A[0, 1], t[1, 0]);
        Assert.Equal(new Vec3(3, 6, -4), A.Row(1));
        Assert.Equal(A, Mat3.FromRows(A.Row(0), A.Row(1), A.Row(2)));
        Assert.Equal(18, A.Trace);
        Assert.Throws<ArgumentOutOfRangeException>(() => A[3, 0]);
    }

    [Fact]
    public void MatrixVectorAndAlgebra_MatchHandComputation()
    {
        Assert.Equal(new Vec3(4 - 4 + 3, 3 + 12 - 12, 2 + 2 + 24), A * new Vec3(1, 2, 3));
        AssertMatrixEqual(A * 2, A + A, 0);
        Assert.Equal("[[1, 0, 0], [0, 1, 0], [0, 0, 1]]", Mat3.Identity.ToString());
    }
}

public class Vec3Tests
{
    [Fact]
    public void DotCrossNorm_MatchHandComputation()
    {
        var a = new Vec3(1, 2, 3);
        var b = new Vec3(4, -5, 6);

        Assert.Equal(12, Vec3.Dot(a, b));
        Assert.Equal(new Vec3(27, 6, -13), Vec3.Cross(a, b));
        Assert.Equal(0, Vec3.Dot(Vec3.Cross(a, b), a));
        Assert.Equal(Math.Sqrt(14), a.Norm);
        Assert.Equal(14, a.NormSquared);
    }

    [Fact]
    public void Operators_Behave()
    {
        var a = new Vec3(1, 2, 3);

        Assert.Equal(new Vec3(2, 4, 6), a + a);
        Assert.Equal(Vec3.Zero, a - a);
        Assert.Equal(new Vec3(-1, -2, -3), -a);
        Assert.Equal(new Vec3(3, 6, 9), a * 3);
        Assert.Equal(new Vec3(3, 6, 9), 3 * a);
        Assert.Equal(new Vec3(0.5, 1, 1.5), a / 2);
        Assert.Equal(2.0, a[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => a[3]);
    }

    [Fact]
    public void Normalized_ZeroStaysZeroOthersUnitLength()
    {
        Assert.Equal(Vec3.Zero, Vec3.Zero.Normalized);
        Assert.Equal(1, new Vec3(3, -4, 12).Normalized.Norm, 1e-15);
    }

    [Fact]
    public void IsFinite_NaNOrInfinity_False()
    {
        Assert.True(new Vec3(1, 2, 3).IsFinite);
        Assert.False(new Vec3(double.NaN, 0, 0).IsFinite);
        Assert.False(new Vec3(0, double.PositiveInfinity, 0).IsFinite);
    }

    // Regression: the record's generated ToString printed Normalized (a Vec3) and overflowed the stack.
    [Fact]
    public void ToString_DoesNotRecurse_AndIsInvariant()
    {
        Assert.Equal("(1.5, -2, 3)", new Vec3(1.5, -2, 3).ToString());
    }
}
