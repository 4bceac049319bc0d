using Kizuna.Core.Geodesy;
using Kizuna.Simulation.Scenario;

namespace Kizuna.Simulation.Motion;

/// <summary>A generated civil flight.</summary>
/// <param name="Icao">ICAO 24-bit aircraft address (unique within one generation).</param>
/// <param name="Callsign">Callsign (airline designator + flight number).</param>
/// <param name="From">Departure airport ICAO code.</param>
/// <param name="To">Destination airport ICAO code.</param>
/// <param name="Trajectory">Its path (starts at t = 0 for aircraft already airborne at the start).</param>
public sealed record GeneratedFlight(uint Icao, string Callsign, string From, string To, ITrajectory Trajectory);

/// <summary>
/// Background civil traffic between the airports of <see cref="Airports"/>: great-circle flights
/// with climb, cruise and descent, about <see cref="BackgroundTrafficDefinition.AircraftCount"/>
/// airborne at any time, deterministic for a seed.
/// </summary>
/// <remarks>
/// Population model (a stationary M/G/∞ queue): departures form a Poisson process of rate
/// λ = N / E[T], with N the requested airborne count and E[T] the mean flight time over random
/// airport pairs, so by Little's law the mean number airborne is λ·E[T] = N (L. Kleinrock, "Queueing
/// Systems", vol. 1, 1975, §2.1 and §5.3). The aircraft already airborne at t = 0 are N flights
/// drawn with probability proportional to their duration (length-biased sampling, the stationary
/// distribution of an M/G/∞ system) at a uniform random progress along their flight.
/// Each flight: departure at the airport at 150 m/s, climb at 12 m/s to a cruise height drawn from
/// [min, max] and rounded to 1,000 ft, cruise at 230 m/s, top of descent placed so that a 9 m/s
/// descent at 180 m/s ends at the destination; flown by <see cref="RouteFlyer"/> along the great
/// circle. Addresses are drawn inside the ICAO 24-bit block of the operator's state of registry
/// (ICAO Annex 10 vol. III, part I, ch. 9, appendix: Japan 0x840000, Korea 0x718000, China 0x780000,
/// Philippines 0x758000, United States 0xA00000, Russia 0x100000); operators and flight numbers are made up.
/// </remarks>
public static class CivilTraffic
{
    private const double ClimbSpeed = 150;
    private const double CruiseSpeed = 230;
    private const double DescentSpeed = 180;
    private const double DescentRate = 9;
    private const double Foot = 0.3048;

    private static readonly (string Prefix, uint Block, uint Size)[] Operators =
    [
        ("JAL", 0x840000, 0x40000), ("ANA", 0x840000, 0x40000), ("SKY", 0x840000, 0x40000), ("APJ", 0x840000, 0x40000),
        ("KAL", 0x718000, 0x8000), ("AAR", 0x718000, 0x8000), ("JJA", 0x718000, 0x8000),
        ("CES", 0x780000, 0x40000), ("CPA", 0x780000, 0x40000),
        ("PAL", 0x758000, 0x8000), ("UAL", 0xA00000, 0x100000), ("SBI", 0x100000, 0x100000),
    ];

