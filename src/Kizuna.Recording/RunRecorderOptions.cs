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

    /// <summary>The wall clock that paces the writer (tests inject a fake; recorded times come from the rows).</summary>
    public TimeProvider WallClock { get; init; } = TimeProvider.System;
}
