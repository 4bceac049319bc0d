using Kizuna.Asterix.Cat048;
using Kizuna.Asterix.Detections;
using Kizuna.Asterix.Tests.Common;
using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Asterix.Tests.Cat048;

/// <summary>
/// I048/120 Radial Doppler Speed (CAT048 ed. 1.31): a plot's range rate goes out as sub-field CAL (10-bit two's
/// complement, LSB 1 m/s, positive receding) and comes back through the adapter; damaged items are rejected by reason
/// and offset without losing the other records.
/// </summary>
public sealed class Cat048DopplerTests
{
    private static readonly DataSourceId Radar = new(25, 12);
    private static readonly Geodetic Site = Geodetic.FromDegrees(35.0, 139.0, 40);
    private static readonly DateTime Time = new DateTime(2026, 5, 1, 6, 0, 12, DateTimeKind.Utc).AddMilliseconds(500);

    private static Detection Plot(double rangeRate, double variance = 9.0) => new(
        Time, "jpn-ewr", Nation.Japan, MeasurementKind.RangeAzimuthElevation, new Vec3(150_000, 1.2, 0.05), Mat3.Diagonal(2500, 1e-6, 1e-6),
        Site, 7, 0, rangeRate, variance);

    private static AsterixDetectionAdapter Adapter(RadialDopplerSpeedUse use = RadialDopplerSpeedUse.PositiveReceding) => new(AsterixDetectionOptions.Default with
    {
        Sites = [RadarSite.Create(Radar, Site, Nation.Japan)],
        Date = DateOnly.FromDateTime(Time),
        DropSimulatedAndTestTargets = false,
        RadialDopplerSpeed = use,
        RangeRateStdMps = 3.0,
    });

    /// <summary>Encodes one plot as a CAT048 block and decodes it back into the adapter.</summary>
    private static (Detection Back, AsterixRecord Encoded, DopplerEncoding Doppler) RoundTrip(Detection plot, AsterixDetectionAdapter adapter)
    {
        var record = new AsterixRecord();
        Assert.True(RadarPlotEncoder.TryFillCat048(record, plot, Radar, SecondaryReply.None, simulated: true, out var doppler));
        var block = new byte[256];
        var n = AsterixEncoder.WriteCat048Block(block, [record]);
        Detection back = default;
        var converted = 0;
        var sink = new CollectingSink { OnEach = r => converted += adapter.TryConvert(r, null, out back) ? 1 : 0 };
        var stats = new DecodeStatistics();
        AsterixDecoder.DecodeAll(block.AsSpan(0, n), new AsterixRecord(), sink, AsterixDecoderOptions.Default, stats);
        Assert.Empty(sink.Rejected);
        Assert.Equal(1, converted);
        return (back, record, doppler);
    }

    [Theory]
    [InlineData(-237.3, -237)]
    [InlineData(-237.5, -238)]   // halves away from zero
    [InlineData(0.49, 0)]
    [InlineData(42.5, 43)]
    [InlineData(511.49, 511)]    // largest CAL
    [InlineData(-512.4, -512)]   // smallest CAL
    public void RoundTrip_PlotWithRangeRate_CalWithinHalfLsbAndSignPositiveReceding(double rangeRate, int expected)
    {
        var adapter = Adapter();
        var (back, _, doppler) = RoundTrip(Plot(rangeRate), adapter);
        Assert.Equal(DopplerEncoding.Encoded, doppler);
        Assert.True(back.HasRangeRate);
        Assert.Equal(expected, back.RangeRate);
        Assert.True(Math.Abs(back.RangeRate - rangeRate) <= 0.5);
        Assert.Equal((3.0 * 3.0) + (1.0 / 12.0), back.RangeRateVariance, 12);
        Assert.Equal(default, back.SensorVelocity);
        Assert.Equal(1, adapter.Statistics.RangeRates);
    }

