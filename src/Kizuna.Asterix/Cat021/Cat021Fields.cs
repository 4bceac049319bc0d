using Kizuna.Asterix.Common;
using static Kizuna.Asterix.Common.BigEndian;

namespace Kizuna.Asterix.Cat021;

/// <summary>Field reference numbers of CAT021 ed. 2.6 (the UAP the encoder writes; ed. 2.1 has the same FRNs).</summary>
public static class Cat021Frn
{
#pragma warning disable CS1591 // item names are the spec's own
    public const int I010 = 1, I040 = 2, I161 = 3, I015 = 4, I071 = 5, I130 = 6, I131 = 7, I072 = 8, I150 = 9, I151 = 10,
        I080 = 11, I073 = 12, I074 = 13, I075 = 14, I076 = 15, I140 = 16, I090 = 17, I210 = 18, I070 = 19, I230 = 20,
        I145 = 21, I152 = 22, I200 = 23, I155 = 24, I157 = 25, I160 = 26, I165 = 27, I077 = 28, I170 = 29, I020 = 30,
        I220 = 31, I146 = 32, I148 = 33, I110 = 34, I016 = 35, I008 = 36, I271 = 37, I132 = 38, I250 = 39, I260 = 40,
        I400 = 41, I295 = 42, RE = 48, SP = 49;
#pragma warning restore CS1591
}

/// <summary>Typed CAT021 fields (ADS-B target reports), editions 2.6 / 2.1 (same UAP) and 0.26 (items found by name).</summary>
/// <remarks>
/// ASTERIX CAT021 ed. 0.26 differs: I021/130 is two signed 32-bit values with LSB 180/2^25 deg, I021/030 is the
/// time of day, and the FRN of "131" is the signal amplitude (not a position).
/// ASTERIX CAT021 ed. 2.6: I021/016 report period LSB 1/2 s; I021/130 latitude/longitude LSB 180/2^23 deg (signed 24 each); I021/131 LSB 180/2^30
/// deg (signed 32 each); I021/071, 073, 075, 077 LSB 1/128 s; I021/140 geometric height LSB 6.25 ft (signed 16);
/// I021/145 LSB 1/4 FL (signed 16); I021/155, I021/157 LSB 6.25 ft/min (signed 15 with RE bit);
/// I021/160 ground speed LSB 2^-14 NM/s (15 bits with RE), track angle LSB 360/2^16 deg; I021/150 IAS LSB 2^-14 NM/s
/// or Mach LSB 0.001 (IM bit); I021/151 TAS 1 kt; I021/170 callsign in ICAO six-bit characters.
/// </remarks>
public sealed class Cat021Fields
{
    private readonly char[] _callsign = new char[8];

    /// <summary>I021/010 SAC.</summary>
    public int Sac { get; set; }
    /// <summary>I021/010 SIC.</summary>
    public int Sic { get; set; }
    /// <summary>I021/161 track number.</summary>
    public int TrackNumber { get; set; }
    /// <summary>I021/015 service identification.</summary>
    public int ServiceId { get; set; }
    /// <summary>I021/040 first octet without FX (ATP, ARC, RC, RAB).</summary>
    public int DescriptorOctet1 { get; set; }
    /// <summary>I021/016 report period raw (1/2 s), or −1 when absent.</summary>
    public int ReportPeriodRaw { get; set; } = -1;
    /// <summary>I021/016 report period in seconds (NaN when absent).</summary>
    public double ReportPeriodSeconds => ReportPeriodRaw < 0 ? double.NaN : ReportPeriodRaw * 0.5;
    /// <summary>I021/071 time of applicability for position raw (1/128 s), or −1 when absent (ed. 0.26: I021/030).</summary>
    public int TimeOfApplicabilityPositionRaw { get; set; } = -1;
    /// <summary>I021/071 (ed. 0.26 I021/030) in seconds since midnight UTC (NaN when absent).</summary>
    public double TimeOfApplicabilityPositionSeconds => Seconds(TimeOfApplicabilityPositionRaw);
    /// <summary>I021/073 in seconds since midnight UTC (NaN when absent).</summary>
    public double TimeOfReceptionPositionSeconds => Seconds(TimeOfReceptionPositionRaw);
    /// <summary>I021/075 in seconds since midnight UTC (NaN when absent).</summary>
    public double TimeOfReceptionVelocitySeconds => Seconds(TimeOfReceptionVelocityRaw);
    /// <summary>I021/077 in seconds since midnight UTC (NaN when absent).</summary>
    public double TimeOfReportTransmissionSeconds => Seconds(TimeOfReportTransmissionRaw);
    /// <summary>I021/070 as the usual four-digit octal number.</summary>
    public int Mode3AOctal => (((Mode3ACode >> 9) & 7) * 1000) + (((Mode3ACode >> 6) & 7) * 100) + (((Mode3ACode >> 3) & 7) * 10) + (Mode3ACode & 7);
    /// <summary>I021/140 geometric height in metres.</summary>
    public double GeometricHeightMetres => GeometricHeightRaw * 6.25 * 0.3048;
    /// <summary>I021/145 pressure altitude in metres.</summary>
    public double PressureAltitudeMetres => FlightLevelRaw * 25.0 * 0.3048;

