using Kizuna.Core;
using Kizuna.Core.Algorithms;
using Kizuna.Core.Geodesy;

namespace Kizuna.Simulation.Motion;

/// <summary>
/// Integrates a ballistic missile in the Earth-fixed (ECEF, rotating) frame: staged boost with a
/// vertical rise, pitch kick and gravity turn, then free flight and re-entry to impact.
/// </summary>
/// <remarks>
/// Equation of motion in ECEF (e.g. D. A. Vallado, "Fundamentals of Astrodynamics and
/// Applications", 4th ed., 2013, §3.7 on rotating frames; P. H. Zipfel, "Modeling and Simulation of
/// Aerospace Vehicle Dynamics", 2nd ed., 2007, ch. 10):
/// r̈ = g(r) − 2 ω × ṙ − ω × (ω × r) + (F/m) û_T − (ρ |ṙ| ṙ)/(2β),   ω = (0, 0, Ω).
/// Gravity with the J₂ zonal term (Vallado §8.6.1):
/// gₓ,ᵧ = −μ x,y/r³ [1 + 1.5 J₂ (a/r)² (1 − 5 z²/r²)],  g_z = −μ z/r³ [1 + 1.5 J₂ (a/r)² (3 − 5 z²/r²)].
/// Drag uses the ECEF velocity (the atmosphere turns with the Earth) and an exponential atmosphere
/// ρ = ρ₀ exp(−h/H) with h the geodetic height (cut off above 150 km). During boost the drag is
/// ½ρ|ṙ|ṙ·C_D A/m. Thrust F = ṁ Isp g₀ along the launch vertical during the rise, tilted by the kick
/// angle δ towards the launch azimuth during the kick, then along ṙ (gravity turn:
/// zero angle of attack, Zipfel ch. 10; G. P. Sutton, "Rocket Propulsion Elements", §4.3).
/// Integration: Dormand–Prince 5(4) with step-size control (<see cref="DormandPrince"/>). The free-flight
/// terms and the integrator live in Kizuna.Core (<see cref="EarthDynamics"/>) so that impact prediction uses the same physics.
/// </remarks>
internal static class BallisticFlight
{
    internal sealed class Nodes
    {
        public List<double> T { get; } = [];
        public List<Vec3> P { get; } = [];
        public List<Vec3> V { get; } = [];
        public List<bool> B { get; } = [];

        public void Add(double t, Vec3 p, Vec3 v, bool b)
        {
            T.Add(t);
            P.Add(p);
            V.Add(v);
            B.Add(b);
        }
    }

    internal sealed record Result(
        Nodes Nodes, double BurnoutTime, Vec3 BurnoutPosition, Vec3 BurnoutVelocity,
        double ImpactTime, Vec3 ImpactPosition, Vec3 ImpactVelocity, double ApogeeHeight, bool Impacted);

    /// <summary>The shared free-flight model for these options.</summary>
    public static FreeFlightModel Model(BallisticOptions o) =>
        new(o.J2, o.EarthRotation, o.Drag, new ExponentialAtmosphere(o.SeaLevelDensity, o.ScaleHeight));

    private static Vec3 Environment(Vec3 r, Vec3 v, BallisticOptions o, double dragAreaOverMass) =>
        EarthDynamics.Acceleration(r, v, Model(o), dragAreaOverMass);

