using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Simulation.Motion;

/// <summary>
/// Precomputes the path of an aircraft, ship or cruise missile along waypoints: pure-pursuit
/// steering to the active waypoint with a rate-limited heading (coordinated turns at the bank
/// limit), fly-by waypoint switching with the turn anticipation distance, a rate-limited vertical
/// channel and an acceleration-limited speed. The result is a Hermite node table.
/// </summary>
/// <remarks>
/// Fly-by anticipation (ICAO Doc 8168 PANS-OPS, turn anticipation for fly-by waypoints; and
/// RTCA DO-236 fly-by transition): a turn of Δψ at radius r starts L = r·tan(Δψ/2) before the
/// waypoint. Turns larger than 100° are flown over the waypoint (fly-over). Heading command
/// ψ̇ = clamp(Δψ_err/τ, ±ω) with τ = 2 s and ω from <see cref="RouteLimits.TurnRate"/>; vertical
/// ḣ = clamp((h_cmd − h)/τ_v, −ḣ_desc, +ḣ_climb) with τ_v = 5 s and h_cmd taken τ_v ahead along the path (so a constant-gradient
/// profile such as a dive is tracked without lag); horizontal speed √(V² − ḣ²) so the
/// total speed is V. Dead reckoning on the ellipsoid (midpoint rule), see <see cref="Navigation"/>.
/// Nodes are kept where the manoeuvre regime changes, every 5° of heading and at most every 30 s.
/// </remarks>
internal static class RouteFlyer
{
    private const double HeadingTau = 2.0;
    private const double VerticalTau = 5.0;
    private const double MaxNodeGap = 30.0;
    private const double MaxNodeHeading = 5 * Math.PI / 180;
    private const int MaxSteps = 5_000_000;

    /// <summary>A waypoint: position and commanded speed towards it (0 = keep).</summary>
    internal readonly record struct Leg(Geodetic Position, double Speed);

