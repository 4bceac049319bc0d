using Kizuna.Asterix.IO;

namespace Kizuna.Asterix.Tests.IO;

/// <summary>The tshark harness checks itself on a real capture, then checks that our pcap writer is transparent to it.</summary>
public sealed class TsharkHarnessTests
{
    [Fact]
    public void Tshark_RealCat034048Capture_NoMalformedAnd128Cat048And34Cat034Records()
    {
        var result = Tshark.Dissect(TestData.Croatia("cat_034_048.pcap"), "21000-22200");

        Assert.True(result.Malformed == 0 && result.ExpertWarnings == 0, result.FirstProblem);
        Assert.Equal(100, result.Packets);
        Assert.Equal(128, result.Records.Count(r => r.Category == 48));
        Assert.Equal(34, result.Records.Count(r => r.Category == 34));
        var first = result.Records.First(r => r.Category == 48);
        Assert.Equal("0x19", first["asterix.048_010_SAC"]);
        Assert.Equal("0xc9", first["asterix.048_010_SIC"]);
        Assert.Equal("197.68359375", first["asterix.048_040_RHO"]);
        Assert.Equal("340.13671875", first["asterix.048_040_THETA"]);
        Assert.Equal("0x3c660c", first["asterix.048_220_VALUE"]);
        Assert.Equal("DLH65A  ", first["asterix.048_240_VALUE"]);
    }

    [Fact]
    public void Tshark_RealPayloadsRewrittenByPcapWriter_IdenticalDissection()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kizuna-rewrap-{Environment.ProcessId}.pcap");
        try
        {
            using (var reader = AsterixFileReader.Open(TestData.Croatia("cat_034_048.pcap")))
            using (var writer = PcapWriter.Create(File.Create(path)))
            {
                while (reader.TryRead(out var p))
                {
                    writer.WriteUdp(p.Timestamp!.Value, p.Source!.Value, PacketEndpoint.FromIPv4(0xEFFF0001, 8600), p.Data.Span);
                }
            }

            var original = Tshark.Dissect(TestData.Croatia("cat_034_048.pcap"), "21000-22200");
            var ours = Tshark.Dissect(path, "8600");

            Assert.True(ours.Malformed == 0 && ours.ExpertWarnings == 0, ours.FirstProblem);
            Assert.Equal(original.Records.Count, ours.Records.Count);
            for (var i = 0; i < original.Records.Count; i++)
            {
                Assert.Equal(original.Records[i].Category, ours.Records[i].Category);
                Assert.Equal(original.Records[i].Fields.Count, ours.Records[i].Fields.Count);
                foreach (var (name, values) in original.Records[i].Fields)
                {
                    Assert.Equal(values, ours.Records[i].Fields[name]);
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
