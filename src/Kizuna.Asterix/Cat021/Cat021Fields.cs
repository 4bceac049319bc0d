using Kizuna.Asterix.Common;
using static Kizuna.Asterix.Common.BigEndian;

namespace Kizuna.Asterix.Cat021;

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
        ReadOnlySpan<byte> b;
        var v2 = m.V2;
        // ASTERIX CAT021 ed. 2.6 / 2.1 / 0.26, items named as in the specification
        if (r.Has(m.I010)) { b = r.GetItemBytes(m.I010); f.Sac = b[0]; f.Sic = b[1]; }
        if (r.Has(m.I040)) { f.DescriptorOctet1 = r.GetItemBytes(m.I040)[0] & (v2 ? 0xFE : 0xFF); }
        if (r.Has(m.I161)) { f.TrackNumber = U16(r.GetItemBytes(m.I161), 0) & 0xFFF; }
        if (r.Has(m.I015)) { f.ServiceId = r.GetItemBytes(m.I015)[0]; }
        f.ReportPeriodRaw = r.Has(m.I016) ? r.GetItemBytes(m.I016)[0] : -1;
        f.TimeOfApplicabilityPositionRaw = r.Has(m.I071) ? U24(r.GetItemBytes(m.I071), 0) : -1;
        f.TimeOfReceptionPositionRaw = r.Has(m.I073) ? U24(r.GetItemBytes(m.I073), 0) : -1;
        f.TimeOfReceptionVelocityRaw = r.Has(m.I075) ? U24(r.GetItemBytes(m.I075), 0) : -1;
        f.TimeOfReportTransmissionRaw = r.Has(m.I077) ? U24(r.GetItemBytes(m.I077), 0) : -1;
        // ed. 0.26 I021/030 time of day: the time of applicability of the position.
        if (!v2 && r.Has(m.I030)) { f.TimeOfApplicabilityPositionRaw = U24(r.GetItemBytes(m.I030), 0); }
        if (r.Has(m.I130))
        {
            b = r.GetItemBytes(m.I130);
            if (v2)
            {
                // ed. 2.x I021/130: signed 24-bit latitude and longitude, LSB 180/2^23 deg.
                f.LatitudeRaw = S24(b, 0);
                f.LongitudeRaw = S24(b, 3);
                f.LatitudeDegrees = f.LatitudeRaw * (180.0 / 8388608.0);
                f.LongitudeDegrees = f.LongitudeRaw * (180.0 / 8388608.0);
            }
            else
            {
                // ed. 0.26 I021/130: signed 32-bit latitude and longitude, LSB 180/2^25 deg.
                f.LatitudeRaw = S32(b, 0);
                f.LongitudeRaw = S32(b, 4);
                f.LatitudeDegrees = f.LatitudeRaw * (180.0 / 33554432.0);
                f.LongitudeDegrees = f.LongitudeRaw * (180.0 / 33554432.0);
            }
        }

        // ed. 2.x I021/131 high-resolution position (LSB 180/2^30 deg); ed. 0.26 FRN "131" is signal amplitude (1 octet).
        if (v2 && r.Has(m.I131))
        {
            b = r.GetItemBytes(m.I131);
            f.LatitudeHighResRaw = S32(b, 0);
            f.LongitudeHighResRaw = S32(b, 4);
            f.LatitudeDegrees = f.LatitudeHighResRaw * (180.0 / 1073741824.0);
            f.LongitudeDegrees = f.LongitudeHighResRaw * (180.0 / 1073741824.0);
        }

        if (r.Has(m.I080)) { f.TargetAddress = U24(r.GetItemBytes(m.I080), 0); }
        if (r.Has(m.I140)) { f.GeometricHeightRaw = S16(r.GetItemBytes(m.I140), 0); }
        if (r.Has(m.I145)) { f.FlightLevelRaw = S16(r.GetItemBytes(m.I145), 0); }
        if (r.Has(m.I150)) { f.AirSpeedRaw = U16(r.GetItemBytes(m.I150), 0); }
        if (r.Has(m.I151)) { f.TrueAirSpeedRaw = U16(r.GetItemBytes(m.I151), 0); }
        if (r.Has(m.I155)) { f.BarometricVerticalRateRaw = SignExtend(U16(r.GetItemBytes(m.I155), 0), v2 ? 15 : 16); }
        if (r.Has(m.I157)) { f.GeometricVerticalRateRaw = SignExtend(U16(r.GetItemBytes(m.I157), 0), v2 ? 15 : 16); }
        if (r.Has(m.I160))
        {
            b = r.GetItemBytes(m.I160);
            f.GroundSpeedRaw = U16(b, 0) & (v2 ? 0x7FFF : 0xFFFF);
            f.TrackAngleRaw = U16(b, 2);
        }

        if (r.Has(m.I070)) { f.Mode3ACode = U16(r.GetItemBytes(m.I070), 0) & 0xFFF; }
        if (r.Has(m.I020)) { f.EmitterCategory = r.GetItemBytes(m.I020)[0]; }
        if (r.Has(m.I090)) { f.QualityOctet1 = r.GetItemBytes(m.I090)[0] & (v2 ? 0xFE : 0xFF); }
        if (r.Has(m.I200)) { f.TargetStatus = r.GetItemBytes(m.I200)[0]; }
        if (r.Has(m.I170)) { IcaoCallsign(r.GetItemBytes(m.I170), 0, f.CallsignBuffer); }
        return DecodeStatus.Ok;
    }
}
