using Kizuna.Asterix.Common;

namespace Kizuna.Asterix;

/// <summary>
/// Stateless ASTERIX data block decoder. Never throws on bad data: every length (block LEN, FSPEC FX chain,
/// extended FX chains, REP counts, compound primary sub-fields, SP/RE lengths) is checked against the bytes left
/// before it is used.
/// </summary>
/// <remarks>
/// EUROCONTROL ASTERIX Part 1 ed. 2.4, section 4: a data block is CAT (1 octet), LEN (2 octets, big-endian, whole
/// block including CAT and LEN), then records. Thread-safety: safe to call concurrently with distinct scratch records.
/// </remarks>
public static class AsterixDecoder
{
    /// <summary>Decodes one data block at the start of <paramref name="data"/>.</summary>
    /// <param name="data">Bytes starting with CAT.</param>
    /// <param name="scratch">Reused record, passed to the sink for each record.</param>
    /// <param name="sink">Receives records and rejections.</param>
    /// <param name="options">Policy and editions.</param>
    /// <param name="consumed">Bytes of the block (LEN) when LEN is usable, otherwise all of <paramref name="data"/>.</param>
    /// <returns><see cref="DecodeStatus.Ok"/>, or the first rejection reason.</returns>
    public static DecodeStatus TryDecodeBlock(ReadOnlySpan<byte> data, AsterixRecord scratch, IAsterixRecordSink sink,
        AsterixDecoderOptions options, out int consumed) =>
        DecodeBlockCore(data, 0, scratch, sink, options, null, out consumed);

    /// <summary>Decodes every block of a buffer (e.g. one UDP payload), continuing after rejected blocks.</summary>
    public static void DecodeAll(ReadOnlySpan<byte> data, AsterixRecord scratch, IAsterixRecordSink sink,
        AsterixDecoderOptions options, DecodeStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        var pos = 0;
        while (pos < data.Length)
        {
            var status = DecodeBlockCore(data[pos..], pos, scratch, sink, options, statistics, out var used);
            statistics.AddBlock(status != DecodeStatus.Ok);
            if (used <= 0)
            {
                break;
            }

            pos += used;
        }
    }

    internal static Uap? UapFor(int category, ReadOnlySpan<byte> firstItems, AsterixDecoderOptions options) => category switch
    {
        48 => Cat048.Cat048Uap.Ed1_31,
        34 => Cat034.Cat034Uap.Ed1_29,
        2 => Cat002.Cat002Uap.Ed1_1,
        65 => Cat065.Cat065Uap.Ed1_5,
        21 => options.Cat021 switch
        {
            Cat021Edition.Ed0_26 => Cat021.Cat021Uap.Ed0_26,
            Cat021Edition.Ed2_1 => Cat021.Cat021Uap.Ed2_1,
            _ => Cat021.Cat021Uap.Ed2_6,
        },
        62 => options.Cat062 == Cat062Edition.Ed1_16 ? Cat062.Cat062Uap.Ed1_16 : Cat062.Cat062Uap.Ed1_19,
        1 => Cat001.Cat001Codec.SelectUap(firstItems),
        _ => null,
    };

    private static DecodeStatus DecodeBlockCore(ReadOnlySpan<byte> data, int baseOffset, AsterixRecord scratch,
        IAsterixRecordSink sink, AsterixDecoderOptions options, DecodeStatistics? stats, out int consumed)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(options);
        if (data.Length < 3)
        {
            consumed = data.Length;
            return Reject(DecodeStatus.Truncated, baseOffset, sink, stats);
        }

        int category = data[0];
        var len = (data[1] << 8) | data[2];
        if (len < 3)
        {
            consumed = data.Length;
            return Reject(DecodeStatus.BlockLengthMismatch, baseOffset, sink, stats);
        }

        if (len > data.Length)
        {
            consumed = data.Length;
            return Reject(DecodeStatus.Truncated, baseOffset, sink, stats);
        }

        consumed = len;
        var block = data[3..len];
        if (category is not (48 or 34 or 1 or 2 or 21 or 62 or 65))
        {
            return Reject(DecodeStatus.UnknownCategory, baseOffset, sink, stats);
        }

