namespace Kizuna.Asterix.Tests.Common;

public sealed class BadInputTests
{
    // A valid CAT048 block: one record with I010 only (FSPEC 0x80, SAC 1, SIC 2).
    private static readonly byte[] Good = [48, 0, 6, 0x80, 1, 2];

    private static (DecodeStatus First, CollectingSink Sink) Run(byte[] bad)
    {
        var sink = new CollectingSink();
        var stats = new DecodeStatistics();
        AsterixDecoder.DecodeAll([.. bad, .. Good], new AsterixRecord(), sink, AsterixDecoderOptions.Default, stats);
        var first = sink.Rejected.Count > 0 ? sink.Rejected[0].Status : DecodeStatus.Ok;
        return (first, sink);
    }

    [Theory]
    [InlineData(new byte[] { 99, 0, 5, 0x80, 0 }, DecodeStatus.UnknownCategory)]
    [InlineData(new byte[] { 48, 0, 6, 0x01, 0x01, 0x01 }, DecodeStatus.FspecOverrun)] // FX chain runs off the block
    [InlineData(new byte[] { 48, 0, 8, 0x01, 0x20, 9, 1, 2 }, DecodeStatus.RepetitionOverflow)] // I250 REP=9 needs 72 octets
    [InlineData(new byte[] { 48, 0, 6, 0x20, 0x01, 0x01 }, DecodeStatus.ItemOverrun)] // I020 extension never ends
    [InlineData(new byte[] { 48, 0, 6, 0x02, 0xFF, 0x01 }, DecodeStatus.FspecOverrun)] // I130 primary sub-field past the end
    [InlineData(new byte[] { 48, 0, 5, 0x80, 1 }, DecodeStatus.ItemOverrun)] // LEN smaller than the record (I010 cut)
    public void DecodeAll_CraftedBadBlock_RejectsWithReasonAndDecodesNextBlock(byte[] bad, DecodeStatus expected)
    {
        var (first, sink) = Run(bad);
        Assert.Equal(expected, first);
        Assert.Contains(sink.Records, r => r.Raw.SequenceEqual(new byte[] { 0x80, 1, 2 }));
    }

    [Fact]
    public void TryDecodeBlock_LenBelowHeader_BlockLengthMismatch()
    {
        var status = AsterixDecoder.TryDecodeBlock([48, 0, 2, 0x80, 1, 2], new AsterixRecord(), new CollectingSink(), AsterixDecoderOptions.Default, out _);
        Assert.Equal(DecodeStatus.BlockLengthMismatch, status);
    }

    [Fact]
    public void TryDecodeBlock_LenLargerThanData_Truncated()
    {
        var status = AsterixDecoder.TryDecodeBlock([48, 0, 40, 0x80, 1, 2], new AsterixRecord(), new CollectingSink(), AsterixDecoderOptions.Default, out var consumed);
        Assert.Equal(DecodeStatus.Truncated, status);
        Assert.Equal(6, consumed);
    }

    [Fact]
    public void TryDecodeBlock_TooManyRecords_RecordLimitExceeded()
    {
        var options = AsterixDecoderOptions.Default with { MaxRecordsPerBlock = 2 };
        byte[] block = [48, 0, 12, 0x80, 1, 2, 0x80, 1, 2, 0x80, 1, 2];
        var sink = new CollectingSink();
        var status = AsterixDecoder.TryDecodeBlock(block, new AsterixRecord(), sink, options, out _);
        Assert.Equal(DecodeStatus.RecordLimitExceeded, status);
    }

    [Fact]
    public void TryDecodeBlock_RejectBlockPolicy_DeliversNoRecordOfDamagedBlock()
    {
        byte[] block = [48, 0, 9, 0x80, 1, 2, 0x20, 0x01, 0x01];
        var sink = new CollectingSink();
        var status = AsterixDecoder.TryDecodeBlock(block, new AsterixRecord(), sink, AsterixDecoderOptions.Default with { Damage = DamagePolicy.RejectBlock }, out _);
        Assert.Equal(DecodeStatus.ItemOverrun, status);
        Assert.Empty(sink.Records);
        var skip = new CollectingSink();
        AsterixDecoder.TryDecodeBlock(block, new AsterixRecord(), skip, AsterixDecoderOptions.Default, out _);
        Assert.Single(skip.Records);
    }
}
