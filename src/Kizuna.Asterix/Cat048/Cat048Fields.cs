using Kizuna.Asterix.Common;

namespace Kizuna.Asterix.Cat048;

/// <summary>Field reference numbers of CAT048 ed. 1.31 (UAP, EUROCONTROL-SPEC-0149-4 section 5.3).</summary>
public static class Cat048Frn
{
#pragma warning disable CS1591 // item names are the spec's own
    public const int I010 = 1, I140 = 2, I020 = 3, I040 = 4, I070 = 5, I090 = 6, I130 = 7, I220 = 8, I240 = 9, I250 = 10,
        I161 = 11, I042 = 12, I200 = 13, I170 = 14, I210 = 15, I030 = 16, I080 = 17, I100 = 18, I110 = 19, I120 = 20,
        I230 = 21, I260 = 22, I055 = 23, I050 = 24, I065 = 25, I060 = 26, SP = 27, RE = 28;
#pragma warning restore CS1591
}

/// <summary>
/// Typed CAT048 fields (monoradar target reports). Raw values are in the units the specification names (its LSB);
/// the derived properties give SI units.
/// </summary>
/// <remarks>
/// ASTERIX CAT048 ed. 1.31 (EUROCONTROL-SPEC-0149-4): I048/140 LSB 1/128 s; I048/040 RHO LSB 1/256 NM, THETA LSB
/// 360/2^16 deg; I048/090 LSB 1/4 FL (14-bit two's complement); I048/042 LSB 1/128 NM; I048/200 ground speed LSB
/// 2^-14 NM/s, heading LSB 360/2^16 deg; I048/110 LSB 25 ft; I048/120 sub-field CAL LSB 1 m/s (10-bit two's
/// complement). 1 NM = 1852 m, 1 ft = 0.3048 m (exact).
/// Items without typed fields (I130, I250, I030, I080, I100, I210, I260, I055, I050, I065, I060, SP, RE, and the
/// RDS sub-field of I120) are read by length and kept as raw bytes (<see cref="AsterixRecord.GetItemBytes"/>).
/// </remarks>
public sealed class Cat048Fields
{
    private readonly char[] _callsign = new char[8];
    private long _callsignRaw;
    private bool _callsignPending;

