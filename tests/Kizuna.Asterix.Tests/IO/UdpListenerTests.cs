using System.Net;
using System.Net.Sockets;
using Kizuna.Asterix.IO;

namespace Kizuna.Asterix.Tests.IO;

public sealed class UdpListenerTests
{
    private static readonly DateTime Now = new(2026, 4, 1, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Listener_UnicastLoopback_ReceivesEveryDatagramWithSourceAndInjectedTime()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var listener = AsterixUdpListener.Start(new UdpListenerOptions { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, new FixedTime(Now));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var blocks = File.ReadAllBytes(TestData.Croatia("cat062cat065.raw"));
        for (var i = 0; i < 10; i++)
        {
            await sender.SendToAsync(blocks, listener.LocalEndPoint, ct);
        }

        var received = await Take(listener, 10, ct);

        Assert.All(received, r => Assert.Equal(blocks, r.Data));
        Assert.All(received, r => Assert.Equal(Now, r.Payload.Timestamp));
        Assert.All(received, r => Assert.Equal(PacketEndpoint.FromIPEndPoint((IPEndPoint)sender.LocalEndPoint!), r.Payload.Source));
        Assert.All(received, r => Assert.Equal(-1, r.Payload.Offset));
        Assert.Equal(0, listener.Statistics.ErrorCount);
    }

    [Fact]
    public async Task Listener_MulticastGroupOnLoopback_ReceivesGroupTraffic()
    {
        var ct = TestContext.Current.CancellationToken;
        var group = IPAddress.Parse("239.255.42.99");
        await using var listener = AsterixUdpListener.Start(
            new UdpListenerOptions { LocalEndPoint = new IPEndPoint(IPAddress.Any, 0), MulticastGroup = group, MulticastInterface = IPAddress.Loopback },
            new FixedTime(Now));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.Loopback.GetAddressBytes());
        sender.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
        var block = File.ReadAllBytes(TestData.Croatia("cat048.raw"));
        var to = new IPEndPoint(group, listener.LocalEndPoint.Port);
        for (var i = 0; i < 3; i++)
        {
            await sender.SendToAsync(block, to, ct);
        }

        var received = await Take(listener, 3, ct);

        Assert.All(received, r => Assert.Equal(block, r.Data));
        Assert.All(received, r => Assert.Equal(PacketEndpoint.FromIPEndPoint(to), r.Payload.Destination));
        Assert.True(r0IsMulticast(received[0].Payload));

        static bool r0IsMulticast(AsterixPayload p) => p.Destination!.Value.IsMulticast;
    }

    [Fact]
    public async Task Listener_ConsumerTooSlow_DropsNewestAndCountsChannelFull()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var listener = AsterixUdpListener.Start(
            new UdpListenerOptions { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0), ChannelCapacity = 2 }, new FixedTime(Now));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        for (byte i = 0; i < 10; i++)
        {
            await sender.SendToAsync(new byte[] { 48, 0, 4, i }, listener.LocalEndPoint, ct);
        }

        // Wait (bounded) until the receive loop has seen all 10 datagrams; nobody is reading yet.
        for (var spins = 0; listener.Statistics.Packets < 10 && spins < 1000; spins++)
        {
            await Task.Delay(10, ct);
        }

        var received = await Take(listener, 2, ct);

        Assert.Equal(10, listener.Statistics.Packets);
        Assert.Equal(8, listener.Statistics.Count(ReadIssue.ChannelFull));
        Assert.Equal([0, 1], received.Select(r => (int)r.Data[3])); // the oldest are kept, the newest dropped
    }

    [Fact]
    public async Task Listener_OradisFraming_SplitsFrames()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var listener = AsterixUdpListener.Start(
            new UdpListenerOptions { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0), Framing = AsterixFraming.Oradis }, new FixedTime(Now));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        byte[] datagram = [0, 10, 1, 2, 3, 4, 48, 0, 4, 0xAA, 0, 10, 1, 2, 3, 4, 34, 0, 4, 0xBB, 0, 99];
        await sender.SendToAsync(datagram, listener.LocalEndPoint, ct);

        var received = await Take(listener, 2, ct);

        Assert.Equal([48, 0, 4, 0xAA], received[0].Data);
        Assert.Equal([34, 0, 4, 0xBB], received[1].Data);
    }

    [Fact]
    public async Task ReadAllAsync_Cancelled_EndsWithoutThrowing()
    {
        await using var listener = AsterixUdpListener.Start(new UdpListenerOptions { LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, new FixedTime(Now));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var count = 0;
        await foreach (var _ in listener.ReadAllAsync(cts.Token))
        {
            count++;
        }

        Assert.Equal(0, count);
    }

    private static async Task<List<(AsterixPayload Payload, byte[] Data)>> Take(AsterixUdpListener listener, int count, CancellationToken ct)
    {
        // A generous bound so a lost datagram fails the test instead of hanging it.
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        var list = new List<(AsterixPayload, byte[])>();
        await foreach (var p in listener.ReadAllAsync(cts.Token))
        {
            list.Add((p, p.Data.ToArray()));
            if (list.Count == count)
            {
                break;
            }
        }

        Assert.True(list.Count == count, $"received {list.Count} of {count} datagrams within 10 s");
        return list;
    }

    private sealed class FixedTime(DateTime utc) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(utc);
    }
}
