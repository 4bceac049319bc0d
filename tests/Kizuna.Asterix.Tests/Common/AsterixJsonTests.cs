using System.Text.Json;

namespace Kizuna.Asterix.Tests.Common;

public sealed class AsterixJsonTests
{
    /// <summary>Every record of a file as one JSON line, as <c>kizuna asterix dump</c> writes them.</summary>
    private static List<string> Lines(IEnumerable<byte[]> buffers, AsterixDecoderOptions options)
    {
        var lines = new List<string>();
        var stream = new MemoryStream();
        var sink = new CollectingSink
        {
            OnEach = r =>
            {
                stream.SetLength(0);
                using (var w = new Utf8JsonWriter(stream))
                {
                    AsterixJson.Write(w, r);
                }

                lines.Add(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            },
        };
        var stats = new DecodeStatistics();
        foreach (var b in buffers)
        {
            AsterixDecoder.DecodeAll(b, new AsterixRecord(), sink, options, stats);
        }

        Assert.Empty(sink.Rejected);
        return lines;
    }

    [Fact]
    public void Write_Cat034048Pcap_EveryLineIsOneValidObjectWithSpecItemNames()
    {
        var lines = Lines(TestData.UdpPayloads(TestData.Asterix("croatiacontrol", "cat_034_048.pcap")), AsterixDecoderOptions.Default);
        Assert.Equal(162, lines.Count);
        foreach (var line in lines)
        {
            Assert.DoesNotContain('\n', line);
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var cat = root.GetProperty("cat").GetInt32();
            Assert.Contains(cat, new[] { 34, 48 });
            Assert.Equal(cat == 48 ? "1.31" : "1.29", root.GetProperty("edition").GetString());
            var items = root.GetProperty("items");
            Assert.True(items.EnumerateObject().Any());
            foreach (var item in items.EnumerateObject())
            {
                Assert.Matches(cat == 48 ? @"^(I048/\d{3}|SP|RE)$" : @"^(I034/\d{3}|SP|RE)$", item.Name);
                Assert.Matches("^([0-9A-F]{2})+$", item.Value.GetProperty("hex").GetString()!);
            }

            Assert.True(items.TryGetProperty(cat == 48 ? "I048/010" : "I034/010", out var sid));
            Assert.Equal(25, sid.GetProperty("SAC").GetInt32());
        }
    }

    [Fact]
    public void Write_Cat048RawRecord_Rho040InNauticalMilesAndMetres()
    {
        var lines = Lines([File.ReadAllBytes(TestData.Asterix("croatiacontrol", "cat048.raw"))], AsterixDecoderOptions.Default);
        using var doc = JsonDocument.Parse(Assert.Single(lines));
        var items = doc.RootElement.GetProperty("items");
        var i040 = items.GetProperty("I048/040");
        // README: RHO 197.68359375 NM, THETA 340.13671875 deg.
        Assert.Equal(197.68359375, i040.GetProperty("RHO_NM").GetDouble());
        Assert.Equal(197.68359375 * 1852.0, i040.GetProperty("RHO_m").GetDouble(), 6);
        Assert.Equal(340.13671875, i040.GetProperty("THETA_deg").GetDouble());
        Assert.Equal("3C660C", items.GetProperty("I048/220").GetProperty("ADR").GetString());
        Assert.Equal("DLH65A  ", items.GetProperty("I048/240").GetProperty("ID").GetString());
        Assert.Equal(330.0, items.GetProperty("I048/090").GetProperty("FL").GetDouble());
        Assert.Equal(25, items.GetProperty("I048/010").GetProperty("SAC").GetInt32());
        Assert.Equal(201, items.GetProperty("I048/010").GetProperty("SIC").GetInt32());
    }

    [Fact]
    public void Write_Cat021Jasterix21_PositionAndIdentityWithUnits()
    {
        var lines = Lines([File.ReadAllBytes(TestData.Asterix("jasterix", "cat021ed2.1.bin"))], AsterixDecoderOptions.Default with { Cat021 = Cat021Edition.Ed2_1 });
        using var doc = JsonDocument.Parse(Assert.Single(lines));
        Assert.Equal(21, doc.RootElement.GetProperty("cat").GetInt32());
        var items = doc.RootElement.GetProperty("items");
        Assert.Equal(46.84420108795166, items.GetProperty("I021/130").GetProperty("LAT_deg").GetDouble(), 12);
        Assert.Equal(12.298529148101807, items.GetProperty("I021/130").GetProperty("LON_deg").GetDouble(), 12);
        Assert.Equal("1A4B65", items.GetProperty("I021/080").GetProperty("ADR").GetString());
        Assert.Equal("EZS14ZH ", items.GetProperty("I021/170").GetProperty("ID").GetString());
        Assert.Equal(350.0, items.GetProperty("I021/145").GetProperty("FL").GetDouble());
        Assert.Equal(34750.0, items.GetProperty("I021/140").GetProperty("GH_ft").GetDouble());
        Assert.Equal(1375, items.GetProperty("I021/161").GetProperty("TRN").GetInt32());
    }

    [Fact]
    public void Write_Cat001Pcap_TrackItemsInUnits()
    {
        var payload = TestData.UdpPayloads(TestData.Asterix("croatiacontrol", "cat_001_002.pcap"))[0];
        // First frame: 6-octet header, then a CAT001 block whose first record is track 3762 (RHO 236.9921875 NM).
        var frameLength = (payload[0] << 8) | payload[1];
        var lines = Lines([payload.AsSpan(6, frameLength - 6).ToArray()], AsterixDecoderOptions.Default);
        using var doc = JsonDocument.Parse(lines[0]);
        Assert.Equal("track", doc.RootElement.GetProperty("uap").GetString());
        var items = doc.RootElement.GetProperty("items");
        Assert.Equal(236.9921875, items.GetProperty("I001/040").GetProperty("RHO_NM").GetDouble());
        Assert.Equal(34.5629883, items.GetProperty("I001/040").GetProperty("THETA_deg").GetDouble(), 6);
        Assert.Equal(3762, items.GetProperty("I001/161").GetProperty("TRN").GetInt32());
        Assert.Equal(370.0, items.GetProperty("I001/090").GetProperty("FL").GetDouble());
        Assert.Equal("1464", items.GetProperty("I001/070").GetProperty("Mode3A").GetString());
        Assert.Equal(256.1015625, items.GetProperty("I001/141").GetProperty("ToD_trunc_s").GetDouble());
    }
}
