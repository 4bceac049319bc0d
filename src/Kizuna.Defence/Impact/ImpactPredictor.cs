using Kizuna.Core;
using Kizuna.Core.Algorithms;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Types;

namespace Kizuna.Defence.Impact;

/// <summary>
/// Impact-point prediction for a ballistic track: propagates the ECEF state and its covariance to
/// the ground with the simulator's free-flight physics (<see cref="EarthDynamics"/>, Dormand–Prince
/// 5(4)), giving the impact point, time of impact and a 95 % impact ellipse; back-propagates to the
/// ground for a launch-point estimate.
/// </summary>
/// <remarks>
/// <para><b>Uncertainty.</b> Scaled unscented transform (S. J. Julier and J. K. Uhlmann, "Unscented
/// filtering and nonlinear estimation", Proc. IEEE 92(3), 2004, 401–422; E. A. Wan and R. van der
/// Merwe, "The unscented Kalman filter for nonlinear estimation", IEEE AS-SPCC 2000, eqs. 15–16) over
/// the augmented state x = [r, v, ln β] (n = 7): λ = α²(n+κ) − n, sigma points
/// χ₀ = x̄, χᵢ = x̄ ± (√((n+λ)P))ᵢ, weights W₀ᵐ = λ/(n+λ), W₀ᶜ = W₀ᵐ + 1 − α² + β,
/// Wᵢ = 1/(2(n+λ)). Each sigma point is flown to the impact surface; the impact points are expressed
/// in the east/north tangent plane at χ₀'s impact, and their weighted mean and covariance give the
/// predicted impact point and the ellipse (<see cref="ImpactEllipse"/>). The unknown ballistic
/// coefficient β enters as a log-normal prior (<see cref="ImpactPredictorOptions.BallisticCoefficientLogSigma"/>),
/// so the ellipse includes the re-entry drag uncertainty.</para>
/// <para><b>Impact.</b> The step in which the body, descending (r·v &lt; 0), crosses the impact
/// height is bisected on the step length (as the simulator does) to 1 µs.</para>
/// <para><b>Launch point.</b> The same sigma points flown backwards (negative steps, no drag) until the
/// arc, ascending in forward time, meets the ground. The boost phase is not modelled, so the estimate
/// is the origin of the free-flight arc, biased from the true launch point along the track (see
/// docs/benchmarks.md, "Defence — impact prediction").</para>
/// <para>Thread-safe; <see cref="Predict(DateTime, in GaussianState)"/> does not allocate.</para>
/// </remarks>
public sealed class ImpactPredictor
{
    private const int N = 7;
    private const int S = StateMatrix.Stride;
    private readonly ImpactPredictorOptions _o;
    private readonly double _lambda;
    private readonly double _w0m;
    private readonly double _w0c;
    private readonly double _wi;

    /// <summary>Creates a predictor.</summary>
    public ImpactPredictor(ImpactPredictorOptions? options = null)
    {
        _o = options ?? ImpactPredictorOptions.Default;
        if (!(_o.NominalBallisticCoefficient > 0) || !(_o.MaxStepS > 0) || !(_o.HorizonS > 0))
        {
            throw new ArgumentException("Ballistic coefficient, step and horizon must be positive.", nameof(options));
        }

        _lambda = (_o.Alpha * _o.Alpha * (N + _o.Kappa)) - N;
        _w0m = _lambda / (N + _lambda);
        _w0c = _w0m + 1 - (_o.Alpha * _o.Alpha) + _o.Beta;
        _wi = 1 / (2 * (N + _lambda));
    }

    /// <summary>The settings.</summary>
    public ImpactPredictorOptions Options => _o;

    /// <summary>Predicts impact and launch from a 6-dimensional ECEF position/velocity state (m, m/s) at <paramref name="time"/>.</summary>
    public ImpactPrediction Predict(DateTime time, in GaussianState state) => Run(time, state, null);

    /// <summary>As <see cref="Predict(DateTime, in GaussianState)"/>, also returning the nominal (χ₀) trajectory to impact as a threat path.</summary>
    public ImpactPrediction Predict(DateTime time, in GaussianState state, out BallisticThreatPath? path)
    {
        var recorder = new PathRecorder();
        var p = Run(time, state, recorder);
        path = p.Impacts ? recorder.ToPath(time, p.TimeOfImpact) : null;
        return p;
    }

