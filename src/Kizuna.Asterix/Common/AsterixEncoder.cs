using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Kizuna.Asterix.Common;

namespace Kizuna.Asterix;

/// <summary>
/// Encoders for CAT048, CAT034, CAT062 and CAT021 (ed. 2.6): the exact inverse of the decoder. The FSPEC is built from
/// <see cref="AsterixRecord.Present"/>; typed items are written from the category fields, other present items from
/// the raw bytes the record holds (<see cref="AsterixRecord.SetItemBytes"/>, or those of a decoded record).
/// Nothing is allocated per record.
/// </summary>
public static class AsterixEncoder
{
    /// <summary>Writes one CAT048 data block holding <paramref name="records"/>; returns the bytes written.</summary>
    public static int WriteCat048Block(Span<byte> destination, ReadOnlySpan<AsterixRecord> records) =>
        WriteBlock(48, Cat048.Cat048Uap.Ed1_31, destination, records);

    /// <summary>Writes one CAT034 data block.</summary>
    public static int WriteCat034Block(Span<byte> destination, ReadOnlySpan<AsterixRecord> records) =>
        WriteBlock(34, Cat034.Cat034Uap.Ed1_29, destination, records);

    /// <summary>Writes one CAT062 ed. 1.19 data block.</summary>
    public static int WriteCat062Block(Span<byte> destination, ReadOnlySpan<AsterixRecord> records) =>
        WriteBlock(62, Cat062.Cat062Uap.Ed1_19, destination, records);

    /// <summary>Writes one CAT021 ed. 2.6 data block (ADS-B target reports).</summary>
    public static int WriteCat021Block(Span<byte> destination, ReadOnlySpan<AsterixRecord> records) =>
        WriteBlock(21, Cat021.Cat021Uap.Ed2_6, destination, records);

    /// <summary>Writes one block of <paramref name="category"/> (48, 34, 62, 21) to a buffer writer.</summary>
    public static int WriteBlock(IBufferWriter<byte> writer, int category, ReadOnlySpan<AsterixRecord> records)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(ushort.MaxValue);
        var n = category switch
        {
            48 => WriteCat048Block(span, records),
            34 => WriteCat034Block(span, records),
            62 => WriteCat062Block(span, records),
            21 => WriteCat021Block(span, records),
            _ => ThrowCategory(category),
        };
        writer.Advance(n);
        return n;
    }

    private static int WriteBlock(int category, Uap uap, Span<byte> destination, ReadOnlySpan<AsterixRecord> records)
    {
        if (destination.Length < 3)
        {
            ThrowTooSmall();
        }

        destination[0] = (byte)category;
        var pos = 3;
        foreach (var record in records)
        {
            pos += WriteRecord(category, uap, record, destination[pos..]);
            if (pos > ushort.MaxValue)
            {
                ThrowTooSmall();
            }
        }

        BigEndian.W16(destination, 1, pos);
        return pos;
    }

    private static int WriteRecord(int category, Uap uap, AsterixRecord r, Span<byte> d)
    {
        var present = r.Present.Bits & ((1UL << uap.Count) - 1);
        if (present != r.Present.Bits)
        {
            ThrowArgument("Present has FRNs beyond the UAP.");
        }

        var lastFrn = 64 - System.Numerics.BitOperations.LeadingZeroCount(present);
        var fspecLen = Math.Max(1, (lastFrn + 6) / 7);
        if (d.Length < fspecLen)
        {
            ThrowTooSmall();
        }

        d[..fspecLen].Clear();
        for (var i = 0; i < fspecLen - 1; i++)
        {
            d[i] = 1;
        }

        var pos = fspecLen;
        Span<byte> tmp = stackalloc byte[64];
        for (var frn = 1; frn <= lastFrn; frn++)
        {
            if (!r.Has(frn))
            {
                continue;
            }

            var idx = frn - 1;
            d[idx / 7] |= (byte)(0x80 >> (idx % 7));
            tmp.Clear();
            var n = category switch
            {
                48 => Cat048.Cat048Codec.WriteTyped(r, frn, tmp),
                34 => Cat034.Cat034Codec.WriteTyped(r, frn, tmp),
                21 => Cat021.Cat021Codec.WriteTyped(r, frn, tmp),
                _ => Cat062.Cat062Codec.WriteTyped(r, frn, tmp),
            };
            ReadOnlySpan<byte> src = tmp;
            if (n < 0)
            {
                if (!r.HasRaw(frn))
                {
                    ThrowArgument("An item without typed fields is present but its raw bytes were not set.");
                }

                src = r.GetItemBytes(frn);
                n = src.Length;
            }

            if (pos + n > d.Length)
            {
                ThrowTooSmall();
            }

            src[..n].CopyTo(d[pos..]);
            pos += n;
        }

        return pos;
    }

    [DoesNotReturn]
    private static int ThrowCategory(int category) => throw new ArgumentOutOfRangeException(nameof(category), category, "Encoders exist for CAT048, CAT034, CAT062 and CAT021.");

    [DoesNotReturn]
    private static void ThrowTooSmall() => throw new ArgumentException("Destination too small or block longer than 65,535 octets.");

    [DoesNotReturn]
    private static void ThrowArgument(string message) => throw new ArgumentException(message);
}