    private static double Seconds(int raw) => raw < 0 ? double.NaN : raw / 128.0;
    /// <summary>I021/073 time of message reception for position raw (1/128 s).</summary>
    public int TimeOfReceptionPositionRaw { get; set; } = -1;
    /// <summary>I021/075 time of message reception of velocity raw (1/128 s).</summary>
    public int TimeOfReceptionVelocityRaw { get; set; } = -1;
    /// <summary>I021/077 time of report transmission raw (1/128 s).</summary>
    public int TimeOfReportTransmissionRaw { get; set; } = -1;
    /// <summary>I021/130 latitude raw (ed. 2.x: 180/2^23 deg; ed. 0.26: 180/2^25 deg).</summary>
    public int LatitudeRaw { get; set; }
    /// <summary>I021/130 longitude raw (180/2^23 deg).</summary>
    public int LongitudeRaw { get; set; }
    /// <summary>I021/131 latitude raw (180/2^30 deg).</summary>
    public int LatitudeHighResRaw { get; set; }
    /// <summary>I021/131 longitude raw (180/2^30 deg).</summary>
    public int LongitudeHighResRaw { get; set; }
    /// <summary>Best latitude in degrees (I021/131 if present, else I021/130).</summary>
    public double LatitudeDegrees { get; internal set; }
    /// <summary>Best longitude in degrees.</summary>
    public double LongitudeDegrees { get; internal set; }
    /// <summary>I021/080 target address.</summary>
    public int TargetAddress { get; set; }
    /// <summary>I021/140 geometric height raw (6.25 ft).</summary>
    public int GeometricHeightRaw { get; set; }
    /// <summary>I021/140 geometric height in feet.</summary>
    public double GeometricHeightFeet => GeometricHeightRaw * 6.25;
    /// <summary>I021/145 flight level raw (1/4 FL).</summary>
    public int FlightLevelRaw { get; set; }
    /// <summary>I021/145 flight level.</summary>
    public double FlightLevel => FlightLevelRaw / 4.0;
    /// <summary>I021/150 raw (IM bit 16 + 15-bit value).</summary>
    public int AirSpeedRaw { get; set; }
    /// <summary>I021/151 true airspeed raw (RE bit 16 + 15 bits, 1 kt).</summary>
    public int TrueAirSpeedRaw { get; set; }
    /// <summary>I021/155 barometric vertical rate raw (6.25 ft/min, signed 15).</summary>
    public int BarometricVerticalRateRaw { get; set; }
    /// <summary>I021/157 geometric vertical rate raw (6.25 ft/min, signed 15).</summary>
    public int GeometricVerticalRateRaw { get; set; }
    /// <summary>I021/160 ground speed raw (2^-14 NM/s).</summary>
    public int GroundSpeedRaw { get; set; }
    /// <summary>I021/160 track angle raw (360/2^16 deg).</summary>
    public int TrackAngleRaw { get; set; }
    /// <summary>I021/070 Mode 3/A code (12 bits).</summary>
    public int Mode3ACode { get; set; }
    /// <summary>I021/020 emitter category.</summary>
    public int EmitterCategory { get; set; }
    /// <summary>I021/090 first octet without FX (NUCr/NACv, NUCp/NIC).</summary>
    public int QualityOctet1 { get; set; }
    /// <summary>I021/200 target status raw octet.</summary>
    public int TargetStatus { get; set; }
    /// <summary>I021/170 target identification (callsign), 8 characters.</summary>
    public ReadOnlySpan<char> Callsign => _callsign;

