using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Kizuna.Core;
using Kizuna.Network.Bus;
using Kizuna.Network.Messages;
using Kizuna.Network.Sharing;
using Kizuna.Network.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Kizuna.Network.Nats;

/// <summary>How one national node connects to the coalition's NATS server.</summary>
/// <param name="Url">Server URL, e.g. <c>nats://127.0.0.1:4222</c>.</param>
/// <param name="Self">The node's nation (its account).</param>
/// <param name="User">User name (from the generated credentials).</param>
/// <param name="Password">Password.</param>
public sealed record NatsBusOptions(string Url, Nation Self, string User, string Password)
{
    /// <summary>How long streams keep messages (catch-up horizon).</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Logger factory for the NATS client and the bus.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Creates options from generated credentials.</summary>
    public static NatsBusOptions From(string url, NatsNodeCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return new NatsBusOptions(url, credentials.Nation, credentials.User, credentials.Password);
    }
}

/// <summary>
/// One national node's end of the coalition bus over NATS with JetStream. The sending node applies
/// the release policy and publishes each released copy on <c>kizuna.SELF.TO.type</c>; the broker's
/// account exports/imports (<see cref="NatsConfigGenerator"/>) route it into TO's account, where the
/// inbound stream stores it; TO's node consumes through a durable consumer, acknowledging each
/// message only after it is queued to the subscriber, so a restarted node resumes from its last
/// acknowledged message.
/// </summary>
/// <remarks>
/// Publication waits for the JetStream acknowledgement from the sender's own outbound stream, and
/// carries a message id (<c>SELF.sequence.TO</c>) so a retried publication is stored once
/// (JetStream duplicate window). Bytes that do not decode are counted in
/// <see cref="BusCounters.DecodeErrors"/> and terminated (not redelivered), never thrown.
/// </remarks>
public sealed class NatsBus : ICoalitionBus
{
    private readonly NatsConnection _connection;
    private readonly NatsJSContext _js;
    private readonly ReleasePolicy _policy;
    private readonly NatsBusOptions _options;
    private readonly Nation[] _partners;
    private readonly ILogger _log;
    private readonly ConcurrentBag<NatsSubscription> _subscriptions = [];
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly SemaphoreSlim _publishGate = new(1, 1);
    private long _sequence;

    private NatsBus(NatsConnection connection, ReleasePolicy policy, NatsBusOptions options, Nation[] partners, long sequence)
    {
        _connection = connection;
        _js = new NatsJSContext(connection);
        _policy = policy;
        _options = options;
        _partners = partners;
        _sequence = sequence;
        _log = options.LoggerFactory.CreateLogger<NatsBus>();
    }

    /// <inheritdoc />
    public BusCounters Counters { get; } = new();

    /// <summary>The underlying connection (for diagnostics: server errors, state).</summary>
    public INatsConnection Connection => _connection;

