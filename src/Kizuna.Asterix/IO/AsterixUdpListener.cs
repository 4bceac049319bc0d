using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Kizuna.Asterix.IO;

/// <summary>Settings of an <see cref="AsterixUdpListener"/>. Change with <c>with</c>.</summary>
public sealed record UdpListenerOptions
{
    /// <summary>The local address and port to bind, e.g. 0.0.0.0:8600 (port 0 picks a free one).</summary>
    public required IPEndPoint LocalEndPoint { get; init; }

    /// <summary>A multicast group to join (radar feeds are usually distributed as multicast), or null for unicast.</summary>
    public IPAddress? MulticastGroup { get; init; }

    /// <summary>The local interface address to join the group on; null lets the kernel choose (IPv4: INADDR_ANY).</summary>
    public IPAddress? MulticastInterface { get; init; }

    /// <summary>Datagrams buffered between the socket and the consumer; when full the newest is dropped and counted.</summary>
    public int ChannelCapacity { get; init; } = 4096;

    /// <summary>Largest datagram accepted; a bigger one is dropped and counted as <see cref="ReadIssue.DatagramTooLarge"/>.</summary>
    public int MaxDatagramLength { get; init; } = 65_507;

    /// <summary>Kernel receive buffer (SO_RCVBUF) to absorb bursts such as a full antenna sweep.</summary>
    public int ReceiveBufferBytes { get; init; } = 4 << 20;

    /// <summary>Framing of the blocks inside each datagram.</summary>
    public AsterixFraming Framing { get; init; } = AsterixFraming.None;
}

