using Kizuna.Core;
using Kizuna.Core.Picture;

namespace Kizuna.Defence.Flyout;

/// <summary>
/// Kinematic flyout of one interceptor: a straight line from the launcher to the predicted
/// intercept point, flown at constant speed between launch and intercept.
/// </summary>
/// <remarks>
/// r(t) = r₀ + (r₁ − r₀)·(t − t₀)/(t₁ − t₀) for t ∈ [t₀, t₁]; the speed |r₁ − r₀|/(t₁ − t₀) is the
/// weapon's average flyout speed when launched on schedule (the fire-control timeline of
/// research/c2-anchors.md §3.1). No boost, gravity turn or guidance is modelled: this is the level
/// of detail the engagement timeline needs, not an interceptor model.
/// </remarks>
/// <param name="EngagementId">Engagement flown.</param>
/// <param name="BatteryId">Firing unit.</param>
/// <param name="Threat">Target track number.</param>
/// <param name="LaunchPointEcef">Launcher ECEF position (m).</param>
/// <param name="InterceptPointEcef">Predicted intercept point, ECEF (m).</param>
/// <param name="LaunchTime">Launch (UTC).</param>
/// <param name="InterceptTime">Intercept (UTC).</param>
/// <param name="KillProbability">Single-shot Pk.</param>
/// <param name="DivertRadius">Largest prediction error the interceptor absorbs (m).</param>
public readonly record struct InterceptorFlyout(
    string EngagementId,
    string BatteryId,
    TrackNumber Threat,
    Vec3 LaunchPointEcef,
    Vec3 InterceptPointEcef,
    DateTime LaunchTime,
    DateTime InterceptTime,
    double KillProbability,
    double DivertRadius)
{
    /// <summary>Average speed (m/s).</summary>
    public double AverageSpeed => (InterceptPointEcef - LaunchPointEcef).Norm / Math.Max(1e-9, (InterceptTime - LaunchTime).TotalSeconds);

    /// <summary>ECEF position at <paramref name="time"/> (clamped to launch and intercept).</summary>
    public Vec3 PositionAt(DateTime time)
    {
        var span = (InterceptTime - LaunchTime).TotalSeconds;
        var f = span <= 0 ? 1.0 : Math.Clamp((time - LaunchTime).TotalSeconds / span, 0, 1);
        return LaunchPointEcef + ((InterceptPointEcef - LaunchPointEcef) * f);
    }
}

/// <summary>The outcome of one interceptor at its intercept time.</summary>
/// <param name="EngagementId">Engagement.</param>
/// <param name="Threat">Target track number.</param>
/// <param name="BatteryId">Firing unit.</param>
/// <param name="InterceptTime">Intercept (UTC).</param>
/// <param name="Killed">True when the target was destroyed: the caller removes the truth object.</param>
/// <param name="MissDistance">Distance between the target's true position and the intercept point (m); NaN when no truth was given.</param>
/// <param name="Reason">"kill", "pk miss", "outside divert" or "target already destroyed".</param>
public readonly record struct InterceptOutcome(
    string EngagementId,
    TrackNumber Threat,
    string BatteryId,
    DateTime InterceptTime,
    bool Killed,
    double MissDistance,
    string Reason);