    /// <summary>Flies one state (no uncertainty) to the impact surface: returns false when it does not get there within the horizon.</summary>
    public bool TryFlyToImpact(Vec3 positionEcef, Vec3 velocityEcef, double ballisticCoefficient, out double flightTimeS, out Vec3 impactEcef, out Vec3 impactVelocity)
    {
        var sys = new FreeFlightSystem(_o.Model, 1 / ballisticCoefficient);
        return Fly(sys, positionEcef, velocityEcef, 1, null, out flightTimeS, out impactEcef, out impactVelocity);
    }

    private ImpactPrediction Run(DateTime time, in GaussianState state, PathRecorder? recorder)
    {
        if (state.Dimension < 6)
        {
            throw new ArgumentException("The state must hold ECEF position and velocity.", nameof(state));
        }

        Span<double> l = stackalloc double[S * S];
        for (var i = 0; i < 6; i++)
        {
            for (var j = 0; j < 6; j++)
            {
                l[(i * S) + j] = (N + _lambda) * 0.5 * (state.Cov(i, j) + state.Cov(j, i));
            }
        }

        l[(6 * S) + 6] = (N + _lambda) * _o.BallisticCoefficientLogSigma * _o.BallisticCoefficientLogSigma;
        if (!CholeskyWithJitter(l))
        {
            return default;
        }

        Span<double> mean = stackalloc double[N];
        for (var i = 0; i < 6; i++)
        {
            mean[i] = state.Mean[i];
        }

        mean[6] = Math.Log(_o.NominalBallisticCoefficient);
        const int count = (2 * N) + 1;
        Span<double> tImpact = stackalloc double[count];
        Span<Vec3> rImpact = stackalloc Vec3[count];
        Span<double> tLaunch = stackalloc double[count];
        Span<Vec3> rLaunch = stackalloc Vec3[count];
        Span<double> x = stackalloc double[N];
        var impactSpeed = 0.0;
        var backModel = _o.Model with { Drag = false };
        var launchOk = true;
        for (var k = 0; k < count; k++)
        {
            var col = k == 0 ? -1 : (k - 1) % N;
            var sign = k <= N ? 1.0 : -1.0;
            for (var i = 0; i < N; i++)
            {
                x[i] = mean[i] + (col < 0 ? 0 : sign * l[(i * S) + col]);
            }

            var r0 = new Vec3(x[0], x[1], x[2]);
            var v0 = new Vec3(x[3], x[4], x[5]);
            var sys = new FreeFlightSystem(_o.Model, Math.Exp(-x[6]));
            if (!Fly(sys, r0, v0, 1, k == 0 ? recorder : null, out tImpact[k], out rImpact[k], out var vImp))
            {
                return default;
            }

            if (k == 0)
            {
                impactSpeed = vImp.Norm;
            }

            launchOk &= Fly(new FreeFlightSystem(backModel, 0), r0, v0, -1, null, out tLaunch[k], out rLaunch[k], out _);
        }

        var (impactPoint, impactEcef, ellipse) = Statistics(rImpact);
        var (tMean, tSigma) = TimeStatistics(tImpact);
        var launchPoint = default(Geodetic);
        var launchEllipse = default(ImpactEllipse);
        var launchTime = time;
        if (launchOk)
        {
            (launchPoint, _, launchEllipse) = Statistics(rLaunch);
            launchTime = time.AddSeconds(TimeStatistics(tLaunch).Mean);
        }

        return new ImpactPrediction(time, true, impactPoint, impactEcef, time.AddSeconds(tMean), tSigma, ellipse, impactSpeed, launchPoint, launchTime, launchEllipse);
    }

    private (Geodetic Point, Vec3 Ecef, ImpactEllipse Ellipse) Statistics(ReadOnlySpan<Vec3> points)
    {
        var frame = new EnuFrame(Wgs84.EcefToGeodetic(points[0]));
        double me = 0, mn = 0, mu = 0;
        for (var k = 0; k < points.Length; k++)
        {
            var e = frame.ToEnu(points[k]);
            var w = k == 0 ? _w0m : _wi;
            me += w * e.X;
            mn += w * e.Y;
            mu += w * e.Z;
        }

        double cee = 0, cen = 0, cnn = 0;
        for (var k = 0; k < points.Length; k++)
        {
            var e = frame.ToEnu(points[k]);
            var w = k == 0 ? _w0c : _wi;
            var de = e.X - me;
            var dn = e.Y - mn;
            cee += w * de * de;
            cen += w * de * dn;
            cnn += w * dn * dn;
        }

        var g = Wgs84.EcefToGeodetic(frame.ToEcef(new Vec3(me, mn, mu)));
        var point = g with { HeightM = _o.ImpactHeightM };
        return (point, Wgs84.GeodeticToEcef(point), new ImpactEllipse(cee, cen, cnn));
    }

