using System.Buffers.Binary;
using Kizuna.Asterix.IO;

namespace Kizuna.Asterix.Tests.IO;

public sealed class PcapWriterTests
{
    [Fact]
    public void WriteUdp_ReadBack_SamePayloadEndpointsAndMicrosecondTime()
    {
        var time = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc).AddTicks(1_234_567);
        var ms = new MemoryStream();
        using (var w = PcapWriter.Create(ms, leaveOpen: true))
        {
            w.WriteUdp(time, PacketEndpoint.Parse("10.1.2.3:40000"), PacketEndpoint.Parse("239.255.1.2:8600"), [48, 0, 5, 0x80, 0x01]);
            w.WriteUdp(time.AddSeconds(1), PacketEndpoint.Parse("10.1.2.3:40001"), PacketEndpoint.Parse("192.168.1.9:8601"), [34, 0, 4, 0x00, 0x42]);
        }

        var payloads = TestData.ReadAll(ms.ToArray());

        Assert.Equal(2, payloads.Count);
        Assert.Equal([48, 0, 5, 0x80, 0x01], payloads[0].Data);
        Assert.Equal("10.1.2.3:40000", payloads[0].Payload.Source.ToString());
        Assert.Equal("239.255.1.2:8600", payloads[0].Payload.Destination.ToString());
        Assert.Equal(time.AddTicks(-7), payloads[0].Payload.Timestamp); // microsecond resolution
        Assert.Equal("192.168.1.9:8601", payloads[1].Payload.Destination.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(1400)]
    [InlineData(PcapWriter.MaxPayload)]
    public void WriteUdp_AnyLength_IpAndUdpChecksumsVerify(int length)
    {
        var payload = new byte[length];
        new Random(length).NextBytes(payload);
        var frame = TestData.UdpFrame(payload, "172.16.5.4:1234", "239.255.0.7:8600");
        var ip = frame.AsSpan(14, 20);
        var udp = frame.AsSpan(34);

        Assert.Equal(14 + 20 + 8 + length, frame.Length);
        Assert.Equal(20 + 8 + length, BinaryPrimitives.ReadUInt16BigEndian(ip[2..]));
        Assert.Equal(8 + length, BinaryPrimitives.ReadUInt16BigEndian(udp[4..]));
        Assert.Equal(0, PcapWriter.Finish(PcapWriter.Sum(ip, 0))); // a correct header sums to 0xFFFF
        ulong pseudo = 0xAC10 + 0x0504 + 0xEFFF + 0x0007 + 17u + (uint)(8 + length);
        Assert.Equal(0, PcapWriter.Finish(PcapWriter.Sum(udp, pseudo)));
        Assert.Equal([0x01, 0x00, 0x5E, 0x7F, 0x00, 0x07], frame[..6]); // RFC 1112 multicast MAC
    }

    [Fact]
    public void WriteUdp_TsharkChecksChecksums_AllGood()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kizuna-writer-{Environment.ProcessId}.pcap");
        try
        {
            using (var w = PcapWriter.Create(File.Create(path)))
            {
                var rng = new Random(7);
                for (var i = 0; i < 20; i++)
                {
                    var payload = new byte[rng.Next(0, 1500)];
                    rng.NextBytes(payload);
                    w.WriteUdp(new DateTime(2026, 1, 1, 0, 0, i, DateTimeKind.Utc), PacketEndpoint.Parse("10.0.0.1:5000"), PacketEndpoint.Parse("10.0.0.2:9999"), payload);
                }
            }

            var output = Tshark.Run(["-r", path, "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                "-T", "fields", "-e", "ip.checksum.status", "-e", "udp.checksum.status", "-e", "udp.length"]);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

            Assert.Equal(20, lines.Length);
            Assert.All(lines, l => Assert.StartsWith("1\t1\t", l, StringComparison.Ordinal)); // 1 = PROTO_CHECKSUM_E_GOOD
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WriteUdp_PayloadTooLargeOrIPv6_Throws()
    {
        using var w = PcapWriter.Create(new MemoryStream());
        var t = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.Throws<ArgumentOutOfRangeException>(() => w.WriteUdp(t, PacketEndpoint.Parse("10.0.0.1:1"), PacketEndpoint.Parse("10.0.0.2:2"), new byte[PcapWriter.MaxPayload + 1]));
        Assert.Throws<ArgumentException>(() => w.WriteUdp(t, PacketEndpoint.Parse("[::1]:1"), PacketEndpoint.Parse("10.0.0.2:2"), new byte[1]));
    }
}
