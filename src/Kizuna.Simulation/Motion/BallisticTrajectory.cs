using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Simulation.Motion;

/// <summary>
/// A ballistic missile from launch to impact, aimed by iteration, with the solution's report
/// (azimuth, pitch kick, burnout, apogee, impact, miss distance).
/// </summary>
/// <remarks>
/// Aiming: the launch azimuth ψ and the pitch-kick angle δ are the two unknowns. With ψ fixed, the
/// ground range R(δ) rises from ~0 (vertical flight) to a maximum and falls again (depressed
/// trajectories); δ is found on the rising (lofted) branch by a log-spaced scan that brackets
/// R(δ) = D followed by the Illinois variant of regula falsi (G. Dahlquist and Å. Björck,
/// "Numerical Methods", 1974, §6.2). Then ψ is corrected by the cross-range miss c at the aim point,
/// ψ ← ψ − c/D, and δ is solved again, until the miss is below
/// <see cref="BallisticOptions.AimTolerance"/> or the evaluation budget is spent. A target beyond
/// the class's maximum range gets the maximum-range trajectory and a large <see cref="MissDistance"/>.
/// <para>Thread-safe and allocation-free after construction (a Hermite table of the integrator's steps).</para>
/// </remarks>
public sealed class BallisticTrajectory : ITrajectory
{
    private readonly SampledTrajectory _table;

    private BallisticTrajectory(SampledTrajectory table) => _table = table;

    /// <inheritdoc/>
    public double StartTime => _table.StartTime;

    /// <inheritdoc/>
    public double EndTime => _table.EndTime;

    /// <summary>The missile class flown.</summary>
    public required BallisticClass Class { get; init; }

    /// <summary>Launch time (s since the scenario epoch).</summary>
    public required double LaunchTime { get; init; }

    /// <summary>Burnout time of the last stage (s since the scenario epoch).</summary>
    public required double BurnoutTime { get; init; }

    /// <summary>Impact time (s since the scenario epoch).</summary>
    public double ImpactTime => EndTime;

    /// <summary>Launch azimuth found by the solver (rad, clockwise from north).</summary>
    public required double LaunchAzimuthRad { get; init; }

    /// <summary>Pitch-kick angle found by the solver (rad from the vertical).</summary>
    public required double PitchKickRad { get; init; }

    /// <summary>Burnout speed relative to the Earth (m/s).</summary>
    public required double BurnoutSpeed { get; init; }

    /// <summary>Burnout flight-path angle above the local horizontal (rad).</summary>
    public required double BurnoutFlightPathAngleRad { get; init; }

    /// <summary>Apogee height above the ellipsoid (m).</summary>
    public required double ApogeeHeight { get; init; }

    /// <summary>Aim point.</summary>
    public required Geodetic AimPoint { get; init; }

    /// <summary>Impact point of the flown trajectory.</summary>
    public required Geodetic ImpactPoint { get; init; }

    /// <summary>Great-circle distance between the impact and aim points (m).</summary>
    public required double MissDistance { get; init; }

    /// <summary>Ground range launch → impact (m).</summary>
    public required double GroundRange { get; init; }

    /// <summary>Number of full trajectories the aim solver flew.</summary>
    public required int SolverEvaluations { get; init; }

    /// <inheritdoc/>
    public bool TryGetState(double t, out KinematicState state) => _table.TryGetState(t, out state);