    private (double Mean, double Sigma) TimeStatistics(ReadOnlySpan<double> t)
    {
        var m = 0.0;
        for (var k = 0; k < t.Length; k++)
        {
            m += (k == 0 ? _w0m : _wi) * t[k];
        }

        var v = 0.0;
        for (var k = 0; k < t.Length; k++)
        {
            var d = t[k] - m;
            v += (k == 0 ? _w0c : _wi) * d * d;
        }

        return (m, Math.Sqrt(Math.Max(0, v)));
    }

    private static bool CholeskyWithJitter(Span<double> a)
    {
        Span<double> copy = stackalloc double[S * S];
        a.CopyTo(copy);
        for (var attempt = 0; attempt < 4; attempt++)
        {
            if (Dense.Cholesky(a, N))
            {
                return true;
            }

            copy.CopyTo(a);
            var jitter = Math.Pow(10, attempt - 6);
            for (var i = 0; i < N; i++)
            {
                a[(i * S) + i] += jitter * (1 + Math.Abs(copy[(i * S) + i]));
            }

            a.CopyTo(copy);
        }

        return false;
    }

    private double Surface(Vec3 r)
    {
        // Cheap pre-check on the geocentric radius before the exact geodetic height.
        return r.Norm - Wgs84.A > _o.ImpactHeightM + 60_000 ? 1 : Wgs84.EcefToGeodetic(r).HeightM - _o.ImpactHeightM;
    }

    /// <summary>Integrates forwards (direction +1) to the descending crossing of the impact surface, or backwards (−1) to the ascending one.</summary>
    private bool Fly(in FreeFlightSystem sys, Vec3 r0, Vec3 v0, double direction, PathRecorder? recorder, out double t, out Vec3 r, out Vec3 v)
    {
        t = 0;
        r = r0;
        v = v0;
        recorder?.Add(0, r0, v0);
        var h = direction;
        while (Math.Abs(t) < _o.HorizonS)
        {
            h = direction * Math.Min(Math.Abs(h), _o.MaxStepS);
            var err = DormandPrince.Step(sys, t, r, v, h, _o.RelativeTolerance, _o.AbsoluteTolerance, out var r5, out var v5);
            if (err > 1)
            {
                h = DormandPrince.NextStep(h, err);
                continue;
            }

            var crossing = direction * Vec3.Dot(r5, v5) < 0 && Surface(r5) < 0;
            if (crossing)
            {
                double lo = 0, hi = h;
                Vec3 ri = r5, vi = v5;
                for (var i = 0; i < 80 && Math.Abs(hi - lo) > 1e-6; i++)
                {
                    var mid = 0.5 * (lo + hi);
                    DormandPrince.Step(sys, t, r, v, mid, _o.RelativeTolerance, _o.AbsoluteTolerance, out var rm, out var vm);
                    if (Surface(rm) < 0)
                    {
                        hi = mid;
                        ri = rm;
                        vi = vm;
                    }
                    else
                    {
                        lo = mid;
                    }
                }

                t += hi;
                r = ri;
                v = vi;
                recorder?.Add(t, r, v);
                return true;
            }

            t += h;
            r = r5;
            v = v5;
            recorder?.Add(t, r, v);
            h = DormandPrince.NextStep(h, err);
        }

        return false;
    }

    private sealed class PathRecorder
    {
        private readonly List<double> _t = [];
        private readonly List<Vec3> _p = [];
        private readonly List<Vec3> _v = [];

        public void Add(double t, Vec3 p, Vec3 v)
        {
            _t.Add(t);
            _p.Add(p);
            _v.Add(v);
        }

        public BallisticThreatPath ToPath(DateTime start, DateTime end) => new(start, end, [.. _t], [.. _p], [.. _v]);
    }
}