    /// <summary>Generates the flights airborne during [0, <paramref name="duration"/>].</summary>
    public static IReadOnlyList<GeneratedFlight> Generate(BackgroundTrafficDefinition def, double duration, int seed)
    {
        ArgumentNullException.ThrowIfNull(def);
        var airports = new List<Airport>();
        foreach (var code in def.Airports)
        {
            if (!Scenario.Airports.TryGet(code, out var a))
            {
                throw new ArgumentException($"Unknown airport '{code}' in background traffic.", nameof(def));
            }

            airports.Add(a);
        }

        if (airports.Count < 2 || def.AircraftCount <= 0 || !(duration >= 0) || !(def.CruiseAltitudeMax >= def.CruiseAltitudeMin))
        {
            return airports.Count < 2 && def.AircraftCount > 0
                ? throw new ArgumentException("Background traffic needs at least two airports.", nameof(def))
                : [];
        }

        var rng = new Random(seed);
        var meanTime = 0.0;
        var maxTime = 0.0;
        var pairs = 0;
        foreach (var a in airports)
        {
            foreach (var b in airports)
            {
                if (!ReferenceEquals(a, b))
                {
                    var time = EstimatedFlightTime(a, b);
                    meanTime += time;
                    maxTime = Math.Max(maxTime, time);
                    pairs++;
                }
            }
        }

        meanTime /= pairs;
        var rate = def.AircraftCount / meanTime;
        var flights = new List<GeneratedFlight>();
        var used = new HashSet<uint>();

        // Aircraft airborne at t = 0: length-biased pairs, uniform progress.
        for (var i = 0; i < def.AircraftCount; i++)
        {
            Airport a, b;
            do
            {
                (a, b) = Pair(rng, airports);
            }
            while (rng.NextDouble() > EstimatedFlightTime(a, b) / maxTime);

            var table = Build(a, b, def, rng);
            var progress = rng.NextDouble();
            var span = table.EndTime - table.StartTime;
            flights.Add(Flight(rng, used, a, b, table.Shifted(-progress * span, start: 0)));
        }

        // Poisson departures during the run.
        for (var t = -Math.Log(1 - rng.NextDouble()) / rate; t < duration; t += -Math.Log(1 - rng.NextDouble()) / rate)
        {
            var (a, b) = Pair(rng, airports);
            flights.Add(Flight(rng, used, a, b, Build(a, b, def, rng).Shifted(t)));
        }

        return flights;
    }

    private static (Airport A, Airport B) Pair(Random rng, List<Airport> airports)
    {
        var i = rng.Next(airports.Count);
        var j = rng.Next(airports.Count - 1);
        return (airports[i], airports[j >= i ? j + 1 : j]);
    }

    private static double EstimatedFlightTime(Airport a, Airport b) =>
        (Navigation.Distance(a.Position.LatitudeRad, a.Position.LongitudeRad, b.Position.LatitudeRad, b.Position.LongitudeRad) / CruiseSpeed) + 300;

    private static SampledTrajectory Build(Airport from, Airport to, BackgroundTrafficDefinition def, Random rng)
    {
        var cruise = def.CruiseAltitudeMin + (rng.NextDouble() * (def.CruiseAltitudeMax - def.CruiseAltitudeMin));
        cruise = Math.Clamp(Math.Round(cruise / (1000 * Foot)) * 1000 * Foot, def.CruiseAltitudeMin, Math.Max(def.CruiseAltitudeMin, def.CruiseAltitudeMax));
        var p0 = from.Position;
        var p1 = to.Position;
        var distance = Navigation.Distance(p0.LatitudeRad, p0.LongitudeRad, p1.LatitudeRad, p1.LongitudeRad);
        var descentDistance = cruise / DescentRate * DescentSpeed;
        var legs = new List<RouteFlyer.Leg> { new(p0 with { HeightM = 0 }, ClimbSpeed) };
        if (descentDistance < distance * 0.8)
        {
            var (lat, lon) = Navigation.Intermediate(p0.LatitudeRad, p0.LongitudeRad, p1.LatitudeRad, p1.LongitudeRad, 1 - (descentDistance / distance));
            legs.Add(new RouteFlyer.Leg(new Geodetic(lat, lon, cruise), CruiseSpeed));
        }
        else
        {
            var (lat, lon) = Navigation.Intermediate(p0.LatitudeRad, p0.LongitudeRad, p1.LatitudeRad, p1.LongitudeRad, 0.5);
            legs.Add(new RouteFlyer.Leg(new Geodetic(lat, lon, cruise * 0.5), CruiseSpeed));
        }

        legs.Add(new RouteFlyer.Leg(p1 with { HeightM = 0 }, DescentSpeed));
        var limits = RouteLimits.Aircraft with { MaxClimbRate = 12, MaxDescentRate = DescentRate, Step = 2 };
        return RouteFlyer.Fly(legs, 0, CruiseSpeed, loop: false, limits, initialSpeed: ClimbSpeed);
    }

    private static GeneratedFlight Flight(Random rng, HashSet<uint> used, Airport a, Airport b, ITrajectory trajectory)
    {
        var op = Operators[rng.Next(Operators.Length)];
        uint icao;
        do
        {
            icao = op.Block + (uint)rng.Next((int)op.Size);
        }
        while (!used.Add(icao));

        return new GeneratedFlight(icao, $"{op.Prefix}{rng.Next(1, 10_000)}", a.Icao, b.Icao, trajectory);
    }
}
