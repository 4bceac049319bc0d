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

    /// <summary>
    /// How released copies travel live: <see cref="NatsLivePath.Core"/> (the default: plain NATS
    /// publish and subscription, the JetStream streams still store every frame for catch-up) or
    /// <see cref="NatsLivePath.JetStream"/> (acknowledged JetStream publish, delivery only through the
    /// durable consumer: the path before wip/natscore, kept for comparison).
    /// </summary>
    public NatsLivePath LivePath { get; init; } = NatsLivePath.Core;

    /// <summary>
    /// Core live path only: how long the durable consumer waits for the live subscription to deliver a
    /// stored frame before it delivers the frame itself (a frame the live path lost, e.g. dropped as a
    /// slow consumer). Frames stored before the subscription started are delivered at once.
    /// </summary>
    public TimeSpan LiveGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Core live path only: frames the client buffers for the live subscription before it drops the
    /// newest (a dropped frame is then delivered from the stream after <see cref="LiveGrace"/>).
    /// </summary>
    public int LiveChannelFrames { get; init; } = 16_384;

    /// <summary>Logger factory for the NATS client and the bus.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Creates options from generated credentials.</summary>
    public static NatsBusOptions From(string url, NatsNodeCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return new NatsBusOptions(url, credentials.Nation, credentials.User, credentials.Password);
    }
}

/// <summary>How a <see cref="NatsBus"/> carries the live flow.</summary>
public enum NatsLivePath
{
    /// <summary>
    /// Plain (core) NATS publish and a plain subscription for the live flow; the JetStream streams
    /// bind the same subjects and store every frame; a durable consumer confirms each frame the live
    /// subscription delivered (and delivers, after <see cref="NatsBusOptions.LiveGrace"/>, any it did
    /// not), so a restarted node resumes from its last confirmed frame. The default.
    /// </summary>
    Core = 0,

    /// <summary>JetStream publish with acknowledgements and delivery through the durable consumer only.</summary>
    JetStream = 1,
}

