using System.Net;
using System.Net.Sockets;
using Kizuna.Asterix.IO;
using Kizuna.Cli.Pipeline;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Cli.Commands;

/// <summary>
/// Where <c>kizuna track</c> publishes CAT062: a raw file of concatenated blocks (.ast), a pcap of UDP datagrams
/// (.pcap: one datagram per block, from 127.0.0.1:8601 to the --udp-out address or 127.0.0.1:8600, timestamped with
/// the scan time), and/or a UDP socket (one datagram per block).
/// </summary>
internal sealed class TrackOutputs : IDisposable
{
    private static readonly PacketEndpoint PcapSource = PacketEndpoint.FromIPEndPoint(new IPEndPoint(IPAddress.Loopback, 8601));
    private readonly FileStream? _raw;
    private readonly PcapWriter? _pcap;
    private readonly PacketEndpoint _pcapDestination;
    private readonly Socket? _udp;
    private readonly IPEndPoint? _udpDestination;
    private DateTime _time;

    private TrackOutputs(FileStream? raw, PcapWriter? pcap, PacketEndpoint pcapDestination, Socket? udp, IPEndPoint? udpDestination)
    {
        _raw = raw;
        _pcap = pcap;
        _pcapDestination = pcapDestination;
        _udp = udp;
        _udpDestination = udpDestination;
    }

    public static TrackOutputs Open(string? file, IPEndPoint? udp)
    {
        FileStream? raw = null;
        PcapWriter? pcap = null;
        if (file is not null)
        {
            var stream = File.Create(file);
            if (file.EndsWith(".pcap", StringComparison.OrdinalIgnoreCase))
            {
                pcap = PcapWriter.Create(stream);
            }
            else
            {
                raw = stream;
            }
        }

        Socket? socket = null;
        if (udp is not null)
        {
            socket = new Socket(udp.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        }

        return new TrackOutputs(raw, pcap, PacketEndpoint.FromIPEndPoint(udp ?? TrackAsterix.DefaultPcapDestination), socket, udp);
    }

    public void Publish(SystemTrackEncoder encoder, MultiTargetTracker tracker, DateTime time)
    {
        if (_raw is null && _pcap is null && _udp is null)
        {
            return;
        }

        _time = time;
        encoder.Publish(tracker, time, Write);
    }

    private void Write(ReadOnlySpan<byte> block)
    {
        _raw?.Write(block);
        _pcap?.WriteUdp(_time, PcapSource, _pcapDestination, block);
        _udp?.SendTo(block, SocketFlags.None, _udpDestination!);
    }

    public void Dispose()
    {
        _raw?.Dispose();
        _pcap?.Dispose();
        _udp?.Dispose();
    }
}
