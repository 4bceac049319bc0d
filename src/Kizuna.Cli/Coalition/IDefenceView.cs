using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Server.Picture;

namespace Kizuna.Cli.Coalition;

/// <summary>
/// What the defence stage offers to the live picture (web) and the recorder: each nation's alerts
/// and engagements as that nation may see them, and the decision entry point for the owning nation's
/// commander. Implemented by the defence stage; consumed by the live picture source.
/// </summary>
internal interface IDefenceView
{
    /// <summary>Current (latest state of each) alerts visible to <paramref name="viewer"/>: its own warnings plus partners' released ones.</summary>
    IReadOnlyList<Alert> AlertsFor(Nation viewer);

    /// <summary>Current (latest state of each) engagements visible to <paramref name="viewer"/>.</summary>
    IReadOnlyList<Engagement> EngagementsFor(Nation viewer);

    /// <summary>
    /// <paramref name="viewer"/>'s own classification of one of its tracks (kind from kinematics or
    /// ADS-B, and the identity its rules assigned), or null when that nation has not classified it.
    /// The node's picture carries Unknown / Pending; this is what the operator should see.
    /// </summary>
    (TrackKind Kind, Affiliation Affiliation)? ClassificationOf(Nation viewer, TrackNumber track);

    /// <summary>A human decision from the web picture; the command workflow checks the authority and audits it.</summary>
    EngagementDecisionResult Decide(string engagementId, Nation nation, ViewerRole role, bool approve);
}
