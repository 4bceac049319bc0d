using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;

namespace Kizuna.Server.Picture;

/// <summary>
/// The picture the server shows: one view per viewing nation (what that nation's node holds
/// under the sharing agreements), the simulation clock, and change events. The CLI implements it
/// over the national nodes (live run) or a recording (replay); <see cref="SyntheticPictureSource"/>
/// implements it for tests and the performance page.
/// </summary>
/// <remarks>
/// The server does not trust the view: every object it sends still passes
/// <see cref="Marking.IsReleasableTo"/> for the logged-in user's nation (defence in depth), and
/// refused objects are counted (<see cref="KizunaServer.RefusedObjects"/>).
/// Thread safety: implementations must allow <see cref="GetSnapshot"/>, <see cref="Subscribe"/> and
/// <see cref="Control"/> from any thread; change callbacks may run on any thread, one at a time
/// per subscription.
/// </remarks>
public interface IPictureSource
{
    /// <summary>The current picture as <paramref name="viewer"/>'s node holds it.</summary>
    PictureSnapshot GetSnapshot(Nation viewer);

    /// <summary>
    /// Subscribes to <paramref name="viewer"/>'s changes: one <see cref="PictureDelta"/> per tick
    /// (every object that changed in that tick, in one batch). Dispose the result to unsubscribe.
    /// </summary>
    IDisposable Subscribe(Nation viewer, Action<PictureDelta> onTick);

    /// <summary>The simulation clock now.</summary>
    ClockState Clock { get; }

    /// <summary>Applies a clock command; returns false with a reason when this source does not support it.</summary>
    bool Control(ClockCommand command, out string reason);
}

/// <summary>State of the simulation (or replay) clock.</summary>
/// <param name="Time">Simulation UTC time.</param>
/// <param name="Playing">True when time advances.</param>
/// <param name="Speed">Multiple of real time (1 = real time).</param>
/// <param name="Start">First time of the run (seek lower bound).</param>
/// <param name="End">Last time of the run (seek upper bound), <see cref="DateTime.MaxValue"/> for a live run.</param>
/// <param name="CanPause">True when play/pause is supported.</param>
/// <param name="CanSeek">True when seek is supported.</param>
public readonly record struct ClockState(DateTime Time, bool Playing, double Speed, DateTime Start, DateTime End, bool CanPause, bool CanSeek);

/// <summary>What a <see cref="ClockCommand"/> asks for.</summary>
public enum ClockAction
{
    /// <summary>Resume.</summary>
    Play,

    /// <summary>Pause.</summary>
    Pause,

    /// <summary>Set the speed (multiple of real time).</summary>
    Speed,

    /// <summary>Jump to a simulation time.</summary>
    Seek,
}

/// <summary>A timeline command from the web picture.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Speed">New speed for <see cref="ClockAction.Speed"/>.</param>
/// <param name="SeekTo">Target time for <see cref="ClockAction.Seek"/>.</param>
public readonly record struct ClockCommand(ClockAction Action, double Speed, DateTime SeekTo)
{
    /// <summary>Play.</summary>
    public static ClockCommand Play() => new(ClockAction.Play, 0, default);

    /// <summary>Pause.</summary>
    public static ClockCommand Pause() => new(ClockAction.Pause, 0, default);

    /// <summary>Set speed.</summary>
    public static ClockCommand SetSpeed(double speed) => new(ClockAction.Speed, speed, default);

    /// <summary>Seek.</summary>
    public static ClockCommand Seek(DateTime time) => new(ClockAction.Seek, 0, time);
}

/// <summary>A sensor's coverage as shown on the map (a circle of instrumented range).</summary>
/// <param name="Id">Sensor identifier.</param>
/// <param name="Owner">Owning nation.</param>
/// <param name="Position">Sensor position.</param>
/// <param name="RangeM">Instrumented range (m), notional.</param>
/// <param name="Marking">Release marking (a sensor's position is itself releasable or not).</param>
public sealed record SensorCoverage(string Id, Nation Owner, Geodetic Position, double RangeM, Marking Marking);

/// <summary>A defended asset (city, base) as shown on the map.</summary>
/// <param name="Name">Asset name.</param>
/// <param name="Owner">Nation that defends it.</param>
/// <param name="Position">Centre.</param>
/// <param name="RadiusM">Radius of the defended area (m).</param>
/// <param name="Marking">Release marking.</param>
public sealed record DefendedAssetSite(string Name, Nation Owner, Geodetic Position, double RadiusM, Marking Marking);

/// <summary>A firing unit's position, the origin of engagement lines.</summary>
/// <param name="Id">Battery identifier (matches <see cref="Engagement.BatteryId"/>).</param>
/// <param name="Owner">Owning nation.</param>
/// <param name="Position">Position.</param>
/// <param name="Marking">Release marking.</param>
public sealed record BatterySite(string Id, Nation Owner, Geodetic Position, Marking Marking);

/// <summary>One nation's whole picture at one time.</summary>
/// <param name="Time">Simulation UTC time.</param>
/// <param name="Tracks">Tracks.</param>
/// <param name="Alerts">Current alerts (latest issue of each).</param>
/// <param name="Engagements">Engagements (latest status of each).</param>
/// <param name="Sensors">Sensor coverages.</param>
/// <param name="Assets">Defended assets.</param>
/// <param name="Batteries">Firing units.</param>
public sealed record PictureSnapshot(
    DateTime Time,
    ImmutableArray<PictureTrack> Tracks,
    ImmutableArray<Alert> Alerts,
    ImmutableArray<Engagement> Engagements,
    ImmutableArray<SensorCoverage> Sensors,
    ImmutableArray<DefendedAssetSite> Assets,
    ImmutableArray<BatterySite> Batteries);

/// <summary>One tick's changes to one nation's picture.</summary>
/// <param name="Time">Simulation UTC time after the tick.</param>
/// <param name="Tracks">Tracks created or updated in the tick.</param>
/// <param name="Dropped">Track numbers deleted in the tick.</param>
/// <param name="Alerts">Alerts issued, updated or cleared in the tick.</param>
/// <param name="Engagements">Engagements whose status changed in the tick.</param>
/// <param name="Resync">True when the receiver must drop its picture and take a new snapshot (after a seek).</param>
public sealed record PictureDelta(
    DateTime Time,
    ImmutableArray<PictureTrack> Tracks,
    ImmutableArray<TrackNumber> Dropped,
    ImmutableArray<Alert> Alerts,
    ImmutableArray<Engagement> Engagements,
    bool Resync = false);
