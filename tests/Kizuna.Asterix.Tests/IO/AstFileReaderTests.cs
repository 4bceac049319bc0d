using Kizuna.Asterix.IO;

namespace Kizuna.Asterix.Tests.IO;

public sealed class AstFileReaderTests
{
    [Theory]
    [InlineData("croatiacontrol", "cat062cat065.raw", new[] { 62, 65 }, new[] { 183, 12 })]
    [InlineData("croatiacontrol", "cat21_re.ast", new[] { 21, 21 }, new[] { 44, 47 })]
    [InlineData("croatiacontrol", "cat048.raw", new[] { 48 }, new[] { 48 })]
    [InlineData("jasterix", "cat062ed1.12.bin", new[] { 62 }, new[] { 151 })]
    public void Read_RealRawFile_OneBlockPerPayloadWithOffsets(string folder, string file, int[] categories, int[] lengths)
    {
        var bytes = File.ReadAllBytes(Kizuna.TestSupport.Paths.SharedData("asterix", folder, file));
        var payloads = TestData.ReadAll(bytes);

        Assert.Equal(categories, payloads.Select(p => (int)p.Data[0]));
        Assert.Equal(lengths, payloads.Select(p => p.Data.Length));
        long offset = 0;
        foreach (var (payload, data) in payloads)
        {
            Assert.Equal(offset, payload.Offset);
            Assert.Equal(bytes.AsSpan((int)offset, data.Length).ToArray(), data);
            Assert.Null(payload.Timestamp);
            offset += data.Length;
        }
    }

    [Fact]
    public void Read_GarbageBetweenBlocks_CountsOffsetAndResynchronises()
    {
        var a = File.ReadAllBytes(TestData.Croatia("cat048.raw"));
        var b = File.ReadAllBytes(TestData.Croatia("cat034.raw"));
        byte[] junk = [0x30, 0x00, 0x01, 0xFF, 0x02]; // CAT 48 with LEN 1: too short
        var payloads = TestData.ReadAll([.. a, .. junk, .. b]);
        using var reader = AsterixFileReader.Open(new MemoryStream([.. a, .. junk, .. b]));
        TestData.ReadAll(reader);

        Assert.Equal([48, 34], payloads.Select(p => (int)p.Data[0]));
        Assert.Equal(a.Length + junk.Length, payloads[1].Payload.Offset);
        Assert.Equal(1, reader.Statistics.Count(ReadIssue.BlockLengthTooShort));
        Assert.Equal(junk.Length, reader.Statistics.Count(ReadIssue.ResyncSkipped));
        Assert.Contains(reader.Statistics.Events, e => e.Issue == ReadIssue.BlockLengthTooShort && e.Offset == a.Length);
    }

    [Fact]
    public void Read_LengthPastEndWithStopPolicy_StopsAndReportsOffset()
    {
        var a = File.ReadAllBytes(TestData.Croatia("cat048.raw"));
        byte[] bad = [48, 0x7F, 0xFF, 1, 2, 3];
        using var reader = AsterixFileReader.Open(new MemoryStream([.. a, .. bad, .. a]), AsterixReaderOptions.Default with { Resync = ResyncPolicy.Stop });
        var payloads = TestData.ReadAll(reader);

        Assert.Single(payloads);
        Assert.Equal(1, reader.Statistics.Count(ReadIssue.BlockLengthPastEnd));
        Assert.Equal(a.Length, reader.Statistics.Events.Single().Offset);
    }

    [Fact]
    public void Read_CutInsideHeader_CountsTruncatedFile()
    {
        var a = File.ReadAllBytes(TestData.Croatia("cat048.raw"));
        using var reader = AsterixFileReader.Open(new MemoryStream([.. a, 48, 0]));
        var payloads = TestData.ReadAll(reader);

        Assert.Single(payloads);
        Assert.Equal(1, reader.Statistics.Count(ReadIssue.TruncatedFile));
        Assert.Equal(a.Length, reader.Statistics.Events.Single().Offset);
    }

    [Fact]
    public void Read_EveryPrefixOfRealFile_NeverThrowsAndNeverInventsBlocks()
    {
        var bytes = File.ReadAllBytes(TestData.Croatia("cat062cat065.raw"));
        for (var n = 3; n <= bytes.Length; n++)
        {
            using var reader = AstFileReader.Open(new MemoryStream(bytes[..n]));
            var payloads = TestData.ReadAll(reader);
            var expected = n >= 183 + 12 ? 2 : n >= 183 ? 1 : 0;
            Assert.True(expected == payloads.Count, $"prefix {n}: {payloads.Count} payloads");
            Assert.All(payloads, p => Assert.Equal(p.Data.Length, (p.Data[1] << 8) | p.Data[2]));
        }
    }

    [Fact]
    public void Read_LargeFileOfZeros_TerminatesWithoutBlocks()
    {
        using var reader = AstFileReader.Open(new MemoryStream(new byte[1_000_000]));
        var payloads = TestData.ReadAll(reader);

        Assert.Empty(payloads);
        Assert.Equal(1, reader.Statistics.Count(ReadIssue.BlockLengthTooShort));
        Assert.Equal(1_000_000, reader.Statistics.Count(ReadIssue.ResyncSkipped));
    }

    [Theory]
    [InlineData(new byte[] { 0xD4, 0xC3, 0xB2, 0xA1 }, AsterixSourceFormat.Pcap)]
    [InlineData(new byte[] { 0xA1, 0xB2, 0x3C, 0x4D }, AsterixSourceFormat.Pcap)]
    [InlineData(new byte[] { 0x0A, 0x0D, 0x0D, 0x0A }, AsterixSourceFormat.PcapNg)]
    [InlineData(new byte[] { 48, 0, 48, 0xFD }, AsterixSourceFormat.RawAsterix)]
    [InlineData(new byte[] { (byte)'a', (byte)'s', (byte)'t', (byte)'e' }, AsterixSourceFormat.Unknown)]
    [InlineData(new byte[] { 48, 0, 2 }, AsterixSourceFormat.Unknown)]
    [InlineData(new byte[0], AsterixSourceFormat.Unknown)]
    public void Detect_Magic_Format(byte[] head, AsterixSourceFormat expected) =>
        Assert.Equal(expected, AsterixFileReader.Detect(head));

    [Fact]
    public void Open_UnknownFormat_ThrowsInvalidData() =>
        Assert.Throws<InvalidDataException>(() => AsterixFileReader.Open(new MemoryStream("hello world"u8.ToArray())));
}
