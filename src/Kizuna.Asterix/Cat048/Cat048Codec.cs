using Kizuna.Asterix.Common;
using static Kizuna.Asterix.Common.BigEndian;
using F = Kizuna.Asterix.Cat048.Cat048Frn;

namespace Kizuna.Asterix.Cat048;

/// <summary>Typed decode and encode of CAT048 ed. 1.31 items (layouts from asterix-specs cat048-cat-1.31.ast).</summary>
internal static class Cat048Codec
{
    private const ulong B010 = 1UL << (F.I010 - 1), B140 = 1UL << (F.I140 - 1), B020 = 1UL << (F.I020 - 1), B040 = 1UL << (F.I040 - 1),
        B070 = 1UL << (F.I070 - 1), B090 = 1UL << (F.I090 - 1), B220 = 1UL << (F.I220 - 1), B240 = 1UL << (F.I240 - 1),
        B250 = 1UL << (F.I250 - 1), B161 = 1UL << (F.I161 - 1), B042 = 1UL << (F.I042 - 1), B200 = 1UL << (F.I200 - 1),
        B170 = 1UL << (F.I170 - 1), B110 = 1UL << (F.I110 - 1), B120 = 1UL << (F.I120 - 1), B230 = 1UL << (F.I230 - 1);

    /// <summary>Fills the typed fields from the record buffer. Item lengths were checked by the walker; fixed items are read at their offset.</summary>
    public static DecodeStatus Decode(AsterixRecord r)
    {
        var f = r.Cat048;
        var p = r.Present.Bits;
        ReadOnlySpan<byte> s = r.Buffer;
        ReadOnlySpan<int> o = r.OffsetTable;
        int at;
        // ASTERIX CAT048 ed. 1.31, I048/010
        if ((p & B010) != 0) { at = o[F.I010 - 1]; f.Sac = s[at]; f.Sic = s[at + 1]; }
        // I048/140
        if ((p & B140) != 0) { f.TimeOfDayRaw = U24(s, o[F.I140 - 1]); }
        // I048/020 (extended: the second octet exists when the first has FX)
        if ((p & B020) != 0)
        {
            at = o[F.I020 - 1];
            f.DescriptorOctet1 = s[at] & 0xFE;
            f.DescriptorOctet2 = (s[at] & 1) != 0 ? s[at + 1] & 0xFE : -1;
        }

        // I048/040
        if ((p & B040) != 0) { at = o[F.I040 - 1]; f.RhoRaw = U16(s, at); f.ThetaRaw = U16(s, at + 2); }
        // I048/070
        if ((p & B070) != 0) { at = o[F.I070 - 1]; f.Mode3AFlags = s[at] >> 5; f.Mode3ACode = U16(s, at) & 0xFFF; }
        // I048/090
        if ((p & B090) != 0) { at = o[F.I090 - 1]; f.FlightLevelFlags = s[at] >> 6; f.FlightLevelRaw = SignExtend(U16(s, at), 14); }
        // I048/220
        if ((p & B220) != 0) { f.AircraftAddress = U24(s, o[F.I220 - 1]); }
        // I048/240
        if ((p & B240) != 0) { at = o[F.I240 - 1]; f.SetCallsignRaw(((long)U24(s, at) << 24) | (uint)U24(s, at + 3)); }
        // I048/250 (repetitive, 8-octet MB data)
        f.ModeSMbCount = (p & B250) != 0 ? s[o[F.I250 - 1]] : 0;
        // I048/161
        if ((p & B161) != 0) { f.TrackNumber = U16(s, o[F.I161 - 1]) & 0xFFF; }
        // I048/042
        if ((p & B042) != 0) { at = o[F.I042 - 1]; f.XRaw = S16(s, at); f.YRaw = S16(s, at + 2); }
        // I048/200
        if ((p & B200) != 0) { at = o[F.I200 - 1]; f.GroundSpeedRaw = U16(s, at); f.HeadingRaw = U16(s, at + 2); }
        // I048/170
        if ((p & B170) != 0)
        {
            at = o[F.I170 - 1];
            f.TrackStatusOctet1 = s[at] & 0xFE;
            f.TrackStatusOctet2 = (s[at] & 1) != 0 ? s[at + 1] & 0xFE : -1;
        }

        // I048/110
        if ((p & B110) != 0) { f.Height3DRaw = SignExtend(U16(s, o[F.I110 - 1]), 14); }
        // I048/120 (compound; the walker checked the primary sub-field, at most one octet, and the sub-item lengths).
        // Sub-field 1 CAL, when its presence bit (bit 8 of the primary octet) is set, is the first sub-item:
        // bit 16 D (doubtful), bits 15..11 spare, bits 10..1 the speed in two's complement, LSB 1 m/s.
        f.HasCalculatedDopplerSpeed = false;
        if ((p & B120) != 0)
        {
            at = o[F.I120 - 1];
            if ((s[at] & 0x80) != 0)
            {
                var cal = U16(s, at + 1);
                f.HasCalculatedDopplerSpeed = true;
                f.DopplerSpeedDoubtful = (cal & 0x8000) != 0;
                f.CalculatedDopplerSpeedRaw = SignExtend(cal, 10);
            }
        }

        // I048/230
        if ((p & B230) != 0) { f.CommunicationsRaw = U16(s, o[F.I230 - 1]); }
        return DecodeStatus.Ok;
    }

