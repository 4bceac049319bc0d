using Kizuna.Core;
using Kizuna.Network.Picture;

namespace Kizuna.Network.Tests.Picture;

public sealed class CorrelationAndFusionTests
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly Vec3 Origin = new(-3_950_000, 3_350_000, 3_700_000);

    private static KinematicState State(Vec3 p, Mat3 pp, Mat3 pv, Vec3 v = default) => new(T0, p, v, pp, pv);

    [Fact]
    public void Gate_Probability099_IsChiSquareSixQuantile() =>
        Assert.Equal(16.812, TrackCorrelation.Gate(0.99), 3);

    [Fact]
    public void MahalanobisSquared_KnownOffset_MatchesClosedForm()
    {
        // Pp = σ² I for both, Δp = (d, 0, 0): d² = d² / (2σ²); equal velocities contribute 0.
        var a = State(Origin, Mat3.Diagonal(100, 100, 100), Mat3.Diagonal(4, 4, 4));
        var b = State(Origin + new Vec3(30, 0, 0), Mat3.Diagonal(100, 100, 100), Mat3.Diagonal(4, 4, 4));
        Assert.Equal(900 / 200.0, TrackCorrelation.MahalanobisSquared(a, b, 0), 12);
    }

    [Fact]
    public void MahalanobisSquared_RemoteStateOlder_IsPredictedToLocalTime()
    {
        var v = new Vec3(200, 0, 0);
        var local = new KinematicState(T0.AddSeconds(10), Origin + (v * 10), v, Mat3.Diagonal(100, 100, 100), Mat3.Diagonal(4, 4, 4));
        var remote = new KinematicState(T0, Origin, v, Mat3.Diagonal(100, 100, 100), Mat3.Diagonal(4, 4, 4));
        Assert.Equal(0, TrackCorrelation.MahalanobisSquared(local, remote, 20), 12);
    }

    [Fact]
    public void Hysteresis_KPassesNeeded_FailResetsTheCount()
    {
        var h = default(CorrelationHysteresis).Record(true).Record(true);
        Assert.False(h.ShouldCorrelate(3));
        Assert.False(h.Record(false).Record(true).Record(true).ShouldCorrelate(3));
        Assert.True(h.Record(true).ShouldCorrelate(3));
        Assert.True(h.Record(false).Record(false).Record(false).ShouldDecorrelate(3));
    }

    public static TheoryData<double, double, double> Pairs => new()
    {
        { 100, 2_500, 0.3 },
        { 900, 400, -0.7 },
        { 2_500, 2_500, 1.0 },
        { 50, 5_000, 0.9 },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Fuse_AnyAdmissibleCrossCorrelation_IsConsistent(double sa, double sb, double rho)
    {
        // A and B elongated along different axes; cross-covariance C = ρ L_a L_bᵀ (a valid joint covariance for |ρ| ≤ 1).
        var pa = Rotate(Mat3.Diagonal(sa, sa / 10, sa / 3), 0.4);
        var pb = Rotate(Mat3.Diagonal(sb / 8, sb, sb / 2), -0.9);
        var a = State(Origin, pa, pa);
        var b = State(Origin + new Vec3(10, -5, 3), pb, pb);
        var fused = CovarianceIntersection.Fuse(a, b, 0);
        var w = fused.Omega;
        var p = fused.State.PositionCovariance;
        var ka = p * pa.Inverse() * w;
        var kb = p * pb.Inverse() * (1 - w);
        var c = Cholesky(pa) * Cholesky(pb).Transpose() * rho;
        var actual = (ka * pa * ka.Transpose()) + (kb * pb * kb.Transpose()) + (ka * c * kb.Transpose()) + (kb * c.Transpose() * ka.Transpose());
        var slack = p + (actual * -1);
        Assert.True(SmallestEigenvalue(slack) >= -1e-9 * p.Trace, $"P − E not PSD: {slack}");
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Fuse_DeterminantNotAboveEitherInput(double sa, double sb, double rho)
    {
        _ = rho;
        var pa = Rotate(Mat3.Diagonal(sa, sa / 10, sa / 3), 0.4);
        var pb = Rotate(Mat3.Diagonal(sb / 8, sb, sb / 2), -0.9);
        var fused = CovarianceIntersection.Fuse(State(Origin, pa, pa), State(Origin, pb, pb), 0);
        var det = fused.State.PositionCovariance.Determinant * fused.State.VelocityCovariance.Determinant;
        Assert.True(det <= pa.Determinant * pa.Determinant * (1 + 1e-9));
        Assert.True(det <= pb.Determinant * pb.Determinant * (1 + 1e-9));
        Assert.InRange(fused.Omega, 0, 1);
    }

    [Fact]
    public void Fuse_IdenticalInputs_DoesNotShrinkTheCovariance()
    {
        // Two copies of one estimate (fully correlated): CI must not claim new information.
        var pa = Mat3.Diagonal(400, 900, 100);
        var fused = CovarianceIntersection.Fuse(State(Origin, pa, pa), State(Origin, pa, pa), 0).State;
        Assert.Equal(pa.Determinant, fused.PositionCovariance.Determinant, 6);
        Assert.Equal(Origin, fused.Position);
    }

    [Fact]
    public void Fuse_OneInputMuchBetter_FollowsIt()
    {
        var good = State(Origin, Mat3.Diagonal(1, 1, 1), Mat3.Diagonal(1, 1, 1));
        var poor = State(Origin + new Vec3(1_000, 0, 0), Mat3.Diagonal(1e6, 1e6, 1e6), Mat3.Diagonal(1e4, 1e4, 1e4));
        var fused = CovarianceIntersection.Fuse(good, poor, 0);
        Assert.Equal(1.0, fused.Omega, 6);
        Assert.Equal(Origin.X, fused.State.Position.X, 3);
    }

    [Fact]
    public void FuseWithOmega_EndPoints_ReturnTheInputs()
    {
        var a = State(Origin, Mat3.Diagonal(100, 200, 300), Mat3.Diagonal(1, 2, 3));
        var b = State(Origin + new Vec3(50, 0, 0), Mat3.Diagonal(300, 200, 100), Mat3.Diagonal(3, 2, 1));
        Assert.Equal(a.Position.X, CovarianceIntersection.FuseWithOmega(a, b, 1, 0).Position.X, 6);
        Assert.Equal(b.Position.X, CovarianceIntersection.FuseWithOmega(a, b, 0, 0).Position.X, 6);
    }

    private static Mat3 Rotate(Mat3 d, double angle)
    {
        var (s, c) = Math.SinCos(angle);
        var r = new Mat3(c, -s, 0, s * c, c * c, -s, s * s, c * s, c);
        return Mat3.Congruence(r, d);
    }

    private static Mat3 Cholesky(Mat3 a)
    {
        var l00 = Math.Sqrt(a.M00);
        var l10 = a.M10 / l00;
        var l20 = a.M20 / l00;
        var l11 = Math.Sqrt(a.M11 - (l10 * l10));
        var l21 = (a.M21 - (l20 * l10)) / l11;
        var l22 = Math.Sqrt(a.M22 - (l20 * l20) - (l21 * l21));
        return new Mat3(l00, 0, 0, l10, l11, 0, l20, l21, l22);
    }

    private static double SmallestEigenvalue(Mat3 m)
    {
        var a = m.Symmetrize();
        var q = a.Trace / 3;
        var p2 = ((a.M00 - q) * (a.M00 - q)) + ((a.M11 - q) * (a.M11 - q)) + ((a.M22 - q) * (a.M22 - q)) + (2 * ((a.M01 * a.M01) + (a.M02 * a.M02) + (a.M12 * a.M12)));
        if (p2 <= 0)
        {
            return q;
        }

        var p = Math.Sqrt(p2 / 6);
        var b = new Mat3(a.M00 - q, a.M01, a.M02, a.M10, a.M11 - q, a.M12, a.M20, a.M21, a.M22 - q) * (1 / p);
        var phi = Math.Acos(Math.Clamp(b.Determinant / 2, -1, 1)) / 3;
        return q + (2 * p * Math.Cos(phi + (2 * Math.PI / 3)));
    }
}
