using Kizuna.Asterix.Common;
using static Kizuna.Asterix.Common.BigEndian;

namespace Kizuna.Asterix.Cat001;

/// <summary>Typed CAT001 (ed. 1.2, plot and track UAPs) and CAT002 (ed. 1.1) fields.</summary>
/// <remarks>
/// ASTERIX CAT001 ed. 1.2: the UAP is chosen by TYP (bit 8 of I001/020: 0 plot, 1 track). I001/040 RHO LSB 1/128 NM,
/// THETA LSB 360/2^16 deg; I001/042 X, Y LSB 1/64 NM (signed 16 each); I001/200 ground speed LSB 2^-14 NM/s,
/// heading LSB 360/2^16 deg; I001/070 V, G, L and a 12-bit Mode 3/A code; I001/090 V, G and the Mode C code, LSB 1/4 FL
/// (signed 14); I001/141 truncated time LSB 1/128 s; I001/161 track number (16 bits); I001/170 track status
/// (first octet). 1 NM = 1852 m (exact). CAT002 ed. 1.1: I002/000 message type, I002/020 sector LSB 360/2^8 deg, I002/030 time of day
/// LSB 1/128 s, I002/041 antenna rotation period LSB 1/128 s.
/// </remarks>
public sealed class Cat001Fields
{
    /// <summary>I001/010 or I002/010 SAC.</summary>
    public int Sac { get; set; }
    /// <summary>SIC.</summary>
    public int Sic { get; set; }
    /// <summary>I001/020 TYP: true for a track report (track UAP), false for a plot.</summary>
    public bool IsTrack { get; set; }
    /// <summary>I001/020 first octet without FX.</summary>
    public int DescriptorOctet1 { get; set; }
    /// <summary>I001/040 RHO raw (1/128 NM).</summary>
    public int RhoRaw { get; set; }
    /// <summary>I001/040 THETA raw (360/2^16 deg).</summary>
    public int ThetaRaw { get; set; }
    /// <summary>Range in metres.</summary>
    public double RangeMetres => RhoRaw / 128.0 * 1852.0;
    /// <summary>Azimuth in degrees.</summary>
    public double AzimuthDegrees => ThetaRaw * (360.0 / 65536.0);
    /// <summary>I001/020 SSR/PSR bits (0 no detection, 1 sole primary, 2 sole secondary, 3 combined).</summary>
    public int SsrPsr => (DescriptorOctet1 >> 4) & 3;
    /// <summary>Range in NM.</summary>
    public double RangeNauticalMiles => RhoRaw / 128.0;
    /// <summary>I001/042 X raw (1/64 NM, signed), east of the radar.</summary>
    public int XRaw { get; set; }
    /// <summary>I001/042 Y raw (1/64 NM, signed), north of the radar.</summary>
    public int YRaw { get; set; }
    /// <summary>I001/042 X in metres.</summary>
    public double XMetres => XRaw / 64.0 * 1852.0;
    /// <summary>I001/042 Y in metres.</summary>
    public double YMetres => YRaw / 64.0 * 1852.0;
    /// <summary>I001/200 calculated ground speed raw (2^-14 NM/s).</summary>
    public int GroundSpeedRaw { get; set; }
    /// <summary>I001/200 calculated heading raw (360/2^16 deg).</summary>
    public int HeadingRaw { get; set; }
    /// <summary>I001/200 ground speed in knots (NM/h).</summary>
    public double GroundSpeedKnots => GroundSpeedRaw / 16384.0 * 3600.0;
    /// <summary>I001/200 ground speed in m/s.</summary>
    public double GroundSpeedMetresPerSecond => GroundSpeedRaw / 16384.0 * 1852.0;
    /// <summary>I001/200 heading in degrees.</summary>
    public double HeadingDegrees => HeadingRaw * (360.0 / 65536.0);
    /// <summary>I001/070 V, G, L bits (bits 16..14) as 0..7.</summary>
    public int Mode3AFlags { get; set; }
    /// <summary>I001/070 Mode 3/A code (12 bits).</summary>
    public int Mode3ACode { get; set; }
    /// <summary>I001/070 as the usual four-digit octal number.</summary>
    public int Mode3AOctal => (((Mode3ACode >> 9) & 7) * 1000) + (((Mode3ACode >> 6) & 7) * 100) + (((Mode3ACode >> 3) & 7) * 10) + (Mode3ACode & 7);
    /// <summary>I001/090 V and G bits.</summary>
    public int FlightLevelFlags { get; set; }
    /// <summary>I001/090 flight level raw (1/4 FL).</summary>
    public int FlightLevelRaw { get; set; }
    /// <summary>I001/090 flight level.</summary>
    public double FlightLevel => FlightLevelRaw / 4.0;
    /// <summary>I001/141 truncated time of day raw (1/128 s, modulo 512 s).</summary>
    public int TruncatedTimeRaw { get; set; }
    /// <summary>I001/141 truncated time of day in seconds (modulo 512 s).</summary>
    public double TruncatedTimeSeconds => TruncatedTimeRaw / 128.0;
    /// <summary>I001/170 first octet without FX (CON, RAD, MAN, DOU, RDPC, GHO).</summary>
    public int TrackStatusOctet1 { get; set; }
    /// <summary>I001/161 track number.</summary>
    public int TrackNumber { get; set; }
    /// <summary>I002/000 message type.</summary>
    public int MessageType { get; set; }
    /// <summary>I002/020 sector raw (360/2^8 deg).</summary>
    public int SectorRaw { get; set; }
    /// <summary>I002/020 sector azimuth in degrees.</summary>
    public double SectorDegrees => SectorRaw * (360.0 / 256.0);
    /// <summary>I002/030 time of day raw (1/128 s).</summary>
    public int TimeOfDayRaw { get; set; }
    /// <summary>I002/030 time of day in seconds.</summary>
    public double TimeOfDaySeconds => TimeOfDayRaw / 128.0;
    /// <summary>I002/041 antenna rotation period raw (1/128 s).</summary>
    public int AntennaRotationRaw { get; set; }
}

