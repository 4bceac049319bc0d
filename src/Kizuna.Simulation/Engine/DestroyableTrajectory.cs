using Kizuna.Simulation.Motion;

namespace Kizuna.Simulation.Engine;

/// <summary>
/// Wraps a Red object's trajectory so the exercise can end it early (an intercept): after
/// <see cref="DestroyedAt"/> the object no longer exists — sensors stop seeing it and truth stops.
/// </summary>
public sealed class DestroyableTrajectory : ITrajectory
{
    private readonly ITrajectory _inner;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public DestroyableTrajectory(ITrajectory inner) => _inner = inner;

    /// <summary>Time of destruction (s), +∞ while the object is intact.</summary>
    public double DestroyedAt { get; private set; } = double.PositiveInfinity;

    /// <summary>True once destroyed.</summary>
    public bool IsDestroyed => !double.IsPositiveInfinity(DestroyedAt);

    /// <inheritdoc />
    public double StartTime => _inner.StartTime;

    /// <inheritdoc />
    public double EndTime => Math.Min(_inner.EndTime, DestroyedAt);

    /// <summary>Ends the object at <paramref name="time"/> (the earliest destruction wins).</summary>
    public void Destroy(double time) => DestroyedAt = Math.Min(DestroyedAt, time);

    /// <inheritdoc />
    public bool TryGetState(double t, out KinematicState state)
    {
        if (t > DestroyedAt)
        {
            state = default;
            return false;
        }

        return _inner.TryGetState(t, out state);
    }
}
