using Kizuna.Asterix.Common;
using static Kizuna.Asterix.Common.BigEndian;
using F = Kizuna.Asterix.Cat048.Cat048Frn;

namespace Kizuna.Asterix.Cat048;

/// <summary>Typed decode and encode of CAT048 ed. 1.31 items (layouts from asterix-specs cat048-cat-1.31.ast).</summary>
internal static class Cat048Codec
{
    public static DecodeStatus Decode(AsterixRecord r)
    {
        var f = r.Cat048;
        ReadOnlySpan<byte> b;
        // ASTERIX CAT048 ed. 1.31, I048/010
        if (r.Has(F.I010)) { b = r.GetItemBytes(F.I010); f.Sac = b[0]; f.Sic = b[1]; }
        // I048/140
        if (r.Has(F.I140)) { f.TimeOfDayRaw = U24(r.GetItemBytes(F.I140), 0); }
        // I048/020 (extended)
        if (r.Has(F.I020))
        {
            b = r.GetItemBytes(F.I020);
            f.DescriptorOctet1 = b[0] & 0xFE;
            f.DescriptorOctet2 = b.Length > 1 ? b[1] & 0xFE : -1;
        }
        // I048/040
        if (r.Has(F.I040)) { b = r.GetItemBytes(F.I040); f.RhoRaw = U16(b, 0); f.ThetaRaw = U16(b, 2); }
        // I048/070
        if (r.Has(F.I070)) { b = r.GetItemBytes(F.I070); f.Mode3AFlags = b[0] >> 5; f.Mode3ACode = U16(b, 0) & 0xFFF; }
        // I048/090
        if (r.Has(F.I090)) { b = r.GetItemBytes(F.I090); f.FlightLevelFlags = b[0] >> 6; f.FlightLevelRaw = SignExtend(U16(b, 0), 14); }
        // I048/220
        if (r.Has(F.I220)) { f.AircraftAddress = U24(r.GetItemBytes(F.I220), 0); }
        // I048/240
        if (r.Has(F.I240)) { IcaoCallsign(r.GetItemBytes(F.I240), 0, f.CallsignBuffer); }
        // I048/250 (repetitive, 8-octet MB data)
        f.ModeSMbCount = r.Has(F.I250) ? r.GetItemBytes(F.I250)[0] : 0;
        // I048/161
        if (r.Has(F.I161)) { f.TrackNumber = U16(r.GetItemBytes(F.I161), 0) & 0xFFF; }
        // I048/042
        if (r.Has(F.I042)) { b = r.GetItemBytes(F.I042); f.XRaw = S16(b, 0); f.YRaw = S16(b, 2); }
        // I048/200
        if (r.Has(F.I200)) { b = r.GetItemBytes(F.I200); f.GroundSpeedRaw = U16(b, 0); f.HeadingRaw = U16(b, 2); }
        // I048/170
        if (r.Has(F.I170)) { b = r.GetItemBytes(F.I170); f.TrackStatusOctet1 = b[0] & 0xFE; f.TrackStatusOctet2 = b.Length > 1 ? b[1] & 0xFE : -1; }
        // I048/110
        if (r.Has(F.I110)) { f.Height3DRaw = SignExtend(U16(r.GetItemBytes(F.I110), 0), 14); }
        // I048/230
        if (r.Has(F.I230)) { f.CommunicationsRaw = U16(r.GetItemBytes(F.I230), 0); }
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
            case F.I230: W16(d, 0, f.CommunicationsRaw); return 2;
            default: return -1;
        }
    }
}
