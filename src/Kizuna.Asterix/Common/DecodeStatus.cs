namespace Kizuna.Asterix;

/// <summary>Outcome of decoding a data block or record. Every value except <see cref="Ok"/> is a rejection reason.</summary>
public enum DecodeStatus
{
    /// <summary>Decoded.</summary>
    Ok,
    /// <summary>Fewer bytes than a block header (3), or fewer bytes than the block's LEN says.</summary>
    Truncated,
    /// <summary>LEN below 3, or the records do not end exactly at LEN.</summary>
    BlockLengthMismatch,
    /// <summary>The FSPEC (or a compound item's primary sub-field) runs past the end of the data or past the UAP.</summary>
    FspecOverrun,
    /// <summary>No decoder for the block's category; the block is skipped by its LEN.</summary>
    UnknownCategory,
    /// <summary>A REP counter asks for more bytes than the record has left.</summary>
    RepetitionOverflow,
    /// <summary>An item (fixed, extended chain, explicit length) runs past the end of the block.</summary>
    ItemOverrun,
    /// <summary>A field value the specification forbids (e.g. presence bit on an undefined FRN, explicit length 0).</summary>
    InvalidValue,
    /// <summary>More records in one block than <see cref="AsterixDecoderOptions.MaxRecordsPerBlock"/>.</summary>
    RecordLimitExceeded,
}

/// <summary>What the decoder does with a damaged record.</summary>
public enum DamagePolicy
{
    /// <summary>Deliver no record of a block in which any record is damaged (all records are validated first).</summary>
    RejectBlock,
    /// <summary>Deliver the good records; a damaged record is reported and, when its length is known, skipped,
    /// otherwise the rest of the block is reported as one rejection.</summary>
    SkipRecord,
}

/// <summary>Edition of CAT062 expected from a source.</summary>
public enum Cat062Edition
{
    /// <summary>Edition 1.19 (1.17 and later share this UAP; matches the CroatiaControl recording and tshark).</summary>
    Ed1_19,
    /// <summary>Edition 1.16 as written by older systems (jASTERIX cat062ed1.16.bin).</summary>
    Ed1_16,
}

/// <summary>Edition of CAT021 expected from a source.</summary>
public enum Cat021Edition
{
    /// <summary>Edition 2.6 (2.x UAP).</summary>
    Ed2_6,
    /// <summary>Edition 2.1.</summary>
    Ed2_1,
    /// <summary>Edition 0.26 (early ADS-B, different UAP).</summary>
    Ed0_26,
}

/// <summary>Decoder options; immutable, change with <c>with</c>.</summary>
public sealed record AsterixDecoderOptions
{
    /// <summary>Default options: skip damaged records, 4096 records per block, CAT062 ed. 1.19, CAT021 ed. 2.6.</summary>
    public static AsterixDecoderOptions Default { get; } = new();

    /// <summary>Damage policy per record.</summary>
    public DamagePolicy Damage { get; init; } = DamagePolicy.SkipRecord;

    /// <summary>Hard cap on records per block (a block has at most 65,532 payload octets).</summary>
    public int MaxRecordsPerBlock { get; init; } = 4096;

    /// <summary>CAT062 edition of the source.</summary>
    public Cat062Edition Cat062 { get; init; } = Cat062Edition.Ed1_19;

    /// <summary>CAT021 edition of the source.</summary>
    public Cat021Edition Cat021 { get; init; } = Cat021Edition.Ed2_6;
}

/// <summary>Receives decoded records; the record object is reused, copy what you keep.</summary>
public interface IAsterixRecordSink
{
    /// <summary>One decoded record. Valid only during the call.</summary>
    void OnRecord(AsterixRecord record);

    /// <summary>A rejected block or record, with its byte offset in the decoded buffer.</summary>
    void OnRejected(DecodeStatus status, int offset);

    /// <summary>
    /// A record rejected because one of its items is damaged (a length that runs past the block, a bad FX chain, an
    /// undefined compound sub-field, a REP count that does not fit): the record's offset, the UAP it was read with, the
    /// item's FRN (name: <c>uap.Items[frn − 1].Name</c>) and the item's first octet, offsets in the decoded buffer.
    /// Under <see cref="DamagePolicy.SkipRecord"/> the record's length is then unknown, so the rest of its block is
    /// this one rejection. Counted once, like every rejection. The default forwards to <see cref="OnRejected"/>.
    /// </summary>
    void OnRejectedItem(DecodeStatus status, int recordOffset, Common.Uap uap, int frn, int itemOffset) => OnRejected(status, recordOffset);
}

/// <summary>Counts of a decoding run. Not thread-safe.</summary>
public sealed class DecodeStatistics
{
    private readonly long[] _byStatus = new long[Enum.GetValues<DecodeStatus>().Length];

    /// <summary>Blocks seen (accepted or not).</summary>
    public long Blocks { get; private set; }

    /// <summary>Records delivered to the sink.</summary>
    public long Records { get; private set; }

    /// <summary>Blocks with at least one rejection.</summary>
    public long RejectedBlocks { get; private set; }

    /// <summary>Rejections with the given reason.</summary>
    public long Count(DecodeStatus status) => _byStatus[(int)status];

    internal void AddBlock(bool rejected)
    {
        Blocks++;
        if (rejected)
        {
            RejectedBlocks++;
        }
    }

    internal void AddRecord() => Records++;

    internal void AddRejection(DecodeStatus status) => _byStatus[(int)status]++;
}
