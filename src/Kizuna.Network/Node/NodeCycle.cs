using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Network.Messages;

namespace Kizuna.Network.Node;

/// <summary>What one <see cref="NationalNode.Step"/> produced.</summary>
/// <param name="Time">The cycle time.</param>
/// <param name="Picture">The coalition picture: one entry per object, ordered by track number.</param>
/// <param name="Reports">Track reports to publish (tracks this node reports under R2).</param>
/// <param name="Notices">Track-number notices to publish.</param>
/// <param name="TrackTableHash">FNV-1a hash of the track table and number assignment (<see cref="NationalNode.TrackTableHash"/>).</param>
public sealed record NodeCycle(
    DateTime Time,
    ImmutableArray<PictureTrack> Picture,
    ImmutableArray<TrackReport> Reports,
    ImmutableArray<TrackNumberNotice> Notices,
    ulong TrackTableHash)
{
    /// <summary>
    /// Aligned with <see cref="Picture"/>: the marking under which this node reports (or would report,
    /// were it the R2 holder) its own local track of each entry — the derived-data marking of the local
    /// track (<see cref="DerivedDataMarking.ForContributors"/>), which is what may flow to partners; null
    /// where the node holds no local track (a remote-only entry, nothing of its own to send). Empty when
    /// not computed.
    /// </summary>
    public ImmutableArray<Marking?> ReportMarkings { get; init; } = [];
}