    /// <summary>Flies the whole missile: boost from <paramref name="launch"/> at azimuth ψ with kick δ, then free flight to the impact height.</summary>
    public static Result Fly(BallisticClass cls, Geodetic launch, double azimuth, double kick, double impactHeight, BallisticOptions o)
    {
        var nodes = new Nodes();
        var up = Navigation.EnuToEcef(launch.LatitudeRad, launch.LongitudeRad, 0, 0, 1);
        var (sinAz, cosAz) = Math.SinCos(azimuth);
        var horizontal = Navigation.EnuToEcef(launch.LatitudeRad, launch.LongitudeRad, sinAz, cosAz, 0);
        var (sinK, cosK) = Math.SinCos(kick);
        var kicked = (up * cosK) + (horizontal * sinK);
        var r = Wgs84.GeodeticToEcef(launch);
        var v = Vec3.Zero;
        var t = 0.0;
        nodes.Add(t, r, v, true);

        var massAbove = cls.LiftOffMass;
        var h = 0.2;
        for (var s = 0; s < cls.Stages.Length; s++)
        {
            var stage = cls.Stages[s];
            var ignition = t;
            var m0 = massAbove;
            var mdot = stage.MassFlow;
            var thrust = stage.Thrust;
            var riseEnd = cls.VerticalRiseTime;
            var kickEnd = cls.VerticalRiseTime + cls.KickDuration;
            Vec3 Accel(double tt, Vec3 rr, Vec3 vv)
            {
                var m = m0 - (mdot * (tt - ignition));
                var dir = tt < riseEnd ? up : tt < kickEnd ? kicked : vv.NormSquared > 1 ? vv.Normalized : kicked;
                return Environment(rr, vv, o, cls.BoostDragArea / m) + (dir * (thrust / m));
            }

            var end = ignition + stage.BurnTime;
            if (s == 0)
            {
                (r, v) = IntegrateTo(Accel, t, r, v, Math.Min(riseEnd, end), o, 2.0, nodes, true, ref h);
                t = Math.Min(riseEnd, end);
                (r, v) = IntegrateTo(Accel, t, r, v, Math.Min(kickEnd, end), o, 2.0, nodes, true, ref h);
                t = Math.Min(kickEnd, end);
            }

            (r, v) = IntegrateTo(Accel, t, r, v, end, o, 2.0, nodes, true, ref h);
            t = end;
            massAbove -= stage.PropellantMass + stage.DryMass;
        }

        nodes.B[^1] = false;
        var burnoutT = t;
        var burnoutR = r;
        var burnoutV = v;
        var ff = FreeFlight(t, r, v, o, cls.ReentryBallisticCoefficient, impactHeight, double.NaN, nodes);
        return ff with { BurnoutTime = burnoutT, BurnoutPosition = burnoutR, BurnoutVelocity = burnoutV };
    }

