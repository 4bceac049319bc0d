using Kizuna.Core;
using Kizuna.Tracking.Association;
using Kizuna.Tracking.Initiators;

namespace Kizuna.Tracking.Trackers;

/// <summary>The frame tracks live in.</summary>
public enum TrackFrame : byte
{
    /// <summary>A flat Cartesian frame (x, y, z m): only <see cref="MeasurementKind.Cartesian"/> detections are accepted.</summary>
    Flat = 0,

    /// <summary>ECEF: every kind except <see cref="MeasurementKind.Cartesian"/> is accepted.</summary>
    Ecef = 1,
}

/// <summary>How tentative tracks are confirmed and tracks are deleted.</summary>
public enum TrackManagement : byte
{
    /// <summary>
    /// Per frame: M-of-N confirmation over frames and the deleter's consecutive-miss counts. Right
    /// for one scanning sensor whose every frame covers every track (the tutorial scenarios).
    /// </summary>
    Frames = 0,

    /// <summary>
    /// By time, for several asynchronous sensors whose frames cover only part of the picture:
    /// confirm after <see cref="TimeManagementOptions.ConfirmHits"/> updates within
    /// <see cref="TimeManagementOptions.ConfirmWithin"/> of creation; delete a tentative track not
    /// updated for <see cref="TimeManagementOptions.TentativeTimeout"/> (or not confirmed in time), a
    /// confirmed track not updated for <see cref="TimeManagementOptions.ConfirmedTimeout"/>. A frame
    /// in which a track is not updated is not a miss (the sensor may not cover it).
    /// </summary>
    Time = 1,
}

/// <summary>Time-based track management parameters (see <see cref="TrackManagement.Time"/>).</summary>
/// <param name="ConfirmHits">Updates (including the initiating one) needed to confirm.</param>
/// <param name="ConfirmWithin">Time from creation within which the hits must come.</param>
/// <param name="TentativeTimeout">A tentative track not updated for this long is deleted.</param>
/// <param name="ConfirmedTimeout">A confirmed track not updated for this long is deleted.</param>
public sealed record TimeManagementOptions(int ConfirmHits, TimeSpan ConfirmWithin, TimeSpan TentativeTimeout, TimeSpan ConfirmedTimeout)
{
    /// <summary>Defaults for air surveillance with 1–12 s revisits: 3 hits in 30 s; 20 s / 60 s timeouts.</summary>
    public static TimeManagementOptions AirSurveillance { get; } =
        new(3, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(60));

    /// <summary>Throws when a parameter is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ConfirmHits, 1);
        if (ConfirmWithin <= TimeSpan.Zero || TentativeTimeout <= TimeSpan.Zero || ConfirmedTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ConfirmWithin), "Time-management windows must be positive.");
        }
    }
}

/// <summary>
/// The options of a <see cref="MultiTargetTracker"/>: an immutable record, changed with <c>with</c>.
/// </summary>
public sealed record TrackerOptions
{
    /// <summary>The track frame (default <see cref="TrackFrame.Ecef"/>).</summary>
    public TrackFrame Frame { get; init; } = TrackFrame.Ecef;

    /// <summary>Association likelihood parameters P_D, P_G, λ (the gate threshold comes from P_G).</summary>
    public AssociationParameters Association { get; init; } = new(0.9, 0.99, 1e-9);

    /// <summary>M-of-N confirmation of tentative tracks (default 3 of 4).</summary>
    public MOfNConfirmation Confirmation { get; init; } = MOfNConfirmation.ThreeOfFour;

