using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.Predictors;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Tests;

public class TransitionModelTests
{
    private const int S = StateMatrix.Stride;

    private static void AssertJacobianMatchesDifferences<T>(T model, StateVector x, double dt, double[] steps, double tolerance)
        where T : ITransitionModel
    {
        var n = model.Dimension;
        var f = default(StateMatrix);
        model.Jacobian(x, dt, ref f);
        for (var j = 0; j < n; j++)
        {
            var plus = x;
            var minus = x;
            plus[j] += steps[j];
            minus[j] -= steps[j];
            model.Transition(ref plus, dt);
            model.Transition(ref minus, dt);
            for (var i = 0; i < n; i++)
            {
                var fd = (plus[i] - minus[i]) / (2 * steps[j]);
                Assert.True(Math.Abs(fd - f[(i * S) + j]) <= tolerance * Math.Max(1, Math.Abs(fd)),
                    $"F[{i},{j}] = {f[(i * S) + j]}, differences give {fd}.");
            }
        }
    }

    [Theory]
    [InlineData(0.1745, 1.0)]
    [InlineData(-0.05, 4.0)]
    [InlineData(1e-7, 2.0)]
    public void CoordinatedTurnFlat_Jacobian_MatchesCentralDifferences(double omega, double dt)
    {
        var x = default(StateVector);
        x[0] = 100; x[1] = -50; x[2] = 3000; x[3] = 200; x[4] = 30; x[5] = -5; x[6] = omega;
        AssertJacobianMatchesDifferences(CoordinatedTurn.Flat(1, 1e-4), x, dt, [1, 1, 1, 1e-3, 1e-3, 1e-3, 1e-6], 1e-5);
    }

    [Fact]
    public void CoordinatedTurnEcef_VelocityJacobian_MatchesCentralDifferences()
    {
        // Position columns neglect ∂u/∂p (documented); check velocity and ω columns in ECEF.
        var frame = new EnuFrame(Geodetic.FromDegrees(36, 140, 9000));
        var p = frame.OriginEcef;
        var v = frame.RotateToEcef(new Vec3(180, 150, 2));
        var x = default(StateVector);
        for (var i = 0; i < 3; i++)
        {
            x[i] = p[i];
            x[i + 3] = v[i];
        }

        x[6] = 0.08;
        var model = CoordinatedTurn.Ecef(1, 1e-4);
        var f = default(StateMatrix);
        model.Jacobian(x, 2.0, ref f);
        for (var j = 3; j < 7; j++)
        {
            var h = j == 6 ? 1e-6 : 1e-3;
            var plus = x;
            var minus = x;
            plus[j] += h;
            minus[j] -= h;
            model.Transition(ref plus, 2.0);
            model.Transition(ref minus, 2.0);
            for (var i = 0; i < 7; i++)
            {
                // ECEF positions are ~6e6 m, so differences carry ~1e-3 round-off at h = 1e-6.
                var fd = (plus[i] - minus[i]) / (2 * h);
                Assert.True(Math.Abs(fd - f[(i * S) + j]) <= 1e-5 * Math.Max(1, Math.Abs(fd)), $"F[{i},{j}] = {f[(i * S) + j]}, differences give {fd}.");
            }
        }
    }

    [Fact]
    public void CoordinatedTurnEcef_QuarterTurn_KeepsSpeedAndHeightAndTurnsLeft()
    {
        var frame = new EnuFrame(Geodetic.FromDegrees(-20, 130, 10_000));
        var model = CoordinatedTurn.Ecef(0, 0);
        const double speed = 200;
        var omega = Math.PI / 2 / 60; // 90° in 60 s
        var x = default(StateVector);
        var p0 = frame.OriginEcef;
        var v0 = frame.RotateToEcef(new Vec3(0, speed, 0)); // heading north
        for (var i = 0; i < 3; i++)
        {
            x[i] = p0[i];
            x[i + 3] = v0[i];
        }

        x[6] = omega;
        for (var k = 0; k < 60; k++)
        {
            model.Transition(ref x, 1.0);
        }

        var venu = frame.RotateToEnu(new Vec3(x[3], x[4], x[5]));
        var penu = frame.ToEnu(new Vec3(x[0], x[1], x[2]));
        Assert.Equal(speed, venu.Norm, 1e-6);
        Assert.True(venu.X < -199 && Math.Abs(venu.Y) < 1, $"Expected heading west after a left quarter turn, got ({venu.X:0.0}, {venu.Y:0.0}, {venu.Z:0.0}).");

        // Arc radius R = v/ω: the quarter turn ends at (−R, R) from the start, within the flat-vs-
        // ellipsoid difference over ~8 km.
        var radius = speed / omega;
        Assert.InRange(penu.X, -radius - 20, -radius + 20);
        Assert.InRange(penu.Y, radius - 20, radius + 20);
    }

