using Kizuna.Tracking.Trackers;

namespace Kizuna.Tracking.Deleters;

/// <summary>
/// The deleter role (Stone Soup <c>deleter/</c>): decides after each frame whether a track ends.
/// Tentative tracks that failed their confirmation window are removed by the tracker itself
/// (<see cref="Initiators.MOfNConfirmation"/>); deleters judge every track.
/// </summary>
public interface ITrackDeleter
{
    /// <summary>True when <paramref name="track"/> should be deleted now.</summary>
    bool ShouldDelete(Track track);
}

/// <summary>Deletes a track after <see cref="ConfirmedMisses"/> consecutive frames without an update (<see cref="TentativeMisses"/> while tentative).</summary>
/// <param name="ConfirmedMisses">Consecutive misses that end a confirmed track (≥ 1).</param>
/// <param name="TentativeMisses">Consecutive misses that end a tentative track (≥ 1).</param>
public sealed record MissedUpdateDeleter(int ConfirmedMisses, int TentativeMisses) : ITrackDeleter
{
    /// <inheritdoc/>
    public bool ShouldDelete(Track track)
    {
        ArgumentNullException.ThrowIfNull(track);
        return track.ConsecutiveMisses >= (track.IsConfirmed ? ConfirmedMisses : TentativeMisses);
    }
}

/// <summary>
/// Deletes a track whose position uncertainty has grown too large: tr P_pos &gt; σ_max²
/// (Stone Soup's <c>CovarianceBasedDeleter</c>, which thresholds the trace of the covariance).
/// </summary>
/// <param name="MaxPositionStd">σ_max (m): the RMS 3-D position error beyond which the track is dropped.</param>
public sealed record CovarianceDeleter(double MaxPositionStd) : ITrackDeleter
{
    /// <inheritdoc/>
    public bool ShouldDelete(Track track)
    {
        ArgumentNullException.ThrowIfNull(track);
        var trace = track.PositionCovariance.Trace;
        return !(trace <= MaxPositionStd * MaxPositionStd);
    }
}

/// <summary>Deletes a track when any of its deleters says so.</summary>
public sealed class AnyDeleter : ITrackDeleter
{
    private readonly ITrackDeleter[] _deleters;

    /// <summary>Combines <paramref name="deleters"/>.</summary>
    public AnyDeleter(params ITrackDeleter[] deleters)
    {
        ArgumentNullException.ThrowIfNull(deleters);
        _deleters = [.. deleters];
    }

    /// <inheritdoc/>
    public bool ShouldDelete(Track track)
    {
        foreach (var d in _deleters)
        {
            if (d.ShouldDelete(track))
            {
                return true;
            }
        }

        return false;
    }
}
