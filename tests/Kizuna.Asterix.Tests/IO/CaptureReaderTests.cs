using System.Buffers.Binary;
using Kizuna.Asterix.IO;

namespace Kizuna.Asterix.Tests.IO;

public sealed class CaptureReaderTests
{
    [Fact]
    public void Read_Cat034048Pcap_100DatagramsHolding120BlocksFromSevenRadars()
    {
        using var reader = AsterixFileReader.Open(TestData.Croatia("cat_034_048.pcap"));
        var payloads = TestData.ReadAll(reader);

        Assert.Equal(AsterixSourceFormat.Pcap, reader.Format);
        Assert.Equal(100, payloads.Count);
        Assert.Equal(100, reader.Statistics.Packets);
        Assert.Equal(0, reader.Statistics.ErrorCount);
        var blocks = payloads.SelectMany(p => TestData.Blocks(p.Data) ?? throw new Xunit.Sdk.XunitException($"payload at {p.Payload.Offset} does not chain")).ToList();
        Assert.Equal(120, blocks.Count);
        Assert.All(payloads, p => Assert.InRange(p.Payload.Destination!.Value.Port, 21111, 22135));
        Assert.All(payloads, p => Assert.True(p.Payload.Destination!.Value.IsMulticast));
        var times = payloads.Select(p => p.Payload.Timestamp!.Value).ToList();
        Assert.True((times[^1] - times[0]).TotalSeconds is > 0 and < 0.5, $"{times[0]:O} .. {times[^1]:O}");
        Assert.Equal(new DateTime(2016, 5, 5), times[0].Date);
    }

    [Fact]
    public void Read_Cat001002PcapWithOradisFraming_SixBlocksFiveCat001OneCat002InCaptureOrder()
    {
        foreach (var framing in new[] { AsterixFraming.Oradis, AsterixFraming.Auto })
        {
            using var reader = AsterixFileReader.Open(TestData.Croatia("cat_001_002.pcap"), AsterixReaderOptions.Default with { Framing = framing });
            var payloads = TestData.ReadAll(reader);

            Assert.Equal([1, 1, 2, 1, 1, 1], payloads.Select(p => (int)p.Data[0]));
            Assert.All(payloads, p => Assert.Single(TestData.Blocks(p.Data)!));
            Assert.Equal(0, reader.Statistics.ErrorCount);
        }

        using var plain = AsterixFileReader.Open(TestData.Croatia("cat_001_002.pcap"));
        var whole = TestData.ReadAll(plain);
        Assert.Single(whole);
        Assert.Null(TestData.Blocks(whole[0].Data)); // without framing the 6-byte headers break the chain
    }