    [Fact]
    public void Encode_RangeRateMinus3_CalSubfieldBytesPerSpec()
    {
        var record = new AsterixRecord();
        Assert.True(RadarPlotEncoder.TryFillCat048(record, Plot(-3), Radar, SecondaryReply.None, simulated: true));
        var block = new byte[256];
        var n = AsterixEncoder.WriteCat048Block(block, [record]);
        // FSPEC: FRN 1–4 (I010, I140, I020, I040) and FRN 20 (I120) → 0xF1 0x01 0x04; I120 is the last item.
        Assert.Equal(new byte[] { 0xF1, 0x01, 0x04 }, block[3..6]);
        // Primary sub-field: CAL present (bit 8), RDS absent, FX 0; CAL: D = 0, spare 0, −3 in ten bits = 0x3FD.
        Assert.Equal(new byte[] { 0x80, 0x03, 0xFD }, block[(n - 3)..n]);
    }

    [Theory]
    [InlineData(511.5)]
    [InlineData(-512.5)]
    [InlineData(2_400)]          // a ballistic missile's range rate
    public void Encode_RangeRateBeyondCal_NoItemAndOutOfRangeReported(double rangeRate)
    {
        var (back, record, doppler) = RoundTrip(Plot(rangeRate), Adapter());
        Assert.Equal(DopplerEncoding.OutOfRange, doppler);
        Assert.False(record.Has(Cat048Frn.I120));
        Assert.False(back.HasRangeRate);
        Assert.Equal(150_000, back.Value.X, 1852.0 / 256); // the plot itself still goes out
    }

    [Fact]
    public void Encode_PlotWithoutRangeRate_NoI120AndNoRangeRateBack()
    {
        var (back, record, doppler) = RoundTrip(Plot(double.NaN, 0), Adapter());
        Assert.Equal(DopplerEncoding.None, doppler);
        Assert.False(record.Has(Cat048Frn.I120));
        Assert.False(back.HasRangeRate);
    }

    [Fact]
    public void Adapter_PositiveApproachingSource_NegatesAndIgnoreDrops()
    {
        var (approaching, _, _) = RoundTrip(Plot(-100), Adapter(RadialDopplerSpeedUse.PositiveApproaching));
        Assert.Equal(100, approaching.RangeRate);
        var (ignored, _, _) = RoundTrip(Plot(-100), Adapter(RadialDopplerSpeedUse.Ignore));
        Assert.False(ignored.HasRangeRate);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Adapter_NonPositiveOrNonFiniteRangeRateStd_Refused(double std) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new AsterixDetectionAdapter(AsterixDetectionOptions.Default with { RangeRateStdMps = std }));

    [Fact]
    public void Adapter_DoubtfulCal_PlotKeptWithoutRangeRateAndCounted()
    {
        var adapter = Adapter();
        var record = new AsterixRecord();
        Assert.True(RadarPlotEncoder.TryFillCat048(record, Plot(-50), Radar, SecondaryReply.None, simulated: false));
        record.Cat048.DopplerSpeedDoubtful = true;
        var block = new byte[256];
        var n = AsterixEncoder.WriteCat048Block(block, [record]);
        Detection back = default;
        var sink = new CollectingSink { OnEach = r => Assert.True(adapter.TryConvert(r, null, out back)) };
        AsterixDecoder.DecodeAll(block.AsSpan(0, n), new AsterixRecord(), sink, AsterixDecoderOptions.Default, new DecodeStatistics());
        Assert.Single(sink.Records);
        Assert.False(back.HasRangeRate);
        Assert.Equal(1, adapter.Statistics.DopplerDoubtful);
        Assert.Equal(0, adapter.Statistics.RangeRates);
    }

    [Fact]
    public void Decode_CalAndRawDopplerSpeeds_TypedCalAndItemReEncodedByteForByte()
    {
        // FSPEC: FRN 1 (I010) and FRN 20 (I120); I120 = CAL (D = 1, −20 m/s) + RDS with one element (DOP 300, AMB 600, FRQ 3000).
        byte[] rec = [0x81, 0x01, 0x04, 25, 12, 0xC0, 0x83, 0xEC, 0x01, 0x01, 0x2C, 0x02, 0x58, 0x0B, 0xB8];
        byte[] block = [48, 0, (byte)(3 + rec.Length), .. rec];
        var decoded = new AsterixRecord();
        var sink = new CollectingSink
        {
            OnEach = r =>
            {
                Assert.True(r.Cat048.HasCalculatedDopplerSpeed);
                Assert.True(r.Cat048.DopplerSpeedDoubtful);
                Assert.Equal(-20, r.Cat048.CalculatedDopplerSpeedRaw);
            },
        };
        AsterixDecoder.DecodeAll(block, decoded, sink, AsterixDecoderOptions.Default, new DecodeStatistics());
        Assert.Single(sink.Records);
        var json = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new System.Text.Json.Utf8JsonWriter(json))
        {
            AsterixJson.Write(w, decoded);
        }

