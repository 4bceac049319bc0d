using Kizuna.Core;
using Kizuna.Network.Bus;
using Kizuna.Network.Messages;
using Kizuna.Network.Nats;
using Kizuna.Network.Sharing;
using Microsoft.Extensions.Time.Testing;
using NATS.Client.Core;
using NATS.Client.JetStream;
using static Kizuna.Network.Tests.TestData;

namespace Kizuna.Network.Tests.Nats;

/// <summary>End-to-end over a real nats-server whose configuration is generated from the trilateral agreements.</summary>
public sealed class NatsBusTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ReleasePolicy Policy(SharingAgreements a, InMemoryReleaseAuditLog? log = null) =>
        new(a, log ?? new InMemoryReleaseAuditLog(), new FakeTimeProvider(new DateTimeOffset(T0)));

    private static Task<NatsBus> Node(NatsServerProcess server, Nation nation, ReleasePolicy policy) =>
        NatsBus.ConnectAsync(NatsBusOptions.From(server.Url, server.Config.For(nation)), policy, Ct);

    /// <summary>Reads one delivery or fails after a generous bound (readiness, not a timing assertion).</summary>
    private static async Task<BusDelivery> NextAsync(IBusSubscription sub)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        return await sub.Reader.ReadAsync(cts.Token);
    }

    private static async Task<long> StoredInboundAsync(NatsBus node, Nation nation)
    {
        var js = new NatsJSContext((NatsConnection)node.Connection);
        var stream = await js.GetStreamAsync(NatsSubjects.InboundStream(nation), cancellationToken: Ct);
        return stream.Info.State.Messages;
    }

    [Fact]
    public async Task NatsBus_AllowedTrack_ArrivesAtEachPartnerDegradedPerAgreement()
    {
        var agreements = Trilateral();
        await using var server = await NatsServerProcess.StartAsync(agreements, Ct);
        var policy = Policy(agreements);
        await using var usa = await Node(server, Usa, policy);
        await using var jpn = await Node(server, Jpn, policy);
        await using var gbr = await Node(server, Gbr, policy);
        var jpnSub = await jpn.SubscribeAsync(Jpn, cancellationToken: Ct);
        var gbrSub = await gbr.SubscribeAsync(Gbr, cancellationToken: Ct);

        var track = Track(Usa, RelAll(Usa, Classification.Restricted));
        await usa.PublishAsync(Usa, track, Ct);

        var atJpn = await NextAsync(jpnSub);
        var atGbr = await NextAsync(gbrSub);
        Assert.Equal(Usa, atJpn.From);
        Assert.Equal(track.PositionEcef, ((TrackReport)atJpn.Message).PositionEcef);
        Assert.Equal(track.Identity, ((TrackReport)atJpn.Message).Identity);
        var g = (TrackReport)atGbr.Message;
        Assert.Equal(0, g.PositionEcef.X % 500, 6);
        Assert.Equal(0u, g.Identity);
        Assert.Empty(g.Sensors);
        Assert.True(usa.Counters.BytesSent > 0);
    }

    [Fact]
    public async Task NatsBus_ExcludedNation_ReceivesNothingEvenWhenTheSenderBypassesItsPolicy()
    {
        var agreements = Trilateral();
        await using var server = await NatsServerProcess.StartAsync(agreements, Ct);
        var policy = Policy(agreements);
        await using var usa = await Node(server, Usa, policy);
        await using var jpn = await Node(server, Jpn, policy);
        await using var gbr = await Node(server, Gbr, policy);
        var gbrSub = await gbr.SubscribeAsync(Gbr, cancellationToken: Ct);

        // JPN data: no JPN -> GBR agreement, so the policy refuses ...
        await jpn.PublishAsync(Jpn, Track(Jpn, RelAll(Jpn, Classification.Restricted)), Ct);
        await jpn.PublishAsync(Jpn, Batch(Jpn), Ct);

        // ... and a JPN node that bypasses its policy (raw publish on its own, permitted subject) is
        // still not routed: the broker has no JPN -> GBR export/import.
        var raw = new NatsJSContext((NatsConnection)jpn.Connection);
        var ack = await raw.PublishAsync("kizuna.JPN.GBR.tracks", new byte[] { 1, 2, 3 }, cancellationToken: Ct);
        ack.EnsureSuccess();

        // A sentinel GBR may receive, published afterwards.
        await usa.PublishAsync(Usa, Track(Usa, RelAll(Usa, Classification.Restricted), number: 777), Ct);
        var first = await NextAsync(gbrSub);

        Assert.Equal(Usa, first.From);
        Assert.Equal(777, ((TrackReport)first.Message).Number.Value);
        Assert.Equal(1L, await StoredInboundAsync(gbr, Gbr));
        Assert.Equal(0, gbr.Counters.DecodeErrors);
    }

    [Fact]
    public async Task Broker_ForgedSubscriptionAndPublication_AreRefusedWithPermissionsViolations()
    {
        var agreements = Trilateral();
        await using var server = await NatsServerProcess.StartAsync(agreements, Ct);
        var aus = server.Config.For(Aus);
        await using var connection = new NatsConnection(NatsOpts.Default with
        {
            Url = server.Url,
            AuthOpts = NatsAuthOpts.Default with { Username = aus.User, Password = aus.Password },
        });
        var errors = new List<string>();
        var subRefused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pubRefused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ServerError += (_, e) =>
        {
            lock (errors)
            {
                errors.Add(e.Error);
            }

            if (e.Error.Contains("Permissions Violation for Subscription to \"kizuna.USA.JPN.>\"", StringComparison.OrdinalIgnoreCase))
            {
                subRefused.TrySetResult();
            }

            if (e.Error.Contains("Permissions Violation for Publish to \"kizuna.USA.JPN.tracks\"", StringComparison.OrdinalIgnoreCase))
            {
                pubRefused.TrySetResult();
            }

            return ValueTask.CompletedTask;
        };
        await connection.ConnectAsync();

        // AUS eavesdrops on USA -> JPN traffic, and forges a USA -> JPN track.
        await using var eavesdrop = await connection.SubscribeCoreAsync<byte[]>("kizuna.USA.JPN.>", cancellationToken: Ct);
        await connection.PublishAsync("kizuna.USA.JPN.tracks", new byte[] { 0x80 }, cancellationToken: Ct);
        await connection.PingAsync(Ct);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        await subRefused.Task.WaitAsync(cts.Token);
        await pubRefused.Task.WaitAsync(cts.Token);
        lock (errors)
        {
            Assert.True(errors.Count >= 2, string.Join(" | ", errors));
        }
    }

    [Fact]
    public async Task NatsBus_NodeRestart_CatchesUpFromJetStreamWithoutLossOrReplay()
    {
        var agreements = Trilateral();
        await using var server = await NatsServerProcess.StartAsync(agreements, Ct);
        var policy = Policy(agreements);
        await using var usa = await Node(server, Usa, policy);

        var jpn = await Node(server, Jpn, policy);
        var sub = await jpn.SubscribeAsync(Jpn, cancellationToken: Ct);
        for (var i = 1; i <= 3; i++)
        {
            await usa.PublishAsync(Usa, Track(Usa, number: i), Ct);
        }

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(i, ((TrackReport)(await NextAsync(sub)).Message).Number.Value);
        }

        await jpn.DisposeAsync();

        // While JPN is down, the USA keeps reporting.
        for (var i = 4; i <= 7; i++)
        {
            await usa.PublishAsync(Usa, Track(Usa, number: i), Ct);
        }

        await using var restarted = await Node(server, Jpn, policy);
        var resumed = await restarted.SubscribeAsync(Jpn, cancellationToken: Ct);
        var numbers = new List<int>();
        for (var i = 4; i <= 7; i++)
        {
            var d = await NextAsync(resumed);
            numbers.Add(((TrackReport)d.Message).Number.Value);
        }

        Assert.Equal([4, 5, 6, 7], numbers);
        Assert.False(resumed.Reader.TryRead(out _));
    }
    [Fact]
    public async Task NatsBus_PublishMany_TravelsAsFramesInOrderAndARestartedPublisherContinuesItsSequence()
    {
        var agreements = Trilateral();
        await using var server = await NatsServerProcess.StartAsync(agreements, Ct);
        var policy = Policy(agreements);
        var marking = Marking.RelTo(Usa, Classification.Restricted, Jpn);
        var usa = await NatsBus.ConnectAsync(NatsBusOptions.From(server.Url, server.Config.For(Usa)) with { MaxFrameBytes = 4096 }, policy, Ct);
        await using var jpn = await Node(server, Jpn, policy);
        var sub = await jpn.SubscribeAsync(Jpn, cancellationToken: Ct);

        ICoalitionMessage[] messages = [Notice(Usa) with { Marking = marking }, .. Enumerable.Range(1, 200).Select(i => Track(Usa, marking, number: i))];
        await usa.PublishManyAsync(Usa, messages, Ct);
        var received = new List<BusDelivery>();
        for (var i = 0; i < messages.Length; i++)
        {
            received.Add(await NextAsync(sub));
        }

        Assert.Equal(Enumerable.Range(1, 201).Select(i => (long)i), received.Select(d => d.Sequence));
        Assert.IsType<TrackNumberNotice>(received[0].Message);
        Assert.Equal(Enumerable.Range(1, 200), received.Skip(1).Select(d => ((TrackReport)d.Message).Number.Value));
        Assert.Equal(201, usa.Counters.Delivered);

        // Frames: the notice alone, then 200 reports (~250 B each) in frames of about 4 KiB.
        var stored = await StoredInboundAsync(jpn, Jpn);
        Assert.InRange(stored, 3, 30);

        // The publisher restarts: its sequence continues after the last one it stored.
        await usa.DisposeAsync();
        await using var restarted = await Node(server, Usa, policy);
        await restarted.PublishAsync(Usa, Track(Usa, marking, number: 999), Ct);
        var next = await NextAsync(sub);
        Assert.Equal(202, next.Sequence);

        // The catch-up read unpacks every stored frame, in order.
        var all = await jpn.ReadInboundAsync(Ct);
        Assert.Equal(Enumerable.Range(1, 202).Select(i => (long)i), all.Select(d => d.Sequence));
        Assert.All(all, d => Assert.Equal(Usa, d.From));
    }
}

