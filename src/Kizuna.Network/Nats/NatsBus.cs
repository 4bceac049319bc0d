using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
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

    /// <summary>
    /// A frame is sent once it reaches this many bytes (64 KiB by default: about 280 track reports);
    /// smaller frames reach the first receivers sooner, larger ones cost fewer broker operations. A
    /// single message larger than this travels alone (the server's <c>max_payload</c> bounds it).
    /// </summary>
    public int MaxFrameBytes { get; init; } = 64 * 1024;

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
/// the release policy and publishes the released copies as <b>frames</b> (wire schema 2: several
/// envelopes in one NATS message) on <c>kizuna.SELF.TO.type</c>, one frame per (destination, message
/// type) and publication, split at <see cref="NatsBusOptions.MaxFrameBytes"/>; the broker's account
/// exports/imports (<see cref="NatsConfigGenerator"/>) route each frame into TO's account, where the
/// inbound stream stores it; TO's node consumes through a durable consumer, acknowledging each frame
/// only after all its messages are queued to the subscriber, so a restarted node resumes from its
/// last acknowledged frame.
/// </summary>
/// <remarks>
/// <para>Publication sends every frame of the call, then awaits their JetStream acknowledgements
/// (from the sender's own outbound stream) together: one round trip per call, not per copy. Each
/// frame carries a message id (<c>SELF.firstSequence.TO</c>) so a retried frame is stored once
/// (JetStream duplicate window). Bytes that do not decode are counted in
/// <see cref="BusCounters.DecodeErrors"/> and terminated (not redelivered), never thrown.</para>
/// <para>Sequence numbers survive a restart: on connect the node reads the last frame of its outbound
/// stream and continues after its highest sequence.</para>
/// </remarks>
public sealed class NatsBus : ICoalitionBus
{
    private const int MaxFramesInFlight = 64;
    private readonly NatsConnection _connection;
    private readonly NatsJSContext _js;
    private readonly ReleasePolicy _policy;
    private readonly NatsBusOptions _options;
    private readonly Nation[] _partners;
    private readonly string[][] _subjects;
    private readonly WireFrameWriter[] _frames;
    private readonly MessageType[] _frameTypes;
    private readonly long[] _frameFirst;
    private readonly ICoalitionMessage[] _one = new ICoalitionMessage[1];
    private readonly Queue<PendingFrame> _pending = new();
    private readonly ILogger _log;
    private readonly ConcurrentBag<NatsSubscription> _subscriptions = [];
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
        _subjects = [.. partners.Select(p => MessageTypes.All.Prepend(MessageType.None).Select(t => t == MessageType.None ? string.Empty : NatsSubjects.For(options.Self, p, t)).ToArray())];
        _frames = [.. partners.Select(_ => new WireFrameWriter(Math.Min(options.MaxFrameBytes, 1 << 20) + 4096))];
        _frameTypes = new MessageType[partners.Length];
        _frameFirst = new long[partners.Length];
    }

    /// <inheritdoc />
    public BusCounters Counters { get; } = new();

    /// <summary>The underlying connection (for diagnostics: server errors, state).</summary>
    public INatsConnection Connection => _connection;

    /// <summary>Connects, ensures this nation's streams exist, and resumes the sequence after the last one in the outbound stream.</summary>
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
                sequence = await LastSequenceAsync(js, outbound, self, cancellationToken).ConfigureAwait(false);
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
        CheckSelf(from);
        await _publishGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _one[0] = message;
            await PublishCoreAsync(from, _one, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _one[0] = null!;
            _publishGate.Release();
        }
    }

    /// <summary>
    /// Publishes several messages from this node: one frame per (destination, message type) run of
    /// consecutive messages, split at <see cref="NatsBusOptions.MaxFrameBytes"/>; all frames are sent,
    /// then their JetStream acknowledgements are awaited together. Completes when every frame is
    /// acknowledged, so a message published after this call is stored after all of them; each
    /// destination receives the messages in order.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> is not this node's nation.</exception>
    public async ValueTask PublishManyAsync(Nation from, IReadOnlyList<ICoalitionMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        CheckSelf(from);
        await _publishGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await PublishCoreAsync(from, messages, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _publishGate.Release();
        }
    }

    /// <summary>
    /// Catch-up read: every message stored in this node's inbound stream (what partners released to
    /// it, within the retention), in stored order, without touching the durable consumer. Frames are
    /// unpacked; undecodable or mislabelled entries are skipped and counted in
    /// <see cref="BusCounters.DecodeErrors"/>.
    /// </summary>
    public async Task<IReadOnlyList<BusDelivery>> ReadInboundAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<BusDelivery>();
        var self = _options.Self;
        var stream = await _js.GetStreamAsync(NatsSubjects.InboundStream(self), cancellationToken: cancellationToken).ConfigureAwait(false);
        var last = stream.Info.State.LastSeq;
        if (stream.Info.State.Messages == 0)
        {
            return result;
        }

        var envelopes = new List<WireEnvelope>();
        var consumer = await _js.CreateOrderedConsumerAsync(NatsSubjects.InboundStream(self), new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.All }, cancellationToken).ConfigureAwait(false);
        await foreach (var msg in consumer.ConsumeAsync<byte[]>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            envelopes.Clear();
            if (TryUnpack(msg.Subject, msg.Data, self, envelopes, out var from))
            {
                foreach (var e in envelopes)
                {
                    result.Add(new BusDelivery(from, e.Sequence, e.Message));
                }
            }
            else
            {
                Counters.AddDecodeError();
            }

            if ((msg.Metadata?.Sequence.Stream ?? last) >= last)
            {
                break;
            }
        }

        return result;
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

    /// <summary>Unpacks one stored or delivered NATS message addressed to <paramref name="self"/>; false when it is not a valid coalition frame.</summary>
    private static bool TryUnpack(string subject, byte[]? data, Nation self, List<WireEnvelope> envelopes, out Nation from)
    {
        if (data is null || !NatsSubjects.TryParse(subject, out from, out var to, out var type) || to != self)
        {
            from = default;
            return false;
        }

        var start = envelopes.Count;
        if (WireCodec.TryDecodeFrame(data, envelopes) != WireStatus.Ok)
        {
            return false;
        }

        for (var i = start; i < envelopes.Count; i++)
        {
            if (envelopes[i].Sender != from || envelopes[i].Type != type)
            {
                envelopes.RemoveRange(start, envelopes.Count - start);
                return false;
            }
        }

        return true;
    }

    private static async Task<long> LastSequenceAsync(NatsJSContext js, INatsJSStream outbound, Nation self, CancellationToken ct)
    {
        if (outbound.Info.State.Messages == 0)
        {
            return 0;
        }

        var consumer = await js.CreateOrderedConsumerAsync(outbound.Info.Config.Name!, new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.Last }, ct).ConfigureAwait(false);
        var envelopes = new List<WireEnvelope>();
        await foreach (var msg in consumer.ConsumeAsync<byte[]>(cancellationToken: ct).ConfigureAwait(false))
        {
            if (msg.Data is { } data && WireCodec.TryDecodeFrame(data, envelopes) == WireStatus.Ok)
            {
                return envelopes.Where(e => e.Sender == self).Select(e => e.Sequence).DefaultIfEmpty(0).Max();
            }

            // Not ours to read: fall back on the count of stored messages (a lower bound of frames, never of sequences).
            return (long)outbound.Info.State.Messages;
        }

        return 0;
    }

    private void CheckSelf(Nation from)
    {
        if (from != _options.Self)
        {
            throw new ArgumentException($"this node publishes as {_options.Self}, not {from}", nameof(from));
        }
    }

    /// <summary>Encodes and sends every released copy (caller holds the gate), then awaits the acknowledgements.</summary>
    private async ValueTask PublishCoreAsync(Nation from, IReadOnlyList<ICoalitionMessage> messages, CancellationToken ct)
    {
        try
        {
            for (var m = 0; m < messages.Count; m++)
            {
                var message = messages[m];
                ArgumentNullException.ThrowIfNull(message);
                var type = MessageTypes.Of(message);
                var sequence = ++_sequence;
                Counters.AddPublished();
                for (var p = 0; p < _partners.Length; p++)
                {
                    var decision = _policy.Decide(from, _partners[p], message);
                    if (!decision.IsAllowed)
                    {
                        Counters.AddRefused();
                        continue;
                    }

                    var frame = _frames[p];
                    if (frame.Count > 0 && (_frameTypes[p] != type || frame.Length >= _options.MaxFrameBytes))
                    {
                        await SendFrameAsync(from, p, ct).ConfigureAwait(false);
                    }

                    if (frame.Count == 0)
                    {
                        _frameTypes[p] = type;
                        _frameFirst[p] = sequence;
                    }

                    frame.Add(from, sequence, decision.Released!);
                }
            }

            for (var p = 0; p < _partners.Length; p++)
            {
                if (_frames[p].Count > 0)
                {
                    await SendFrameAsync(from, p, ct).ConfigureAwait(false);
                }
            }

            while (_pending.Count > 0)
            {
                await CompleteOldestAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var f in _frames)
            {
                f.Reset();
            }

            while (_pending.TryDequeue(out var left))
            {
                // Failed or cancelled call: observe the outstanding acknowledgements, then recycle their buffers.
                try
                {
                    await left.Ack.ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is NatsException or OperationCanceledException)
                {
                }

                ArrayPool<byte>.Shared.Return(left.Buffer);
            }
        }
    }

    private async ValueTask SendFrameAsync(Nation from, int p, CancellationToken ct)
    {
        var frame = _frames[p];
        var bytes = frame.Complete();
        var copies = frame.Count;
        var buffer = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.Span.CopyTo(buffer);
        frame.Reset();
        var ack = _js.PublishAsync<ReadOnlyMemory<byte>>(
            _subjects[p][(int)_frameTypes[p]],
            buffer.AsMemory(0, bytes.Length),
            opts: new NatsJSPubOpts { MsgId = string.Create(CultureInfo.InvariantCulture, $"{from.Code}.{_frameFirst[p]}.{_partners[p].Code}") },
            cancellationToken: ct).AsTask();
        _pending.Enqueue(new PendingFrame(ack, buffer, bytes.Length, copies));
        if (_pending.Count >= MaxFramesInFlight)
        {
            await CompleteOldestAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask CompleteOldestAsync()
    {
        var pending = _pending.Peek();
        var ack = await pending.Ack.ConfigureAwait(false);
        _pending.Dequeue();
        ArrayPool<byte>.Shared.Return(pending.Buffer);
        ack.EnsureSuccess();
        Counters.AddBytes(pending.Bytes);
        for (var i = 0; i < pending.Copies; i++)
        {
            Counters.AddDelivered();
        }
    }

    private readonly record struct PendingFrame(Task<PubAckResponse> Ack, byte[] Buffer, int Bytes, int Copies);

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
            var envelopes = new List<WireEnvelope>(512);
            try
            {
                await foreach (var msg in consumer.ConsumeAsync<byte[]>(cancellationToken: ct).ConfigureAwait(false))
                {
                    envelopes.Clear();
                    if (!TryUnpack(msg.Subject, msg.Data, Nation, envelopes, out var from))
                    {
                        _bus._log.LogWarning("Undecodable coalition frame on {Subject}", msg.Subject);
                        _bus.Counters.AddDecodeError();
                        await msg.AckTerminateAsync(cancellationToken: ct).ConfigureAwait(false);
                        continue;
                    }

                    foreach (var e in envelopes)
                    {
                        var delivery = new BusDelivery(from, e.Sequence, e.Message);
                        if (!_channel.Writer.TryWrite(delivery))
                        {
                            await _channel.Writer.WriteAsync(delivery, ct).ConfigureAwait(false);
                        }

                        _bus.Counters.AddDelivered();
                    }

                    // Once every message of the frame is queued, the acknowledgement is always sent, even when stopping.
                    await msg.AckAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
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
    }
}
