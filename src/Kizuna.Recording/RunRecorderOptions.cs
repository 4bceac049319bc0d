namespace Kizuna.Recording;

/// <summary>Batching options of a <see cref="RunRecorder"/> (an immutable record; change with <c>with</c>).</summary>
public sealed record RunRecorderOptions
{
    /// <summary>
    /// Longest wall time between commits while rows are pending (default 0.5 s). A crash loses at
    /// most the rows queued since the last commit, so at most about this interval plus one commit.
    /// </summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Rows per transaction (default 20,000): a full batch wakes the writer early.</summary>
    public int MaxRowsPerTransaction { get; init; } = 20_000;

    /// <summary>
    /// Longest span of recorded (simulated) time that may be queued but not committed (default 1 s):
    /// a crash loses at most the rows of the last <c>MaxBacklog</c> of recorded time. A producer
    /// that would exceed it waits for the writer (backpressure); the writer commits early once half
    /// of it is queued. Row times come from the rows (<c>Detection.Time</c>, <c>PictureTrack.Time</c> …).
    /// </summary>
    public TimeSpan MaxBacklog { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The wall clock that paces the writer (tests inject a fake; recorded times come from the rows).</summary>
    public TimeProvider WallClock { get; init; } = TimeProvider.System;
}
