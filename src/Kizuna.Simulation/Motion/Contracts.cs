using Kizuna.Core;

namespace Kizuna.Simulation.Motion;

/// <summary>What kind of object a truth is. Drives sensor behaviour (RCS, IR) and scoring.</summary>
public enum ObjectKind : byte
{
    /// <summary>Military aircraft (own forces or Red).</summary>
    Aircraft = 0,

    /// <summary>Civil airliner / background traffic.</summary>
    CivilAircraft = 1,

    /// <summary>Cruise missile.</summary>
    CruiseMissile = 2,

    /// <summary>Ballistic missile (booster and re-entry vehicle treated as one object).</summary>
    BallisticMissile = 3,

    /// <summary>Surface ship.</summary>
    Ship = 4,

    /// <summary>Ground site (fixed).</summary>
    GroundSite = 5,

    /// <summary>Satellite (e.g. geostationary early-warning).</summary>
    Satellite = 6,

    /// <summary>Interceptor missile.</summary>
    Interceptor = 7,
}

/// <summary>Position and velocity of an object in ECEF at one time.</summary>
/// <param name="PositionEcef">Position (m).</param>
/// <param name="VelocityEcef">Velocity relative to the rotating Earth, in ECEF axes (m/s).</param>
/// <param name="Boosting">True while a rocket motor burns (visible to space infrared).</param>
public readonly record struct KinematicState(Vec3 PositionEcef, Vec3 VelocityEcef, bool Boosting = false);

/// <summary>
/// A motion model instance: the deterministic path of one object. Times are seconds since the
/// scenario epoch. Implementations precompute what they need at construction so that
/// <see cref="TryGetState"/> is cheap, allocation-free and thread-safe.
/// </summary>
public interface ITrajectory
{
    /// <summary>First time the object exists (s).</summary>
    double StartTime { get; }

    /// <summary>Last time the object exists (s); +∞ for objects that never end.</summary>
    double EndTime { get; }

    /// <summary>State at <paramref name="t"/>; false when the object does not exist then.</summary>
    bool TryGetState(double t, out KinematicState state);
}

/// <summary>One simulated object (truth).</summary>
/// <param name="Id">Truth id, &gt; 0, unique in the run.</param>
/// <param name="Name">Human-readable name (scenario id, callsign or generated).</param>
/// <param name="Kind">What it is.</param>
/// <param name="Side">Owning nation for Blue forces; unset for Red and civil objects.</param>
/// <param name="Trajectory">Its motion.</param>
/// <param name="RcsM2">Mean radar cross-section σ̄ (m²) for the Swerling 1 model.</param>
/// <param name="Icao">ICAO 24-bit address when it squawks ADS-B / Mode S, else 0.</param>
/// <param name="Callsign">Callsign for ADS-B, or null.</param>
/// <param name="IsRed">True for the opposing force.</param>
public sealed record SimObject(
    int Id,
    string Name,
    ObjectKind Kind,
    Nation Side,
    ITrajectory Trajectory,
    double RcsM2,
    uint Icao = 0,
    string? Callsign = null,
    bool IsRed = false);