/// <summary>
/// One national node's end of the coalition bus over NATS with JetStream. The sending node applies
/// the release policy and publishes the released copies as <b>frames</b> (wire schema 2: several
/// envelopes in one NATS message) on <c>kizuna.SELF.TO.type</c>, one frame per (destination, message
/// type) and publication, split at <see cref="NatsBusOptions.MaxFrameBytes"/>; the broker's account
/// exports/imports (<see cref="NatsConfigGenerator"/>) route each frame into TO's account, where the
/// inbound stream stores it.
/// </summary>
/// <remarks>
/// <para><see cref="NatsLivePath.Core"/> (default): frames go out as plain NATS publishes (one
/// PING/PONG round trip per call, so the call completes when the server has read them) and arrive
/// through a plain subscription; the streams bind the same subjects and store every frame. The
/// durable consumer on the inbound stream confirms (acknowledges) each frame the live subscription
/// delivered, and delivers itself the frames stored before the subscription started (catch-up) and
/// any frame the live path has not delivered within <see cref="NatsBusOptions.LiveGrace"/>; a frame
/// (sender, first sequence, from its <c>Nats-Msg-Id</c> header) is delivered once.
/// <see cref="NatsLivePath.JetStream"/>: every frame of a call is a JetStream publish and their
/// acknowledgements are awaited together; delivery only through the durable consumer.</para>
/// <para>Each frame carries the message id <c>SELF.firstSequence.TO</c> so a retried frame is stored
/// once (JetStream duplicate window). Bytes that do not decode are counted in
/// <see cref="BusCounters.DecodeErrors"/> and terminated (not redelivered), never thrown. Receivers
/// decode with a <see cref="WireDecodeCache"/> (one allocation per track report).</para>
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
    private const string MsgIdHeader = "Nats-Msg-Id";
    private long _sequence;
    private long _sentBytes;
    private long _sentCopies;

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
            if (TryUnpack(msg.Subject, msg.Data, self, envelopes, null, out var from))
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
        INatsSub<NatsMemoryOwner<byte>>? live = null;
        ulong liveStart = 0;
        if (_options.LivePath == NatsLivePath.Core)
        {
            // The live subscription first, and a round trip so the server has it: every frame stored
            // after the stream's last sequence read below reaches the live subscription too.
            live = await _connection.SubscribeCoreAsync<NatsMemoryOwner<byte>>(
                $"kizuna.*.{nation.Code}.>",
                opts: new NatsSubOpts { ChannelOpts = new NatsSubChannelOpts { Capacity = Math.Max(1, _options.LiveChannelFrames), FullMode = BoundedChannelFullMode.DropNewest } },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            await _connection.PingAsync(cancellationToken).ConfigureAwait(false);
            var stream = await _js.GetStreamAsync(NatsSubjects.InboundStream(nation), cancellationToken: cancellationToken).ConfigureAwait(false);
            liveStart = stream.Info.State.LastSeq;
        }

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
        var caughtUp = live is null || (consumer.Info.NumPending == 0 && consumer.Info.NumAckPending == 0) || consumer.Info.AckFloor?.StreamSeq >= liveStart;
        var sub = new NatsSubscription(this, nation, consumer, live, liveStart, caughtUp, options);
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
    private static bool TryUnpack(string subject, ReadOnlyMemory<byte>? data, Nation self, List<WireEnvelope> envelopes, WireDecodeCache? cache, out Nation from)
    {
        if (data is null || !NatsSubjects.TryParse(subject, out from, out var to, out var type) || to != self)
        {
            from = default;
            return false;
        }

        var start = envelopes.Count;
        if (WireCodec.TryDecodeFrame(data.Value, envelopes, cache) != WireStatus.Ok)
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

    /// <summary>The message id of a frame: <c>FROM.firstSequence.TO</c>.</summary>
    private static string FrameId(Nation from, long first, Nation to) =>
        string.Create(CultureInfo.InvariantCulture, $"{from.Code}.{first}.{to.Code}");

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

            if (_sentCopies > 0)
            {
                // Core path: one round trip proves the server has read (routed and handed to the
                // streams) every frame of the call.
                await _connection.PingAsync(ct).ConfigureAwait(false);
                Counters.AddBytes(_sentBytes);
                Counters.AddDelivered(_sentCopies);
            }
        }
        finally
        {
            _sentBytes = 0;
            _sentCopies = 0;
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
        if (_options.LivePath == NatsLivePath.Core)
        {
            // The client copies the payload into its write buffer before the call completes, so the
            // frame writer can be reused at once. The message id lets the outbound stream drop a
            // retried frame, and the receiver pair the live and the stored copy of one frame.
            var headers = new NatsHeaders { [MsgIdHeader] = FrameId(from, _frameFirst[p], _partners[p]) };
            await _connection.PublishAsync<ReadOnlyMemory<byte>>(_subjects[p][(int)_frameTypes[p]], bytes, headers, cancellationToken: ct).ConfigureAwait(false);
            frame.Reset();
            _sentBytes += bytes.Length;
            _sentCopies += copies;
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.Span.CopyTo(buffer);
        frame.Reset();
        var ack = _js.PublishAsync<ReadOnlyMemory<byte>>(
            _subjects[p][(int)_frameTypes[p]],
            buffer.AsMemory(0, bytes.Length),
            opts: new NatsJSPubOpts { MsgId = FrameId(from, _frameFirst[p], _partners[p]) },
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

    /// <summary>
    /// A node's subscription. Core live path: the live loop delivers each frame from the plain
    /// subscription; the stored loop reads the same frames from the durable consumer and acknowledges
    /// each once the live loop has delivered it, delivering itself the frames stored before the
    /// subscription started (catch-up) and any frame the live loop has not delivered within
    /// <see cref="NatsBusOptions.LiveGrace"/>. A frame (sender, first sequence) is delivered once.
    /// JetStream path: the stored loop alone, delivering every frame at once.
    /// </summary>
    private sealed class NatsSubscription : IBusSubscription
    {
        private const int RememberedFrames = 1 << 16;
        private readonly NatsBus _bus;
        private readonly Channel<BusDelivery> _channel;
        private readonly CancellationTokenSource _stopLive = new();
        private readonly CancellationTokenSource _stopStored = new();
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly List<WireEnvelope> _envelopes = new(512);
        private readonly WireDecodeCache _cache = new();

        // Frames the live loop delivered that the stored loop has not yet confirmed, and frames the
        // stored loop delivered whose live copy has not arrived (both bounded, oldest forgotten first).
        private readonly HashSet<(Nation, long)> _liveDelivered = [];
        private readonly Queue<(Nation, long)> _liveOrder = new();
        private readonly HashSet<(Nation, long)> _storedDelivered = [];
        private readonly Queue<(Nation, long)> _storedOrder = new();
        private readonly HashSet<(Nation, long)> _liveBad = [];
        private readonly Queue<(Nation, long)> _liveBadOrder = new();
        private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly INatsSub<NatsMemoryOwner<byte>>? _live;
        private readonly ulong _liveStart;
        private readonly Task _liveLoop;
        private readonly Task _storedLoop;
        private long _dropped;
        private int _disposed;

        public NatsSubscription(NatsBus bus, Nation nation, INatsJSConsumer consumer, INatsSub<NatsMemoryOwner<byte>>? live, ulong liveStart, bool caughtUp, SubscriptionOptions options)
        {
            _bus = bus;
            Nation = nation;
            _live = live;
            _liveStart = liveStart;
            if (caughtUp)
            {
                _caughtUp.TrySetResult();
            }

            var mode = options.Mode == SlowSubscriberMode.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait;
            _channel = Channel.CreateBounded<BusDelivery>(
                new BoundedChannelOptions(Math.Max(1, options.Capacity)) { FullMode = mode, SingleWriter = true },
                _ =>
                {
                    Interlocked.Increment(ref _dropped);
                    _bus.Counters.AddDropped();
                });
            _storedLoop = Task.Run(() => RunStoredAsync(consumer, _stopStored.Token));
            _liveLoop = live is null ? Task.CompletedTask : Task.Run(() => RunLiveAsync(live, _stopLive.Token));
        }

        public Nation Nation { get; }

        public ChannelReader<BusDelivery> Reader => _channel.Reader;

        public long Dropped => Interlocked.Read(ref _dropped);

        public async ValueTask DisposeAsync()
        {
            // Idempotent: the node may dispose its subscription and then the bus (which disposes it again).
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            if (!_stopLive.IsCancellationRequested)
            {
                await _stopLive.CancelAsync().ConfigureAwait(false);
            }

            await IgnoreCancelAsync(_liveLoop).ConfigureAwait(false);
            if (_live is not null)
            {
                await _live.DisposeAsync().ConfigureAwait(false);
            }

            // Let the stored loop confirm what the live loop delivered (bounded), so a restarted node
            // does not receive it again.
            var deadline = Environment.TickCount64 + (long)_bus._options.LiveGrace.TotalMilliseconds + 1_000;
            while (PendingConfirmations() > 0 && Environment.TickCount64 < deadline && !_storedLoop.IsCompleted)
            {
                await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
            }

            if (!_stopStored.IsCancellationRequested)
            {
                await _stopStored.CancelAsync().ConfigureAwait(false);
            }

            await IgnoreCancelAsync(_storedLoop).ConfigureAwait(false);

            // A round trip makes sure the server has processed every acknowledgement sent so far.
            try
            {
                await _bus._connection.PingAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (NatsException)
            {
            }

            _channel.Writer.TryComplete();
            _stopLive.Dispose();
            _stopStored.Dispose();
            _gate.Dispose();
        }

        private static async Task IgnoreCancelAsync(Task task)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        private static void Remember(HashSet<(Nation, long)> set, Queue<(Nation, long)> order, (Nation, long) key)
        {
            if (set.Add(key))
            {
                order.Enqueue(key);
                if (order.Count > RememberedFrames)
                {
                    set.Remove(order.Dequeue());
                }
            }
        }

        /// <summary>The frame's key (sender, first sequence) from its message id; false when it has none (then decoding decides).</summary>
        private static bool TryFrameKey(NatsHeaders? headers, Nation from, out (Nation, long) key)
        {
            key = default;
            if (headers is null || !headers.TryGetValue(MsgIdHeader, out var id) || id.Count != 1 || id[0] is not { } s)
            {
                return false;
            }

            var a = s.IndexOf('.', StringComparison.Ordinal);
            var b = a < 0 ? -1 : s.IndexOf('.', a + 1);
            if (b < 0 || !long.TryParse(s.AsSpan(a + 1, b - a - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            {
                return false;
            }

            key = (from, first);
            return true;
        }

        private int PendingConfirmations()
        {
            _gate.Wait();
            try
            {
                return _liveDelivered.Count;
            }
            finally
            {
                _gate.Release();
            }
        }

        private async Task RunLiveAsync(INatsSub<NatsMemoryOwner<byte>> live, CancellationToken ct)
        {
            try
            {
                // Catch-up first: frames stored before the subscription started come from the stream.
                // (Live frames wait in the client's channel meanwhile; any it drops come from the stream.)
                await _caughtUp.Task.WaitAsync(_bus._options.LiveGrace, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }

            try
            {
                await foreach (var msg in live.Msgs.ReadAllAsync(ct).ConfigureAwait(false))
                {
                    using var data = msg.Data;
                    if (!NatsSubjects.TryParse(msg.Subject, out var from, out _, out _))
                    {
                        continue;
                    }

                    var hasKey = TryFrameKey(msg.Headers, from, out var key);
                    await DeliverAsync(msg.Subject, data.Memory, hasKey, key, live: true, ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
        }

        /// <summary>Delivers one frame unless the other loop already did; false when it is undecodable.</summary>
        private async ValueTask<bool> DeliverAsync(string subject, ReadOnlyMemory<byte> data, bool hasKey, (Nation, long) key, bool live, CancellationToken ct)
        {
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (hasKey && IsDuplicate(key, live))
                {
                    return true;
                }

                if (hasKey && !live && _liveBad.Remove(key))
                {
                    // The live loop found it undecodable already.
                    CountBad(subject);
                    return false;
                }

                _envelopes.Clear();
                if (!TryUnpack(subject, data, Nation, _envelopes, _cache, out var from))
                {
                    if (!live)
                    {
                        CountBad(subject);
                    }
                    else if (hasKey)
                    {
                        // Counted and terminated once, by the stored loop.
                        Remember(_liveBad, _liveBadOrder, key);
                    }

                    return false;
                }

                if (!hasKey)
                {
                    key = (from, _envelopes[0].Sequence);
                    if (IsDuplicate(key, live))
                    {
                        return true;
                    }
                }

                foreach (var e in _envelopes)
                {
                    var delivery = new BusDelivery(from, e.Sequence, e.Message);
                    if (!_channel.Writer.TryWrite(delivery))
                    {
                        await _channel.Writer.WriteAsync(delivery, ct).ConfigureAwait(false);
                    }
                }

                _bus.Counters.AddDelivered(_envelopes.Count);
                if (_live is not null)
                {
                    if (live)
                    {
                        Remember(_liveDelivered, _liveOrder, key);
                    }
                    else
                    {
                        Remember(_storedDelivered, _storedOrder, key);
                    }
                }

                return true;
            }
            finally
            {
                _gate.Release();
            }
        }

        /// <summary>True (and forgotten) when the other loop delivered the frame already.</summary>
        private bool IsDuplicate((Nation, long) key, bool live) => live ? _storedDelivered.Remove(key) : _liveDelivered.Remove(key);

        private void CountBad(string subject)
        {
            _bus._log.LogWarning("Undecodable coalition frame on {Subject}", subject);
            _bus.Counters.AddDecodeError();
        }

        private async Task RunStoredAsync(INatsJSConsumer consumer, CancellationToken ct)
        {
            try
            {
                await foreach (var msg in consumer.ConsumeAsync<NatsMemoryOwner<byte>>(cancellationToken: ct).ConfigureAwait(false))
                {
                    using var data = msg.Data;
                    var streamSeq = msg.Metadata?.Sequence.Stream ?? ulong.MaxValue;
                    if (!NatsSubjects.TryParse(msg.Subject, out var from, out _, out _))
                    {
                        _bus.Counters.AddDecodeError();
                        await msg.AckTerminateAsync(cancellationToken: ct).ConfigureAwait(false);
                        continue;
                    }

                    var hasKey = TryFrameKey(msg.Headers, from, out var key);
                    if (_live is not null && streamSeq > _liveStart && hasKey)
                    {
                        // Stored after the live subscription started: the live loop delivers it; wait for
                        // it (bounded), then deliver it here only if it never came.
                        _caughtUp.TrySetResult();
                        var waitUntil = Environment.TickCount64 + (long)_bus._options.LiveGrace.TotalMilliseconds;
                        while (!await IsLiveHandledAsync(key, ct).ConfigureAwait(false) && Environment.TickCount64 < waitUntil)
                        {
                            await Task.Delay(5, ct).ConfigureAwait(false);
                        }
                    }

                    var ok = await DeliverAsync(msg.Subject, data.Memory, hasKey, key, live: false, ct).ConfigureAwait(false);
                    if (streamSeq >= _liveStart)
                    {
                        _caughtUp.TrySetResult();
                    }

                    // Once every message of the frame is queued, the acknowledgement is always sent, even when stopping.
                    if (ok)
                    {
                        await msg.AckAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
                    }
                    else
                    {
                        await msg.AckTerminateAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
                    }
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

        private async ValueTask<bool> IsLiveHandledAsync((Nation, long) key, CancellationToken ct)
        {
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return _liveDelivered.Contains(key) || _liveBad.Contains(key);
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