    /// <summary>Writes the typed items; returns -1 for items kept as raw bytes.</summary>
    public static int WriteTyped(AsterixRecord r, int frn, Span<byte> d)
    {
        var f = r.Cat048;
        switch (frn)
        {
            case F.I010: d[0] = (byte)f.Sac; d[1] = (byte)f.Sic; return 2;
            case F.I140: W24(d, 0, f.TimeOfDayRaw); return 3;
            case F.I020 when r.HasRaw(F.I020) && r.GetItemBytes(F.I020).Length > 2: return -1;
            case F.I020:
                if (f.DescriptorOctet2 < 0) { d[0] = (byte)(f.DescriptorOctet1 & 0xFE); return 1; }
                d[0] = (byte)((f.DescriptorOctet1 & 0xFE) | 1); d[1] = (byte)(f.DescriptorOctet2 & 0xFE); return 2;
            case F.I040: W16(d, 0, f.RhoRaw); W16(d, 2, f.ThetaRaw); return 4;
            case F.I070: W16(d, 0, (f.Mode3AFlags << 13) | (f.Mode3ACode & 0xFFF)); return 2;
            case F.I090: W16(d, 0, (f.FlightLevelFlags << 14) | (f.FlightLevelRaw & 0x3FFF)); return 2;
            case F.I220: W24(d, 0, f.AircraftAddress); return 3;
            case F.I240: WriteIcaoCallsign(d, 0, f.Callsign); return 6;
            case F.I161: W16(d, 0, f.TrackNumber & 0xFFF); return 2;
            case F.I042: W16(d, 0, f.XRaw); W16(d, 2, f.YRaw); return 4;
            case F.I200: W16(d, 0, f.GroundSpeedRaw); W16(d, 2, f.HeadingRaw); return 4;
            case F.I170:
                if (f.TrackStatusOctet2 < 0) { d[0] = (byte)(f.TrackStatusOctet1 & 0xFE); return 1; }
                d[0] = (byte)((f.TrackStatusOctet1 & 0xFE) | 1); d[1] = (byte)(f.TrackStatusOctet2 & 0xFE); return 2;
            case F.I110: W16(d, 0, f.Height3DRaw & 0x3FFF); return 2;
            // I048/120: a decoded item that also holds raw Doppler speeds (RDS) is copied as received; otherwise CAL only.
            case F.I120 when r.HasRaw(F.I120) && (r.GetItemBytes(F.I120) is not [var primary, ..] || (primary & 0x40) != 0): return -1;
            case F.I120 when !f.HasCalculatedDopplerSpeed: return -1;
            case F.I120:
                d[0] = 0x80;
                W16(d, 1, (f.DopplerSpeedDoubtful ? 0x8000 : 0) | (f.CalculatedDopplerSpeedRaw & 0x3FF));
                return 3;
            case F.I230: W16(d, 0, f.CommunicationsRaw); return 2;
            default: return -1;
        }
    }
}