        Assert.Contains("\"I048/120\":{\"hex\":\"C083EC01012C02580BB8\",\"CAL_mps\":-20,\"D\":true}", System.Text.Encoding.UTF8.GetString(json.WrittenSpan), StringComparison.Ordinal);
        var again = new byte[64];
        var n = AsterixEncoder.WriteCat048Block(again, [decoded]);
        Assert.Equal(block, again.AsSpan(0, n).ToArray());
    }

    // A good record (I010 only) and records whose I048/120 is damaged. FSPEC 81 01 04 = FRN 1 and FRN 20.
    private static readonly byte[] Good = [0x80, 25, 12];

    public static TheoryData<byte[], DecodeStatus> DamagedI120 => new()
    {
        { [0x81, 0x01, 0x04, 25, 12, 0x80, 0x00], DecodeStatus.ItemOverrun },                 // CAL cut after one octet
        { [0x81, 0x01, 0x04, 25, 12, 0x81, 0x00, 0x05], DecodeStatus.FspecOverrun },          // FX set on the only primary octet
        { [0x81, 0x01, 0x04, 25, 12, 0x20, 0x00, 0x05], DecodeStatus.InvalidValue },          // presence bit of an undefined sub-field
        { [0x81, 0x01, 0x04, 25, 12, 0x40, 0x03, 0x01, 0x2C], DecodeStatus.RepetitionOverflow }, // RDS REP = 3 needs 18 octets
        { [0x81, 0x01, 0x04, 25, 12], DecodeStatus.FspecOverrun },                            // I120 announced, no primary octet left
    };

    [Theory]
    [MemberData(nameof(DamagedI120))]
    public void DecodeAll_DamagedI120AfterGoodRecord_RejectedAtItsRecordOffsetAndNeighboursKept(byte[] damaged, DecodeStatus expected)
    {
        // Block 1: a good record, then the damaged one (last in its block). Block 2: a good record.
        byte[] data = [48, 0, (byte)(3 + Good.Length + damaged.Length), .. Good, .. damaged, 48, 0, (byte)(3 + Good.Length), .. Good];
        var sink = new CollectingSink();
        var stats = new DecodeStatistics();
        AsterixDecoder.DecodeAll(data, new AsterixRecord(), sink, AsterixDecoderOptions.Default, stats);
        Assert.Equal(2, sink.Records.Count);
        Assert.All(sink.Records, r => Assert.Equal(Good, r.Raw));
        var (status, offset) = Assert.Single(sink.Rejected);
        Assert.Equal(expected, status);
        Assert.Equal(3 + Good.Length, offset); // the damaged record's first FSPEC octet
        Assert.Equal(1, stats.Count(expected));
        Assert.Equal(2, stats.Records);
        Assert.Equal(1, stats.RejectedBlocks);

        // A sink that wants the item is told which one and where: FRN 20 (I048/120), after FSPEC (3) and I010 (2).
        var items = new ItemSink();
        AsterixDecoder.DecodeAll(data, new AsterixRecord(), items, AsterixDecoderOptions.Default, new DecodeStatistics());
        Assert.Equal(2, items.Records);
        var rejected = Assert.Single(items.Items);
        Assert.Equal((expected, 3 + Good.Length, "120", 3 + Good.Length + 5), rejected);
    }

    [Fact]
    public void TryDecodeBlock_RejectBlockPolicyDamagedI120_NoRecordAndItemNamed()
    {
        byte[] damaged = [0x81, 0x01, 0x04, 25, 12, 0x40, 0x03, 0x01, 0x2C];
        byte[] block = [48, 0, (byte)(3 + Good.Length + damaged.Length), .. Good, .. damaged];
        var items = new ItemSink();
        var status = AsterixDecoder.TryDecodeBlock(block, new AsterixRecord(), items, AsterixDecoderOptions.Default with { Damage = DamagePolicy.RejectBlock }, out _);
        Assert.Equal(DecodeStatus.RepetitionOverflow, status);
        Assert.Equal(0, items.Records);
        Assert.Equal((DecodeStatus.RepetitionOverflow, 3 + Good.Length, "120", 3 + Good.Length + 5), Assert.Single(items.Items));
    }

    [Fact]
    public void DecodeAll_DamagedFspecNotItem_PlainRejectionWithoutItem()
    {
        // FSPEC FX chain runs off the block: no item to name, the sink gets OnRejected.
        byte[] block = [48, 0, 6, 0x01, 0x01, 0x01];
        var items = new ItemSink();
        AsterixDecoder.DecodeAll(block, new AsterixRecord(), items, AsterixDecoderOptions.Default, new DecodeStatistics());
        Assert.Equal((DecodeStatus.FspecOverrun, 3, "", -1), Assert.Single(items.Items));
    }

    [Fact]
    public void Dump_RawFileWithDamagedI120_ErrorLineNamesRecordItemAndFileOffsets()
    {
        byte[] damaged = [0x81, 0x01, 0x04, 25, 12, 0x80, 0x00];
        byte[] file = [48, 0, (byte)(3 + Good.Length), .. Good, 48, 0, (byte)(3 + Good.Length + damaged.Length), .. Good, .. damaged, 48, 0, (byte)(3 + Good.Length), .. Good];
        using var reader = Kizuna.Asterix.IO.AsterixFileReader.Open(new MemoryStream(file));
        var records = new StringWriter();
        var errors = new StringWriter();
        var summary = Kizuna.Asterix.Dump.AsterixDump.Run(reader, records, errors);
        var recordAt = 6 + 3 + Good.Length;
        Assert.Equal($"{{\"error\":\"ItemOverrun\",\"offset\":{recordAt},\"item\":\"I048/120\",\"item_offset\":{recordAt + 5}}}", errors.ToString().Trim());
        Assert.Equal(3, summary.Records(48));
        Assert.Equal(1, summary.Decoder.Count(DecodeStatus.ItemOverrun));
    }

    private sealed class ItemSink : IAsterixRecordSink
    {
        public int Records { get; private set; }

        public List<(DecodeStatus Status, int RecordOffset, string Item, int ItemOffset)> Items { get; } = [];

        public void OnRecord(AsterixRecord record) => Records++;

        public void OnRejected(DecodeStatus status, int offset) => Items.Add((status, offset, "", -1));

        public void OnRejectedItem(DecodeStatus status, int recordOffset, Kizuna.Asterix.Common.Uap uap, int frn, int itemOffset) =>
            Items.Add((status, recordOffset, uap.Items[frn - 1].Name, itemOffset));
    }

    [Fact]
    public void DecodeAll_DamagedI120BeforeGoodRecordInSameBlock_RestOfBlockOneRejection()
    {
        // The damaged record's length is unknown, so the record after it in the same block cannot be found: the rest of
        // the block is one rejection at the damaged record (ASTERIX has no record length). The next block is decoded.
        byte[] damaged = [0x81, 0x01, 0x04, 25, 12, 0x81, 0x00, 0x05];
        byte[] data = [48, 0, (byte)(3 + damaged.Length + Good.Length), .. damaged, .. Good, 48, 0, (byte)(3 + Good.Length), .. Good];
        var sink = new CollectingSink();
        var stats = new DecodeStatistics();
        AsterixDecoder.DecodeAll(data, new AsterixRecord(), sink, AsterixDecoderOptions.Default, stats);
        Assert.Single(sink.Records);
        Assert.Equal((DecodeStatus.FspecOverrun, 3), Assert.Single(sink.Rejected));
        Assert.Equal(2, stats.Blocks);
    }
}