    [Fact]
    public void NearlyConstantAcceleration_Transition_MatchesKinematics()
    {
        var x = default(StateVector);
        x[3] = 10; x[6] = 2;
        new NearlyConstantAcceleration(1).Transition(ref x, 3);
        Assert.Equal((10 * 3) + (0.5 * 2 * 9), x[0], 1e-12);
        Assert.Equal(10 + (2 * 3), x[3], 1e-12);
        var q = default(StateMatrix);
        new NearlyConstantAcceleration(2).ProcessNoise(x, 3, ref q);
        Assert.Equal(2 * Math.Pow(3, 5) / 20, q[0], 1e-12);
        Assert.True(Dense.IsSymmetricPositiveDefinite(q, 9));
    }

    /// <summary>Reference dynamics written independently of the model: Kepler + J₂ + rotating frame.</summary>
    private static (Vec3 A, Vec3 V) Derivative(Vec3 r, Vec3 v)
    {
        const double mu = 3.986004418e14, re = 6378137.0, j2 = 1.082626683553e-3, w = 7.292115e-5;
        var rn = r.Norm;
        var zr = r.Z / rn;
        var common = -mu / (rn * rn * rn);
        var j2f = 1.5 * j2 * (re / rn) * (re / rn);
        var g = new Vec3(
            common * r.X * (1 + (j2f * (1 - (5 * zr * zr)))),
            common * r.Y * (1 + (j2f * (1 - (5 * zr * zr)))),
            common * r.Z * (1 + (j2f * (3 - (5 * zr * zr)))));
        var omega = new Vec3(0, 0, w);
        var a = g - (2 * Vec3.Cross(omega, v)) - Vec3.Cross(omega, Vec3.Cross(omega, r));
        return (a, v);
    }

    [Fact]
    public void Ballistic_SixtySecondCoast_MatchesFineRk4Reference()
    {
        var frame = new EnuFrame(Geodetic.FromDegrees(40, 130, 150_000));
        var r0 = frame.OriginEcef;
        var v0 = frame.RotateToEcef(new Vec3(2000, 1500, 1200));

        // Reference: RK4 with 1 ms steps.
        var r = r0;
        var v = v0;
        const double h = 1e-3;
        for (var k = 0; k < 60_000; k++)
        {
            var (a1, d1) = Derivative(r, v);
            var (a2, d2) = Derivative(r + (0.5 * h * d1), v + (0.5 * h * a1));
            var (a3, d3) = Derivative(r + (0.5 * h * d2), v + (0.5 * h * a2));
            var (a4, d4) = Derivative(r + (h * d3), v + (h * a3));
            r += h / 6 * (d1 + (2 * d2) + (2 * d3) + d4);
            v += h / 6 * (a1 + (2 * a2) + (2 * a3) + a4);
        }

        // The filter path: 30 EKF predictions of 2 s with the default 1 s RK4 sub-step.
        var model = Ballistic.Wgs84Ecef(1e-2);
        var state = GaussianState.FromPositionVelocity(r0, v0, 100, 1);
        for (var k = 0; k < 30; k++)
        {
            KalmanPredictor.Predict(model, ref state, 2.0);
        }

        Assert.True((state.Position - r).Norm < 1e-3, $"Position differs by {(state.Position - r).Norm} m.");
        Assert.True((state.Velocity - v).Norm < 1e-5, $"Velocity differs by {(state.Velocity - v).Norm} m/s.");
        Assert.True(Dense.IsSymmetricPositiveDefinite(state.Covariance, 6));

        // The missile really fell: gravity moved it kilometres off the straight line.
        Assert.True((r - (r0 + (60 * v0))).Norm > 10_000);
    }

    [Fact]
    public void BallisticKeplerInertial_LongCoast_ConservesEnergyAndAngularMomentum()
    {
        var model = Ballistic.Create(0, includeJ2: false, earthFixed: false, maxStep: 1.0);
        var r = new Vec3(Wgs84.A + 300_000, 0, 0);
        var v = new Vec3(500, 6000, 2000);
        double Energy(Vec3 rr, Vec3 vv) => (0.5 * vv.NormSquared) - (Wgs84.GM / rr.Norm);
        var e0 = Energy(r, v);
        var h0 = Vec3.Cross(r, v);
        model.Propagate(ref r, ref v, 600);
        Assert.Equal(0, (Energy(r, v) - e0) / e0, 1e-10);
        Assert.Equal(0, (Vec3.Cross(r, v) - h0).Norm / h0.Norm, 1e-10);
    }

    [Fact]
    public void BallisticJacobian_PositionToPosition_IsNearIdentityPlusGravityGradient()
    {
        var model = Ballistic.Wgs84Ecef(0);
        var x = default(StateVector);
        x[0] = Wgs84.A + 100_000;
        x[4] = 2000;
        var f = default(StateMatrix);
        model.Jacobian(x, 10, ref f);

        // Radial gravity gradient 2GM/r³ stretches the radial separation by ≈ GM/r³ Δt² over Δt.
        var expected = 1 + (Wgs84.GM / Math.Pow(x[0], 3) * 100);
        Assert.Equal(expected, f[0], 1e-5);
        Assert.Equal(10, f[3], 1e-2);
    }
}
