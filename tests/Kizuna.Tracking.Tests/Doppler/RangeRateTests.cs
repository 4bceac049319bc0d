using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.Gating;
using Kizuna.Tracking.Initiators;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Trackers;
using Kizuna.Tracking.Types;
using Kizuna.Tracking.Updaters;

namespace Kizuna.Tracking.Tests.Doppler;

/// <summary>The (r, az, el, ṙ) measurement: Jacobian, update, gate, initiation, allocation, and a trail of targets.</summary>
public class RangeRateTests
{
    private const int S = StateMatrix.Stride;
    private const double RateSigma = 3;
    private static readonly Geodetic Site = Geodetic.FromDegrees(26.135, 127.705, 230);
    private static readonly EnuFrame Frame = new(Site);
    private static readonly Mat3 PolarNoise = Mat3.Diagonal(100 * 100, Math.Pow(0.2 * Math.PI / 180, 2), Math.Pow(0.2 * Math.PI / 180, 2));

    [Theory]
    [InlineData(0, 60_000, 15, 0, -240, 0, 0, 0, 0)]
    [InlineData(-150_000, -80_000, 3_000, 200, 50, -10, 120, -80, 3)]
    [InlineData(20_000, 5_000, 40_000, -900, 300, 2_000, 0, 0, 0)]
    public void RangeRateJacobian_AgainstCentralDifferences_Matches(double e, double n, double u, double ve, double vn, double vu, double se, double sn, double su)
    {
        var sensorVelocity = Frame.RotateToEcef(new Vec3(se, sn, su));
        var model = new RangeRateMeasurement(0, 1, Frame.OriginEcef, sensorVelocity);
        var p = Frame.ToEcef(new Vec3(e, n, u));
        var v = Frame.RotateToEcef(new Vec3(ve, vn, vu));
        var rate = model.Jacobian(p, v, out var byPosition, out var byVelocity);
        Assert.Equal(model.Function(p, v), rate, 1e-9);
        const double dp = 1.0;
        const double dv = 1e-3;
        for (var j = 0; j < 3; j++)
        {
            var d = new Vec3(j == 0 ? 1 : 0, j == 1 ? 1 : 0, j == 2 ? 1 : 0);
            var fdp = (model.Function(p + (d * dp), v) - model.Function(p - (d * dp), v)) / (2 * dp);
            var fdv = (model.Function(p, v + (d * dv)) - model.Function(p, v - (d * dv))) / (2 * dv);
            Assert.Equal(fdp, Component(byPosition, j), 1e-9);
            Assert.Equal(fdv, Component(byVelocity, j), 1e-9);
        }
    }

    /// <summary>
    /// The 4-D EKF update equals an independent textbook computation: H from central differences of h over the
    /// full state, S = HPHᵀ + R, K = PHᵀS⁻¹, x⁺ = x + Kν, P⁺ = (I − KH)P (the standard form, equal to Joseph's for
    /// the optimal gain), d² = νᵀS⁻¹ν, with plain dense arithmetic in the test.
    /// </summary>
    [Fact]
    public void UpdateWithRangeRate_AgainstDenseTextbookUpdate_Matches()
    {
        var truthP = Frame.ToEcef(new Vec3(10_000, 60_000, 500));
        var truthV = Frame.RotateToEcef(new Vec3(-30, -235, 0));
        var sensorVelocity = Frame.RotateToEcef(new Vec3(5, -7, 0));
        var state = GaussianState.FromPositionVelocity(truthP + new Vec3(150, -90, 60), truthV + new Vec3(20, -15, 10), 300 * 300, 60 * 60);
        state.Covariance[(0 * S) + 3] = state.Covariance[(3 * S) + 0] = 0.3 * 300 * 60;
        state.Covariance[(1 * S) + 4] = state.Covariance[(4 * S) + 1] = -0.2 * 300 * 60;
        var polar = RadarPolar.FromEnu(Frame.ToEnu(truthP));
        var rateTruth = new RangeRateMeasurement(0, 1, Frame.OriginEcef, sensorVelocity).Function(truthP, truthV);
        var detection = RadarPlot(new Vec3(polar.RangeM + 40, polar.AzimuthRad + 0.001, polar.ElevationRad - 0.0005), rateTruth + 2, sensorVelocity);
        var model = DetectionMeasurementModel.FromDetection(detection, out var z);
        Assert.True(model.HasRangeRate);

        // Independent reference.
        const int n = 6;
        const int m = 4;
        var x = new double[n];
        var p = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            x[i] = state.Mean[i];
            for (var j = 0; j < n; j++)
            {
                p[i, j] = state.Cov(i, j);
            }
        }

