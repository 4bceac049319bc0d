using Kizuna.Core.IO;

namespace Kizuna.Tracking.Trackers;

/// <summary>
/// The tracks CSV of <c>kizuna track</c>: every confirmed track at every scan time
/// (docs/formats.md): <c>time_s,track_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps,quality</c>.
/// </summary>
/// <remarks>
/// A track's state is at its last frame time; it is extrapolated to the scan time at constant
/// velocity (x + v·Δt), which is what a display or a scorer sampling at that time sees.
/// </remarks>
public static class TrackCsv
{
    /// <summary>The header.</summary>
    public const string Header = "time_s,track_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps,quality";

    /// <summary>Writes every confirmed track of <paramref name="tracker"/> at <paramref name="time"/>; returns the rows written.</summary>
    public static int WriteConfirmed(CsvRowWriter writer, MultiTargetTracker tracker, DateTime time, DateTime epoch)
    {
        var seconds = (time - epoch).TotalSeconds;
        var rows = 0;
        foreach (var track in tracker.Tracks)
        {
            if (!track.IsConfirmed)
            {
                continue;
            }

            var dt = (time - track.Time).TotalSeconds;
            var p = track.Position + (track.Velocity * dt);
            var v = track.Velocity;
            writer.Field(seconds, 6).Field(track.Id).Field(p.X, 3).Field(p.Y, 3).Field(p.Z, 3)
                .Field(v.X, 4).Field(v.Y, 4).Field(v.Z, 4).Field((long)track.Quality.Value);
            writer.EndRow();
            rows++;
        }

        return rows;
    }
}
