namespace Kizuna.Asterix.Common;

/// <summary>
/// Finds the items of one record from its FSPEC and the UAP shapes, checking every length against the bytes left.
/// </summary>
/// <remarks>
/// EUROCONTROL ASTERIX Part 1 (ed. 2.4) section 4.3: a record is an FSPEC (octets whose bit 1 is FX) followed by
/// the present items in FRN order; item lengths come from the item kind (fixed, extended FX chain, REP counter,
/// explicit length octet, compound primary sub-field). Nothing here loops over a count before checking it.
/// </remarks>
internal static class RecordWalker
{
    /// <summary>Maximum FRNs we track per record.</summary>
    public const int MaxFrn = 64;

    /// <summary>Walks one record at the start of <paramref name="data"/>.</summary>
    /// <param name="data">From the first FSPEC octet to the end of the block.</param>
    /// <param name="uap">UAP of the record.</param>
    /// <param name="offsets">Per FRN−1: item start relative to data (at least <see cref="MaxFrn"/> long).</param>
    /// <param name="lengths">Per FRN−1: item length (at least <see cref="MaxFrn"/> long).</param>
    /// <param name="present">Items present.</param>
    /// <param name="consumed">Record length on success.</param>
    /// <remarks>
    /// The FSPEC is first turned into one 64-bit presence word (FRN n = bit n−1, through a 128-entry table that
    /// reverses the seven data bits of each octet), masked with the UAP's defined FRNs in one operation, then
    /// the present items are visited lowest FRN first with <see cref="System.Numerics.BitOperations.TrailingZeroCount(ulong)"/>.
    /// Fixed-length items take their size from the UAP's precomputed table; only the other kinds call
    /// <see cref="ItemLength"/>.
    /// </remarks>
    public static DecodeStatus Walk(ReadOnlySpan<byte> data, Uap uap, Span<int> offsets, Span<int> lengths, out ulong present, out int consumed)
    {
        present = 0;
        consumed = 0;
        if (offsets.Length < MaxFrn || lengths.Length < MaxFrn)
        {
            return DecodeStatus.InvalidValue;
        }

        var maxFspec = uap.MaxFspecOctets;
        var fspec = Fspec7;
        ulong bits = 0;
        var fspecLen = 0;
        while (true)
        {
            if ((uint)fspecLen >= (uint)data.Length)
            {
                return DecodeStatus.FspecOverrun;
            }

            int octet = data[fspecLen];
            bits |= (ulong)fspec[octet >> 1] << (7 * fspecLen);
            fspecLen++;
            if ((octet & 1) == 0)
            {
                break;
            }

            if (fspecLen >= maxFspec)
            {
                return DecodeStatus.FspecOverrun;
            }
        }

        // FRNs past the end of the UAP are the highest bits: the items before them are walked first (so the first
        // damage met in FRN order is the one reported), then the record is rejected.
        var beyondUap = (bits & ~uap.DefinedMask) != 0;
        bits &= uap.DefinedMask;

        var sizes = uap.FixedSizes;
        var extended = uap.ExtendedOctets;
        var repetition = uap.RepetitionSizes;
        var pos = fspecLen;
        var remaining = bits;
        while (remaining != 0)
        {
            var index = System.Numerics.BitOperations.TrailingZeroCount(remaining);
            remaining &= remaining - 1;
            int len = sizes[index];
            if (len != 0)
            {
                if (len > data.Length - pos)
                {
                    return DecodeStatus.ItemOverrun;
                }
            }
            else if (extended[index] != 0)
            {
                // Extended item of one-octet parts: octets up to the first without FX, at most the declared parts.
                var max = extended[index] == byte.MaxValue ? int.MaxValue : extended[index];
                len = 0;
                while (true)
                {
                    if (pos + len >= data.Length)
                    {
                        return DecodeStatus.ItemOverrun;
                    }

                    if ((data[pos + len++] & 1) == 0 || len == max)
                    {
                        break;
                    }
                }
            }
            else if (repetition[index] != 0)
            {
                // Repetitive item with a one-octet REP: checked against the bytes left before use.
                if (pos >= data.Length)
                {
                    return DecodeStatus.ItemOverrun;
                }

                len = 1 + (data[pos] * repetition[index]);
                if (len > data.Length - pos)
                {
                    return DecodeStatus.RepetitionOverflow;
                }
            }
            else
            {
                var status = ItemLength(data[pos..], uap.ItemsArray[index], uap, out len);
                if (status != DecodeStatus.Ok)
                {
                    return status;
                }
            }

            offsets[index] = pos;
            lengths[index] = len;
            pos += len;
        }

        if (beyondUap)
        {
            return DecodeStatus.FspecOverrun;
        }

        present = bits;
        consumed = pos;
        return DecodeStatus.Ok;
    }