        double[] H(double[] s)
        {
            var pos = new Vec3(s[0], s[1], s[2]);
            var r = model.Radar.Function(pos);
            return [r.X, r.Y, r.Z, model.RangeRate.Function(pos, new Vec3(s[3], s[4], s[5]))];
        }

        var zhat = H(x);
        var nu = new[] { z.X - zhat[0], Angle.WrapPi(z.Y - zhat[1]), z.Z - zhat[2], detection.RangeRate - zhat[3] };
        var h = new double[m, n];
        for (var j = 0; j < n; j++)
        {
            var step = j < 3 ? 0.5 : 1e-3;
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[j] += step;
            minus[j] -= step;
            var fp = H(plus);
            var fm = H(minus);
            for (var i = 0; i < m; i++)
            {
                h[i, j] = (fp[i] - fm[i]) / (2 * step);
            }
        }

        var r4 = new double[m, m];
        r4[0, 0] = PolarNoise.M00;
        r4[1, 1] = PolarNoise.M11;
        r4[2, 2] = PolarNoise.M22;
        r4[3, 3] = RateSigma * RateSigma;
        var pht = Mul(p, Transpose(h));
        var sMat = Add(Mul(h, pht), r4);
        var sInv = Invert(sMat);
        var k = Mul(pht, sInv);
        var d2 = 0.0;
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < m; j++)
            {
                d2 += nu[i] * sInv[i, j] * nu[j];
            }
        }

        var ikh = Mul(k, h);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                ikh[i, j] = (i == j ? 1 : 0) - ikh[i, j];
            }
        }

        var pPlus = Mul(ikh, p);

        var evaluated = KalmanUpdater.Evaluate(model, state, z);
        var result = KalmanUpdater.Update(model, ref state, z);
        Assert.True(result.IsValid);
        Assert.Equal(4, result.MeasurementDimension);
        Assert.Equal(d2, result.MahalanobisSquared, 1e-6 * Math.Max(1, d2));
        Assert.Equal(result.MahalanobisSquared, evaluated.MahalanobisSquared, 1e-9);
        Assert.Equal(result.LogLikelihood, evaluated.LogLikelihood, 1e-9);
        for (var i = 0; i < n; i++)
        {
            var dx = 0.0;
            for (var j = 0; j < m; j++)
            {
                dx += k[i, j] * nu[j];
            }

            Assert.Equal(x[i] + dx, state.Mean[i], i < 3 ? 1e-3 : 1e-5);
            for (var j = 0; j < n; j++)
            {
                Assert.Equal(pPlus[i, j], state.Cov(i, j), 1e-5 * Math.Sqrt(Math.Abs(p[i, i] * p[j, j])));
            }
        }
    }

    /// <summary>
    /// A stationary track (σ_v 20 m/s) and a plot at its very position: without range rate the plot gates
    /// (3-D); the same plot measuring ṙ = −240 m/s (a cruise missile flying in) is outside the χ²(4) gate; with
    /// ṙ ≈ 0 it is inside. The Doppler component, not the position, is what rejects the alias.
    /// </summary>
    [Fact]
    public void Gate_PlotWhoseRangeRateContradictsTrack_Rejected()
    {
        var position = Frame.ToEcef(new Vec3(5_000, 60_000, 15));
        var state = GaussianState.FromPositionVelocity(position, Vec3.Zero, 150 * 150, 20 * 20);
        var gate = ChiSquareGate.FromProbability(0.999);
        var polar = RadarPolar.FromEnu(Frame.ToEnu(position));
        var value = new Vec3(polar.RangeM, polar.AzimuthRad, polar.ElevationRad);

        var plain = RadarPlot(value, double.NaN, default);
        var plainModel = DetectionMeasurementModel.FromDetection(plain, out var z);
        var r3 = KalmanUpdater.Evaluate(plainModel, state, z);
        Assert.Equal(3, r3.MeasurementDimension);
        Assert.True(gate.Contains(r3.MahalanobisSquared, 3));

        var moving = DetectionMeasurementModel.FromDetection(RadarPlot(value, -240, default), out z);
        var r4 = KalmanUpdater.Evaluate(moving, state, z);
        Assert.Equal(4, r4.MeasurementDimension);
        Assert.False(gate.Contains(r4.MahalanobisSquared, 4), $"d² {r4.MahalanobisSquared:0.0} inside γ₄ {gate.Threshold(4):0.0}");

        var still = DetectionMeasurementModel.FromDetection(RadarPlot(value, 4, default), out z);
        var r4Still = KalmanUpdater.Evaluate(still, state, z);
        Assert.True(gate.Contains(r4Still.MahalanobisSquared, 4));
    }

    /// <summary>
    /// Single-point initiation from a plot with ṙ: the velocity variance along the line of sight is the
    /// measurement's σ²_ṙ (conditioned on the 300 m/s prior: g σ²_ṙ, g = σ_v²/(σ_v² + σ²_ṙ)), the mean radial
    /// velocity is g (ṙ + v_s·û), and the two cross-range directions keep σ_v². Without ṙ the state is the
    /// old isotropic prior.
    /// </summary>
    [Theory]
    [InlineData(0, 0)]
    [InlineData(150, -100)]
    public void Initiate_PlotWithRangeRate_RadialVelocityHasMeasurementSigma(double sensorEast, double sensorNorth)
    {
        const double sigmaV = 300;
        var initiator = new SinglePointInitiator(sigmaV);
        var sensorVelocity = Frame.RotateToEcef(new Vec3(sensorEast, sensorNorth, 0));
        var value = new Vec3(62_000, 0.4, 0.01);
        Assert.True(initiator.TryInitiate(RadarPlot(value, -240, sensorVelocity), out var initial));
        var u = Frame.RotateToEcef(new Vec3(Math.Cos(value.Z) * Math.Sin(value.Y), Math.Cos(value.Z) * Math.Cos(value.Y), Math.Sin(value.Z)));
        var g = sigmaV * sigmaV / ((sigmaV * sigmaV) + (RateSigma * RateSigma));
        var pv = initial.VelocityCovariance;
        Assert.Equal(g * RateSigma * RateSigma, Quadratic(pv, u), 1e-6);
        Assert.Equal(RateSigma, Math.Sqrt(Quadratic(pv, u)), 1e-3);
        Assert.Equal(g * (-240 + Vec3.Dot(sensorVelocity, u)), Vec3.Dot(initial.Velocity, u), 1e-9);
        var cross1 = Vec3.Cross(u, new Vec3(0, 0, 1)) * (1 / Vec3.Cross(u, new Vec3(0, 0, 1)).Norm);
        var cross2 = Vec3.Cross(u, cross1);
        Assert.Equal(sigmaV * sigmaV, Quadratic(pv, cross1), 1e-6);
        Assert.Equal(sigmaV * sigmaV, Quadratic(pv, cross2), 1e-6);
        Assert.Equal(0, Vec3.Dot(initial.Velocity, cross1), 1e-9);

        Assert.True(initiator.TryInitiate(RadarPlot(value, double.NaN, default), out var plain));
        Assert.Equal(Vec3.Zero, plain.Velocity);
        Assert.Equal(Mat3.Diagonal(sigmaV * sigmaV, sigmaV * sigmaV, sigmaV * sigmaV), plain.VelocityCovariance);
        Assert.Equal(initial.PositionCovariance, plain.PositionCovariance);
    }

    [Fact]
    public void UpdateAndEvaluateWithRangeRate_SteadyState_AllocateNothing()
    {
        var position = Frame.ToEcef(new Vec3(5_000, 60_000, 15));
        var state = GaussianState.FromPositionVelocity(position, Vec3.Zero, 150 * 150, 300 * 300);
        var polar = RadarPolar.FromEnu(Frame.ToEnu(position));
        var model = DetectionMeasurementModel.FromDetection(RadarPlot(new Vec3(polar.RangeM, polar.AzimuthRad, polar.ElevationRad), -10, default), out var z);
        var work = state;
        KalmanUpdater.Update(model, ref work, z);
        KalmanUpdater.Evaluate(model, state, z);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = 0.0;
        for (var i = 0; i < 1_000; i++)
        {
            work = state;
            sum += KalmanUpdater.Update(model, ref work, z).MahalanobisSquared;
            sum += KalmanUpdater.Evaluate(model, state, z).MahalanobisSquared;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(double.IsFinite(sum));
    }

    /// <summary>
    /// Six targets flying in trail straight at the radar at 240 m/s, 1.2 km apart, seen every 5 s (spacing =
    /// speed × revisit, so each scan's plots fall where the previous scan's were) from 70 km in (a horizon: each
    /// target's first plot is where the one ahead was one scan before, as for the cruise salvo), σ_r 100 m, σ_angle 0.2°,
    /// Pd 1, seeded noise, through the default ECEF tracker for 120 s. With σ_ṙ = 3 m/s range rate every target
    /// has a confirmed track within 500 m moving at 240 ± 40 m/s at the end; the control without range rate,
    /// the same plots, does not (measured: 3 of 6; the others are held by slow or stationary alias tracks). Run with the
    /// speed-scheduled NCV (the demo's filter) and with the IMM, whose model-conditioned updates take the 4-D plot too.
    /// </summary>
    [Theory]
    [InlineData(FilterKind.Ncv)]
    [InlineData(FilterKind.Imm)]
    public void Tracker_TrailAliasingAtSpeedTimesRevisit_RangeRateTracksEveryTarget(FilterKind filter)
    {
        Assert.Equal(6, TrailTracksAtSpeed(filter, withRangeRate: true));
        var control = TrailTracksAtSpeed(filter, withRangeRate: false);
        Assert.True(control < 6, $"the control without range rate held all {control} targets: the trail does not alias, so the test shows nothing");
    }

    private static int TrailTracksAtSpeed(FilterKind filter, bool withRangeRate)
    {
        const int targets = 6;
        const double speed = 240;
        const double revisit = 5;
        var epoch = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var tracker = new TrackerSettings { Filter = filter }.Build();
        var random = new Random(7);
        var detections = new Detection[targets];
        var truth = new Vec3[targets];
        var velocity = new Vec3[targets];
        for (var step = 0; step <= 24; step++)
        {
            var t = step * revisit;
            var count = 0;
            for (var k = 0; k < targets; k++)
            {
                // Target k enters at 70 km + k·1.2 km and flies north→south towards the radar at 15 m altitude.
                var enu = new Vec3(3_000, 70_000 + (k * speed * revisit) - (speed * t), 15);
                truth[k] = Frame.ToEcef(enu);
                velocity[k] = Frame.RotateToEcef(new Vec3(0, -speed, 0));
                if (enu.Y > 70_001)
                {
                    continue; // below the horizon until it reaches 70 km: target k appears where k − 1 was 5 s earlier
                }

                var polar = RadarPolar.FromEnu(enu);
                var value = new Vec3(
                    polar.RangeM + (100 * Gaussian(random)),
                    polar.AzimuthRad + (0.2 * Math.PI / 180 * Gaussian(random)),
                    polar.ElevationRad + (0.2 * Math.PI / 180 * Gaussian(random)));
                var rate = new RangeRateMeasurement(0, 1, Frame.OriginEcef, default).Function(truth[k], velocity[k]) + (RateSigma * Gaussian(random));
                detections[count++] = RadarPlot(value, withRangeRate ? rate : double.NaN, default) with { Time = epoch.AddSeconds(t), TruthId = k + 1 };
            }

            tracker.Step(epoch.AddSeconds(t), detections.AsSpan(0, count));
        }

        var held = 0;
        for (var k = 0; k < targets; k++)
        {
            foreach (var track in tracker.Tracks)
            {
                if (track.IsConfirmed && (track.Position - truth[k]).Norm < 500 && Math.Abs(track.Velocity.Norm - speed) < 40)
                {
                    held++;
                    break;
                }
            }
        }

        return held;
    }

    private static Detection RadarPlot(Vec3 value, double rangeRate, Vec3 sensorVelocity) =>
        new(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), "yozadake", Nation.Japan, MeasurementKind.RangeAzimuthElevation, value, PolarNoise, Site,
            RangeRate: rangeRate, RangeRateVariance: double.IsNaN(rangeRate) ? 0 : RateSigma * RateSigma, SensorVelocity: sensorVelocity);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Component(Vec3 v, int i) => i switch { 0 => v.X, 1 => v.Y, _ => v.Z };

    private static double Quadratic(Mat3 a, Vec3 u) => Vec3.Dot(u, a * u);

    private static double[,] Mul(double[,] a, double[,] b)
    {
        var c = new double[a.GetLength(0), b.GetLength(1)];
        for (var i = 0; i < a.GetLength(0); i++)
        {
            for (var j = 0; j < b.GetLength(1); j++)
            {
                for (var l = 0; l < a.GetLength(1); l++)
                {
                    c[i, j] += a[i, l] * b[l, j];
                }
            }
        }

        return c;
    }

    private static double[,] Transpose(double[,] a)
    {
        var t = new double[a.GetLength(1), a.GetLength(0)];
        for (var i = 0; i < a.GetLength(0); i++)
        {
            for (var j = 0; j < a.GetLength(1); j++)
            {
                t[j, i] = a[i, j];
            }
        }

        return t;
    }

    private static double[,] Add(double[,] a, double[,] b)
    {
        var c = (double[,])a.Clone();
        for (var i = 0; i < a.GetLength(0); i++)
        {
            for (var j = 0; j < a.GetLength(1); j++)
            {
                c[i, j] += b[i, j];
            }
        }

        return c;
    }

    /// <summary>Gauss–Jordan inverse with partial pivoting (small, well-conditioned matrices only).</summary>
    private static double[,] Invert(double[,] a)
    {
        var n = a.GetLength(0);
        var m = new double[n, 2 * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                m[i, j] = a[i, j];
            }

            m[i, n + i] = 1;
        }

        for (var c = 0; c < n; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < n; r++)
            {
                if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c]))
                {
                    pivot = r;
                }
            }

            for (var j = 0; j < 2 * n; j++)
            {
                (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
            }

            var d = m[c, c];
            for (var j = 0; j < 2 * n; j++)
            {
                m[c, j] /= d;
            }

            for (var r = 0; r < n; r++)
            {
                if (r == c)
                {
                    continue;
                }

                var f = m[r, c];
                for (var j = 0; j < 2 * n; j++)
                {
                    m[r, j] -= f * m[c, j];
                }
            }
        }

        var inv = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                inv[i, j] = m[i, n + j];
            }
        }

        return inv;
    }
}
