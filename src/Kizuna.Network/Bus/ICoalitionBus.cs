using System.Threading.Channels;
using Kizuna.Core;
using Kizuna.Network.Messages;

namespace Kizuna.Network.Bus;

/// <summary>One message as a node receives it: already released (and degraded) for that node.</summary>
/// <param name="From">The nation that sent it (may differ from the marking's originator when forwarded).</param>
/// <param name="Sequence">The sender's sequence number.</param>
/// <param name="Message">The released copy.</param>
public readonly record struct BusDelivery(Nation From, long Sequence, ICoalitionMessage Message);

/// <summary>What a subscriber does when its queue is full.</summary>
public enum SlowSubscriberMode
{
    /// <summary>The publisher waits (backpressure): nothing is lost. The default.</summary>
    Backpressure = 0,

    /// <summary>The oldest queued message is dropped and counted in <see cref="IBusSubscription.Dropped"/> (a live display that prefers fresh data).</summary>
    DropOldest = 1,
}

/// <summary>Options of a subscription.</summary>
/// <param name="Capacity">Queue length (messages) before <paramref name="Mode"/> applies.</param>
/// <param name="Mode">Behaviour when the queue is full.</param>
public sealed record SubscriptionOptions(int Capacity = 4096, SlowSubscriberMode Mode = SlowSubscriberMode.Backpressure)
{
    /// <summary>The default: 4,096 messages, backpressure.</summary>
    public static SubscriptionOptions Default { get; } = new();
}

/// <summary>A nation's node's subscription: everything released to that nation, in order per sender.</summary>
public interface IBusSubscription : IAsyncDisposable
{
    /// <summary>The receiving nation.</summary>
    Nation Nation { get; }

    /// <summary>The deliveries. Completes when the subscription or the bus is disposed.</summary>
    ChannelReader<BusDelivery> Reader { get; }

    /// <summary>Messages dropped because the queue was full (always 0 in <see cref="SlowSubscriberMode.Backpressure"/>).</summary>
    long Dropped { get; }
}

/// <summary>
/// The coalition bus: nodes publish domain messages, and each node receives exactly what the
/// release policy lets through to its nation, degraded as the sharing agreement requires.
/// </summary>
public interface ICoalitionBus : IAsyncDisposable
{
    /// <summary>Publishes <paramref name="message"/> from <paramref name="from"/>'s node to every nation it may be released to.</summary>
    /// <remarks>With backpressure, completes when every released copy is queued (in-process) or acknowledged by the broker (NATS).</remarks>
    ValueTask PublishAsync(Nation from, ICoalitionMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes <paramref name="messages"/> from <paramref name="from"/>'s node, in order: the same
    /// release decisions and deliveries as one <see cref="PublishAsync"/> per message, but a transport
    /// may carry them together (NATS: one frame per destination and message type instead of one NATS
    /// message per copy). Each destination receives them in order.
    /// </summary>
    /// <remarks>With backpressure, completes when every released copy is queued (in-process) or acknowledged by the broker (NATS).</remarks>
    ValueTask PublishManyAsync(Nation from, IReadOnlyList<ICoalitionMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Subscribes <paramref name="nation"/>'s node.</summary>
    ValueTask<IBusSubscription> SubscribeAsync(Nation nation, SubscriptionOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Counters since the bus was created.</summary>
    BusCounters Counters { get; }
}

/// <summary>Bus counters (thread-safe, monotonic).</summary>
public sealed class BusCounters
{
    private long _published;
    private long _delivered;
    private long _refused;
    private long _dropped;
    private long _decodeErrors;
    private long _bytes;

    /// <summary>Messages published.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Released copies delivered (queued to a subscriber or acknowledged by the broker).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Release decisions that refused.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Messages dropped by slow subscribers in <see cref="SlowSubscriberMode.DropOldest"/>.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Received byte strings that did not decode (never thrown out of the bus).</summary>
    public long DecodeErrors => Interlocked.Read(ref _decodeErrors);

    /// <summary>Encoded bytes sent (wire transports only).</summary>
    public long BytesSent => Interlocked.Read(ref _bytes);

    internal void AddPublished() => Interlocked.Increment(ref _published);

    internal void AddDelivered() => Interlocked.Increment(ref _delivered);

    internal void AddDelivered(long n) => Interlocked.Add(ref _delivered, n);

    internal void AddRefused() => Interlocked.Increment(ref _refused);

    internal void AddDropped() => Interlocked.Increment(ref _dropped);

    internal void AddDecodeError() => Interlocked.Increment(ref _decodeErrors);

    internal void AddBytes(long n) => Interlocked.Add(ref _bytes, n);
}