    /// <summary>Flies the route; <paramref name="terminalHeight"/> (distance to go → height command) overrides waypoint heights when it returns a number.</summary>
    public static SampledTrajectory Fly(
        IReadOnlyList<Leg> route, double startTime, double cruiseSpeed, bool loop, RouteLimits limits,
        Func<double, double?>? terminalHeight = null, double initialSpeed = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(limits);
        if (route.Count == 0)
        {
            throw new ArgumentException("A route needs at least one waypoint.", nameof(route));
        }

        if (!(cruiseSpeed > 0) || !(limits.Step > 0))
        {
            throw new ArgumentException("Cruise speed and step must be positive.");
        }

        var n = route.Count;
        var wp = new Leg[n];
        for (var i = 0; i < n; i++)
        {
            var p = route[i].Position;
            wp[i] = route[i] with { Position = limits.SeaLevel ? p with { HeightM = 0 } : p };
        }

        var nodesT = new List<double>();
        var nodesP = new List<Vec3>();
        var nodesV = new List<Vec3>();
        if (n == 1)
        {
            nodesT.Add(startTime);
            nodesP.Add(Wgs84.GeodeticToEcef(wp[0].Position));
            nodesV.Add(Vec3.Zero);
            return new SampledTrajectory([.. nodesT], [.. nodesP], [.. nodesV], holdAtEnd: true);
        }

        // Along-route distance from each waypoint to the final one (non-looping routes), for terminal profiles.
        var toGo = new double[n];
        for (var i = n - 2; i >= 0; i--)
        {
            toGo[i] = toGo[i + 1] + Navigation.Distance(wp[i].Position.LatitudeRad, wp[i].Position.LongitudeRad, wp[i + 1].Position.LatitudeRad, wp[i + 1].Position.LongitudeRad);
        }

        var dt = limits.Step;
        var lat = wp[0].Position.LatitudeRad;
        var lon = wp[0].Position.LongitudeRad;
        var h = wp[0].Position.HeightM;
        var psi = Navigation.Bearing(lat, lon, wp[1].Position.LatitudeRad, wp[1].Position.LongitudeRad);
        var speedCmd = wp[1].Speed > 0 ? wp[1].Speed : cruiseSpeed;
        var v = double.IsNaN(initialSpeed) ? speedCmd : initialSpeed;
        var t = startTime;
        var k = 1;

        // Lap gate for loops: the midpoint of the first leg; the table is periodic between the 2nd and 3rd crossings.
        var gateA = Navigation.UnitVector(wp[0].Position.LatitudeRad, wp[0].Position.LongitudeRad);
        var gateB = Navigation.UnitVector(wp[1].Position.LatitudeRad, wp[1].Position.LongitudeRad);
        var gateMid = (gateA + gateB).Normalized;
        var gateDir = (gateB - gateA).Normalized;
        var crossings = new List<double>(3);
        var prevGate = double.NaN;

        var lastRate = double.NaN;
        var lastVz = double.NaN;
        var lastAcc = double.NaN;
        var lastStoredT = double.NegativeInfinity;
        var lastStoredPsi = psi;
        for (var step = 0; ; step++)
        {
            if (step > MaxSteps)
            {
                throw new InvalidOperationException("Route did not complete (waypoint unreachable with these limits?).");
            }

            var target = wp[k].Position;
            var dist = Navigation.Distance(lat, lon, target.LatitudeRad, target.LongitudeRad);
            var brg = Navigation.Bearing(lat, lon, target.LatitudeRad, target.LongitudeRad);
            var isFinal = !loop && k == n - 1;
            var vzGuess = double.IsNaN(lastVz) ? 0 : lastVz;
            var vh = Math.Sqrt(Math.Max((v * v) - (vzGuess * vzGuess), 0.04 * v * v));
            var omega = limits.TurnRate(vh);
            if (!isFinal)
            {
                var next = wp[(k + 1) % n].Position;
                var turn = Math.Abs(Navigation.WrapPi(Navigation.Bearing(target.LatitudeRad, target.LongitudeRad, next.LatitudeRad, next.LongitudeRad) - brg));
                var radius = vh / omega;
                var lead = turn <= 100 * Math.PI / 180 ? radius * Math.Tan(turn / 2) : 0;
                var behind = dist < 2 * radius && Math.Abs(Navigation.WrapPi(brg - psi)) > Math.PI / 2;
                if (dist <= Math.Max(lead, vh * dt) || behind)
                {
                    k = (k + 1) % n;
                    if (wp[k].Speed > 0)
                    {
                        speedCmd = wp[k].Speed;
                    }

                    target = wp[k].Position;
                    dist = Navigation.Distance(lat, lon, target.LatitudeRad, target.LongitudeRad);
                    brg = Navigation.Bearing(lat, lon, target.LatitudeRad, target.LongitudeRad);
                    isFinal = !loop && k == n - 1;
                }
            }

            // Commands for this step.
            var goDist = loop ? double.PositiveInfinity : dist + toGo[k];
            var hCmd = limits.SeaLevel ? 0 : terminalHeight?.Invoke(Math.Max(goDist - (vh * VerticalTau), 0)) ?? target.HeightM;
            var vz = Math.Clamp((hCmd - h) / VerticalTau, -limits.MaxDescentRate, limits.MaxClimbRate);
            if (limits.SeaLevel)
            {
                vz = 0;
            }

            var acc = Math.Clamp((speedCmd - v) / dt, -limits.MaxAcceleration, limits.MaxAcceleration);
            vh = Math.Sqrt(Math.Max((v * v) - (vz * vz), 0.04 * v * v));
            omega = limits.TurnRate(vh);
            var rate = Math.Clamp(Navigation.WrapPi(brg - psi) / HeadingTau, -omega, omega);

            // Node at the start of this step when the regime changes or the table would get sparse.
            var regimeChanged = double.IsNaN(lastRate) || Math.Abs(rate - lastRate) > 2e-4 || Math.Abs(vz - lastVz) > 0.05 || Math.Abs(acc - lastAcc) > 1e-3;
            if (regimeChanged || t - lastStoredT >= MaxNodeGap - 1e-9 || Math.Abs(Navigation.WrapPi(psi - lastStoredPsi)) >= MaxNodeHeading)
            {
                AddNode(t, lat, lon, h, psi, vh, vz);
                lastStoredT = t;
                lastStoredPsi = psi;
            }

            lastRate = rate;
            lastVz = vz;
            lastAcc = acc;

            if (isFinal && dist <= vh * dt)
            {
                // Last, partial step lands exactly on the final waypoint.
                var dtEnd = dist / vh;
                var hEnd = terminalHeight is not null ? target.HeightM : h + (vz * dtEnd);
                if (dtEnd < 1e-3)
                {
                    RemoveLastIfAt(t);
                    AddNode(t, target.LatitudeRad, target.LongitudeRad, hEnd, brg, vh, vz);
                }
                else
                {
                    if (nodesT[^1] < t)
                    {
                        AddNode(t, lat, lon, h, psi, vh, vz);
                    }

                    AddNode(t + dtEnd, target.LatitudeRad, target.LongitudeRad, hEnd, brg, vh, vz);
                }

                if (limits.HoldAtEnd)
                {
                    nodesV[^1] = Vec3.Zero;
                }

                return new SampledTrajectory([.. nodesT], [.. nodesP], [.. nodesV], holdAtEnd: limits.HoldAtEnd);
            }

            // Integrate one step (midpoint rule on the ellipsoid).
            var psiMid = psi + (0.5 * rate * dt);
            var latMid = lat + (0.5 * dt * vh * Math.Cos(psi) / (Navigation.MeridianRadius(lat) + h));
            var hMid = h + (0.5 * vz * dt);
            var vhMid = Math.Sqrt(Math.Max(Math.Pow(v + (0.5 * acc * dt), 2) - (vz * vz), 0.04 * v * v));
            lat += dt * vhMid * Math.Cos(psiMid) / (Navigation.MeridianRadius(latMid) + hMid);
            lon = Navigation.WrapPi(lon + (dt * vhMid * Math.Sin(psiMid) / ((Navigation.PrimeVerticalRadius(latMid) + hMid) * Math.Cos(latMid))));
            h += vz * dt;
            psi = Navigation.WrapPi(psi + (rate * dt));
            v += acc * dt;
            t += dt;

            if (loop)
            {
                var along = Vec3.Dot(Navigation.UnitVector(lat, lon) - gateMid, gateDir);
                if (prevGate < 0 && along >= 0 && k == 1)
                {
                    crossings.Add(t - (dt * along / (along - prevGate)));
                    if (crossings.Count == 3)
                    {
                        AddNode(t, lat, lon, h, psi, Math.Sqrt(Math.Max((v * v) - (vz * vz), 0.04 * v * v)), vz);
                        return new SampledTrajectory([.. nodesT], [.. nodesP], [.. nodesV], loopStart: crossings[1], period: crossings[2] - crossings[1]);
                    }
                }

                prevGate = along;
            }
        }

        void AddNode(double time, double la, double lo, double height, double heading, double horizontalSpeed, double verticalSpeed)
        {
            nodesT.Add(time);
            nodesP.Add(Wgs84.GeodeticToEcef(new Geodetic(la, lo, height)));
            var (s, c) = Math.SinCos(heading);
            nodesV.Add(Navigation.EnuToEcef(la, lo, horizontalSpeed * s, horizontalSpeed * c, verticalSpeed));
        }

        void RemoveLastIfAt(double time)
        {
            if (nodesT.Count > 0 && nodesT[^1] >= time)
            {
                nodesT.RemoveAt(nodesT.Count - 1);
                nodesP.RemoveAt(nodesP.Count - 1);
                nodesV.RemoveAt(nodesV.Count - 1);
            }
        }
    }
}
