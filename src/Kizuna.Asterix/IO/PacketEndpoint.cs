using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Kizuna.Asterix.IO;

/// <summary>
/// An IPv4 or IPv6 address and UDP port held by value, so a reader can describe where a datagram
/// came from without allocating an <see cref="IPEndPoint"/> per packet.
/// </summary>
/// <remarks>
/// The address is stored big-endian in network order inside a 128-bit integer: an IPv4 address
/// occupies the low 32 bits. Convert with <see cref="ToIPEndPoint"/> when an object is needed.
/// </remarks>
public readonly record struct PacketEndpoint
{
    private PacketEndpoint(UInt128 address, bool isIPv6, ushort port)
    {
        Address = address;
        IsIPv6 = isIPv6;
        Port = port;
    }

    /// <summary>The address in network byte order (IPv4 in the low 32 bits).</summary>
    public UInt128 Address { get; }

    /// <summary>True for an IPv6 address.</summary>
    public bool IsIPv6 { get; }

    /// <summary>The UDP port.</summary>
    public ushort Port { get; }

    /// <summary>True when the address is an IPv4 (224.0.0.0/4) or IPv6 (ff00::/8) multicast group.</summary>
    public bool IsMulticast => IsIPv6 ? (byte)(Address >> 120) == 0xFF : ((uint)Address & 0xF000_0000u) == 0xE000_0000u;

    /// <summary>An IPv4 endpoint from the 4 address bytes in network order.</summary>
    public static PacketEndpoint FromIPv4(ReadOnlySpan<byte> address, ushort port) =>
        new(BinaryPrimitives.ReadUInt32BigEndian(address), false, port);

    /// <summary>An IPv4 endpoint from the address as a big-endian 32-bit value (a.b.c.d = a&lt;&lt;24 | …).</summary>
    public static PacketEndpoint FromIPv4(uint address, ushort port) => new(address, false, port);

    /// <summary>An IPv6 endpoint from the 16 address bytes in network order.</summary>
    public static PacketEndpoint FromIPv6(ReadOnlySpan<byte> address, ushort port) =>
        new(BinaryPrimitives.ReadUInt128BigEndian(address), true, port);

    /// <summary>An endpoint from a BCL <see cref="IPEndPoint"/> (IPv4-mapped IPv6 addresses become IPv4).</summary>
    public static PacketEndpoint FromIPEndPoint(IPEndPoint endPoint)
    {
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return address.AddressFamily == AddressFamily.InterNetwork
            ? FromIPv4(bytes[..written], (ushort)endPoint.Port)
            : FromIPv6(bytes[..written], (ushort)endPoint.Port);
    }

    /// <summary>Parses <c>a.b.c.d:port</c> (or <c>[v6]:port</c>).</summary>
    public static PacketEndpoint Parse(string text) => FromIPEndPoint(IPEndPoint.Parse(text));

    /// <summary>Writes the address bytes (4 or 16) in network order.</summary>
    public int WriteAddressBytes(Span<byte> destination)
    {
        if (IsIPv6)
        {
            BinaryPrimitives.WriteUInt128BigEndian(destination, Address);
            return 16;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)Address);
        return 4;
    }

    /// <summary>The endpoint as a BCL object (allocates).</summary>
    public IPEndPoint ToIPEndPoint()
    {
        Span<byte> bytes = stackalloc byte[16];
        var n = WriteAddressBytes(bytes);
        return new IPEndPoint(new IPAddress(bytes[..n]), Port);
    }

    /// <inheritdoc />
    public override string ToString() => ToIPEndPoint().ToString();
}