    /// <summary>Connects, ensures this nation's streams exist, and resumes the sequence from the outbound stream.</summary>
    public static async Task<NatsBus> ConnectAsync(NatsBusOptions options, ReleasePolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policy);
        var self = options.Self;
        var partners = policy.Agreements.Nations.Where(n => n != self).ToArray();
        var connection = new NatsConnection(NatsOpts.Default with
        {
            Url = options.Url,
            Name = "kizuna-node-" + self.Code,
            AuthOpts = NatsAuthOpts.Default with { Username = options.User, Password = options.Password },
            LoggerFactory = options.LoggerFactory,
        });
        try
        {
            await connection.ConnectAsync().ConfigureAwait(false);
            var js = new NatsJSContext(connection);
            long sequence = 0;
            if (partners.Length > 0)
            {
                var outbound = await js.CreateOrUpdateStreamAsync(
                    new StreamConfig(NatsSubjects.OutboundStream(self), partners.Select(p => $"kizuna.{self.Code}.{p.Code}.>").ToArray())
                    {
                        Storage = StreamConfigStorage.File,
                        MaxAge = options.Retention,
                        DuplicateWindow = TimeSpan.FromMinutes(2),
                    },
                    cancellationToken).ConfigureAwait(false);
                sequence = (long)outbound.Info.State.Messages;
                await js.CreateOrUpdateStreamAsync(
                    new StreamConfig(NatsSubjects.InboundStream(self), partners.Select(p => $"kizuna.{p.Code}.{self.Code}.>").ToArray())
                    {
                        Storage = StreamConfigStorage.File,
                        MaxAge = options.Retention,
                    },
                    cancellationToken).ConfigureAwait(false);
            }

            return new NatsBus(connection, policy, options, partners, sequence);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="from"/> is not this node's nation.</exception>
    public async ValueTask PublishAsync(Nation from, ICoalitionMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (from != _options.Self)
        {
            throw new ArgumentException($"this node publishes as {_options.Self}, not {from}", nameof(from));
        }

        var type = MessageTypes.Of(message);
        await _publishGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sequence = ++_sequence;
            Counters.AddPublished();
            foreach (var to in _partners)
            {
                var decision = _policy.Decide(from, to, message);
                if (!decision.IsAllowed)
                {
                    Counters.AddRefused();
                    continue;
                }

                _buffer.ResetWrittenCount();
                WireCodec.Encode(_buffer, from, sequence, decision.Released!);
                var ack = await _js.PublishAsync(
                    NatsSubjects.For(from, to, type),
                    _buffer.WrittenMemory.ToArray(),
                    opts: new NatsJSPubOpts { MsgId = $"{from.Code}.{sequence}.{to.Code}" },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                ack.EnsureSuccess();
                Counters.AddBytes(_buffer.WrittenCount);
                Counters.AddDelivered();
            }
        }
        finally
        {
            _publishGate.Release();
        }
    }

    /// <summary>
    /// Publishes several messages from this node with their JetStream acknowledgements pipelined:
    /// every released copy is sent, then all acknowledgements are awaited (at most
    /// <paramref name="maxInFlight"/> outstanding). Completes when every copy is acknowledged, so a
    /// message published after this call is stored after all of them; within the call, the order in
    /// which the server stores the copies is not guaranteed.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> is not this node's nation.</exception>
    public async ValueTask PublishManyAsync(Nation from, IReadOnlyList<ICoalitionMessage> messages, int maxInFlight = 256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        if (from != _options.Self)
        {
            throw new ArgumentException($"this node publishes as {_options.Self}, not {from}", nameof(from));
        }

        await _publishGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = new List<(Task<PubAckResponse> Ack, int Bytes)>(Math.Min(maxInFlight, 1024));
            foreach (var message in messages)
            {
                ArgumentNullException.ThrowIfNull(message);
                var type = MessageTypes.Of(message);
                var sequence = ++_sequence;
                Counters.AddPublished();
                foreach (var to in _partners)
                {
                    var decision = _policy.Decide(from, to, message);
                    if (!decision.IsAllowed)
                    {
                        Counters.AddRefused();
                        continue;
                    }

                    var bytes = WireCodec.Encode(from, sequence, decision.Released!);
                    pending.Add((_js.PublishAsync(
                        NatsSubjects.For(from, to, type),
                        bytes,
                        opts: new NatsJSPubOpts { MsgId = $"{from.Code}.{sequence}.{to.Code}" },
                        cancellationToken: cancellationToken).AsTask(), bytes.Length));
                    if (pending.Count >= maxInFlight)
                    {
                        await CompleteAsync(pending).ConfigureAwait(false);
                    }
                }
            }

            await CompleteAsync(pending).ConfigureAwait(false);
        }
        finally
        {
            _publishGate.Release();
        }
    }

