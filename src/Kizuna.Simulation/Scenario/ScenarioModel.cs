using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Simulation.Scenario;

// The in-memory scenario, produced by ScenarioLoader from YAML (docs/scenarios.md) after
// validation. Units are SI in memory (m, s, rad, m/s); the YAML uses the unit named in each key.

/// <summary>A validated exercise scenario.</summary>
public sealed record ScenarioDefinition
{
    /// <summary>Scenario name.</summary>
    public required string Name { get; init; }

    /// <summary>Free-text description.</summary>
    public string Description { get; init; } = "";

    /// <summary>UTC time of t = 0.</summary>
    public required DateTime Epoch { get; init; }

    /// <summary>Run length (s).</summary>
    public required double Duration { get; init; }

    /// <summary>Random seed; same seed, same output.</summary>
    public required int Seed { get; init; }

    /// <summary>Truth sampling interval for output (s).</summary>
    public double TruthInterval { get; init; } = 1.0;

    /// <summary>Participating nations.</summary>
    public required ImmutableArray<Nation> Nations { get; init; }

    /// <summary>Defended assets.</summary>
    public ImmutableArray<DefendedAsset> DefendedAssets { get; init; } = [];

    /// <summary>Blue platforms (ships, ground sites, aircraft, satellites).</summary>
    public ImmutableArray<PlatformDefinition> Platforms { get; init; } = [];

    /// <summary>Sensors, each on a platform.</summary>
    public ImmutableArray<SensorDefinition> Sensors { get; init; } = [];

    /// <summary>Red raids.</summary>
    public ImmutableArray<RaidDefinition> Raids { get; init; } = [];

    /// <summary>Generated background civil traffic, or null for none.</summary>
    public BackgroundTrafficDefinition? BackgroundTraffic { get; init; }

    /// <summary>Recorded trajectories replayed as platforms.</summary>
    public ImmutableArray<RecordedTrafficDefinition> RecordedTraffic { get; init; } = [];

    /// <summary>Scripted injects.</summary>
    public ImmutableArray<InjectDefinition> Injects { get; init; } = [];

    /// <summary>Interceptor batteries (notional; weapon classes in docs/defence.md).</summary>
    public ImmutableArray<BatteryDefinition> Batteries { get; init; } = [];

    /// <summary>Per-nation command settings: rules of engagement and pre-delegated approvals.</summary>
    public ImmutableArray<NationCommandDefinition> Command { get; init; } = [];

    /// <summary>Full path of the sharing-agreements file (format in docs/network.md), or null for none.</summary>
    public string? AgreementsPath { get; init; }

    /// <summary>Path of the file it came from (for messages), or null.</summary>
    public string? SourcePath { get; init; }
}

/// <summary>
/// An interceptor battery: a notional weapon class at a fixed site or on a platform (a ship).
/// </summary>
/// <param name="Id">Unique id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Nation">Owning nation (alone may authorise its shots).</param>
/// <param name="Weapon">Weapon class token: <c>upper_tier</c>, <c>lower_tier</c>, <c>ship_area</c> or <c>short_range</c>.</param>
/// <param name="Position">Site position for a fixed battery (ignored when <paramref name="PlatformId"/> is set).</param>
/// <param name="PlatformId">Host platform id (e.g. a destroyer), or null for a fixed site.</param>
/// <param name="Inventory">Interceptors ready at t = 0.</param>
public sealed record BatteryDefinition(string Id, string Name, Nation Nation, string Weapon, Geodetic Position, string? PlatformId, int Inventory);

/// <summary>Rules of engagement (weapon control status).</summary>
public enum RulesOfEngagement
{
    /// <summary>Fire at any target not identified as friendly.</summary>
    WeaponsFree,

    /// <summary>Fire only at targets identified as hostile.</summary>
    WeaponsTight,

    /// <summary>Do not fire (except in self-defence).</summary>
    WeaponsHold,
}

/// <summary>A nation's command settings.</summary>
/// <param name="Nation">The nation.</param>
/// <param name="Roe">Its rules of engagement.</param>
/// <param name="AutoApprove">Weapon classes whose recommended engagements the nation pre-delegated (approved without an operator decision).</param>
public sealed record NationCommandDefinition(Nation Nation, RulesOfEngagement Roe, ImmutableArray<string> AutoApprove);

/// <summary>A defended asset: a point (radius 0) or a circular area, with a value for threat evaluation.</summary>
public sealed record DefendedAsset(string Id, string Name, Nation Nation, Geodetic Position, double RadiusM, double Value);

/// <summary>Kind of platform.</summary>
public enum PlatformKind
{
    /// <summary>Fixed ground site.</summary>
    Ground,

    /// <summary>Surface ship (moves along a route at sea level).</summary>
    Ship,

    /// <summary>Aircraft (e.g. airborne early warning) flying a route or an orbit.</summary>
    Aircraft,

    /// <summary>Geostationary satellite at a sub-satellite longitude.</summary>
    GeostationarySatellite,
}

