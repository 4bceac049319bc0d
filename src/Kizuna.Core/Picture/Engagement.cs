namespace Kizuna.Core.Picture;

/// <summary>
/// Engagement workflow states: recommend → approve/deny (by the owning nation's authority or its
/// pre-delegation) → order → executing → assessed.
/// </summary>
public enum EngagementStatus : byte
{
    /// <summary>Recommended by the planner; awaiting the owning nation's decision.</summary>
    Recommended = 0,

    /// <summary>Approved by the owning nation's authority.</summary>
    Approved = 1,

    /// <summary>Denied by the owning nation's authority.</summary>
    Denied = 2,

    /// <summary>Fire order sent to the battery.</summary>
    Ordered = 3,

    /// <summary>Interceptor in flight.</summary>
    Executing = 4,

    /// <summary>Assessed: target killed.</summary>
    Killed = 5,

    /// <summary>Assessed: target survived.</summary>
    Missed = 6,

    /// <summary>Withdrawn (window closed, target gone, superseded).</summary>
    Cancelled = 7,
}

/// <summary>One engagement (one interceptor shot) and its current status.</summary>
/// <param name="Id">Engagement identifier.</param>
/// <param name="Time">UTC time of this status.</param>
/// <param name="Status">Workflow status.</param>
/// <param name="Threat">Target's coalition track number.</param>
/// <param name="BatteryId">The firing unit.</param>
/// <param name="Owner">The nation that owns the battery (and alone may authorise it).</param>
/// <param name="DecidedBy">Who took the last decision (role and nation, e.g. "JPN/commander"), "" when none.</param>
/// <param name="PlannedIntercept">Planned UTC intercept time.</param>
/// <param name="KillProbability">Single-shot kill probability of the shot.</param>
/// <param name="Marking">Release marking.</param>
public sealed record Engagement(
    string Id,
    DateTime Time,
    EngagementStatus Status,
    TrackNumber Threat,
    string BatteryId,
    Nation Owner,
    string DecidedBy,
    DateTime PlannedIntercept,
    double KillProbability,
    Marking Marking);