/// <summary>Typed decode of CAT001 / CAT002.</summary>
internal static class Cat001Codec
{
    /// <summary>Picks the plot or track UAP from TYP of I001/020 (FRN 2), before the record is walked.</summary>
    public static Uap SelectUap(ReadOnlySpan<byte> record)
    {
        var fspec = 0;
        while (fspec < record.Length && (record[fspec++] & 1) != 0)
        {
        }

        if (record.Length == 0 || (record[0] & 0x40) == 0)
        {
            return Cat001Uap.Ed1_2Plot;
        }

        var at = fspec + ((record[0] & 0x80) != 0 ? 2 : 0);
        return at < record.Length && (record[at] & 0x80) != 0 ? Cat001Uap.Ed1_2Track : Cat001Uap.Ed1_2Plot;
    }

    public static DecodeStatus Decode(AsterixRecord r)
    {
        var f = r.Cat001;
        var uap = r.Uap!;
        ReadOnlySpan<byte> b;
        int frn;
        if ((frn = uap.FrnOf("010")) > 0 && r.Has(frn)) { b = r.GetItemBytes(frn); f.Sac = b[0]; f.Sic = b[1]; }
        if (r.Category == 2)
        {
            // ASTERIX CAT002 ed. 1.1, I002/000, I002/020, I002/030, I002/041
            if (r.Has(2)) { f.MessageType = r.GetItemBytes(2)[0]; }
            if (r.Has(3)) { f.SectorRaw = r.GetItemBytes(3)[0]; }
            if (r.Has(4)) { f.TimeOfDayRaw = U24(r.GetItemBytes(4), 0); }
            if (r.Has(5)) { f.AntennaRotationRaw = U16(r.GetItemBytes(5), 0); }
            return DecodeStatus.Ok;
        }

        // ASTERIX CAT001 ed. 1.2, I001/020, I001/040, I001/070, I001/090, I001/141, I001/161
        f.IsTrack = ReferenceEquals(uap, Cat001Uap.Ed1_2Track);
        if (r.Has(2)) { f.DescriptorOctet1 = r.GetItemBytes(2)[0] & 0xFE; }
        if ((frn = uap.FrnOf("040")) > 0 && r.Has(frn)) { b = r.GetItemBytes(frn); f.RhoRaw = U16(b, 0); f.ThetaRaw = U16(b, 2); }
        if ((frn = uap.FrnOf("042")) > 0 && r.Has(frn)) { b = r.GetItemBytes(frn); f.XRaw = S16(b, 0); f.YRaw = S16(b, 2); }
        if ((frn = uap.FrnOf("200")) > 0 && r.Has(frn)) { b = r.GetItemBytes(frn); f.GroundSpeedRaw = U16(b, 0); f.HeadingRaw = U16(b, 2); }
        if ((frn = uap.FrnOf("070")) > 0 && r.Has(frn)) { b = r.GetItemBytes(frn); f.Mode3AFlags = b[0] >> 5; f.Mode3ACode = U16(b, 0) & 0xFFF; }
        if ((frn = uap.FrnOf("090")) > 0 && r.Has(frn)) { b = r.GetItemBytes(frn); f.FlightLevelFlags = b[0] >> 6; f.FlightLevelRaw = SignExtend(U16(b, 0), 14); }
        if ((frn = uap.FrnOf("170")) > 0 && r.Has(frn)) { f.TrackStatusOctet1 = r.GetItemBytes(frn)[0] & 0xFE; }
        if ((frn = uap.FrnOf("141")) > 0 && r.Has(frn)) { f.TruncatedTimeRaw = U16(r.GetItemBytes(frn), 0); }
        if ((frn = uap.FrnOf("161")) > 0 && r.Has(frn)) { f.TrackNumber = U16(r.GetItemBytes(frn), 0); }
        return DecodeStatus.Ok;
    }
}