    /// <summary>
    /// Out-of-sequence lag: detections are held this long in a reorder buffer and processed in time
    /// order; a detection older than the last processed frame (i.e. later than the lag) is rejected
    /// and counted. Zero processes every detection at once (no added latency).
    /// </summary>
    public TimeSpan OutOfSequenceLag { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Out-of-sequence age: a detection older than the last processed frame (later than
    /// <see cref="OutOfSequenceLag"/>) by at most this much is not rejected but associated, by nearest
    /// neighbour at its own time, with a confirmed track retrodicted to that time, and updates that
    /// track's current state (<see cref="Updaters.OutOfSequenceUpdate"/>, Bar-Shalom's Bl1; per mode for the IMM); counted in
    /// <see cref="TrackerStatistics.OutOfSequenceUpdates"/>. Older detections, unassociated ones and
    /// all late detections of an estimator without the update are rejected and counted in
    /// <see cref="TrackerStatistics.RejectedLate"/>. Zero (the default): every late detection is rejected.
    /// </summary>
    public TimeSpan MaxOutOfSequenceAge { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Detections of one sensor whose times lie within this window of the frame's first detection
    /// are associated jointly as one frame (at the first detection's time). Zero: one frame per
    /// (sensor, exact time).
    /// </summary>
    public TimeSpan FrameWindow { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Track objects created up front (with their filter buffers), so that a step never allocates
    /// while fewer tracks (tentative included) are alive. When the pool runs dry it grows by a
    /// batch of a quarter of the tracks alive (at least 16), so allocations stay rare and amortised.
    /// </summary>
    public int TrackCapacity { get; init; }

    /// <summary>Confirmation/deletion by frames (default) or by time (several asynchronous sensors).</summary>
    public TrackManagement Management { get; init; } = TrackManagement.Frames;

    /// <summary>Parameters of <see cref="TrackManagement.Time"/>.</summary>
    public TimeManagementOptions TimeManagement { get; init; } = TimeManagementOptions.AirSurveillance;

    /// <summary>
    /// Predict and gate only the tracks that can reach the frame's detections (their extrapolated
    /// position within a generous reach of the frames' bounding box), instead of every track on every
    /// frame. Needed when frames are small and many (rotating radars, ADS-B: one frame per plot
    /// time); requires <see cref="TrackManagement.Time"/>, since untouched tracks record no miss.
    /// </summary>
    public bool LazyPrediction { get; init; }

    /// <summary>Throws when an option is out of range.</summary>
    public void Validate()
    {
        TimeManagement.Validate();
        if (LazyPrediction && Management != TrackManagement.Time)
        {
            throw new ArgumentException("LazyPrediction needs time-based track management (frames would count untouched tracks as missed).", nameof(LazyPrediction));
        }

        Association.Validate();
        Confirmation.Validate();
        if (OutOfSequenceLag < TimeSpan.Zero || FrameWindow < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(OutOfSequenceLag), "Lag and frame window must be ≥ 0.");
        }

        if (MaxOutOfSequenceAge < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxOutOfSequenceAge), "The out-of-sequence age must be ≥ 0.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(TrackCapacity);
    }
}

/// <summary>Cumulative counters of a tracker.</summary>
/// <param name="DetectionsReceived">Detections passed to <see cref="MultiTargetTracker.Step"/>.</param>
/// <param name="DetectionsProcessed">Detections associated in some frame.</param>
/// <param name="RejectedLate">Detections older than the last processed frame (later than the lag) that did not update a track: older than <see cref="TrackerOptions.MaxOutOfSequenceAge"/>, unassociated, or the estimator has no out-of-sequence update.</param>
/// <param name="RejectedInvalid">Detections of a kind the frame does not accept, or with non-finite values.</param>
/// <param name="Frames">Frames processed.</param>
/// <param name="TracksStarted">Tentative tracks started.</param>
/// <param name="TracksConfirmed">Tracks confirmed.</param>
/// <param name="TracksDeleted">Tracks deleted.</param>
/// <param name="ApproximatedClusters">Clusters the associator solved approximately (JPDA bound).</param>
/// <param name="OutOfSequenceUpdates">Late detections (older than the last processed frame) that updated a confirmed track by retrodiction.</param>
public readonly record struct TrackerStatistics(
    long DetectionsReceived,
    long DetectionsProcessed,
    long RejectedLate,
    long RejectedInvalid,
    long Frames,
    long TracksStarted,
    long TracksConfirmed,
    long TracksDeleted,
    long ApproximatedClusters,
    long OutOfSequenceUpdates = 0);