/// <summary>The core-NATS live path (issue 5): plain publish and subscription, JetStream confirming and backfilling.</summary>
public sealed class NatsLivePathTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ReleasePolicy Policy(SharingAgreements a) =>
        new(a, new InMemoryReleaseAuditLog(), new FakeTimeProvider(new DateTimeOffset(T0)));

    private static async Task<BusDelivery> NextAsync(IBusSubscription sub)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        return await sub.Reader.ReadAsync(cts.Token);
    }

    /// <summary>Waits (bounded: readiness, not a timing assertion) until the node's durable consumer has nothing pending or unacknowledged.</summary>
    private static async Task WaitConsumerSettledAsync(NatsBus node, Nation nation)
    {
        var js = new NatsJSContext((NatsConnection)node.Connection);
        for (var attempt = 0; attempt < 400; attempt++)
        {
            var consumer = await js.GetConsumerAsync(NatsSubjects.InboundStream(nation), NatsSubjects.NodeConsumer(nation), Ct);
            if (consumer.Info.NumPending == 0 && consumer.Info.NumAckPending == 0)
            {
                return;
            }

            await Task.Delay(50, Ct);
        }

        Assert.Fail("the durable consumer did not settle within 20 s");
    }

    [Fact]
    public async Task CoreLivePath_EveryFrame_DeliveredOnceAndConfirmedOnTheDurableConsumer()
    {
        var agreements = Trilateral();
        await using var server = await NatsServerProcess.StartAsync(agreements, Ct);
        var policy = Policy(agreements);
        var marking = Marking.RelTo(Usa, Classification.Restricted, Jpn);
        await using var usa = await NatsBus.ConnectAsync(NatsBusOptions.From(server.Url, server.Config.For(Usa)) with { MaxFrameBytes = 2048 }, policy, Ct);
        await using var jpn = await NatsBus.ConnectAsync(NatsBusOptions.From(server.Url, server.Config.For(Jpn)) with { LiveGrace = TimeSpan.FromMilliseconds(200) }, policy, Ct);
        var sub = await jpn.SubscribeAsync(Jpn, cancellationToken: Ct);

        await usa.PublishManyAsync(Usa, [.. Enumerable.Range(1, 100).Select(i => Track(Usa, marking, number: i))], Ct);
        var sequences = new List<long>();
        for (var i = 0; i < 100; i++)
        {
            sequences.Add((await NextAsync(sub)).Sequence);
        }

        await WaitConsumerSettledAsync(jpn, Jpn);

        // In order, once each, and nothing more once the stored copy of every frame was confirmed
        // (well past the 200 ms grace after which an unconfirmed frame would be delivered again).
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), sequences);
        Assert.False(sub.Reader.TryRead(out _));
        Assert.Equal(100, usa.Counters.Delivered);
        Assert.Equal(0, jpn.Counters.DecodeErrors);
    }

    [Fact]
    public async Task CoreLivePath_FramesDroppedByTheLiveSubscription_AreDeliveredFromTheStreamExactlyOnce()
    {
        var agreements = Trilateral();
        await using var server = await NatsServerProcess.StartAsync(agreements, Ct);
        var policy = Policy(agreements);
        var marking = Marking.RelTo(Usa, Classification.Restricted, Jpn);
        await using var usa = await NatsBus.ConnectAsync(NatsBusOptions.From(server.Url, server.Config.For(Usa)) with { MaxFrameBytes = 2048 }, policy, Ct);
        await using var jpn = await NatsBus.ConnectAsync(
            NatsBusOptions.From(server.Url, server.Config.For(Jpn)) with { LiveGrace = TimeSpan.FromMilliseconds(100), LiveChannelFrames = 1 },
            policy,
            Ct);
        var dropped = 0;
        ((NatsConnection)jpn.Connection).MessageDropped += (_, _) =>
        {
            Interlocked.Increment(ref dropped);
            return ValueTask.CompletedTask;
        };

        // A slow node: its queue holds 4 messages and nobody reads while ~25 frames arrive, so the
        // client's one-frame live buffer overflows and drops frames.
        var sub = await jpn.SubscribeAsync(Jpn, new SubscriptionOptions(Capacity: 4), Ct);
        await usa.PublishManyAsync(Usa, [.. Enumerable.Range(1, 200).Select(i => Track(Usa, marking, number: i))], Ct);
        await usa.PublishManyAsync(Usa, [.. Enumerable.Range(201, 200).Select(i => Track(Usa, marking, number: i))], Ct);

        var sequences = new List<long>();
        for (var i = 0; i < 400; i++)
        {
            sequences.Add((await NextAsync(sub)).Sequence);
        }

        await WaitConsumerSettledAsync(jpn, Jpn);

        Assert.True(Volatile.Read(ref dropped) > 0, "the live subscription dropped nothing: the test did not exercise the backfill");
        Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), sequences.Order());
        Assert.False(sub.Reader.TryRead(out _));
    }
}

/// <summary>Lifecycle of a NATS subscription.</summary>
public sealed class NatsSubscriptionLifecycleTests
{
    [Fact]
    public async Task Subscription_DisposedThenBusDisposed_DoesNotThrow()
    {
        var ct = TestContext.Current.CancellationToken;
        var agreements = Trilateral();
        await using var server = await NatsServerProcess.StartAsync(agreements, ct);
        var policy = new ReleasePolicy(agreements, new InMemoryReleaseAuditLog(), new FakeTimeProvider(new DateTimeOffset(T0)));
        var jpn = await NatsBus.ConnectAsync(NatsBusOptions.From(server.Url, server.Config.For(Jpn)), policy, ct);
        var sub = await jpn.SubscribeAsync(Jpn, cancellationToken: ct);

        // What `kizuna node` does on shutdown: the subscription first, then the bus (which disposes its subscriptions).
        await sub.DisposeAsync();
        await jpn.DisposeAsync();

        Assert.True(sub.Reader.Completion.IsCompleted);
    }
}
