using Kizuna.Core;

namespace Kizuna.Server.Picture;

/// <summary>The exercise roles a user logs in with.</summary>
public enum ViewerRole
{
    /// <summary>Sees the picture only; may not control the clock or decide.</summary>
    Observer = 0,

    /// <summary>Sees the picture and controls the timeline; may not decide engagements.</summary>
    Operator = 1,

    /// <summary>The national authority: approves or denies its own nation's engagements.</summary>
    Commander = 2,
}

/// <summary>Outcome of an approve/deny request.</summary>
/// <param name="Accepted">True when the decision was taken.</param>
/// <param name="Reason">Why it was refused (or a short confirmation).</param>
public readonly record struct EngagementDecisionResult(bool Accepted, string Reason)
{
    /// <summary>The decision was taken.</summary>
    public static EngagementDecisionResult Done(string reason = "decision recorded") => new(true, reason);

    /// <summary>The decision was refused.</summary>
    public static EngagementDecisionResult Refused(string reason) => new(false, reason);
}

/// <summary>
/// The national engagement authority behind the Approve / Deny buttons. The CLI implements it
/// with the Defence command workflow. The server calls it only after its own checks (the user is a
/// commander, the engagement is released to the user's nation and owned by it), and the
/// implementation checks again: a nation's weapons are released only by that nation's authority.
/// </summary>
public interface IEngagementAuthority
{
    /// <summary>Approves (<paramref name="approve"/> true) or denies an engagement on behalf of <paramref name="nation"/>'s <paramref name="role"/>.</summary>
    EngagementDecisionResult Decide(string engagementId, Nation nation, ViewerRole role, bool approve);
}