    internal Span<char> CallsignBuffer => _callsign;

    /// <summary>Sets I021/170 (up to 8 characters, padded with spaces).</summary>
    public void SetCallsign(ReadOnlySpan<char> callsign)
    {
        _callsign.AsSpan().Fill(' ');
        callsign[..Math.Min(8, callsign.Length)].CopyTo(_callsign);
    }

    /// <summary>Sets the I021/130 position from raw values (180/2^23 deg) and updates the degrees.</summary>
    public void SetPosition(int latitudeRaw, int longitudeRaw)
    {
        LatitudeRaw = latitudeRaw;
        LongitudeRaw = longitudeRaw;
        LatitudeDegrees = latitudeRaw * (180.0 / 8388608.0);
        LongitudeDegrees = longitudeRaw * (180.0 / 8388608.0);
    }
}

/// <summary>Typed decode of CAT021 items (FRNs looked up by item name once per UAP, so every edition table works).</summary>
internal static class Cat021Codec
{
    /// <summary>FRN of each typed item in one UAP (0 when the edition has no such item).</summary>
    private sealed class FrnMap(Uap uap)
    {
        public readonly bool V2 = uap.Edition != "0.26";
        public readonly int I010 = uap.FrnOf("010"), I040 = uap.FrnOf("040"), I161 = uap.FrnOf("161"), I015 = uap.FrnOf("015"),
            I016 = uap.FrnOf("016"), I071 = uap.FrnOf("071"), I073 = uap.FrnOf("073"), I075 = uap.FrnOf("075"), I077 = uap.FrnOf("077"),
            I030 = uap.FrnOf("030"), I130 = uap.FrnOf("130"), I131 = uap.FrnOf("131"), I080 = uap.FrnOf("080"), I140 = uap.FrnOf("140"),
            I145 = uap.FrnOf("145"), I150 = uap.FrnOf("150"), I151 = uap.FrnOf("151"), I155 = uap.FrnOf("155"), I157 = uap.FrnOf("157"),
            I160 = uap.FrnOf("160"), I070 = uap.FrnOf("070"), I020 = uap.FrnOf("020"), I090 = uap.FrnOf("090"), I200 = uap.FrnOf("200"),
            I170 = uap.FrnOf("170");
    }

    private static readonly FrnMap Ed26 = new(Cat021Uap.Ed2_6);
    private static readonly FrnMap Ed21 = new(Cat021Uap.Ed2_1);
    private static readonly FrnMap Ed026 = new(Cat021Uap.Ed0_26);

    private static FrnMap MapOf(Uap uap) =>
        ReferenceEquals(uap, Cat021Uap.Ed2_6) ? Ed26 : ReferenceEquals(uap, Cat021Uap.Ed2_1) ? Ed21 : Ed026;