    private async Task CompleteAsync(List<(Task<PubAckResponse> Ack, int Bytes)> pending)
    {
        foreach (var (task, bytes) in pending)
        {
            var ack = await task.ConfigureAwait(false);
            ack.EnsureSuccess();
            Counters.AddBytes(bytes);
            Counters.AddDelivered();
        }

        pending.Clear();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="nation"/> is not this node's nation.</exception>
    public async ValueTask<IBusSubscription> SubscribeAsync(Nation nation, SubscriptionOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (nation != _options.Self)
        {
            throw new ArgumentException($"this node receives as {_options.Self}, not {nation}", nameof(nation));
        }

        options ??= SubscriptionOptions.Default;
        var consumer = await _js.CreateOrUpdateConsumerAsync(
            NatsSubjects.InboundStream(nation),
            new ConsumerConfig(NatsSubjects.NodeConsumer(nation))
            {
                AckPolicy = ConsumerConfigAckPolicy.Explicit,
                DeliverPolicy = ConsumerConfigDeliverPolicy.All,
                MaxAckPending = Math.Max(1, options.Capacity),
                AckWait = TimeSpan.FromSeconds(30),
            },
            cancellationToken).ConfigureAwait(false);
        var sub = new NatsSubscription(this, nation, consumer, options);
        _subscriptions.Add(sub);
        return sub;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var s in _subscriptions)
        {
            await s.DisposeAsync().ConfigureAwait(false);
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        _publishGate.Dispose();
    }

    private sealed class NatsSubscription : IBusSubscription
    {
        private readonly NatsBus _bus;
        private readonly Channel<BusDelivery> _channel;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private long _dropped;

        public NatsSubscription(NatsBus bus, Nation nation, INatsJSConsumer consumer, SubscriptionOptions options)
        {
            _bus = bus;
            Nation = nation;
            var mode = options.Mode == SlowSubscriberMode.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait;
            _channel = Channel.CreateBounded<BusDelivery>(
                new BoundedChannelOptions(Math.Max(1, options.Capacity)) { FullMode = mode, SingleWriter = true },
                _ =>
                {
                    Interlocked.Increment(ref _dropped);
                    _bus.Counters.AddDropped();
                });
            _loop = Task.Run(() => RunAsync(consumer, _stop.Token));
        }

        public Nation Nation { get; }

        public ChannelReader<BusDelivery> Reader => _channel.Reader;

        public long Dropped => Interlocked.Read(ref _dropped);

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await _stop.CancelAsync().ConfigureAwait(false);
            }

            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            // A round trip makes sure the server has processed every acknowledgement sent so far.
            try
            {
                await _bus._connection.PingAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (NatsException)
            {
            }

            _channel.Writer.TryComplete();
            _stop.Dispose();
        }

        private async Task RunAsync(INatsJSConsumer consumer, CancellationToken ct)
        {
            try
            {
                await foreach (var msg in consumer.ConsumeAsync<byte[]>(cancellationToken: ct).ConfigureAwait(false))
                {
                    if (!TryDeliver(msg, out var delivery))
                    {
                        _bus.Counters.AddDecodeError();
                        await msg.AckTerminateAsync(cancellationToken: ct).ConfigureAwait(false);
                        continue;
                    }

                    await _channel.Writer.WriteAsync(delivery, ct).ConfigureAwait(false);

                    // Once queued, the acknowledgement is always sent, even when stopping.
                    await msg.AckAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
                    _bus.Counters.AddDelivered();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            catch (NatsException ex)
            {
                _bus._log.LogError(ex, "Coalition consumer for {Nation} stopped", Nation);
                _channel.Writer.TryComplete(ex);
            }
        }

        private bool TryDeliver(INatsJSMsg<byte[]> msg, out BusDelivery delivery)
        {
            delivery = default;
            if (msg.Data is not { } data || !NatsSubjects.TryParse(msg.Subject, out var from, out var to, out var type) || to != Nation)
            {
                return false;
            }

            var status = WireCodec.TryDecode(data, out var envelope);
            if (status != WireStatus.Ok || envelope.Sender != from || envelope.Type != type)
            {
                _bus._log.LogWarning("Undecodable coalition message on {Subject}: {Status}", msg.Subject, status);
                return false;
            }

            delivery = new BusDelivery(from, envelope.Sequence, envelope.Message);
            return true;
        }
    }
}
