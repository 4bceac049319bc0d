using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Simulation.Scenario;

namespace Kizuna.Simulation.Motion;

/// <summary>
/// Builds the trajectories of the exercise engine's objects. Every result precomputes its path,
/// so <see cref="ITrajectory.TryGetState"/> is O(1) or O(log n), allocation-free and thread-safe.
/// Times are seconds since the scenario epoch; velocities are ECEF (Earth-fixed).
/// </summary>
/// <remarks>The models and their sources are described in docs/motion-models.md.</remarks>
public static class TrajectoryBuilder
{
    /// <summary>Radius of the geostationary orbit (m): (GM/Ω²)^(1/3) ≈ 42,164 km.</summary>
    public const double GeostationaryRadius = 42_164_000;

    /// <summary>Dive angle of a cruise missile's terminal dive (rad).</summary>
    public const double CruiseMissileDiveAngleRad = 30 * Math.PI / 180;

    /// <summary>A point fixed on the Earth: exists at all times, zero ECEF velocity.</summary>
    public static ITrajectory Fixed(Geodetic position) => new EarthFixedTrajectory(Wgs84.GeodeticToEcef(position));

    /// <summary>A geostationary satellite over <paramref name="longitudeRad"/>: fixed in ECEF on the equator at radius 42,164 km.</summary>
    public static ITrajectory Geostationary(double longitudeRad)
    {
        var (s, c) = Math.SinCos(longitudeRad);
        return new EarthFixedTrajectory(new Vec3(GeostationaryRadius * c, GeostationaryRadius * s, 0));
    }

    /// <summary>
    /// An aircraft or ship along waypoints from <paramref name="startTime"/>, starting at the first
    /// waypoint, with fly-by coordinated turns and rate-limited climbs (see <see cref="RouteFlyer"/>).
    /// A looping route is flown forever (periodic after its second lap); a non-looping one ends at its
    /// last waypoint unless <see cref="RouteLimits.HoldAtEnd"/>.
    /// </summary>
    public static ITrajectory Route(IReadOnlyList<Waypoint> route, double startTime, double cruiseSpeed, bool loop, RouteLimits limits)
    {
        ArgumentNullException.ThrowIfNull(route);
        var legs = new RouteFlyer.Leg[route.Count];
        for (var i = 0; i < legs.Length; i++)
        {
            legs[i] = new RouteFlyer.Leg(route[i].Position, route[i].Speed);
        }

        return RouteFlyer.Fly(legs, startTime, cruiseSpeed, loop, limits);
    }

    /// <summary>
    /// A sea-skimming cruise missile from <see cref="LaunchDefinition.From"/> through the
    /// <see cref="LaunchDefinition.Via"/> points to <see cref="LaunchDefinition.To"/> at
    /// <see cref="LaunchDefinition.Speed"/> and <see cref="LaunchDefinition.Altitude"/>; optional
    /// terminal pop-up to <see cref="LaunchDefinition.PopUpHeight"/> over the last
    /// <see cref="LaunchDefinition.PopUpDistance"/>, then a 30° dive. Ends at impact on the aim point.
    /// </summary>
    /// <remarks>
    /// Height command as a function of the distance to go d (along the route):
    /// h_cmd(d) = h_T + min(H, d·tan γ_d), with H the pop-up height when d ≤ D_pop (else the cruise
    /// height above the aim height), γ_d = 30°. Vertical and turn limits are <see cref="RouteLimits.CruiseMissile"/>.
    /// The missile starts at cruise height over the launch point (no booster phase).
    /// </remarks>
    public static ITrajectory CruiseMissile(LaunchDefinition launch, double launchTime) => CruiseMissile(launch, launchTime, RouteLimits.CruiseMissile);

    /// <summary>A cruise missile with explicit manoeuvre limits.</summary>
    public static ITrajectory CruiseMissile(LaunchDefinition launch, double launchTime, RouteLimits limits)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var cruise = launch.Altitude;
        var legs = new List<RouteFlyer.Leg>(launch.Via.Length + 2) { new(launch.From with { HeightM = cruise }, launch.Speed) };
        foreach (var via in launch.Via)
        {
            legs.Add(new RouteFlyer.Leg(via with { HeightM = cruise }, launch.Speed));
        }

        legs.Add(new RouteFlyer.Leg(launch.To, launch.Speed));
        var targetHeight = launch.To.HeightM;
        var tanDive = Math.Tan(CruiseMissileDiveAngleRad);
        var popUp = launch.PopUpHeight > 0;
        double? Profile(double toGo)
        {
            var level = popUp && toGo <= launch.PopUpDistance ? targetHeight + launch.PopUpHeight : cruise;
            return Math.Min(level, targetHeight + (toGo * tanDive));
        }

        return RouteFlyer.Fly(legs, launchTime, launch.Speed, loop: false, limits, Profile);
    }

    /// <summary>
    /// A ballistic missile of the launch's class, aimed at <see cref="LaunchDefinition.To"/> by
    /// iteration; the result is a <see cref="BallisticTrajectory"/> (cast it for the miss distance).
    /// </summary>
    public static ITrajectory Ballistic(LaunchDefinition launch, double launchTime, BallisticOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(launch);
        return BallisticTrajectory.Create(launch.From, launch.To, launch.MissileClass, launchTime, options);
    }
}
