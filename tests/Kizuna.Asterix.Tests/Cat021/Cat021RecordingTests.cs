using Kizuna.Asterix.Tests.Common;

namespace Kizuna.Asterix.Tests.Cat021;

public sealed class Cat021RecordingTests
{
    private static int DecodeFile(string file, AsterixDecoderOptions options, Action<AsterixRecord> check)
    {
        var seen = 0;
        var sink = new CollectingSink { OnEach = r => { check(r); seen++; } };
        var stats = new DecodeStatistics();
        var data = File.ReadAllBytes(TestData.Asterix(file.Split('/')));
        AsterixDecoder.DecodeAll(data, new AsterixRecord(), sink, options, stats);
        Assert.Empty(sink.Rejected);
        Assert.Equal(0, stats.RejectedBlocks);
        Assert.Equal(seen, stats.Records);
        return seen;
    }

    [Fact]
    public void Cat021Jasterix21_Record_MatchesJasterixTest()
    {
        var n = DecodeFile("jasterix/cat021ed2.1.bin", AsterixDecoderOptions.Default with { Cat021 = Cat021Edition.Ed2_1 }, r =>
        {
            var f = r.Cat021;
            Assert.Equal("2.1", r.Uap!.Edition);
            Assert.Equal((0, 3), (f.Sac, f.Sic));
            Assert.Equal(0, f.ServiceId);
            Assert.Equal(2.0, f.ReportPeriodSeconds);
            Assert.Equal(1375, f.TrackNumber);
            Assert.Equal(46.84420108795166015625, f.LatitudeDegrees, 12);
            Assert.Equal(12.29852914810180664063, f.LongitudeDegrees, 12);
            Assert.Equal(0x1A4B65, f.TargetAddress);
            Assert.Equal(33502.8828125, f.TimeOfReceptionPositionSeconds);
            Assert.Equal(33502.46875, f.TimeOfReceptionVelocitySeconds);
            Assert.Equal(33503.1328125, f.TimeOfReportTransmissionSeconds);
            Assert.True(double.IsNaN(f.TimeOfApplicabilityPositionSeconds));
            Assert.Equal(34750.0, f.GeometricHeightFeet);
            Assert.Equal(350.0, f.FlightLevel);
            Assert.Equal(7106, f.Mode3AOctal);
            Assert.Equal(7, (f.QualityOctet1 >> 1) & 0xF); // I021/090 NUCp or NIC
            Assert.Equal(0, f.QualityOctet1 >> 5);          // NUCr or NACv
            Assert.Equal(0, f.TargetStatus);
            Assert.Equal("EZS14ZH ", new string(f.Callsign));
            // I021/040 first octet: ATP, ARC, RC, RAB all 0; FX set (the extension carries SAA = 1).
            Assert.Equal(0, f.DescriptorOctet1);
            Assert.Equal([0x01, 0x08], r.GetItemBytes(r.Uap.FrnOf("040")).ToArray());
        });
        Assert.Equal(1, n);
    }

    [Fact]
    public void Cat021Jasterix21_DecodedAsEdition26_SameValues()
    {
        // Items 2.1 and 2.6 share FRNs; the 2.1 record has no item whose length differs between them.
        var n = DecodeFile("jasterix/cat021ed2.1.bin", AsterixDecoderOptions.Default, r =>
        {
            Assert.Equal("2.6", r.Uap!.Edition);
            Assert.Equal(46.84420108795166, r.Cat021.LatitudeDegrees, 12);
            Assert.Equal("EZS14ZH ", new string(r.Cat021.Callsign));
        });
        Assert.Equal(1, n);
    }

