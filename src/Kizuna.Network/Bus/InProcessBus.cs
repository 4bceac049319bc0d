using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;
using Kizuna.Core;
using Kizuna.Network.Messages;
using Kizuna.Network.Sharing;

namespace Kizuna.Network.Bus;

/// <summary>
/// All nations in one process (the default for <c>kizuna demo</c>). The release policy is applied
/// on delivery: one decision per (message, destination nation), then the released copy is queued
/// to each of that nation's subscriptions. Messages are not serialised.
/// </summary>
/// <remarks>
/// Each subscription is a bounded channel. In <see cref="SlowSubscriberMode.Backpressure"/> a full
/// queue makes <see cref="PublishAsync"/> wait, so no message is lost; in
/// <see cref="SlowSubscriberMode.DropOldest"/> the oldest is dropped and counted. Deliveries from
/// one sender arrive in publication order when that sender does not publish concurrently.
/// </remarks>
public sealed class InProcessBus : ICoalitionBus
{
    private readonly ReleasePolicy _policy;
    private readonly ConcurrentDictionary<Nation, long> _sequences = new();
    private readonly Lock _gate = new();
    private ImmutableSortedDictionary<Nation, ImmutableArray<Subscription>> _subscribers = ImmutableSortedDictionary<Nation, ImmutableArray<Subscription>>.Empty;
    private Route[] _routes = [];
    private bool _disposed;

    /// <summary>Creates a bus applying <paramref name="policy"/>.</summary>
    public InProcessBus(ReleasePolicy policy) => _policy = policy ?? throw new ArgumentNullException(nameof(policy));

    /// <inheritdoc />
    public BusCounters Counters { get; } = new();

    /// <inheritdoc />
    /// <remarks>
    /// Allocation-free when every destination queue has room and no copy needs degrading (the
    /// release policy then passes the message itself): the fast path writes with
    /// <c>TryWrite</c> and returns a completed <see cref="ValueTask"/>; only a full queue in
    /// <see cref="SlowSubscriberMode.Backpressure"/> falls back to an awaiting path that continues
    /// from that subscriber. A degraded copy is one new immutable message per (message, destination).
    /// </remarks>
    public ValueTask PublishAsync(Nation from, ICoalitionMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var sequence = _sequences.AddOrUpdate(from, 1, static (_, s) => s + 1);
        Counters.AddPublished();
        var routes = Volatile.Read(ref _routes);
        for (var r = 0; r < routes.Length; r++)
        {
            if (!TryRelease(from, sequence, message, routes[r].Nation, out var delivery))
            {
                continue;
            }

            var subs = routes[r].Subscriptions;
            for (var i = 0; i < subs.Length; i++)
            {
                if (!subs[i].TryWrite(delivery))
                {
                    return PublishSlowAsync(from, sequence, message, routes, r, i, delivery, cancellationToken);
                }

                Counters.AddDelivered();
            }
        }

        return ValueTask.CompletedTask;
    }

    private bool TryRelease(Nation from, long sequence, ICoalitionMessage message, Nation to, out BusDelivery delivery)
    {
        delivery = default;
        if (to == from)
        {
            return false;
        }

        var decision = _policy.Decide(from, to, message);
        if (!decision.IsAllowed)
        {
            Counters.AddRefused();
            return false;
        }

        delivery = new BusDelivery(from, sequence, decision.Released!);
        return true;
    }

    /// <summary>Continues a publication whose subscriber <paramref name="sub"/> of route <paramref name="route"/> had a full queue.</summary>
    private async ValueTask PublishSlowAsync(Nation from, long sequence, ICoalitionMessage message, Route[] routes, int route, int sub, BusDelivery delivery, CancellationToken cancellationToken)
    {
        for (var r = route; r < routes.Length; r++)
        {
            if (r > route && !TryRelease(from, sequence, message, routes[r].Nation, out delivery))
            {
                continue;
            }

            var subs = routes[r].Subscriptions;
            for (var i = r == route ? sub : 0; i < subs.Length; i++)
            {
                if (await subs[i].WriteAsync(delivery, cancellationToken).ConfigureAwait(false))
                {
                    Counters.AddDelivered();
                }
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask PublishManyAsync(Nation from, IReadOnlyList<ICoalitionMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        for (var i = 0; i < messages.Count; i++)
        {
            await PublishAsync(from, messages[i], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask<IBusSubscription> SubscribeAsync(Nation nation, SubscriptionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (nation.IsUnset)
        {
            throw new ArgumentException("A subscription needs a nation.", nameof(nation));
        }

        var sub = new Subscription(this, nation, options ?? SubscriptionOptions.Default);
        lock (_gate)
        {
            var existing = _subscribers.TryGetValue(nation, out var a) ? a : [];
            _subscribers = _subscribers.SetItem(nation, existing.Add(sub));
            PublishRoutes();
        }

        return ValueTask.FromResult<IBusSubscription>(sub);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        ImmutableSortedDictionary<Nation, ImmutableArray<Subscription>> subs;
        lock (_gate)
        {
            _disposed = true;
            subs = _subscribers;
            _subscribers = ImmutableSortedDictionary<Nation, ImmutableArray<Subscription>>.Empty;
            PublishRoutes();
        }

        foreach (var s in subs.Values.SelectMany(a => a))
        {
            s.Complete();
        }

        return ValueTask.CompletedTask;
    }

    private void Remove(Subscription sub)
    {
        lock (_gate)
        {
            if (_subscribers.TryGetValue(sub.Nation, out var a))
            {
                var left = a.Remove(sub);
                _subscribers = left.IsEmpty ? _subscribers.Remove(sub.Nation) : _subscribers.SetItem(sub.Nation, left);
                PublishRoutes();
            }
        }
    }

    /// <summary>Rebuilds the array snapshot the publish path reads (caller holds the gate).</summary>
    private void PublishRoutes() =>
        Volatile.Write(ref _routes, [.. _subscribers.Select(kv => new Route(kv.Key, [.. kv.Value]))]);

    /// <summary>One destination nation and its subscriptions, in nation order (a snapshot: publishing never allocates to read it).</summary>
    private sealed record Route(Nation Nation, Subscription[] Subscriptions);

    private sealed class Subscription : IBusSubscription
    {
        private readonly InProcessBus _bus;
        private readonly Channel<BusDelivery> _channel;
        private long _dropped;

        public Subscription(InProcessBus bus, Nation nation, SubscriptionOptions options)
        {
            _bus = bus;
            Nation = nation;
            var mode = options.Mode == SlowSubscriberMode.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait;
            _channel = Channel.CreateBounded<BusDelivery>(
                new BoundedChannelOptions(Math.Max(1, options.Capacity)) { FullMode = mode, SingleReader = false, SingleWriter = false },
                _ =>
                {
                    Interlocked.Increment(ref _dropped);
                    _bus.Counters.AddDropped();
                });
        }

        public Nation Nation { get; }

        public ChannelReader<BusDelivery> Reader => _channel.Reader;

        public long Dropped => Interlocked.Read(ref _dropped);

        public bool TryWrite(BusDelivery delivery) => _channel.Writer.TryWrite(delivery);

        public async ValueTask<bool> WriteAsync(BusDelivery delivery, CancellationToken cancellationToken)
        {
            try
            {
                await _channel.Writer.WriteAsync(delivery, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (ChannelClosedException)
            {
                return false;
            }
        }

        public void Complete() => _channel.Writer.TryComplete();

        public ValueTask DisposeAsync()
        {
            _bus.Remove(this);
            Complete();
            return ValueTask.CompletedTask;
        }
    }
}
