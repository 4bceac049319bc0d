using Kizuna.Core;

namespace Kizuna.Server.Feed;

/// <summary>
/// The server's own release check for one viewing nation: every object about to be sent passes
/// <see cref="Marking.IsReleasableTo"/> here, whatever the picture source already filtered
/// (defence in depth). Refusals are counted into a shared <see cref="ReleaseCounters"/>.
/// </summary>
public sealed class ReleaseGate
{
    private readonly ReleaseCounters _counters;

    /// <summary>A gate for <paramref name="viewer"/> counting into <paramref name="counters"/>.</summary>
    public ReleaseGate(Nation viewer, ReleaseCounters counters)
    {
        if (viewer.IsUnset)
        {
            throw new ArgumentException("A release gate needs a viewing nation.", nameof(viewer));
        }

        Viewer = viewer;
        _counters = counters ?? throw new ArgumentNullException(nameof(counters));
    }

    /// <summary>The nation the gate releases to.</summary>
    public Nation Viewer { get; }

    /// <summary>True when <paramref name="marking"/> allows release to <see cref="Viewer"/>; counts a refusal otherwise.</summary>
    public bool Allows(Marking marking)
    {
        if (marking is not null && marking.IsReleasableTo(Viewer))
        {
            return true;
        }

        _counters.CountRefused();
        return false;
    }
}

/// <summary>Thread-safe count of objects the server refused to send. Not exposed to users (a count would itself leak).</summary>
public sealed class ReleaseCounters
{
    private long _refused;

    /// <summary>Objects refused so far.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Adds one refusal.</summary>
    public void CountRefused() => Interlocked.Increment(ref _refused);
}
