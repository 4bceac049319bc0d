using System.Text.Json;
using Kizuna.Asterix.Dump;
using Kizuna.Asterix.IO;

namespace Kizuna.Asterix.Tests.IO;

/// <summary>End to end on the real recordings: the engine behind <c>kizuna asterix dump</c>.</summary>
public sealed class AsterixDumpTests
{
    private static (AsterixDumpSummary Summary, string[] Records, string[] Errors) Dump(byte[] file, AsterixDumpOptions? options = null)
    {
        using var reader = AsterixFileReader.Open(new MemoryStream(file), options?.Reader);
        var records = new StringWriter();
        var errors = new StringWriter();
        var summary = AsterixDump.Run(reader, records, errors, options);
        return (summary, Lines(records), Lines(errors));

        static string[] Lines(StringWriter w) => w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void Dump_Cat034048Pcap_162JsonLinesWithTimeSourceAndFileOffsets()
    {
        var bytes = File.ReadAllBytes(TestData.Croatia("cat_034_048.pcap"));
        var (summary, records, errors) = Dump(bytes);

        Assert.Empty(errors);
        Assert.Equal(162, records.Length);
        Assert.Equal(128, summary.Records(48));
        Assert.Equal(34, summary.Records(34));
        using var first = JsonDocument.Parse(records[0]);
        var root = first.RootElement;
        Assert.Equal(48, root.GetProperty("cat").GetInt32());
        Assert.Equal("10.17.58.184:21124", root.GetProperty("src").GetString());
        Assert.Equal(197.68359375, root.GetProperty("items").GetProperty("I048/040").GetProperty("RHO_NM").GetDouble());
        var offset = root.GetProperty("offset").GetInt32();
        Assert.Equal([48, 0x00, 0x30], bytes[(offset - 3)..offset]); // the first record follows its block header CAT 48, LEN 48
        Assert.All(records, l => JsonDocument.Parse(l).Dispose());
    }

    [Fact]
    public void Dump_Cat001002PcapWithOradisFraming_EightRecords()
    {
        var (summary, records, errors) = Dump(File.ReadAllBytes(TestData.Croatia("cat_001_002.pcap")),
            AsterixDumpOptions.Default with { Reader = AsterixReaderOptions.Default with { Framing = AsterixFraming.Oradis } });

        Assert.Empty(errors);
        Assert.Equal(7, summary.Records(1));
        Assert.Equal(1, summary.Records(2));
        Assert.Equal(8, records.Length);
    }

    [Fact]
    public void Dump_DamagedRawFile_RejectionLinesWithFileOffsetsAndSummaryCounts()
    {
        var good = File.ReadAllBytes(TestData.Croatia("cat048.raw"));
        byte[] unknownCategory = [0x99, 0x00, 0x05, 0x80, 0x00]; // CAT 153: no decoder, skipped by LEN
        byte[] garbage = [0x30, 0x00, 0x02];                     // LEN 2: reader resynchronises
        var file = (byte[])[.. good, .. unknownCategory, .. garbage, .. good];
        var (summary, records, errors) = Dump(file);

        Assert.Equal(2, records.Length);
        Assert.Contains($"{{\"error\":\"UnknownCategory\",\"offset\":{good.Length}}}", errors);
        Assert.Contains(errors, e => e.Contains("\"error\":\"BlockLengthTooShort\"", StringComparison.Ordinal) && e.Contains($"\"offset\":{good.Length + 5}", StringComparison.Ordinal));
        Assert.Equal(1, summary.Decoder.Count(DecodeStatus.UnknownCategory));
        Assert.Equal(1, summary.Reader.Count(ReadIssue.BlockLengthTooShort));
        var text = new StringWriter();
        summary.WriteTo(text);
        Assert.Contains("2 records (CAT048 2)", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("UnknownCategory 1", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Dump_EveryRealFile_NoRejections()
    {
        foreach (var name in new[] { "cat_062_065.pcap", "cat062cat065.raw", "cat21_re.ast", "cat034.raw" })
        {
            var (summary, records, errors) = Dump(File.ReadAllBytes(TestData.Croatia(name)));
            Assert.True(errors.Length == 0, $"{name}: {string.Join('\n', errors)}");
            Assert.True(records.Length > 0, name);
            Assert.Equal(summary.Decoder.Records, records.Length);
        }
    }
}
