namespace Kizuna.Asterix.Common;

/// <summary>Big-endian field reads of the widths ASTERIX uses (callers have checked the item length).</summary>
internal static class BigEndian
{
    public static int U16(ReadOnlySpan<byte> s, int o) => (s[o] << 8) | s[o + 1];

    public static int S16(ReadOnlySpan<byte> s, int o) => (short)U16(s, o);

    public static int U24(ReadOnlySpan<byte> s, int o) => (s[o] << 16) | (s[o + 1] << 8) | s[o + 2];

    public static int S24(ReadOnlySpan<byte> s, int o) => (U24(s, o) << 8) >> 8;

    public static int S32(ReadOnlySpan<byte> s, int o) => (s[o] << 24) | (s[o + 1] << 16) | (s[o + 2] << 8) | s[o + 3];

    /// <summary>Signed value of <paramref name="bits"/> low bits of <paramref name="raw"/> (two's complement).</summary>
    public static int SignExtend(int raw, int bits) => (raw << (32 - bits)) >> (32 - bits);

    public static void W16(Span<byte> d, int o, int v)
    {
        d[o] = (byte)(v >> 8);
        d[o + 1] = (byte)v;
    }

    public static void W24(Span<byte> d, int o, int v)
    {
        d[o] = (byte)(v >> 16);
        d[o + 1] = (byte)(v >> 8);
        d[o + 2] = (byte)v;
    }

    public static void W32(Span<byte> d, int o, int v)
    {
        d[o] = (byte)(v >> 24);
        d[o + 1] = (byte)(v >> 16);
        d[o + 2] = (byte)(v >> 8);
        d[o + 3] = (byte)v;
    }

    private static char IcaoChar(int c) => c switch
    {
        >= 1 and <= 26 => (char)('A' + c - 1),
        >= 48 and <= 57 => (char)('0' + c - 48),
        32 => ' ',
        0 => '\0', // all-zero field as sent by some radars; kept so that re-encoding is byte-exact
        _ => '?',
    };

    /// <summary>Decodes 8 six-bit ICAO characters (ICAO Annex 10 Vol IV, 3.1.2.9) from 6 octets into <paramref name="dest"/>.</summary>
    public static void IcaoCallsign(ReadOnlySpan<byte> s, int o, Span<char> dest) =>
        IcaoCallsign(((long)U24(s, o) << 24) | (uint)U24(s, o + 3), dest);

    /// <summary>Decodes the 48 bits of 8 six-bit ICAO characters into <paramref name="dest"/>.</summary>
    public static void IcaoCallsign(long sixBitCharacters, Span<char> dest)
    {
        for (var i = 0; i < 8; i++)
        {
            var c = (int)((sixBitCharacters >> (42 - (6 * i))) & 0x3F);
            dest[i] = IcaoChar(c);
        }
    }

    /// <summary>Encodes up to 8 characters as six-bit ICAO characters into 6 octets.</summary>
    public static void WriteIcaoCallsign(Span<byte> d, int o, ReadOnlySpan<char> text)
    {
        long v = 0;
        for (var i = 0; i < 8; i++)
        {
            var ch = i < text.Length ? text[i] : ' ';
            var code = ch switch
            {
                >= 'A' and <= 'Z' => ch - 'A' + 1,
                >= '0' and <= '9' => ch - '0' + 48,
                '\0' => 0,
                _ => 32,
            };
            v = (v << 6) | (uint)code;
        }

        W24(d, o, (int)(v >> 24));
        W24(d, o + 3, (int)(v & 0xFFFFFF));
    }
}