        if (options.Damage == DamagePolicy.RejectBlock)
        {
            var check = Validate(block, category, options, scratch, out var failAt);
            if (check != DecodeStatus.Ok)
            {
                return UapFor(category, block[failAt..], options) is { } failedUap && check is not DecodeStatus.RecordLimitExceeded
                    ? RejectRecord(check, baseOffset + 3 + failAt, block[failAt..], failedUap, sink, stats)
                    : Reject(check, baseOffset + 3 + failAt, sink, stats);
            }
        }

        var pos = 0;
        var records = 0;
        var first = DecodeStatus.Ok;
        while (pos < block.Length)
        {
            if (++records > options.MaxRecordsPerBlock)
            {
                return Reject(DecodeStatus.RecordLimitExceeded, baseOffset + 3 + pos, sink, stats);
            }

            var rest = block[pos..];
            var uap = UapFor(category, rest, options);
            if (uap is null)
            {
                return Reject(DecodeStatus.InvalidValue, baseOffset + 3 + pos, sink, stats);
            }

            var status = RecordWalker.Walk(rest, uap, scratch.Offsets, scratch.Lengths, out var present, out var recLen);
            if (status != DecodeStatus.Ok)
            {
                // The record's length is unknown: the rest of the block cannot be resynchronised.
                return RejectRecord(status, baseOffset + 3 + pos, rest, uap, sink, stats);
            }

            scratch.Category = category;
            scratch.Uap = uap;
            scratch.Present = new ItemSet(present);
            scratch.Offset = baseOffset + 3 + pos;
            scratch.SetRaw(rest[..recLen]);
            status = DecodeTyped(scratch);
            if (status == DecodeStatus.Ok)
            {
                stats?.AddRecord();
                sink.OnRecord(scratch);
            }
            else
            {
                // Length known: skip only this record.
                Reject(status, baseOffset + 3 + pos, sink, stats);
                if (first == DecodeStatus.Ok)
                {
                    first = status;
                }
            }

            pos += recLen;
        }

        return first;
    }

    private static DecodeStatus Validate(ReadOnlySpan<byte> block, int category, AsterixDecoderOptions options, AsterixRecord scratch, out int failAt)
    {
        var pos = 0;
        var records = 0;
        while (pos < block.Length)
        {
            failAt = pos;
            if (++records > options.MaxRecordsPerBlock)
            {
                return DecodeStatus.RecordLimitExceeded;
            }

            var uap = UapFor(category, block[pos..], options);
            if (uap is null)
            {
                return DecodeStatus.InvalidValue;
            }

            var status = RecordWalker.Walk(block[pos..], uap, scratch.Offsets, scratch.Lengths, out _, out var recLen);
            if (status != DecodeStatus.Ok)
            {
                return status;
            }

            pos += recLen;
        }

        failAt = 0;
        return DecodeStatus.Ok;
    }

    private static DecodeStatus DecodeTyped(AsterixRecord r) => r.Category switch
    {
        48 => Cat048.Cat048Codec.Decode(r),
        34 => Cat034.Cat034Codec.Decode(r),
        1 or 2 => Cat001.Cat001Codec.Decode(r),
        21 => Cat021.Cat021Codec.Decode(r),
        62 or 65 => Cat062.Cat062Codec.Decode(r),
        _ => DecodeStatus.UnknownCategory,
    };

    /// <summary>A record whose walk failed: named by its damaged item when one is found (<see cref="IAsterixRecordSink.OnRejectedItem"/>).</summary>
    private static DecodeStatus RejectRecord(DecodeStatus status, int offset, ReadOnlySpan<byte> record, Uap uap, IAsterixRecordSink sink, DecodeStatistics? stats)
    {
        RecordWalker.LocateDamage(record, uap, out var frn, out var at);
        if (frn == 0)
        {
            return Reject(status, offset, sink, stats);
        }

        stats?.AddRejection(status);
        sink.OnRejectedItem(status, offset, uap, frn, offset + at);
        return status;
    }

    private static DecodeStatus Reject(DecodeStatus status, int offset, IAsterixRecordSink sink, DecodeStatistics? stats)
    {
        stats?.AddRejection(status);
        sink.OnRejected(status, offset);
        return status;
    }
}