/// <summary>
/// Receives ASTERIX over UDP (unicast or multicast) into a bounded channel and hands the datagrams
/// out as <see cref="AsterixPayload"/>s, timestamped from an injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>A receive loop copies each datagram into a buffer rented from <see cref="ArrayPool{T}"/>
/// and writes it to a bounded channel (single reader, single writer). When the consumer falls
/// behind, the newest datagram is dropped (and its buffer returned) rather than blocking the
/// socket: a radar picture prefers fresh plots, and the count of drops is in
/// <see cref="Statistics"/> (<see cref="ReadIssue.ChannelFull"/>). The source address is read into a
/// reused <see cref="SocketAddress"/>, so steady-state receiving does not allocate per datagram.</para>
/// <para>Multicast: IP_ADD_MEMBERSHIP (RFC 1112 §7.1 / RFC 3376 for IGMPv3 routers) on the given
/// interface; IPv6 groups use IPV6_JOIN_GROUP with interface index 0.</para>
/// </remarks>
public sealed class AsterixUdpListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly UdpListenerOptions _options;
    private readonly TimeProvider _time;
    private readonly Channel<Datagram> _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly PacketEndpoint _destination;
    private readonly Task _loop;

    private AsterixUdpListener(Socket socket, UdpListenerOptions options, TimeProvider time)
    {
        _socket = socket;
        _options = options;
        _time = time;
        Statistics = new ReaderStatistics();
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _destination = PacketEndpoint.FromIPEndPoint(options.MulticastGroup is { } g ? new IPEndPoint(g, LocalEndPoint.Port) : LocalEndPoint);
        _channel = Channel.CreateBounded<Datagram>(
            new BoundedChannelOptions(options.ChannelCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true, SingleWriter = true },
            dropped =>
            {
                ArrayPool<byte>.Shared.Return(dropped.Buffer);
                Statistics.Add(ReadIssue.ChannelFull, -1);
            });
        _loop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Binds the socket, joins the multicast group if any, and starts receiving.</summary>
    /// <exception cref="SocketException">The address cannot be bound or the group cannot be joined.</exception>
    public static AsterixUdpListener Start(UdpListenerOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ChannelCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDatagramLength, 1);
        var family = options.LocalEndPoint.AddressFamily;
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.ReceiveBufferSize = options.ReceiveBufferBytes;
            if (options.MulticastGroup is { } group)
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(options.LocalEndPoint);
                if (group.AddressFamily == AddressFamily.InterNetwork)
                {
                    socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership,
                        new MulticastOption(group, options.MulticastInterface ?? IPAddress.Any));
                }
                else
                {
                    socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(group));
                }
            }
            else
            {
                socket.Bind(options.LocalEndPoint);
            }

            return new AsterixUdpListener(socket, options, timeProvider);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The bound local endpoint (with the actual port when 0 was asked).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Datagrams received, payloads handed out, drops and errors.</summary>
    public ReaderStatistics Statistics { get; }

    /// <summary>
    /// The payloads as they arrive, until <paramref name="cancellationToken"/> is cancelled or the
    /// listener is disposed. Each payload's memory is valid until the next <c>MoveNextAsync</c>.
    /// One consumer at a time.
    /// </summary>
    public async IAsyncEnumerable<AsterixPayload> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var framer = default(DatagramFramer);
        while (true)
        {
            Datagram datagram;
            try
            {
                if (!await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield break;
                }

                if (!_channel.Reader.TryRead(out datagram))
                {
                    continue;
                }
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            try
            {
                framer.Start(datagram.Buffer.AsMemory(0, datagram.Length), -1, _options.Framing);
                while (framer.TryNext(Statistics, out var data, out _))
                {
                    Statistics.AddPayload(data.Length);
                    yield return new AsterixPayload(datagram.Time, datagram.Source, _destination, data, -1);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(datagram.Buffer);
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var scratch = GC.AllocateUninitializedArray<byte>(_options.MaxDatagramLength + 1);
        var address = new SocketAddress(_socket.AddressFamily);
        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                int n;
                try
                {
                    n = await _socket.ReceiveFromAsync(scratch, SocketFlags.None, address, token).ConfigureAwait(false);
                }
                catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
                {
                    Statistics.Add(ReadIssue.DatagramTooLarge, -1);
                    continue;
                }

                Statistics.AddPacket();
                if (n > _options.MaxDatagramLength)
                {
                    Statistics.Add(ReadIssue.DatagramTooLarge, -1);
                    continue;
                }

                var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(n, 1));
                scratch.AsSpan(0, n).CopyTo(buffer);
                var datagram = new Datagram(buffer, n, _time.GetUtcNow().UtcDateTime, ToEndpoint(address));
                _channel.Writer.TryWrite(datagram); // DropWrite: a full channel calls the itemDropped callback
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
            // The socket was closed under the loop (dispose); nothing more to receive.
        }
        finally
        {
            _channel.Writer.TryComplete();
        }
    }

    /// <summary>sockaddr_in / sockaddr_in6: port big-endian at offset 2, address at 4 (IPv4) or 8 (IPv6).</summary>
    private static PacketEndpoint ToEndpoint(SocketAddress address)
    {
        var bytes = address.Buffer.Span;
        var port = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        if (address.Family == AddressFamily.InterNetworkV6)
        {
            var v6 = bytes.Slice(8, 16);
            // IPv4-mapped (::ffff:a.b.c.d) becomes IPv4.
            return v6[..10].IndexOfAnyExcept((byte)0) < 0 && v6[10] == 0xFF && v6[11] == 0xFF
                ? PacketEndpoint.FromIPv4(v6[12..], port)
                : PacketEndpoint.FromIPv6(v6, port);
        }

        return PacketEndpoint.FromIPv4(bytes.Slice(4, 4), port);
    }

    /// <summary>Stops receiving, closes the socket and returns every buffered datagram to the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        while (_channel.Reader.TryRead(out var left))
        {
            ArrayPool<byte>.Shared.Return(left.Buffer);
        }

        _stop.Dispose();
    }

    private readonly record struct Datagram(byte[] Buffer, int Length, DateTime Time, PacketEndpoint Source);
}
