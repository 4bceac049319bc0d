using System.Buffers.Binary;

namespace Kizuna.Asterix.Tests.IO;

/// <summary>
/// Builds pcapng files for tests from a classic pcap: SHB, an unknown custom block (to be skipped),
/// an IDB with if_tsresol = 10^-9 and an unknown option, one EPB per packet (with an option), and a
/// final SPB repeating the first packet. Either byte order.
/// </summary>
internal static class PcapNg
{
    public static byte[] FromPcap(byte[] pcap, bool bigEndian)
    {
        var ms = new MemoryStream();
        void U32(uint v)
        {
            Span<byte> b = stackalloc byte[4];
            if (bigEndian) { BinaryPrimitives.WriteUInt32BigEndian(b, v); } else { BinaryPrimitives.WriteUInt32LittleEndian(b, v); }
            ms.Write(b);
        }

        void U16(ushort v)
        {
            Span<byte> b = stackalloc byte[2];
            if (bigEndian) { BinaryPrimitives.WriteUInt16BigEndian(b, v); } else { BinaryPrimitives.WriteUInt16LittleEndian(b, v); }
            ms.Write(b);
        }

        void Pad(int n)
        {
            while (n++ % 4 != 0)
            {
                ms.WriteByte(0);
            }
        }

        // SHB: type, length 28, BOM, v1.0, section length -1
        U32(0x0A0D0D0A); U32(28); U32(0x1A2B3C4D); U16(1); U16(0); U32(0xFFFFFFFF); U32(0xFFFFFFFF); U32(28);
        // custom block type 0x40000BAD with 8 bytes of body
        U32(0x40000BAD); U32(20); U32(0xDEADBEEF); U32(0x12345678); U32(20);
        // IDB: link 1, snaplen 65535, option 0x1234 (3 bytes, padded), if_tsresol 9, end
        U32(1); U32(40); U16(1); U16(0); U32(65535);
        U16(0x1234); U16(3); ms.Write([1, 2, 3]); Pad(3);
        U16(9); U16(1); ms.WriteByte(9); Pad(1);
        U16(0); U16(0);
        U32(40);

        var p = 24;
        byte[]? first = null;
        while (p < pcap.Length)
        {
            var sec = BinaryPrimitives.ReadUInt32LittleEndian(pcap.AsSpan(p));
            var usec = BinaryPrimitives.ReadUInt32LittleEndian(pcap.AsSpan(p + 4));
            var incl = (int)BinaryPrimitives.ReadUInt32LittleEndian(pcap.AsSpan(p + 8));
            var frame = pcap.AsSpan(p + 16, incl);
            first ??= frame.ToArray();
            var ns = (sec * 1_000_000_000UL) + (usec * 1000UL);
            var padded = (incl + 3) & ~3;
            var total = 32 + padded + 8 + 4; // + option (comment "x", padded to 4) + opt_endofopt
            U32(6); U32((uint)total); U32(0); U32((uint)(ns >> 32)); U32((uint)ns); U32((uint)incl); U32((uint)incl);
            ms.Write(frame); Pad(incl);
            U16(1); U16(1); ms.WriteByte((byte)'x'); Pad(1);
            U16(0); U16(0);
            U32((uint)total);
            p += 16 + incl;
        }

        var spbTotal = 16 + ((first!.Length + 3) & ~3);
        U32(3); U32((uint)spbTotal); U32((uint)first.Length); ms.Write(first); Pad(first.Length); U32((uint)spbTotal);
        return ms.ToArray();
    }
}
