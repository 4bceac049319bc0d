using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Simulation.Motion;
using Kizuna.Simulation.Scenario;
using Kizuna.Simulation.Sensors;

namespace Kizuna.Simulation.Engine;

/// <summary>One sensor of the world with its definition and scheduling data.</summary>
/// <param name="Index">Position in the scenario's sensor list (also its random-stream index).</param>
/// <param name="Definition">The scenario definition.</param>
/// <param name="Model">The simulated sensor.</param>
/// <param name="Phase">Offset of the first scan start within the revisit period (s).</param>
public sealed record SensorSlot(int Index, SensorDefinition Definition, ISensorModel Model, double Phase);

/// <summary>
/// Everything a scenario puts in the world, built once and deterministically from a
/// <see cref="ScenarioDefinition"/>: Blue platforms, Red threats (with their launch times, including
/// scripted raids started by injects), background and recorded air traffic, and the sensors.
/// Truth ids are assigned in that order, from 1.
/// </summary>
public sealed class ExerciseWorld
{
    private ExerciseWorld(ScenarioDefinition scenario, ImmutableArray<SimObject> objects, ImmutableArray<SensorSlot> sensors,
        ImmutableArray<SimulationEvent> launches)
    {
        Scenario = scenario;
        Objects = objects;
        Sensors = sensors;
        Launches = launches;
    }

    /// <summary>The scenario.</summary>
    public ScenarioDefinition Scenario { get; }

    /// <summary>All simulated objects, in truth-id order.</summary>
    public ImmutableArray<SimObject> Objects { get; }

    /// <summary>The sensors, in scenario order.</summary>
    public ImmutableArray<SensorSlot> Sensors { get; }

    /// <summary>Threat launch events (time order).</summary>
    public ImmutableArray<SimulationEvent> Launches { get; }

    /// <summary>Nominal RCS (m²) used for Blue platforms and traffic, notional.</summary>
    public static class NotionalRcs
    {
        /// <summary>Surface combatant.</summary>
        public const double Ship = 5_000;

        /// <summary>Large aircraft (AEW, tanker).</summary>
        public const double LargeAircraft = 100;

        /// <summary>Airliner.</summary>
        public const double Airliner = 40;

        /// <summary>Fighter-size aircraft.</summary>
        public const double Fighter = 5;
    }