    public static DecodeStatus Decode(AsterixRecord r)
    {
        var f = r.Cat021;
        var m = MapOf(r.Uap!);
        var p = r.Present.Bits;
        ReadOnlySpan<byte> s = r.Buffer;
        ReadOnlySpan<int> o = r.OffsetTable;
        int at;
        var v2 = m.V2;
        // ASTERIX CAT021 ed. 2.6 / 2.1 / 0.26, items named as in the specification
        if (H(p, m.I010)) { at = o[m.I010 - 1]; f.Sac = s[at]; f.Sic = s[at + 1]; }
        if (H(p, m.I040)) { f.DescriptorOctet1 = s[o[m.I040 - 1]] & (v2 ? 0xFE : 0xFF); }
        if (H(p, m.I161)) { f.TrackNumber = U16(s, o[m.I161 - 1]) & 0xFFF; }
        if (H(p, m.I015)) { f.ServiceId = s[o[m.I015 - 1]]; }
        f.ReportPeriodRaw = H(p, m.I016) ? s[o[m.I016 - 1]] : -1;
        f.TimeOfApplicabilityPositionRaw = H(p, m.I071) ? U24(s, o[m.I071 - 1]) : -1;
        f.TimeOfReceptionPositionRaw = H(p, m.I073) ? U24(s, o[m.I073 - 1]) : -1;
        f.TimeOfReceptionVelocityRaw = H(p, m.I075) ? U24(s, o[m.I075 - 1]) : -1;
        f.TimeOfReportTransmissionRaw = H(p, m.I077) ? U24(s, o[m.I077 - 1]) : -1;
        // ed. 0.26 I021/030 time of day: the time of applicability of the position.
        if (!v2 && H(p, m.I030)) { f.TimeOfApplicabilityPositionRaw = U24(s, o[m.I030 - 1]); }
        if (H(p, m.I130))
        {
            at = o[m.I130 - 1];
            if (v2)
            {
                // ed. 2.x I021/130: signed 24-bit latitude and longitude, LSB 180/2^23 deg.
                f.LatitudeRaw = S24(s, at);
                f.LongitudeRaw = S24(s, at + 3);
                f.LatitudeDegrees = f.LatitudeRaw * (180.0 / 8388608.0);
                f.LongitudeDegrees = f.LongitudeRaw * (180.0 / 8388608.0);
            }
            else
            {
                // ed. 0.26 I021/130: signed 32-bit latitude and longitude, LSB 180/2^25 deg.
                f.LatitudeRaw = S32(s, at);
                f.LongitudeRaw = S32(s, at + 4);
                f.LatitudeDegrees = f.LatitudeRaw * (180.0 / 33554432.0);
                f.LongitudeDegrees = f.LongitudeRaw * (180.0 / 33554432.0);
            }
        }

        // ed. 2.x I021/131 high-resolution position (LSB 180/2^30 deg); ed. 0.26 FRN "131" is signal amplitude (1 octet).
        if (v2 && H(p, m.I131))
        {
            at = o[m.I131 - 1];
            f.LatitudeHighResRaw = S32(s, at);
            f.LongitudeHighResRaw = S32(s, at + 4);
            f.LatitudeDegrees = f.LatitudeHighResRaw * (180.0 / 1073741824.0);
            f.LongitudeDegrees = f.LongitudeHighResRaw * (180.0 / 1073741824.0);
        }

        if (H(p, m.I080)) { f.TargetAddress = U24(s, o[m.I080 - 1]); }
        if (H(p, m.I140)) { f.GeometricHeightRaw = S16(s, o[m.I140 - 1]); }
        if (H(p, m.I145)) { f.FlightLevelRaw = S16(s, o[m.I145 - 1]); }
        if (H(p, m.I150)) { f.AirSpeedRaw = U16(s, o[m.I150 - 1]); }
        if (H(p, m.I151)) { f.TrueAirSpeedRaw = U16(s, o[m.I151 - 1]); }
        if (H(p, m.I155)) { f.BarometricVerticalRateRaw = SignExtend(U16(s, o[m.I155 - 1]), v2 ? 15 : 16); }
        if (H(p, m.I157)) { f.GeometricVerticalRateRaw = SignExtend(U16(s, o[m.I157 - 1]), v2 ? 15 : 16); }
        if (H(p, m.I160))
        {
            at = o[m.I160 - 1];
            f.GroundSpeedRaw = U16(s, at) & (v2 ? 0x7FFF : 0xFFFF);
            f.TrackAngleRaw = U16(s, at + 2);
        }

        if (H(p, m.I070)) { f.Mode3ACode = U16(s, o[m.I070 - 1]) & 0xFFF; }
        if (H(p, m.I020)) { f.EmitterCategory = s[o[m.I020 - 1]]; }
        if (H(p, m.I090)) { f.QualityOctet1 = s[o[m.I090 - 1]] & (v2 ? 0xFE : 0xFF); }
        if (H(p, m.I200)) { f.TargetStatus = s[o[m.I200 - 1]]; }
        if (H(p, m.I170)) { IcaoCallsign(s, o[m.I170 - 1], f.CallsignBuffer); }
        return DecodeStatus.Ok;
    }