/// <summary>A waypoint: position and the speed to fly towards it (m/s; 0 = keep previous).</summary>
public sealed record Waypoint(Geodetic Position, double Speed);

/// <summary>A Blue platform.</summary>
/// <param name="Id">Unique id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Nation">Owner.</param>
/// <param name="Kind">Platform kind.</param>
/// <param name="Position">Fixed position (ground, satellite sub-point) or start point.</param>
/// <param name="Route">Waypoints (ships, aircraft); empty for fixed platforms.</param>
/// <param name="Speed">Cruise speed (m/s) for moving platforms.</param>
/// <param name="Loop">True to fly/sail the route repeatedly (orbits, patrol boxes).</param>
public sealed record PlatformDefinition(
    string Id, string Name, Nation Nation, PlatformKind Kind, Geodetic Position,
    ImmutableArray<Waypoint> Route, double Speed, bool Loop);

/// <summary>Sensor type.</summary>
public enum SensorType
{
    /// <summary>Surface radar: ground site or ship; rotating or electronically scanned.</summary>
    SurfaceRadar,

    /// <summary>Airborne early-warning radar on a moving host.</summary>
    AirborneRadar,

    /// <summary>Space-based infrared early warning (geostationary), angles-only, boosting missiles only.</summary>
    SpaceInfrared,

    /// <summary>ADS-B receiver: cooperative aircraft report their own GPS position and identity.</summary>
    AdsbReceiver,
}

/// <summary>
/// A sensor and its notional performance. Radar detection follows the radar equation with
/// Swerling 1 fluctuation: SNR(R) = SNR_ref · (σ/σ_ref) · (R_ref/R)⁴, Pd = Pfa^(1/(1+SNR)).
/// </summary>
public sealed record SensorDefinition
{
    /// <summary>Unique id.</summary>
    public required string Id { get; init; }

    /// <summary>Owner.</summary>
    public required Nation Nation { get; init; }

    /// <summary>Host platform id.</summary>
    public required string Platform { get; init; }

    /// <summary>Sensor type.</summary>
    public required SensorType Type { get; init; }

    /// <summary>Revisit (scan) period (s).</summary>
    public double RevisitPeriod { get; init; } = 10;

    /// <summary>True for a mechanically rotating antenna (detection time depends on azimuth); false for electronic scan.</summary>
    public bool Rotating { get; init; } = true;

    /// <summary>Maximum instrumented range (m).</summary>
    public double MaxRange { get; init; } = 400_000;

    /// <summary>
    /// Minimum elevation above the local horizontal (rad). Default −1°: geometric elevation of a
    /// low target near the refracted horizon is slightly negative (−0.11° for a 50 m target at
    /// 38 km from a 10 m mast), so a 0° limit would cut sea-skimmers before the horizon does.
    /// </summary>
    public double MinElevation { get; init; } = -Math.PI / 180;

    /// <summary>Maximum elevation (rad).</summary>
    public double MaxElevation { get; init; } = Math.PI / 2;

    /// <summary>Antenna height above the platform (m) — for line of sight.</summary>
    public double AntennaHeight { get; init; } = 10;

    /// <summary>Range noise σ (m).</summary>
    public double RangeSigma { get; init; } = 50;

    /// <summary>Azimuth noise σ (rad).</summary>
    public double AzimuthSigma { get; init; } = 0.15 * Math.PI / 180;

    /// <summary>Elevation noise σ (rad).</summary>
    public double ElevationSigma { get; init; } = 0.3 * Math.PI / 180;

    /// <summary>Reference range at which a target of <see cref="ReferenceRcs"/> gives <see cref="ReferenceSnrDb"/> (m).</summary>
    public double ReferenceRange { get; init; } = 300_000;

    /// <summary>Reference radar cross-section (m²).</summary>
    public double ReferenceRcs { get; init; } = 1;

    /// <summary>Mean SNR (dB) of the reference target at the reference range.</summary>
    public double ReferenceSnrDb { get; init; } = 13;

    /// <summary>Probability of false alarm per resolution cell (sets the threshold).</summary>
    public double FalseAlarmProbability { get; init; } = 1e-6;

    /// <summary>Mean number of false alarms (Poisson) per scan over the coverage volume.</summary>
    public double ClutterPerScan { get; init; }

    /// <summary>
    /// Radars: σ of the measured range rate (m/s) of a pulse-Doppler radar; null (absent) = the radar
    /// measures no radial velocity. Notional; docs/sensor-models.md "Range rate (Doppler)".
    /// </summary>
    public double? RangeRateSigma { get; init; }

    /// <summary>
    /// Radars with <see cref="RangeRateSigma"/>: half-width (m/s) of the interval over which false alarms'
    /// range rates are drawn (uniform in [−v, v]), the unambiguous radial-velocity interval after the radar's
    /// PRF diversity. Notional.
    /// </summary>
    public double UnambiguousRangeRate { get; init; } = 600;