    /// <summary>Builds the world. Paths of recorded traffic are resolved against the scenario file's folder.</summary>
    public static ExerciseWorld Build(ScenarioDefinition scenario)
    {
        var objects = new List<SimObject>();
        var launches = new List<SimulationEvent>();
        var hosts = new Dictionary<string, ITrajectory>(StringComparer.Ordinal);
        var nextId = 1;

        foreach (var p in scenario.Platforms)
        {
            var (trajectory, kind, rcs) = p.Kind switch
            {
                PlatformKind.Ground => (TrajectoryBuilder.Fixed(p.Position), ObjectKind.GroundSite, 0.0),
                PlatformKind.GeostationarySatellite => (TrajectoryBuilder.Geostationary(p.Position.LongitudeRad), ObjectKind.Satellite, 0.0),
                PlatformKind.Ship => (MovingPlatform(p, RouteLimits.Ship), ObjectKind.Ship, NotionalRcs.Ship),
                PlatformKind.Aircraft => (MovingPlatform(p, RouteLimits.Aircraft), ObjectKind.Aircraft, NotionalRcs.LargeAircraft),
                _ => throw new InvalidOperationException($"Unknown platform kind {p.Kind}."),
            };
            hosts[p.Id] = trajectory;
            objects.Add(new SimObject(nextId++, p.Id, kind, p.Nation, trajectory, rcs));
        }

        var raidStart = scenario.Injects
            .Where(i => i.Kind == InjectKind.Raid)
            .GroupBy(i => i.Target, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(i => i.Time), StringComparer.Ordinal);
        foreach (var raid in scenario.Raids)
        {
            double offset = 0;
            if (raid.Scripted)
            {
                if (!raidStart.TryGetValue(raid.Id, out offset))
                {
                    continue; // a scripted raid without an inject never starts
                }
            }

            foreach (var launch in raid.Launches)
            {
                for (var k = 0; k < launch.Count; k++)
                {
                    var t = offset + launch.Time + (k * launch.Interval);
                    if (t > scenario.Duration)
                    {
                        break;
                    }

                    var name = $"{raid.Id}-{launch.Type.ToString().ToLowerInvariant()}-{objects.Count + 1}";
                    var (trajectory, kind) = launch.Type switch
                    {
                        ThreatType.Ballistic => (TrajectoryBuilder.Ballistic(launch, t), ObjectKind.BallisticMissile),
                        ThreatType.Cruise => (TrajectoryBuilder.CruiseMissile(launch, t), ObjectKind.CruiseMissile),
                        ThreatType.Aircraft => (RedAircraft(launch, t), ObjectKind.Aircraft),
                        _ => throw new InvalidOperationException($"Unknown threat type {launch.Type}."),
                    };
                    var rcs = launch.Type == ThreatType.Aircraft ? Math.Max(launch.RcsM2, NotionalRcs.Fighter) : launch.RcsM2;
                    objects.Add(new SimObject(nextId++, name, kind, default, new DestroyableTrajectory(trajectory), rcs, IsRed: true));
                    launches.Add(new SimulationEvent(t, SimulationEventKind.Launch, name));
                }
            }
        }

        if (scenario.BackgroundTraffic is { } traffic)
        {
            var flights = CivilTraffic.Generate(traffic, scenario.Duration, scenario.Seed);
            var equip = new Random(unchecked((scenario.Seed * 31) + 7));
            foreach (var f in flights)
            {
                var adsb = equip.NextDouble() < traffic.AdsbFraction;
                objects.Add(new SimObject(nextId++, f.Callsign, ObjectKind.CivilAircraft, default, f.Trajectory,
                    NotionalRcs.Airliner, adsb ? f.Icao : 0, f.Callsign));
            }
        }

        var baseDir = scenario.SourcePath is { } sp ? Path.GetDirectoryName(Path.GetFullPath(sp)) ?? "." : ".";
        foreach (var rec in scenario.RecordedTraffic)
        {
            var path = Path.IsPathRooted(rec.Path) ? rec.Path : Path.GetFullPath(Path.Combine(baseDir, rec.Path));
            foreach (var f in RecordedTraffic.Load(path, scenario.Epoch, rec.TimeOffset, rec.MaxAircraft))
            {
                objects.Add(new SimObject(nextId++, string.IsNullOrWhiteSpace(f.Callsign) ? f.Icao.ToString("X6") : f.Callsign,
                    ObjectKind.CivilAircraft, default, f.Trajectory, NotionalRcs.Airliner, rec.Adsb ? f.Icao : 0, f.Callsign));
            }
        }

        var sensors = ImmutableArray.CreateBuilder<SensorSlot>(scenario.Sensors.Length);
        for (var i = 0; i < scenario.Sensors.Length; i++)
        {
            var def = scenario.Sensors[i];
            if (!hosts.TryGetValue(def.Platform, out var host))
            {
                throw new InvalidOperationException($"Sensor '{def.Id}' names platform '{def.Platform}', which does not exist.");
            }

            // Deterministic scan phase so sensors do not all scan at t = 0.
            var phase = new Random(SensorSeed(scenario.Seed, i) ^ 0x5bd1e995).NextDouble() * def.RevisitPeriod;
            sensors.Add(new SensorSlot(i, def, SensorFactory.Create(def, host, i), phase));
        }

        launches.Sort((a, b) => a.Time.CompareTo(b.Time));
        return new ExerciseWorld(scenario, [.. objects], sensors.MoveToImmutable(), [.. launches]);
    }

    /// <summary>
    /// Destroys Red object <paramref name="truthId"/> at <paramref name="time"/> (s): from then on it
    /// has no state, so sensors stop detecting it. Returns false when the id is not a Red object or it
    /// was already destroyed earlier.
    /// </summary>
    public bool Destroy(int truthId, double time)
    {
        if (truthId <= 0 || truthId > Objects.Length || Objects[truthId - 1] is not { Id: var id, Trajectory: DestroyableTrajectory d } || id != truthId || d.DestroyedAt <= time)
        {
            return false;
        }

        d.Destroy(time);
        return true;
    }

    /// <summary>The seed of sensor <paramref name="index"/>'s random stream.</summary>
    public static int SensorSeed(int scenarioSeed, int index) => unchecked((scenarioSeed * 1_000_003) + (index * 7_919) + 17);

    private static ITrajectory MovingPlatform(PlatformDefinition p, RouteLimits limits) =>
        p.Route.IsDefaultOrEmpty
            ? TrajectoryBuilder.Fixed(p.Position)
            : TrajectoryBuilder.Route(p.Route, 0, p.Speed, p.Loop, limits);

    private static ITrajectory RedAircraft(LaunchDefinition launch, double t)
    {
        var points = new List<Waypoint> { new(WithHeight(launch.From, launch.Altitude), launch.Speed) };
        points.AddRange(launch.Via.Select(v => new Waypoint(WithHeight(v, launch.Altitude), launch.Speed)));
        points.Add(new Waypoint(WithHeight(launch.To, launch.Altitude), launch.Speed));
        return TrajectoryBuilder.Route(points, t, launch.Speed, loop: false, RouteLimits.Aircraft);
    }

    private static Geodetic WithHeight(Geodetic g, double h) => g with { HeightM = h };

    /// <summary>Counts of objects by kind, for summaries.</summary>
    public IReadOnlyDictionary<ObjectKind, int> CountByKind() =>
        Objects.GroupBy(o => o.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Number of objects broadcasting ADS-B.</summary>
    public int AdsbEquippedCount => Objects.Count(o => o.Icao != 0);

    /// <summary>Nations that own at least one sensor.</summary>
    public IEnumerable<Nation> SensorNations => Sensors.Select(s => s.Definition.Nation).Distinct().Order();
}
