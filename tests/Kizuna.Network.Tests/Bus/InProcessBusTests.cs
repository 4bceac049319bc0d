using Kizuna.Core;
using Kizuna.Network.Bus;
using Kizuna.Network.Messages;
using Kizuna.Network.Sharing;
using Microsoft.Extensions.Time.Testing;
using static Kizuna.Network.Tests.TestData;

namespace Kizuna.Network.Tests.Bus;

public sealed class InProcessBusTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static InProcessBus NewBus(InMemoryReleaseAuditLog? log = null) =>
        new(new ReleasePolicy(Trilateral(), log ?? new InMemoryReleaseAuditLog(), new FakeTimeProvider(new DateTimeOffset(T0))));

    [Fact]
    public async Task Publish_Batch_ReachesMeasurementPartnersOnly()
    {
        var log = new InMemoryReleaseAuditLog();
        await using var bus = NewBus(log);
        var usa = await bus.SubscribeAsync(Usa, cancellationToken: Ct);
        var aus = await bus.SubscribeAsync(Aus, cancellationToken: Ct);
        var gbr = await bus.SubscribeAsync(Gbr, cancellationToken: Ct);
        var jpn = await bus.SubscribeAsync(Jpn, cancellationToken: Ct);

        await bus.PublishAsync(Jpn, Batch(Jpn), Ct);

        Assert.True(usa.Reader.TryRead(out var atUsa));
        Assert.Equal((Jpn, 1L), (atUsa.From, atUsa.Sequence));
        Assert.False(aus.Reader.TryRead(out _));
        Assert.False(gbr.Reader.TryRead(out _));
        Assert.False(jpn.Reader.TryRead(out _));
        Assert.Equal(3, log.Entries.Count);
        Assert.Equal(1, bus.Counters.Delivered);
        Assert.Equal(2, bus.Counters.Refused);
    }

    [Fact]
    public async Task Publish_SlowSubscriberWithBackpressure_LosesNothing()
    {
        await using var bus = NewBus();
        var jpn = await bus.SubscribeAsync(Jpn, new SubscriptionOptions(Capacity: 2), Ct);

        var publisher = Task.Run(async () =>
        {
            for (var i = 1; i <= 50; i++)
            {
                await bus.PublishAsync(Usa, Track(Usa, number: i), Ct);
            }
        }, Ct);
        var received = new List<int>();
        while (received.Count < 50)
        {
            var d = await jpn.Reader.ReadAsync(Ct);
            received.Add(((TrackReport)d.Message).Number.Value);
        }

        await publisher;
        Assert.Equal(Enumerable.Range(1, 50), received);
        Assert.Equal(0, jpn.Dropped);
    }

    [Fact]
    public async Task Publish_SlowSubscriberDroppingOldest_CountsDropsAndKeepsNewest()
    {
        await using var bus = NewBus();
        var jpn = await bus.SubscribeAsync(Jpn, new SubscriptionOptions(2, SlowSubscriberMode.DropOldest), Ct);

        for (var i = 1; i <= 5; i++)
        {
            await bus.PublishAsync(Usa, Track(Usa, number: i), Ct);
        }

        Assert.Equal(3, jpn.Dropped);
        Assert.Equal(3, bus.Counters.Dropped);
        Assert.True(jpn.Reader.TryRead(out var a));
        Assert.True(jpn.Reader.TryRead(out var b));
        Assert.Equal([4, 5], new[] { a, b }.Select(d => ((TrackReport)d.Message).Number.Value));
    }

    [Fact]
    public async Task Dispose_CompletesSubscribers()
    {
        var bus = NewBus();
        var jpn = await bus.SubscribeAsync(Jpn, cancellationToken: Ct);
        await bus.DisposeAsync();

        Assert.False(await jpn.Reader.WaitToReadAsync(Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await bus.PublishAsync(Usa, Track(Usa), Ct));
    }
    [Fact]
    public async Task PublishMany_Messages_ArriveInOrderWithConsecutiveSequences()
    {
        await using var bus = NewBus();
        var jpn = await bus.SubscribeAsync(Jpn, cancellationToken: Ct);
        ICoalitionMessage[] messages = [Notice(Usa), .. Enumerable.Range(1, 20).Select(i => Track(Usa, number: i))];

        await bus.PublishManyAsync(Usa, messages, Ct);

        var received = new List<BusDelivery>();
        while (jpn.Reader.TryRead(out var d))
        {
            received.Add(d);
        }

        Assert.Equal(Enumerable.Range(1, 21).Select(i => (long)i), received.Select(d => d.Sequence));
        Assert.IsType<TrackNumberNotice>(received[0].Message);
        Assert.Equal(Enumerable.Range(1, 20), received.Skip(1).Select(d => ((TrackReport)d.Message).Number.Value));
    }

    [Fact]
    public async Task Publish_UndegradedCopies_AllocateNothingInSteadyState()
    {
        await using var bus = new InProcessBus(new ReleasePolicy(Trilateral(), NullReleaseAuditLog.Instance, new FakeTimeProvider(new DateTimeOffset(T0))));
        var subs = new[] { await bus.SubscribeAsync(Jpn, cancellationToken: Ct), await bus.SubscribeAsync(Aus, cancellationToken: Ct) };

        // USA -> JPN and USA -> AUS release this report unchanged (full precision, identities, sensor ids).
        var report = Track(Usa, Marking.RelTo(Usa, Classification.Restricted, Jpn, Aus));

        Assert.Equal(0, AllocatedPerPublication(bus, report, subs));
        Assert.Equal(2 * 1_000 * 2, bus.Counters.Delivered);
    }

    [Fact]
    public async Task Publish_DegradedCopy_AllocatesOneCopyNotOnePerDegradation()
    {
        await using var bus = new InProcessBus(new ReleasePolicy(Trilateral(), NullReleaseAuditLog.Instance, new FakeTimeProvider(new DateTimeOffset(T0))));
        var subs = new[] { await bus.SubscribeAsync(Gbr, cancellationToken: Ct) };

        // USA -> GBR rounds to 500 m, withholds identities and sensor ids: three degradations, one copy.
        var report = Track(Usa, Marking.RelTo(Usa, Classification.Restricted, Gbr));
        var perPublication = AllocatedPerPublication(bus, report, subs);

        Assert.InRange(perPublication, 1, 400);
        Assert.False(subs[0].Reader.TryRead(out _));
    }

    /// <summary>Publishes <paramref name="report"/> 1,000 times after a warm-up of 1,000, draining the subscriptions, and returns the bytes allocated per publication.</summary>
    private static long AllocatedPerPublication(InProcessBus bus, TrackReport report, IBusSubscription[] subs)
    {
        long Run()
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1_000; i++)
            {
                var pending = bus.PublishAsync(Usa, report, CancellationToken.None);
                if (!pending.IsCompletedSuccessfully)
                {
                    throw new InvalidOperationException("publication did not complete synchronously");
                }

                foreach (var s in subs)
                {
                    while (s.Reader.TryRead(out _))
                    {
                    }
                }
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Run();
        return Run() / 1_000;
    }
}