    /// <summary>Optional fixed detection probability (overrides the radar equation; used for studies).</summary>
    public double? FixedDetectionProbability { get; init; }

    /// <summary>Latency from measurement to report (s) — space IR and ADS-B.</summary>
    public double Latency { get; init; }

    /// <summary>Horizontal position σ (m) for ADS-B (GPS accuracy).</summary>
    public double PositionSigma { get; init; } = 10;

    /// <summary>Vertical position σ (m) for ADS-B.</summary>
    public double AltitudeSigma { get; init; } = 15;

    /// <summary>Line-of-sight angular σ (rad) for space IR.</summary>
    public double AngleSigma { get; init; } = 20e-6;
}

/// <summary>Threat type of a launch.</summary>
public enum ThreatType
{
    /// <summary>Ballistic missile.</summary>
    Ballistic,

    /// <summary>Cruise missile.</summary>
    Cruise,

    /// <summary>Red aircraft.</summary>
    Aircraft,
}

/// <summary>A raid: a named group of launches by the generic opposing force ("Red").</summary>
public sealed record RaidDefinition(string Id, string Name, ImmutableArray<LaunchDefinition> Launches, bool Scripted);

/// <summary>
/// One or more identical launches of a threat from a point at a target. Ballistic parameters are
/// notional (documented in docs/scenarios.md).
/// </summary>
public sealed record LaunchDefinition
{
    /// <summary>Threat type.</summary>
    public required ThreatType Type { get; init; }

    /// <summary>Launch time of the first round (s).</summary>
    public required double Time { get; init; }

    /// <summary>Number of rounds.</summary>
    public int Count { get; init; } = 1;

    /// <summary>Time between rounds (s).</summary>
    public double Interval { get; init; } = 10;

    /// <summary>Launch point.</summary>
    public required Geodetic From { get; init; }

    /// <summary>Aim point.</summary>
    public required Geodetic To { get; init; }

    /// <summary>Target asset id when the aim point came from an asset, else null.</summary>
    public string? TargetAsset { get; init; }

    /// <summary>Intermediate waypoints (cruise missiles, aircraft).</summary>
    public ImmutableArray<Geodetic> Via { get; init; } = [];

    /// <summary>Cruise / flight speed (m/s) for cruise missiles and aircraft.</summary>
    public double Speed { get; init; } = 250;

    /// <summary>Cruise altitude (m) for cruise missiles (sea-skimming 10–50 m) and aircraft.</summary>
    public double Altitude { get; init; } = 30;

    /// <summary>Cruise missile terminal pop-up: climb to this height (m) in the last <see cref="PopUpDistance"/>; 0 = none.</summary>
    public double PopUpHeight { get; init; }

    /// <summary>Distance before the target where the pop-up starts (m).</summary>
    public double PopUpDistance { get; init; } = 15_000;

    /// <summary>Ballistic missile class name (selects notional booster parameters), e.g. "mrbm".</summary>
    public string MissileClass { get; init; } = "mrbm";

    /// <summary>Mean RCS (m²).</summary>
    public double RcsM2 { get; init; } = 0.1;
}

/// <summary>Background civil traffic between real airports.</summary>
/// <param name="AircraftCount">Number of aircraft airborne on average.</param>
/// <param name="Airports">ICAO codes of the airports to use (from the built-in table).</param>
/// <param name="AdsbFraction">Fraction of aircraft broadcasting ADS-B.</param>
/// <param name="CruiseAltitudeMin">Lowest cruise altitude (m).</param>
/// <param name="CruiseAltitudeMax">Highest cruise altitude (m).</param>
public sealed record BackgroundTrafficDefinition(
    int AircraftCount, ImmutableArray<string> Airports, double AdsbFraction,
    double CruiseAltitudeMin, double CruiseAltitudeMax);

/// <summary>Recorded trajectories (OpenSky state vectors) replayed as platforms.</summary>
/// <param name="Path">File path (gzipped JSON array), relative paths resolved from the scenario file.</param>
/// <param name="TimeOffset">Recording time that maps to scenario t = 0 (UTC), or null for the first sample.</param>
/// <param name="MaxAircraft">Cap on the number of aircraft taken (0 = all).</param>
/// <param name="Adsb">True when these aircraft broadcast ADS-B.</param>
public sealed record RecordedTrafficDefinition(string Path, DateTime? TimeOffset, int MaxAircraft, bool Adsb);

/// <summary>Kind of inject.</summary>
public enum InjectKind
{
    /// <summary>A sensor stops reporting for a duration.</summary>
    SensorOutage,

    /// <summary>A scripted raid starts (its launch times count from the inject time).</summary>
    Raid,
}

/// <summary>A scripted inject at a time.</summary>
/// <param name="Time">When (s).</param>
/// <param name="Kind">What.</param>
/// <param name="Target">Sensor id (outage) or raid id (raid).</param>
/// <param name="Duration">Outage length (s).</param>
public sealed record InjectDefinition(double Time, InjectKind Kind, string Target, double Duration);
