using Kizuna.Core;

namespace Kizuna.Metrics;

/// <summary>
/// One ground-truth state of one true object: time (s, any common epoch), truth id, position
/// (m) and velocity (m/s) in one Cartesian frame shared with the tracks (ECEF or a local ENU).
/// </summary>
/// <param name="Time">Seconds since the run's epoch.</param>
/// <param name="TruthId">Identifier of the true object.</param>
/// <param name="Position">Position in metres.</param>
/// <param name="Velocity">Velocity in metres per second.</param>
/// <param name="Identity">The object's true identity code for ID metrics (e.g. a Mode S address
/// or an identity class code); 0 means "no identity known".</param>
public readonly record struct TruthSample(double Time, int TruthId, Vec3 Position, Vec3 Velocity, uint Identity = 0);

/// <summary>
/// One reported state of one track, in the same frame and time base as <see cref="TruthSample"/>.
/// </summary>
/// <param name="Time">Seconds since the run's epoch.</param>
/// <param name="TrackId">Track number.</param>
/// <param name="Position">Position in metres.</param>
/// <param name="Velocity">Velocity in metres per second.</param>
/// <param name="Identity">Identity the track carries at this time (same code space as
/// <see cref="TruthSample.Identity"/>); 0 means "no identity".</param>
/// <param name="Quality">Track quality figure as reported by the tracker (carried through, not
/// used by the metrics).</param>
public readonly record struct TrackSample(double Time, long TrackId, Vec3 Position, Vec3 Velocity, uint Identity = 0, double Quality = 0);
