using System.Buffers.Binary;
using Kizuna.Asterix.IO;
using Kizuna.TestSupport;

namespace Kizuna.Asterix.Tests.IO;

/// <summary>Real recordings from ../shared/data/asterix and small helpers to look at what readers return.</summary>
internal static class TestData
{
    public static string Croatia(string name) => Paths.SharedData("asterix", "croatiacontrol", name);

    public static string Jasterix(string name) => Paths.SharedData("asterix", "jasterix", name);

    /// <summary>Every payload of a reader, copied (payload memory is only valid until the next read).</summary>
    public static List<(AsterixPayload Payload, byte[] Data)> ReadAll(IAsterixPayloadReader reader)
    {
        var list = new List<(AsterixPayload, byte[])>();
        while (reader.TryRead(out var p))
        {
            list.Add((p, p.Data.ToArray()));
        }

        return list;
    }

    public static List<(AsterixPayload Payload, byte[] Data)> ReadAll(byte[] file, AsterixReaderOptions? options = null)
    {
        using var reader = AsterixFileReader.Open(new MemoryStream(file), options);
        return ReadAll(reader);
    }

    /// <summary>(CAT, LEN) of the data blocks chained in a payload; null if the chain does not cover it exactly.</summary>
    public static List<(int Category, int Length)>? Blocks(ReadOnlySpan<byte> payload)
    {
        var blocks = new List<(int, int)>();
        var p = 0;
        while (p < payload.Length)
        {
            if (payload.Length - p < 3)
            {
                return null;
            }

            int len = BinaryPrimitives.ReadUInt16BigEndian(payload[(p + 1)..]);
            if (len < 4 || len > payload.Length - p)
            {
                return null;
            }

            blocks.Add((payload[p], len));
            p += len;
        }

        return blocks;
    }

    /// <summary>A classic pcap (little-endian, µs, Ethernet) holding the given frames, timestamps 1 s apart.</summary>
    public static byte[] Pcap(params byte[][] frames)
    {
        var ms = new MemoryStream();
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1);
        ms.Write(header);
        for (var i = 0; i < frames.Length; i++)
        {
            var rec = new byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(rec, (uint)(1_700_000_000 + i));
            BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(8), (uint)frames[i].Length);
            BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(12), (uint)frames[i].Length);
            ms.Write(rec);
            ms.Write(frames[i]);
        }

        return ms.ToArray();
    }

    /// <summary>The Ethernet frame our <see cref="PcapWriter"/> produces for one datagram (to edit in tests).</summary>
    public static byte[] UdpFrame(byte[] payload, string source = "10.0.0.1:5000", string destination = "239.255.0.1:8600")
    {
        var ms = new MemoryStream();
        using (var w = PcapWriter.Create(ms, leaveOpen: true))
        {
            w.WriteUdp(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), PacketEndpoint.Parse(source), PacketEndpoint.Parse(destination), payload);
        }

        return ms.ToArray()[(24 + 16)..];
    }
}
