using Kizuna.Asterix.Common;
using static Kizuna.Asterix.Common.BigEndian;

namespace Kizuna.Asterix.Cat021;

/// <summary>Typed CAT021 fields (ADS-B target reports), editions 2.6 / 2.1 (same UAP) and 0.26 (items found by name).</summary>
/// <remarks>
/// ASTERIX CAT021 ed. 2.6: I021/130 latitude/longitude LSB 180/2^23 deg (signed 24 each); I021/131 LSB 180/2^30
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
    /// <summary>I021/071 time of applicability for position raw (1/128 s).</summary>
    public int TimeOfApplicabilityPositionRaw { get; set; } = -1;
    /// <summary>I021/073 time of message reception for position raw (1/128 s).</summary>
    public int TimeOfReceptionPositionRaw { get; set; } = -1;
    /// <summary>I021/075 time of message reception of velocity raw (1/128 s).</summary>
    public int TimeOfReceptionVelocityRaw { get; set; } = -1;
    /// <summary>I021/077 time of report transmission raw (1/128 s).</summary>
    public int TimeOfReportTransmissionRaw { get; set; } = -1;
    /// <summary>I021/130 latitude raw (180/2^23 deg).</summary>
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

/// <summary>Typed decode of CAT021 items (by item name, so every edition table works).</summary>
internal static class Cat021Codec
{
    private static int Frn(AsterixRecord r, string item)
    {
        var frn = r.Uap!.FrnOf(item);
        return frn > 0 && r.Has(frn) ? frn : 0;
    }

    public static DecodeStatus Decode(AsterixRecord r)
    {
        var f = r.Cat021;
        ReadOnlySpan<byte> b;
        int frn;
        var v2 = r.Uap!.Edition != "0.26";
        // ASTERIX CAT021 ed. 2.6 (and 2.1, 0.26), items named as in the specification
        if ((frn = Frn(r, "010")) > 0) { b = r.GetItemBytes(frn); f.Sac = b[0]; f.Sic = b[1]; }
        if ((frn = Frn(r, "040")) > 0) { f.DescriptorOctet1 = r.GetItemBytes(frn)[0] & 0xFE; }
        if ((frn = Frn(r, "161")) > 0) { f.TrackNumber = U16(r.GetItemBytes(frn), 0) & 0xFFF; }
        if ((frn = Frn(r, "015")) > 0) { f.ServiceId = r.GetItemBytes(frn)[0]; }
        f.TimeOfApplicabilityPositionRaw = (frn = Frn(r, "071")) > 0 ? U24(r.GetItemBytes(frn), 0) : -1;
        f.TimeOfReceptionPositionRaw = (frn = Frn(r, "073")) > 0 ? U24(r.GetItemBytes(frn), 0) : -1;
        f.TimeOfReceptionVelocityRaw = (frn = Frn(r, "075")) > 0 ? U24(r.GetItemBytes(frn), 0) : -1;
        f.TimeOfReportTransmissionRaw = (frn = Frn(r, "077")) > 0 ? U24(r.GetItemBytes(frn), 0) : -1;
        if (!v2 && (frn = Frn(r, "030")) > 0) { f.TimeOfApplicabilityPositionRaw = U24(r.GetItemBytes(frn), 0); }
        if ((frn = Frn(r, "130")) > 0)
        {
            b = r.GetItemBytes(frn);
            if (b.Length == 6)
            {
                f.LatitudeRaw = S24(b, 0);
                f.LongitudeRaw = S24(b, 3);
                f.LatitudeDegrees = f.LatitudeRaw * (180.0 / 8388608.0);
                f.LongitudeDegrees = f.LongitudeRaw * (180.0 / 8388608.0);
            }
            else
            {
                // ed. 0.26 I021/130: 32-bit latitude and longitude, LSB 180/2^23 deg.
                f.LatitudeRaw = S32(b, 0);
                f.LongitudeRaw = S32(b, 4);
                f.LatitudeDegrees = f.LatitudeRaw * (180.0 / 8388608.0);
                f.LongitudeDegrees = f.LongitudeRaw * (180.0 / 8388608.0);
            }
        }

        if ((frn = Frn(r, "131")) > 0 && r.GetItemBytes(frn).Length == 8)
        {
            b = r.GetItemBytes(frn);
            f.LatitudeHighResRaw = S32(b, 0);
            f.LongitudeHighResRaw = S32(b, 4);
            f.LatitudeDegrees = f.LatitudeHighResRaw * (180.0 / 1073741824.0);
            f.LongitudeDegrees = f.LongitudeHighResRaw * (180.0 / 1073741824.0);
        }

        if ((frn = Frn(r, "080")) > 0) { f.TargetAddress = U24(r.GetItemBytes(frn), 0); }
        if ((frn = Frn(r, "140")) > 0) { f.GeometricHeightRaw = S16(r.GetItemBytes(frn), 0); }
        if ((frn = Frn(r, "145")) > 0) { f.FlightLevelRaw = S16(r.GetItemBytes(frn), 0); }
        if ((frn = Frn(r, "150")) > 0) { f.AirSpeedRaw = U16(r.GetItemBytes(frn), 0); }
        if ((frn = Frn(r, "151")) > 0) { f.TrueAirSpeedRaw = U16(r.GetItemBytes(frn), 0); }
        if ((frn = Frn(r, "155")) > 0) { f.BarometricVerticalRateRaw = SignExtend(U16(r.GetItemBytes(frn), 0), v2 ? 15 : 16); }
        if ((frn = Frn(r, "157")) > 0) { f.GeometricVerticalRateRaw = SignExtend(U16(r.GetItemBytes(frn), 0), v2 ? 15 : 16); }
        if ((frn = Frn(r, "160")) > 0)
        {
            b = r.GetItemBytes(frn);
            f.GroundSpeedRaw = U16(b, 0) & (v2 ? 0x7FFF : 0xFFFF);
            f.TrackAngleRaw = U16(b, 2);
        }

        if ((frn = Frn(r, "070")) > 0) { f.Mode3ACode = U16(r.GetItemBytes(frn), 0) & 0xFFF; }
        if ((frn = Frn(r, "020")) > 0) { f.EmitterCategory = r.GetItemBytes(frn)[0]; }
        if ((frn = Frn(r, "090")) > 0) { f.QualityOctet1 = r.GetItemBytes(frn)[0] & 0xFE; }
        if ((frn = Frn(r, "200")) > 0) { f.TargetStatus = r.GetItemBytes(frn)[0]; }
        if ((frn = Frn(r, "170")) > 0) { IcaoCallsign(r.GetItemBytes(frn), 0, f.CallsignBuffer); }
        return DecodeStatus.Ok;
    }
}