    /// <summary>
    /// Finds the item that made <see cref="Walk"/> fail (a cold path, run only after a failure, so the walk itself keeps
    /// no bookkeeping): <paramref name="frn"/> is the FRN of the first item, in FRN order, whose length cannot be
    /// determined within <paramref name="data"/>, and <paramref name="at"/> its first octet relative to
    /// <paramref name="data"/>; both 0 when the FSPEC itself is damaged or every item is whole.
    /// </summary>
    /// <remarks>Uses <see cref="ItemLength"/> for every item, which gives the same lengths as the walk's tables.</remarks>
    public static void LocateDamage(ReadOnlySpan<byte> data, Uap uap, out int frn, out int at)
    {
        frn = 0;
        at = 0;
        var fspec = Fspec7;
        ulong bits = 0;
        var fspecLen = 0;
        while (true)
        {
            if (fspecLen >= data.Length)
            {
                return;
            }

            int octet = data[fspecLen];
            bits |= (ulong)fspec[octet >> 1] << (7 * fspecLen);
            fspecLen++;
            if ((octet & 1) == 0)
            {
                break;
            }

            if (fspecLen >= uap.MaxFspecOctets)
            {
                return;
            }
        }

        bits &= uap.DefinedMask;
        var pos = fspecLen;
        while (bits != 0)
        {
            var index = System.Numerics.BitOperations.TrailingZeroCount(bits);
            bits &= bits - 1;
            if (ItemLength(data[pos..], uap.ItemsArray[index], uap, out var len) != DecodeStatus.Ok)
            {
                frn = index + 1;
                at = pos;
                return;
            }

            pos += len;
        }
    }

    /// <summary>The seven FRN bits of an FSPEC octet (octet &gt;&gt; 1) reversed, so that the first FRN is bit 0.</summary>
    private static ReadOnlySpan<byte> Fspec7 => [
        0x00, 0x40, 0x20, 0x60, 0x10, 0x50, 0x30, 0x70, 0x08, 0x48, 0x28, 0x68, 0x18, 0x58, 0x38, 0x78, 0x04, 0x44, 0x24, 0x64, 0x14, 0x54, 0x34, 0x74, 0x0C, 0x4C, 0x2C, 0x6C, 0x1C, 0x5C, 0x3C, 0x7C, 0x02, 0x42, 0x22, 0x62, 0x12, 0x52, 0x32, 0x72, 0x0A, 0x4A, 0x2A, 0x6A, 0x1A, 0x5A, 0x3A, 0x7A, 0x06, 0x46, 0x26, 0x66, 0x16, 0x56, 0x36, 0x76, 0x0E, 0x4E, 0x2E, 0x6E, 0x1E, 0x5E, 0x3E, 0x7E, 0x01, 0x41, 0x21, 0x61, 0x11, 0x51, 0x31, 0x71, 0x09, 0x49, 0x29, 0x69, 0x19, 0x59, 0x39, 0x79, 0x05, 0x45, 0x25, 0x65, 0x15, 0x55, 0x35, 0x75, 0x0D, 0x4D, 0x2D, 0x6D, 0x1D, 0x5D, 0x3D, 0x7D, 0x03, 0x43, 0x23, 0x63, 0x13, 0x53, 0x33, 0x73, 0x0B, 0x4B, 0x2B, 0x6B, 0x1B, 0x5B, 0x3B, 0x7B, 0x07, 0x47, 0x27, 0x67, 0x17, 0x57, 0x37, 0x77, 0x0F, 0x4F, 0x2F, 0x6F, 0x1F, 0x5F, 0x3F, 0x7F
    ];

