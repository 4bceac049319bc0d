namespace Kizuna.Simulation.Engine;

/// <summary>
/// The simulation clock: a <see cref="TimeProvider"/> whose "now" is the scenario epoch plus the
/// simulated time the exercise engine has reached. Components downstream of the engine read time
/// only through it (DESIGN.md "Time": nothing in the core reads the wall clock).
/// </summary>
/// <remarks>Thread-safe: the current offset is published with a volatile write.</remarks>
public sealed class SimulationClock : TimeProvider
{
    private long _ticks;

    /// <summary>Creates a clock at the epoch.</summary>
    public SimulationClock(DateTime epochUtc)
    {
        Epoch = DateTime.SpecifyKind(epochUtc, DateTimeKind.Utc);
    }

    /// <summary>UTC time of simulated t = 0.</summary>
    public DateTime Epoch { get; }

    /// <summary>Simulated seconds since the epoch.</summary>
    public double Seconds => Volatile.Read(ref _ticks) / (double)TimeSpan.TicksPerSecond;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => new(Epoch.AddTicks(Volatile.Read(ref _ticks)), TimeSpan.Zero);

    /// <summary>Moves the clock to <paramref name="seconds"/> since the epoch (never backwards).</summary>
    internal void AdvanceTo(double seconds)
    {
        var ticks = (long)Math.Round(seconds * TimeSpan.TicksPerSecond);
        if (ticks > Volatile.Read(ref _ticks))
        {
            Volatile.Write(ref _ticks, ticks);
        }
    }
}
