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
    /// <param name="offsets">Per FRN−1: item start relative to data (or null span to skip recording).</param>
    /// <param name="lengths">Per FRN−1: item length.</param>
    /// <param name="present">Items present.</param>
    /// <param name="consumed">Record length on success.</param>
    public static DecodeStatus Walk(ReadOnlySpan<byte> data, Uap uap, Span<int> offsets, Span<int> lengths, out ulong present, out int consumed)
    {
        present = 0;
        consumed = 0;
        var items = uap.ItemsArray;
        var maxFspec = (items.Length + 6) / 7;
        var fspecLen = 0;
        while (true)
        {
            if (fspecLen >= data.Length)
            {
                return DecodeStatus.FspecOverrun;
            }

            var b = data[fspecLen++];
            if ((b & 1) == 0)
            {
                break;
            }

            if (fspecLen >= maxFspec)
            {
                return DecodeStatus.FspecOverrun;
            }
        }

        var pos = fspecLen;
        for (var i = 0; i < fspecLen; i++)
        {
            int octet = data[i];
            for (var bit = 0; bit < 7; bit++)
            {
                if ((octet & (0x80 >> bit)) == 0)
                {
                    continue;
                }

                var frnIndex = (i * 7) + bit;
                if (frnIndex >= items.Length || frnIndex >= MaxFrn)
                {
                    return DecodeStatus.FspecOverrun;
                }

                var status = ItemLength(data[pos..], items[frnIndex], uap, out var len);
                if (status != DecodeStatus.Ok)
                {
                    return status;
                }

                offsets[frnIndex] = pos;
                lengths[frnIndex] = len;
                present |= 1UL << frnIndex;
                pos += len;
            }
        }

        consumed = pos;
        return DecodeStatus.Ok;
    }

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

                var s = ItemLength(data[pos..], subs[sub], null, out var len);
                if (s != DecodeStatus.Ok)
                {
                    return s;
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
                if (index >= subs.Length || ItemLength(item[pos..], subs[index], null, out var len) != DecodeStatus.Ok)
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
