using Kizuna.Core;
using Kizuna.Network.Messages;

namespace Kizuna.Network.Wire;

/// <summary>
/// A decoded wire message: the envelope header and the domain message it carries. The marking is
/// carried once, in the envelope (key 2), and is the <see cref="ICoalitionMessage.Marking"/> of
/// <see cref="Message"/>.
/// </summary>
/// <param name="SchemaVersion">Schema version the sender wrote (<see cref="WireCodec.SchemaVersion"/>).</param>
/// <param name="Type">Message type.</param>
/// <param name="Sender">The node that put the message on the wire (differs from <c>Marking.Originator</c> when forwarded).</param>
/// <param name="Sequence">Per-sender sequence number (gap detection, duplicate suppression).</param>
/// <param name="Message">The domain message.</param>
public readonly record struct WireEnvelope(
    int SchemaVersion,
    MessageType Type,
    Nation Sender,
    long Sequence,
    ICoalitionMessage Message)
{
    /// <summary>The message's marking (carried in the envelope on the wire).</summary>
    public Marking Marking => Message.Marking;
}
