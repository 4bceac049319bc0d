using Kizuna.Core;
using Kizuna.Tracking.MultipleModel;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Trackers;

/// <summary>
/// One track of the track table: a stable id, the state estimate and the management data. Owned
/// and pooled by its <see cref="MultiTargetTracker"/>: read it between calls to
/// <see cref="MultiTargetTracker.Step"/>, never keep a reference across them (the tracker moves
/// tracks between its objects when it deletes tracks, and reuses objects for new tracks).
/// </summary>
public sealed class Track
{
    internal GaussianState StateBuffer;

    internal Track()
    {
    }

    /// <summary>The track id: unique within the tracker, assigned in increasing order from 1, never reused.</summary>
    public long Id { get; internal set; }

    /// <summary>The state estimate at <see cref="Time"/> (for an IMM filter, the combined 6-D estimate).</summary>
    public GaussianState State => StateBuffer;

    /// <summary>Position (components 0–2 of the state).</summary>
    public Vec3 Position => StateBuffer.Position;

    /// <summary>Velocity (components 3–5 of the state).</summary>
    public Vec3 Velocity => StateBuffer.Velocity;

    /// <summary>The 3×3 position covariance.</summary>
    public Mat3 PositionCovariance => StateBuffer.PositionCovariance;

    /// <summary>The time of <see cref="State"/> (the last frame processed).</summary>
    public DateTime Time { get; internal set; }

    /// <summary>The time the track was started.</summary>
    public DateTime Created { get; internal set; }

    /// <summary>The time of the last detection that updated the track.</summary>
    public DateTime LastUpdate { get; internal set; }

    /// <summary>True once the confirmation rule (M of N) has been met; never reverts.</summary>
    public bool IsConfirmed { get; internal set; }

    /// <summary>Frames the track took part in since it started (including the first).</summary>
    public int Frames { get; internal set; }

    /// <summary>Frames with an update (detection weight ≥ ½).</summary>
    public int Hits { get; internal set; }

    /// <summary>Consecutive frames without an update up to now.</summary>
    public int ConsecutiveMisses { get; internal set; }

    /// <summary>Hit history, bit 0 the latest frame (1 = hit).</summary>
    public ulong HitHistory { get; internal set; }

    /// <summary>Bit s set when sensor s (index into <see cref="MultiTargetTracker.SensorName"/>) has contributed; sensors beyond 63 share bit 63.</summary>
    public ulong ContributingSensors { get; internal set; }

    /// <summary>The last cooperative identity (e.g. ICAO 24-bit address) seen on an updating detection; 0 when none.</summary>
    public uint Identity { get; internal set; }

    /// <summary>The nation of the sensor that last updated the track.</summary>
    public Nation LastNation { get; internal set; }

    /// <summary>Track quality 0–15 from the horizontal position uncertainty (<see cref="TrackQuality"/>).</summary>
    public TrackQuality Quality { get; internal set; }

    /// <summary>Per-track IMM data when the estimator is an IMM, else null (for a surface candidate, the surface hypothesis' IMM).</summary>
    public ImmState? Imm { get; internal set; }

    /// <summary>What the track's height means with respect to the sea surface (<see cref="SurfaceTrackModel"/>).</summary>
    public SurfaceHold SurfaceHold => SurfaceBuffer is { Active: true } h ? h.Status : SurfaceHold.None;

    /// <summary>P(surface) of a surface candidate (<see cref="SurfaceTrackModel"/>), 0 for other tracks.</summary>
    public double SurfaceProbability => SurfaceBuffer?.SurfaceProbability ?? 0;

    /// <summary>The revocable surface hold's per-track data (created on the object's first hold, then reused), or null.</summary>
    internal SurfaceHypotheses? SurfaceBuffer { get; set; }

    /// <summary>
    /// Makes this object carry the track held by <paramref name="source"/> (the tracker's
    /// order-preserving compaction): every property, the meaningful leading block of the state and,
    /// for an IMM, the contents of its per-track buffers, so each object keeps its own buffers and
    /// the track table stays in memory order. <paramref name="source"/> becomes a spare.
    /// </summary>
    internal void MoveFrom(Track source)
    {
        Id = source.Id;
        source.StateBuffer.CopyLeadingTo(ref StateBuffer);
        Time = source.Time;
        Created = source.Created;
        LastUpdate = source.LastUpdate;
        IsConfirmed = source.IsConfirmed;
        Frames = source.Frames;
        Hits = source.Hits;
        ConsecutiveMisses = source.ConsecutiveMisses;
        HitHistory = source.HitHistory;
        ContributingSensors = source.ContributingSensors;
        Identity = source.Identity;
        LastNation = source.LastNation;
        Quality = source.Quality;
        (SurfaceBuffer, source.SurfaceBuffer) = (source.SurfaceBuffer, SurfaceBuffer);
        if (Imm is not null && source.Imm is not null)
        {
            Imm.CopyFrom(source.Imm);
        }
        else
        {
            (Imm, source.Imm) = (source.Imm, Imm);
        }
    }
}