    [Fact]
    public void Cat021Jasterix026_Record_MatchesJasterixTest()
    {
        var n = DecodeFile("jasterix/cat021ed0.26.bin", AsterixDecoderOptions.Default with { Cat021 = Cat021Edition.Ed0_26 }, r =>
        {
            var f = r.Cat021;
            Assert.Equal("0.26", r.Uap!.Edition);
            Assert.Equal((0, 5), (f.Sac, f.Sic));
            Assert.Equal(21, f.EmitterCategory);
            Assert.Equal(14418.484375, f.TimeOfApplicabilityPositionSeconds, 9);
            // ed. 0.26 I021/130: 32-bit values, LSB 180/2^25 deg (lat raw 7228617, lon raw −1702186).
            Assert.Equal(7228617, f.LatitudeRaw);
            Assert.Equal(-1702186, f.LongitudeRaw);
            // jASTERIX prints 38.777323149905996 / −9.131237217748: the same raw values times its rounded LSB 5.364418e-6;
            // the exact LSB 180/2^25 gives a value 2e-7 deg (2 cm) away.
            Assert.Equal(7228617 * (180.0 / 33554432.0), f.LatitudeDegrees);
            Assert.Equal(-1702186 * (180.0 / 33554432.0), f.LongitudeDegrees);
            Assert.Equal(38.777323149905996, 7228617 * 5.364418e-6, 12);
            Assert.Equal(38.777323149905996, f.LatitudeDegrees, 6);
            Assert.Equal(-9.131237217748, f.LongitudeDegrees, 6);
            Assert.Equal(4811822, f.TargetAddress);
            Assert.Equal("FM012   ", new string(f.Callsign));
            Assert.Equal(0, f.TargetStatus);
            // I021/040 ed. 0.26 (2 octets): ATP = 1, ARC = 2 in the first octet (0x40); GBS in the second (0x30).
            Assert.Equal(1, f.DescriptorOctet1 >> 6);
            Assert.Equal(0x40, f.DescriptorOctet1);
            // I021/090 ed. 0.26 figure of merit (2 octets): AC = MN = DC = 0, PA = 8 in the low bits of the second octet.
            var fom = r.GetItemBytes(r.Uap.FrnOf("090"));
            Assert.Equal(0, f.QualityOctet1);
            Assert.Equal(8, fom[1] & 0x0F);
            Assert.Equal([0x08], r.GetItemBytes(r.Uap.FrnOf("210")).ToArray());
        });
        Assert.Equal(1, n);
    }

    [Fact]
    public void Cat021ReFile_TwoRecordsWithReservedExpansion_DecodeAndSkipReByItsLength()
    {
        var data = File.ReadAllBytes(TestData.Asterix("croatiacontrol", "cat21_re.ast"));
        var records = new List<(int Sac, int Sic, double Lat, double Lon, int Adr, int ReLength, int RecordLength)>();
        var n = DecodeFile("croatiacontrol/cat21_re.ast", AsterixDecoderOptions.Default, r =>
        {
            var re = r.GetItemBytes(r.Uap!.FrnOf("RE"));
            Assert.True(r.Has(r.Uap.FrnOf("RE")));
            Assert.Equal(re[0], re.Length);
            var f = r.Cat021;
            records.Add((f.Sac, f.Sic, f.LatitudeDegrees, f.LongitudeDegrees, f.TargetAddress, re.Length, r.RawBytes.Length));
        });
        Assert.Equal(2, n);
        var blockPos = 0;
        foreach (var rec in records)
        {
            // Each block holds exactly one record: the RE field ends the record at the block's LEN.
            var len = (data[blockPos + 1] << 8) | data[blockPos + 2];
            Assert.Equal(len - 3, rec.RecordLength);
            blockPos += len;
            Assert.InRange(rec.Lat, -90, 90);
            Assert.InRange(rec.Lon, -180, 180);
        }

        Assert.Equal(data.Length, blockPos);
    }

    [Fact]
    public void Decode_Cat021AndCat062BuffersRepeated_AllocatesNothing()
    {
        var cat021 = File.ReadAllBytes(TestData.Asterix("jasterix", "cat021ed2.1.bin"));
        var cat062 = File.ReadAllBytes(TestData.Asterix("croatiacontrol", "cat062cat065.raw"));
        var options021 = AsterixDecoderOptions.Default with { Cat021 = Cat021Edition.Ed2_1 };
        var scratch = new AsterixRecord();
        var sink = new CountingSink();
        var stats = new DecodeStatistics();
        var bytes = Kizuna.TestSupport.Allocation.SteadyStateBytes(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                AsterixDecoder.DecodeAll(cat021, scratch, sink, options021, stats);
                AsterixDecoder.DecodeAll(cat062, scratch, sink, AsterixDecoderOptions.Default, stats);
            }
        });

        Assert.Equal(0, bytes);
        Assert.Equal(100 * 4 * (2 + 8), sink.Count); // 4 records per pass, 2 warm-up + 8 measured rounds
        Assert.Equal(0, stats.RejectedBlocks);
    }
}
