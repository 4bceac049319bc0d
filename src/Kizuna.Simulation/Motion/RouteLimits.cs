namespace Kizuna.Simulation.Motion;

/// <summary>
/// Manoeuvre limits of a platform flying or sailing a route: bank (coordinated turn) and turn-rate
/// limits, vertical-rate limits, longitudinal acceleration, and the integration step.
/// </summary>
/// <param name="MaxBankAngleRad">Bank limit φ of a coordinated turn (rad); 0 = no bank limit (ships).</param>
/// <param name="MaxTurnRateRadPerSec">Turn-rate limit (rad/s); +∞ = none.</param>
/// <param name="MaxClimbRate">Largest climb rate (m/s).</param>
/// <param name="MaxDescentRate">Largest descent rate (m/s, positive).</param>
/// <param name="MaxAcceleration">Largest change of speed (m/s²).</param>
/// <param name="SeaLevel">True to hold height 0 above the ellipsoid whatever the waypoints say (ships).</param>
/// <param name="HoldAtEnd">True to stay at the last waypoint of a non-looping route (ships); false to end the trajectory there.</param>
/// <param name="Step">Integration step of the precomputation (s).</param>
/// <remarks>
/// The turn rate is ω = min(g tan φ / V, ω_max), so the turn radius is r = V/ω, which for a bank-limited
/// coordinated turn is r = V²/(g tan φ) (level turn: L cos φ = W, L sin φ = m V²/r; e.g. J. D. Anderson,
/// "Introduction to Flight", 8th ed., §6.17).
/// </remarks>
public sealed record RouteLimits(
    double MaxBankAngleRad,
    double MaxTurnRateRadPerSec,
    double MaxClimbRate,
    double MaxDescentRate,
    double MaxAcceleration,
    bool SeaLevel = false,
    bool HoldAtEnd = false,
    double Step = 1.0)
{
    /// <summary>Airliner / large military aircraft: 25° bank, 3°/s cap, 2,500 ft/min climb and descent, 1 m/s².</summary>
    public static RouteLimits Aircraft { get; } = new(25 * Math.PI / 180, 3 * Math.PI / 180, 12.7, 12.7, 1.0);

    /// <summary>Fast jet: 60° bank (2 g level turn), 20°/s cap, 100 m/s climb, 150 m/s descent, 5 m/s².</summary>
    public static RouteLimits Fighter { get; } = new(60 * Math.PI / 180, 20 * Math.PI / 180, 100, 150, 5.0);

    /// <summary>Surface ship: sea level, notional 1°/s turn-rate limit, 0.2 m/s², stays at its last waypoint.</summary>
    public static RouteLimits Ship { get; } = new(0, 1 * Math.PI / 180, 0, 0, 0.2, SeaLevel: true, HoldAtEnd: true, Step: 2.0);

    /// <summary>Subsonic cruise missile: 60° bank, 100 m/s climb, 150 m/s descent, 5 m/s², 0.5 s step.</summary>
    public static RouteLimits CruiseMissile { get; } = new(60 * Math.PI / 180, 20 * Math.PI / 180, 100, 150, 5.0, Step: 0.5);

    /// <summary>Turn rate at horizontal speed <paramref name="speed"/> (rad/s).</summary>
    public double TurnRate(double speed)
    {
        var bank = MaxBankAngleRad > 0 ? Navigation.G0 * Math.Tan(MaxBankAngleRad) / Math.Max(speed, 1e-3) : double.PositiveInfinity;
        var rate = Math.Min(bank, MaxTurnRateRadPerSec);
        if (!double.IsFinite(rate) || rate <= 0)
        {
            throw new InvalidOperationException("Route limits need a bank limit or a finite turn-rate limit.");
        }

        return rate;
    }
}