    /// <summary>Whether the item at <paramref name="frn"/> (0: not in this edition) is present in <paramref name="present"/>.</summary>
    private static bool H(ulong present, int frn) => frn != 0 && ((present >> (frn - 1)) & 1) != 0;

    /// <summary>
    /// Writes the typed items of CAT021 ed. 2.6; returns −1 for items kept as raw bytes. Items whose typed fields drop
    /// bits (I040 and I090 extensions, the RE bits of I155, I157, I160) are written from raw bytes when the record has
    /// them (a decoded record re-encodes byte-exact), otherwise from the typed fields with those bits zero.
    /// </summary>
    public static int WriteTyped(AsterixRecord r, int frn, Span<byte> d)
    {
        var f = r.Cat021;
        if (r.HasRaw(frn) && frn is Cat021Frn.I040 or Cat021Frn.I090 or Cat021Frn.I155 or Cat021Frn.I157 or Cat021Frn.I160)
        {
            return -1;
        }

        switch (frn)
        {
            case Cat021Frn.I010: d[0] = (byte)f.Sac; d[1] = (byte)f.Sic; return 2;
            case Cat021Frn.I040: d[0] = (byte)(f.DescriptorOctet1 & 0xFE); return 1;
            case Cat021Frn.I161: W16(d, 0, f.TrackNumber & 0xFFF); return 2;
            case Cat021Frn.I015: d[0] = (byte)f.ServiceId; return 1;
            case Cat021Frn.I016: d[0] = (byte)f.ReportPeriodRaw; return 1;
            case Cat021Frn.I071: W24(d, 0, f.TimeOfApplicabilityPositionRaw); return 3;
            case Cat021Frn.I073: W24(d, 0, f.TimeOfReceptionPositionRaw); return 3;
            case Cat021Frn.I075: W24(d, 0, f.TimeOfReceptionVelocityRaw); return 3;
            case Cat021Frn.I077: W24(d, 0, f.TimeOfReportTransmissionRaw); return 3;
            case Cat021Frn.I130: W24(d, 0, f.LatitudeRaw); W24(d, 3, f.LongitudeRaw); return 6;
            case Cat021Frn.I131: W32(d, 0, f.LatitudeHighResRaw); W32(d, 4, f.LongitudeHighResRaw); return 8;
            case Cat021Frn.I080: W24(d, 0, f.TargetAddress); return 3;
            case Cat021Frn.I140: W16(d, 0, f.GeometricHeightRaw); return 2;
            case Cat021Frn.I145: W16(d, 0, f.FlightLevelRaw); return 2;
            case Cat021Frn.I150: W16(d, 0, f.AirSpeedRaw); return 2;
            case Cat021Frn.I151: W16(d, 0, f.TrueAirSpeedRaw); return 2;
            case Cat021Frn.I155: W16(d, 0, f.BarometricVerticalRateRaw & 0x7FFF); return 2;
            case Cat021Frn.I157: W16(d, 0, f.GeometricVerticalRateRaw & 0x7FFF); return 2;
            case Cat021Frn.I160: W16(d, 0, f.GroundSpeedRaw & 0x7FFF); W16(d, 2, f.TrackAngleRaw); return 4;
            case Cat021Frn.I070: W16(d, 0, f.Mode3ACode & 0xFFF); return 2;
            case Cat021Frn.I090: d[0] = (byte)(f.QualityOctet1 & 0xFE); return 1;
            case Cat021Frn.I200: d[0] = (byte)f.TargetStatus; return 1;
            case Cat021Frn.I170: WriteIcaoCallsign(d, 0, f.Callsign); return 6;
            case Cat021Frn.I020: d[0] = (byte)f.EmitterCategory; return 1;
            default: return -1;
        }
    }
}