    /// <summary>Aims and flies a missile of the launch's class (or <see cref="BallisticOptions.Class"/>) from its launch point at its aim point.</summary>
    public static BallisticTrajectory Create(Geodetic from, Geodetic to, string missileClass, double launchTime, BallisticOptions? options = null)
    {
        var o = options ?? BallisticOptions.Full;
        var cls = o.Class ?? BallisticClass.FromName(missileClass);
        var distance = Navigation.Distance(from.LatitudeRad, from.LongitudeRad, to.LatitudeRad, to.LongitudeRad);
        if (distance < 1_000)
        {
            throw new ArgumentException("Launch and aim points must be at least 1 km apart.");
        }

        var psi = Navigation.Bearing(from.LatitudeRad, from.LongitudeRad, to.LatitudeRad, to.LongitudeRad);
        var evaluations = 0;
        var best = (Result: (BallisticFlight.Result?)null, Psi: psi, Kick: 0.0, Miss: double.PositiveInfinity);

        (double Down, double Cross) Evaluate(double az, double kick)
        {
            evaluations++;
            var res = BallisticFlight.Fly(cls, from, az, kick, to.HeightM, o);
            var impact = Wgs84.EcefToGeodetic(res.ImpactPosition);
            var range = Navigation.Distance(from.LatitudeRad, from.LongitudeRad, impact.LatitudeRad, impact.LongitudeRad);
            var dir = Navigation.Bearing(to.LatitudeRad, to.LongitudeRad, from.LatitudeRad, from.LongitudeRad) + Math.PI;
            var e = Navigation.EcefToEnu(to.LatitudeRad, to.LongitudeRad, res.ImpactPosition - Wgs84.GeodeticToEcef(to));
            var cross = (e.X * Math.Cos(dir)) - (e.Y * Math.Sin(dir));
            var miss = Navigation.Distance(to.LatitudeRad, to.LongitudeRad, impact.LatitudeRad, impact.LongitudeRad);
            if (!res.Impacted)
            {
                miss = double.PositiveInfinity;
            }

            if (miss < best.Miss)
            {
                best = (res, az, kick, miss);
            }

            return (range - distance, cross);
        }

        // Scan δ (log-spaced) for the lofted-branch bracket.
        const int scanCount = 16;
        double lo = double.NaN, hi = double.NaN, fLo = 0, fHi = 0;
        var prevKick = double.NaN;
        var prevF = double.NaN;
        var maxF = double.NegativeInfinity;
        var maxKick = 0.0;
        for (var i = 0; i < scanCount; i++)
        {
            var kick = 0.05 * Math.PI / 180 * Math.Pow(45 / 0.05, i / (double)(scanCount - 1));
            var f = Evaluate(psi, kick).Down;
            if (f > maxF)
            {
                maxF = f;
                maxKick = kick;
            }

            if (!double.IsNaN(prevF) && prevF < 0 && f >= 0)
            {
                (lo, hi, fLo, fHi) = (prevKick, kick, prevF, f);
                break;
            }

            prevKick = kick;
            prevF = f;
        }

        if (double.IsNaN(lo))
        {
            // Out of range: refine the maximum-range kick a little (golden section) and fly it.
            double a = maxKick / 1.6, b = Math.Min(maxKick * 1.6, Math.PI / 3);
            for (var i = 0; i < 12; i++)
            {
                var m1 = b - (0.618 * (b - a));
                var m2 = a + (0.618 * (b - a));
                if (Evaluate(psi, m1).Down > Evaluate(psi, m2).Down)
                {
                    b = m2;
                }
                else
                {
                    a = m1;
                }
            }
        }
        else
        {
            var kick = lo;
            for (var outer = 0; outer < 6 && evaluations < o.MaxAimEvaluations; outer++)
            {
                // Re-check the bracket with the current azimuth.
                if (outer > 0)
                {
                    var a = kick * 0.97;
                    var b = kick * 1.03;
                    var fa = Evaluate(psi, a).Down;
                    var fb = Evaluate(psi, b).Down;
                    if (fa < 0 && fb >= 0)
                    {
                        (lo, hi, fLo, fHi) = (a, b, fa, fb);
                    }
                    else
                    {
                        fLo = Evaluate(psi, lo).Down;
                        fHi = Evaluate(psi, hi).Down;
                    }
                }

                var side = 0;
                var cross = 0.0;
                for (var it = 0; it < 40 && evaluations < o.MaxAimEvaluations; it++)
                {
                    kick = ((lo * fHi) - (hi * fLo)) / (fHi - fLo);
                    var (f, c) = Evaluate(psi, kick);
                    cross = c;
                    if (Math.Abs(f) < o.AimTolerance * 0.25 || hi - lo < 1e-12)
                    {
                        break;
                    }

                    if (f < 0)
                    {
                        lo = kick;
                        fLo = f;
                        if (side == -1)
                        {
                            fHi *= 0.5;
                        }

                        side = -1;
                    }
                    else
                    {
                        hi = kick;
                        fHi = f;
                        if (side == 1)
                        {
                            fLo *= 0.5;
                        }

                        side = 1;
                    }
                }

                if (best.Miss < o.AimTolerance)
                {
                    break;
                }

                psi -= cross / distance;
            }
        }

        var r = best.Result!;
        var n = r.Nodes;
        var table = new SampledTrajectory([.. n.T], [.. n.P], [.. n.V], [.. n.B]).Shifted(launchTime);
        var impactPoint = Wgs84.EcefToGeodetic(r.ImpactPosition);
        var bo = Wgs84.EcefToGeodetic(r.BurnoutPosition);
        var boEnu = Navigation.EcefToEnu(bo.LatitudeRad, bo.LongitudeRad, r.BurnoutVelocity);
        return new BallisticTrajectory(table)
        {
            Class = cls,
            LaunchTime = launchTime,
            BurnoutTime = launchTime + r.BurnoutTime,
            LaunchAzimuthRad = best.Psi,
            PitchKickRad = best.Kick,
            BurnoutSpeed = r.BurnoutVelocity.Norm,
            BurnoutFlightPathAngleRad = Math.Atan2(boEnu.Z, Math.Sqrt((boEnu.X * boEnu.X) + (boEnu.Y * boEnu.Y))),
            ApogeeHeight = r.ApogeeHeight,
            AimPoint = to,
            ImpactPoint = impactPoint,
            MissDistance = best.Miss,
            GroundRange = Navigation.Distance(from.LatitudeRad, from.LongitudeRad, impactPoint.LatitudeRad, impactPoint.LongitudeRad),
            SolverEvaluations = evaluations,
        };
    }
}
