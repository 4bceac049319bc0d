using System.Collections.Immutable;
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
    ulong TrackTableHash);