    /// <summary>I048/010 System Area Code.</summary>
    public int Sac { get; set; }
    /// <summary>I048/010 System Identification Code.</summary>
    public int Sic { get; set; }
    /// <summary>I048/140 time of day, raw (1/128 s since midnight UTC).</summary>
    public int TimeOfDayRaw { get; set; }
    /// <summary>I048/140 time of day in seconds.</summary>
    public double TimeOfDaySeconds => TimeOfDayRaw / 128.0;
    /// <summary>I048/020 first octet, without FX (TYP, SIM, RDP, SPI, RAB in bits 8..2).</summary>
    public int DescriptorOctet1 { get; set; }
    /// <summary>I048/020 TYP (0 no detection … 7 Mode S roll-call + PSR).</summary>
    public int Typ => (DescriptorOctet1 >> 5) & 7;
    /// <summary>I048/020 SIM: simulated target report.</summary>
    public bool Simulated => (DescriptorOctet1 & 0x10) != 0;
    /// <summary>I048/020 SPI.</summary>
    public bool Spi => (DescriptorOctet1 & 0x04) != 0;
    /// <summary>I048/020 first extension octet without FX, or −1 if absent (TST, ERR, XPP, ME, MI, FOE/FRI).</summary>
    public int DescriptorOctet2 { get; set; } = -1;
    /// <summary>I048/040 RHO raw (1/256 NM).</summary>
    public int RhoRaw { get; set; }
    /// <summary>I048/040 THETA raw (360/2^16 deg).</summary>
    public int ThetaRaw { get; set; }
    /// <summary>I048/040 slant range in metres.</summary>
    public double RangeMetres => RhoRaw / 256.0 * 1852.0;
    /// <summary>I048/040 slant range in NM.</summary>
    public double RangeNauticalMiles => RhoRaw / 256.0;
    /// <summary>I048/040 azimuth in degrees clockwise from north.</summary>
    public double AzimuthDegrees => ThetaRaw * (360.0 / 65536.0);
    /// <summary>I048/070 V, G, L bits (bits 16..14) as 0..7.</summary>
    public int Mode3AFlags { get; set; }
    /// <summary>I048/070 Mode 3/A reply, 12 bits (four octal digits A4..D1).</summary>
    public int Mode3ACode { get; set; }
    /// <summary>I048/070 as the usual four-digit octal number (e.g. 7000 for 0xE00).</summary>
    public int Mode3AOctal => (((Mode3ACode >> 9) & 7) * 1000) + (((Mode3ACode >> 6) & 7) * 100) + (((Mode3ACode >> 3) & 7) * 10) + (Mode3ACode & 7);
    /// <summary>I048/090 V and G bits (2 bits).</summary>
    public int FlightLevelFlags { get; set; }
    /// <summary>I048/090 flight level raw (1/4 FL, two's complement 14 bits).</summary>
    public int FlightLevelRaw { get; set; }
    /// <summary>I048/090 flight level (hundreds of feet).</summary>
    public double FlightLevel => FlightLevelRaw / 4.0;
    /// <summary>I048/090 pressure altitude in metres.</summary>
    public double PressureAltitudeMetres => FlightLevelRaw * 25.0 * 0.3048;
    /// <summary>I048/220 ICAO 24-bit aircraft address.</summary>
    public int AircraftAddress { get; set; }
    /// <summary>I048/240 callsign, 8 characters padded with spaces (decoded from the six-bit characters on first use).</summary>
    public ReadOnlySpan<char> Callsign
    {
        get
        {
            if (_callsignPending)
            {
                BigEndian.IcaoCallsign(_callsignRaw, _callsign);
                _callsignPending = false;
            }

            return _callsign;
        }
    }
    /// <summary>I048/250 number of Mode S MB registers.</summary>
    public int ModeSMbCount { get; set; }
    /// <summary>I048/161 track number (12 bits).</summary>
    public int TrackNumber { get; set; }
    /// <summary>I048/042 X raw (1/128 NM, signed).</summary>
    public int XRaw { get; set; }
    /// <summary>I048/042 Y raw (1/128 NM, signed).</summary>
    public int YRaw { get; set; }
    /// <summary>I048/042 X in metres (east of the radar).</summary>
    public double XMetres => XRaw / 128.0 * 1852.0;
    /// <summary>I048/042 Y in metres (north of the radar).</summary>
    public double YMetres => YRaw / 128.0 * 1852.0;
    /// <summary>I048/200 ground speed raw (2^-14 NM/s).</summary>
    public int GroundSpeedRaw { get; set; }
    /// <summary>I048/200 heading raw (360/2^16 deg).</summary>
    public int HeadingRaw { get; set; }
    /// <summary>I048/200 ground speed in m/s.</summary>
    public double GroundSpeedMetresPerSecond => GroundSpeedRaw / 16384.0 * 1852.0;
    /// <summary>I048/200 ground speed in knots.</summary>
    public double GroundSpeedKnots => GroundSpeedRaw / 16384.0 * 3600.0;
    /// <summary>I048/200 heading in degrees.</summary>
    public double HeadingDegrees => HeadingRaw * (360.0 / 65536.0);
    /// <summary>I048/170 first octet without FX (CNF, RAD, DOU, MAH, CDM).</summary>
    public int TrackStatusOctet1 { get; set; }
    /// <summary>I048/170 first extension octet without FX (TRE, GHO, SUP, TCC), or −1 if absent.</summary>
    public int TrackStatusOctet2 { get; set; } = -1;
    /// <summary>I048/170 CNF: tentative track.</summary>
    public bool Tentative => (TrackStatusOctet1 & 0x80) != 0;
    /// <summary>I048/170 RAD (0 combined, 1 PSR, 2 SSR/Mode S, 3 invalid).</summary>
    public int Rad => (TrackStatusOctet1 >> 5) & 3;
    /// <summary>I048/110 3-D height raw (25 ft, signed 14 bits).</summary>
    public int Height3DRaw { get; set; }
    /// <summary>I048/110 height in metres.</summary>
    public double Height3DMetres => Height3DRaw * 25.0 * 0.3048;
    /// <summary>Smallest I048/120 CAL value (m/s): ten bits in two's complement.</summary>
    public const int MinCalculatedDopplerSpeedRaw = -512;

    /// <summary>Largest I048/120 CAL value (m/s).</summary>
    public const int MaxCalculatedDopplerSpeedRaw = 511;

    /// <summary>I048/120 sub-field 1 (CAL, calculated Doppler speed) present.</summary>
    /// <remarks>Set by the decoder for every record; set it (with <see cref="CalculatedDopplerSpeedRaw"/>) and mark FRN 20 present to encode.</remarks>
    public bool HasCalculatedDopplerSpeed { get; set; }

    /// <summary>I048/120 CAL D bit: the Doppler speed is doubtful.</summary>
    public bool DopplerSpeedDoubtful { get; set; }

    /// <summary>
    /// I048/120 CAL calculated Doppler speed, raw (LSB 1 m/s, −512 … 511). Sign as sent: EUROCONTROL-SPEC-0149-4
    /// ed. 1.31 leaves it to the sender's ICD and recommends positive for targets moving away from the radar, which is
    /// what <see cref="Detections.RadarPlotEncoder"/> sends (Kizuna's <c>Detection.RangeRate</c>, positive receding).
    /// </summary>
    public int CalculatedDopplerSpeedRaw { get; set; }

    /// <summary>I048/120 CAL in m/s (see <see cref="CalculatedDopplerSpeedRaw"/> for the sign).</summary>
    public double CalculatedDopplerSpeedMetresPerSecond => CalculatedDopplerSpeedRaw;

    /// <summary>I048/230 communications capability and flight status (16 bits raw).</summary>
    public int CommunicationsRaw { get; set; }

    /// <summary>Keeps the 48 bits of I048/240; the characters are decoded when <see cref="Callsign"/> is read.</summary>
    internal void SetCallsignRaw(long sixBitCharacters)
    {
        _callsignRaw = sixBitCharacters;
        _callsignPending = true;
    }

    /// <summary>Sets the callsign (up to 8 characters, padded with spaces).</summary>
    public void SetCallsign(ReadOnlySpan<char> callsign)
    {
        _callsignPending = false;
        _callsign.AsSpan().Fill(' ');
        callsign[..Math.Min(8, callsign.Length)].CopyTo(_callsign);
    }
}
