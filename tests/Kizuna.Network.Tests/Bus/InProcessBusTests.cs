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
}