    /// <summary>Length of one item at the start of <paramref name="data"/>.</summary>
    public static DecodeStatus ItemLength(ReadOnlySpan<byte> data, ItemShape shape, Uap? uap, out int length)
    {
        length = 0;
        switch (shape.Kind)
        {
            case ItemKind.Fixed:
                if (shape.Size > data.Length)
                {
                    return DecodeStatus.ItemOverrun;
                }

                length = shape.Size;
                return DecodeStatus.Ok;

            case ItemKind.Extended:
            {
                var parts = shape.PartsArray;
                var pos = 0;
                for (var p = 0; ; p++)
                {
                    int size = p < parts.Length ? parts[p] : parts[^1];
                    if (p >= parts.Length && !shape.LastHasFx)
                    {
                        break;
                    }

                    if (pos + size > data.Length)
                    {
                        return DecodeStatus.ItemOverrun;
                    }

                    pos += size;
                    var hasFx = p < parts.Length - 1 || shape.LastHasFx;
                    if (!hasFx || (data[pos - 1] & 1) == 0)
                    {
                        break;
                    }
                }

                length = pos;
                return DecodeStatus.Ok;
            }

            case ItemKind.Repetitive:
            {
                if (shape.CounterBytes > data.Length)
                {
                    return DecodeStatus.ItemOverrun;
                }

                var rep = 0;
                for (var i = 0; i < shape.CounterBytes; i++)
                {
                    rep = (rep << 8) | data[i];
                }

                // Checked against the bytes left before anything iterates over the elements.
                var bytes = (long)rep * shape.Size;
                if (bytes > data.Length - shape.CounterBytes)
                {
                    return DecodeStatus.RepetitionOverflow;
                }

                length = shape.CounterBytes + (int)bytes;
                return DecodeStatus.Ok;
            }

            case ItemKind.RepetitiveFx:
            {
                var pos = 0;
                while (true)
                {
                    if (pos + shape.Size > data.Length)
                    {
                        return DecodeStatus.ItemOverrun;
                    }

                    pos += shape.Size;
                    if ((data[pos - 1] & 1) == 0)
                    {
                        break;
                    }
                }

                length = pos;
                return DecodeStatus.Ok;
            }

            case ItemKind.Explicit:
                if (data.Length < 1)
                {
                    return DecodeStatus.ItemOverrun;
                }

                if (data[0] == 0)
                {
                    return DecodeStatus.InvalidValue;
                }

                if (data[0] > data.Length)
                {
                    return DecodeStatus.ItemOverrun;
                }

                length = data[0];
                return DecodeStatus.Ok;

            case ItemKind.Compound:
                return CompoundLength(data, shape, out length);

            case ItemKind.RandomFieldSequencing:
            {
                if (data.Length < 1 || uap is null)
                {
                    return DecodeStatus.ItemOverrun;
                }

                int n = data[0];
                var pos = 1;
                for (var i = 0; i < n; i++)
                {
                    if (pos >= data.Length)
                    {
                        return DecodeStatus.ItemOverrun;
                    }

                    var frn = data[pos++];
                    if (frn < 1 || frn > uap.Count || uap.ItemsArray[frn - 1].Kind is ItemKind.Absent or ItemKind.RandomFieldSequencing)
                    {
                        return DecodeStatus.InvalidValue;
                    }

                    var s = ItemLength(data[pos..], uap.ItemsArray[frn - 1], null, out var len);
                    if (s != DecodeStatus.Ok)
                    {
                        return s;
                    }

                    pos += len;
                }

                length = pos;
                return DecodeStatus.Ok;
            }

            default:
                return DecodeStatus.InvalidValue;
        }
    }

    private static DecodeStatus CompoundLength(ReadOnlySpan<byte> data, ItemShape shape, out int length)
    {
        length = 0;
        var subs = shape.SubItemsArray;
        var maxPrimary = (subs.Length + 6) / 7;
        var primary = 0;
        while (true)
        {
            if (primary >= data.Length)
            {
                return DecodeStatus.FspecOverrun;
            }

            var b = data[primary++];
            if ((b & 1) == 0)
            {
                break;
            }

            if (primary >= maxPrimary)
            {
                return DecodeStatus.FspecOverrun;
            }
        }

        var pos = primary;
        for (var i = 0; i < primary; i++)
        {
            int octet = data[i];
            for (var bit = 0; bit < 7; bit++)
            {
                if ((octet & (0x80 >> bit)) == 0)
                {
                    continue;
                }

                var sub = (i * 7) + bit;
                if (sub >= subs.Length || subs[sub].Kind == ItemKind.Absent)
                {
                    return DecodeStatus.InvalidValue;
                }

                int len;
                if (subs[sub].Kind == ItemKind.Fixed)
                {
                    len = subs[sub].Size;
                    if (len > data.Length - pos)
                    {
                        return DecodeStatus.ItemOverrun;
                    }
                }
                else
                {
                    var s = ItemLength(data[pos..], subs[sub], null, out len);
                    if (s != DecodeStatus.Ok)
                    {
                        return s;
                    }
                }

                pos += len;
            }
        }

        length = pos;
        return DecodeStatus.Ok;
    }

    /// <summary>Finds sub-item <paramref name="subIndex"/> (0-based position in the primary sub-field) of a validated compound item.</summary>
    public static bool TryGetSubItem(ReadOnlySpan<byte> item, ItemShape shape, int subIndex, out ReadOnlySpan<byte> sub)
    {
        sub = default;
        var subs = shape.SubItemsArray;
        var primary = 0;
        while (primary < item.Length && (item[primary++] & 1) != 0)
        {
        }

        var pos = primary;
        for (var i = 0; i < primary; i++)
        {
            int octet = item[i];
            for (var bit = 0; bit < 7; bit++)
            {
                if ((octet & (0x80 >> bit)) == 0)
                {
                    continue;
                }

                var index = (i * 7) + bit;
                if (index >= subs.Length)
                {
                    return false;
                }

                int len;
                if (subs[index].Kind == ItemKind.Fixed)
                {
                    len = subs[index].Size;
                    if (len > item.Length - pos)
                    {
                        return false;
                    }
                }
                else if (ItemLength(item[pos..], subs[index], null, out len) != DecodeStatus.Ok)
                {
                    return false;
                }

                if (index == subIndex)
                {
                    sub = item.Slice(pos, len);
                    return true;
                }

                pos += len;
            }
        }

        return false;
    }
}