    /// <summary>
    /// Free flight from a state until the impact surface: the ellipsoid height <paramref name="impactHeight"/>,
    /// or the sphere of radius <paramref name="sphereRadius"/> when that is a number. Appends nodes.
    /// </summary>
    public static Result FreeFlight(double t0, Vec3 r0, Vec3 v0, BallisticOptions o, double beta, double impactHeight, double sphereRadius, Nodes? nodes = null)
    {
        nodes ??= new Nodes();
        if (nodes.T.Count == 0)
        {
            nodes.Add(t0, r0, v0, false);
        }

        var invBeta = beta > 0 && double.IsFinite(beta) ? 1 / beta : 0;
        Vec3 Accel(double tt, Vec3 rr, Vec3 vv) => Environment(rr, vv, o, invBeta);
        double Surface(Vec3 rr) => double.IsNaN(sphereRadius) ? Wgs84.EcefToGeodetic(rr).HeightM - impactHeight : rr.Norm - sphereRadius;

        var t = t0;
        var r = r0;
        var v = v0;
        var h = 1.0;
        for (var guard = 0; guard < 1_000_000; guard++)
        {
            h = Math.Min(h, o.MaxStep);
            var err = DormandPrince.Step(Accel, t, r, v, h, o.RelativeTolerance, o.AbsoluteTolerance, out var r5, out var v5);
            if (err > 1)
            {
                h = DormandPrince.NextStep(h, err);
                continue;
            }

            if (Vec3.Dot(r5, v5) < 0 && Surface(r5) < 0)
            {
                // Impact inside this step: bisect the step length on the surface function.
                double lo = 0, hi = h;
                Vec3 ri = r5, vi = v5;
                for (var i = 0; i < 80 && hi - lo > 1e-9; i++)
                {
                    var mid = 0.5 * (lo + hi);
                    DormandPrince.Step(Accel, t, r, v, mid, o.RelativeTolerance, o.AbsoluteTolerance, out var rm, out var vm);
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

                if (hi > 1e-6)
                {
                    nodes.Add(t + hi, ri, vi, false);
                }

                var apogee = Apogee(nodes, sphereRadius);
                return new Result(nodes, t0, r0, v0, t + hi, ri, vi, apogee, true);
            }

            t += h;
            r = r5;
            v = v5;
            nodes.Add(t, r, v, false);
            h = DormandPrince.NextStep(h, err);
            if (t - t0 > 40_000)
            {
                break;
            }
        }

        return new Result(nodes, t0, r0, v0, t, r, v, Apogee(nodes, sphereRadius), false);
    }

    private static (Vec3 R, Vec3 V) IntegrateTo(DormandPrince.Acceleration f, double t, Vec3 r, Vec3 v, double tEnd, BallisticOptions o, double maxStep, Nodes nodes, bool boosting, ref double h)
    {
        while (tEnd - t > 1e-9)
        {
            var step = Math.Min(Math.Min(h, maxStep), tEnd - t);
            var err = DormandPrince.Step(f, t, r, v, step, o.RelativeTolerance, o.AbsoluteTolerance, out var r5, out var v5);
            if (err > 1)
            {
                h = DormandPrince.NextStep(step, err);
                continue;
            }

            t = tEnd - (t + step) < 1e-9 ? tEnd : t + step;
            r = r5;
            v = v5;
            nodes.Add(t, r, v, boosting);
            h = DormandPrince.NextStep(step, err);
        }

        return (r, v);
    }

    /// <summary>Apogee height: the root of r·v on the Hermite interpolant, then the height there.</summary>
    private static double Apogee(Nodes nodes, double sphereRadius)
    {
        for (var i = 0; i + 1 < nodes.T.Count; i++)
        {
            var a = Vec3.Dot(nodes.P[i], nodes.V[i]);
            var b = Vec3.Dot(nodes.P[i + 1], nodes.V[i + 1]);
            if (a > 0 && b <= 0)
            {
                var dt = nodes.T[i + 1] - nodes.T[i];
                double lo = 0, hi = 1;
                var p = nodes.P[i];
                for (var k = 0; k < 60; k++)
                {
                    var s = 0.5 * (lo + hi);
                    (p, var vel) = Hermite(nodes.P[i], nodes.V[i], nodes.P[i + 1], nodes.V[i + 1], dt, s);
                    if (Vec3.Dot(p, vel) > 0)
                    {
                        lo = s;
                    }
                    else
                    {
                        hi = s;
                    }
                }

                return double.IsNaN(sphereRadius) ? Wgs84.EcefToGeodetic(p).HeightM : p.Norm - sphereRadius;
            }
        }

        var last = nodes.P[^1];
        return double.IsNaN(sphereRadius) ? Wgs84.EcefToGeodetic(last).HeightM : last.Norm - sphereRadius;
    }

    internal static (Vec3 P, Vec3 V) Hermite(Vec3 p0, Vec3 v0, Vec3 p1, Vec3 v1, double h, double s)
    {
        var s2 = s * s;
        var s3 = s2 * s;
        var pos = (p0 * ((2 * s3) - (3 * s2) + 1)) + (v0 * (h * (s3 - (2 * s2) + s))) + (p1 * ((-2 * s3) + (3 * s2))) + (v1 * (h * (s3 - s2)));
        var vel = ((p0 * ((6 * s2) - (6 * s))) + (v0 * (h * ((3 * s2) - (4 * s) + 1))) + (p1 * ((-6 * s2) + (6 * s))) + (v1 * (h * ((3 * s2) - (2 * s))))) / h;
        return (pos, vel);
    }
}