    [Fact]
    public void Read_Cat034048PcapAsBigEndianNanoseconds_SamePayloadsAndTimes()
    {
        var le = File.ReadAllBytes(TestData.Croatia("cat_034_048.pcap"));
        var be = ToBigEndianNanoseconds(le);
        var a = TestData.ReadAll(le);
        var b = TestData.ReadAll(be);

        Assert.Equal(a.Count, b.Count);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Data, b[i].Data);
            Assert.Equal(a[i].Payload.Timestamp, b[i].Payload.Timestamp);
            Assert.Equal(a[i].Payload.Source, b[i].Payload.Source);
        }
    }

    [Fact]
    public void Read_PcapNgBuiltFromRealCapture_SamePayloadsInBothByteOrders()
    {
        var pcap = File.ReadAllBytes(TestData.Croatia("cat_034_048.pcap"));
        var expected = TestData.ReadAll(pcap);
        foreach (var bigEndian in new[] { false, true })
        {
            var ng = PcapNg.FromPcap(pcap, bigEndian);
            using var reader = AsterixFileReader.Open(new MemoryStream(ng));
            var actual = TestData.ReadAll(reader);

            Assert.Equal(AsterixSourceFormat.PcapNg, reader.Format);
            Assert.Equal(0, reader.Statistics.ErrorCount);
            Assert.Equal(expected.Count + 1, actual.Count); // + one Simple Packet Block copy of the first packet
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Data, actual[i].Data);
                Assert.Equal(expected[i].Payload.Timestamp, actual[i].Payload.Timestamp);
            }

            Assert.Null(actual[^1].Payload.Timestamp);
            Assert.Equal(expected[0].Data, actual[^1].Data);
        }
    }

    [Fact]
    public void Read_PcapNgWrittenByEditcap_SamePayloadsAsPcap()
    {
        var dir = Directory.CreateTempSubdirectory("kizuna-ng-");
        try
        {
            var ng = Path.Combine(dir.FullName, "c.pcapng");
            Run("editcap", "-F", "pcapng", TestData.Croatia("cat_034_048.pcap"), ng);
            var expected = TestData.ReadAll(File.ReadAllBytes(TestData.Croatia("cat_034_048.pcap")));
            var actual = TestData.ReadAll(File.ReadAllBytes(ng));

            Assert.Equal(expected.Select(p => p.Data), actual.Select(p => p.Data));
            Assert.Equal(expected.Select(p => p.Payload.Timestamp), actual.Select(p => p.Payload.Timestamp));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Read_NonUdpFramesVlanTagAndFragments_CountedPerReasonAndTaggedFrameRead()
    {
        byte[] blocks = [48, 0, 4, 0];
        var plain = TestData.UdpFrame(blocks);
        byte[] tagged = [.. plain[..12], 0x81, 0x00, 0x00, 0x05, .. plain[12..]];
        var fragment = (byte[])plain.Clone();
        fragment[14 + 6] |= 0x20; // IPv4 MF flag
        var tcp = (byte[])plain.Clone();
        tcp[14 + 9] = 6;
        var arp = (byte[])plain.Clone();
        arp[12] = 0x08;
        arp[13] = 0x06;
        var badUdp = (byte[])plain.Clone();
        badUdp[14 + 20 + 5] = 200; // UDP length beyond the IP payload
        var cut = plain[..30];

        using var reader = AsterixFileReader.Open(new MemoryStream(TestData.Pcap(plain, tagged, fragment, tcp, arp, badUdp, cut)));
        var payloads = TestData.ReadAll(reader);

        Assert.Equal(2, payloads.Count);
        Assert.All(payloads, p => Assert.Equal(blocks, p.Data));
        Assert.Equal(7, reader.Statistics.Packets);
        Assert.Equal(1, reader.Statistics.Count(ReadIssue.IpFragment));
        Assert.Equal(1, reader.Statistics.Count(ReadIssue.NotUdp));
        Assert.Equal(1, reader.Statistics.Count(ReadIssue.NotIp));
        Assert.Equal(1, reader.Statistics.Count(ReadIssue.UdpLengthInvalid));
        Assert.Equal(1, reader.Statistics.Count(ReadIssue.IpTruncated));
    }

    [Fact]
    public void Read_HugeRecordLength_StopsWithOffsetOfThatRecord()
    {
        var frame = TestData.UdpFrame([48, 0, 4, 0]);
        var pcap = TestData.Pcap(frame, frame);
        var second = 24 + 16 + frame.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(pcap.AsSpan(second + 8), 0x7FFF_FFFF);
        using var reader = AsterixFileReader.Open(new MemoryStream(pcap));

        Assert.Single(TestData.ReadAll(reader));
        Assert.Equal(new ReadIssueEvent(ReadIssue.CaptureRecordLengthInvalid, second, 1), reader.Statistics.Events.Single());
    }

    [Fact]
    public void Read_EveryPrefixOfRealCapture_NeverThrowsAndYieldsAPrefixOfThePayloads()
    {
        var bytes = File.ReadAllBytes(TestData.Croatia("cat_062_065.pcap"));
        var full = TestData.ReadAll(bytes);
        Assert.Single(full);
        for (var n = 4; n < bytes.Length; n++)
        {
            using var reader = AsterixFileReader.Open(new MemoryStream(bytes[..n]));
            var payloads = TestData.ReadAll(reader);
            Assert.Empty(payloads);
            Assert.True(reader.Statistics.Count(ReadIssue.TruncatedFile) == (n == 24 ? 0 : 1), $"prefix {n}");
        }
    }

    private static byte[] ToBigEndianNanoseconds(byte[] le)
    {
        var be = (byte[])le.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(be, 0xA1B23C4D);
        BinaryPrimitives.WriteUInt16BigEndian(be.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16BigEndian(be.AsSpan(6), 4);
        for (var i = 8; i < 24; i += 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(be.AsSpan(i), BinaryPrimitives.ReadUInt32LittleEndian(le.AsSpan(i)));
        }

        var p = 24;
        while (p < le.Length)
        {
            var sec = BinaryPrimitives.ReadUInt32LittleEndian(le.AsSpan(p));
            var usec = BinaryPrimitives.ReadUInt32LittleEndian(le.AsSpan(p + 4));
            var incl = BinaryPrimitives.ReadUInt32LittleEndian(le.AsSpan(p + 8));
            var orig = BinaryPrimitives.ReadUInt32LittleEndian(le.AsSpan(p + 12));
            BinaryPrimitives.WriteUInt32BigEndian(be.AsSpan(p), sec);
            BinaryPrimitives.WriteUInt32BigEndian(be.AsSpan(p + 4), usec * 1000);
            BinaryPrimitives.WriteUInt32BigEndian(be.AsSpan(p + 8), incl);
            BinaryPrimitives.WriteUInt32BigEndian(be.AsSpan(p + 12), orig);
            p += 16 + (int)incl;
        }

        return be;
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            using var p = System.Diagnostics.Process.Start(psi)!;
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"{file} exited {p.ExitCode}: {err}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Fail($"{file} is required ({ex.Message}); it comes with the Debian package wireshark-common (installed with tshark).");
        }
    }
}
