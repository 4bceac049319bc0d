using Kizuna.Asterix.Common;
using static Kizuna.Asterix.Common.BigEndian;

namespace Kizuna.Asterix.Cat062;

/// <summary>Field reference numbers of CAT062 ed. 1.19 (1.16 has the same UAP in asterix-specs).</summary>
public static class Cat062Frn
{
#pragma warning disable CS1591
    public const int I010 = 1, I015 = 3, I070 = 4, I105 = 5, I100 = 6, I185 = 7, I210 = 8, I060 = 9, I245 = 10, I380 = 11,
        I040 = 12, I080 = 13, I290 = 14, I200 = 15, I295 = 16, I136 = 17, I130 = 18, I135 = 19, I220 = 20, I390 = 21,
        I270 = 22, I300 = 23, I110 = 24, I120 = 25, I510 = 26, I500 = 27, I340 = 28, RE = 34, SP = 35;
#pragma warning restore CS1591
}

/// <summary>Typed CAT062 fields (SDPS system tracks). CAT065 records fill only SAC/SIC and time.</summary>
/// <remarks>
/// ASTERIX CAT062 ed. 1.19 (EUROCONTROL-SPEC-0149-9): I062/070 LSB 1/128 s; I062/105 latitude/longitude LSB
/// 180/2^25 deg (signed 32); I062/100 X/Y LSB 0.5 m (signed 24); I062/185 Vx/Vy LSB 0.25 m/s (signed 16);
/// I062/210 Ax/Ay LSB 0.25 m/s² (signed 8); I062/136 LSB 1/4 FL; I062/130 LSB 6.25 ft; I062/135 LSB 1/4 FL
/// (signed 15 + QNH bit); I062/220 LSB 6.25 ft/min; I062/380 sub-fields ADR (24-bit address) and ID (callsign).
/// Compound items I290, I295, I340, I390, I500, I110 and the rest are read by length and kept raw.
/// </remarks>
public sealed class Cat062Fields
{
    private readonly char[] _callsign = new char[8];
    private readonly char[] _targetId = new char[8];
    private readonly byte[] _trackStatus = new byte[6];
    private int _trackStatusCount;

    /// <summary>I062/010 SAC.</summary>
    public int Sac { get; set; }
    /// <summary>I062/010 SIC.</summary>
    public int Sic { get; set; }
    /// <summary>I062/015 service identification.</summary>
    public int ServiceId { get; set; }
    /// <summary>I062/070 time of track information raw (1/128 s).</summary>
    public int TimeOfTrackRaw { get; set; }
    /// <summary>I062/070 in seconds since midnight.</summary>
    public double TimeOfTrackSeconds => TimeOfTrackRaw / 128.0;
    /// <summary>I062/105 latitude raw (180/2^25 deg).</summary>
    public int LatitudeRaw { get; set; }
    /// <summary>I062/105 longitude raw (180/2^25 deg).</summary>
    public int LongitudeRaw { get; set; }
    /// <summary>I062/105 latitude in degrees.</summary>
    public double LatitudeDegrees => LatitudeRaw * (180.0 / 33554432.0);
    /// <summary>I062/105 longitude in degrees.</summary>
    public double LongitudeDegrees => LongitudeRaw * (180.0 / 33554432.0);
    /// <summary>I062/100 X raw (0.5 m).</summary>
    public int XRaw { get; set; }
    /// <summary>I062/100 Y raw (0.5 m).</summary>
    public int YRaw { get; set; }
    /// <summary>I062/185 Vx raw (0.25 m/s).</summary>
    public int VxRaw { get; set; }
    /// <summary>I062/185 Vy raw (0.25 m/s).</summary>
    public int VyRaw { get; set; }
    /// <summary>I062/210 Ax raw (0.25 m/s²).</summary>
    public int AxRaw { get; set; }
    /// <summary>I062/210 Ay raw (0.25 m/s²).</summary>
    public int AyRaw { get; set; }
    /// <summary>I062/060 V, G, CH bits (bits 16..14).</summary>
    public int Mode3AFlags { get; set; }
    /// <summary>I062/060 Mode 3/A code (12 bits).</summary>
    public int Mode3ACode { get; set; }
    /// <summary>I062/245 STI (2 bits).</summary>
    public int TargetIdSource { get; set; }
    /// <summary>I062/245 target identification.</summary>
    public ReadOnlySpan<char> TargetId => _targetId;
    /// <summary>I062/380 ADR target address, or −1 when the sub-field is absent.</summary>
    public int TargetAddress { get; set; } = -1;
    /// <summary>I062/380 ID callsign (empty when the sub-field is absent).</summary>
    public ReadOnlySpan<char> Callsign => HasCallsign ? _callsign : default;
    /// <summary>Whether I062/380 ID was present.</summary>
    public bool HasCallsign { get; set; }
    /// <summary>I062/040 track number.</summary>
    public int TrackNumber { get; set; }
    /// <summary>I062/080 first octet without FX (MON, SPI, MRH, SRC, CNF); setting it keeps the extension octets.</summary>
    public int TrackStatusOctet1
    {
        get => _trackStatus[0];
        set
        {
            _trackStatus[0] = (byte)(value & 0xFE);
            _trackStatusCount = Math.Max(_trackStatusCount, 1);
        }
    }

    /// <summary>I062/080 octets without their FX bits (1 to 6; empty when neither decoded nor set).</summary>
    public ReadOnlySpan<byte> TrackStatusOctets => _trackStatus.AsSpan(0, _trackStatusCount);
    /// <summary>I062/080 MON: track kept alive by one sensor only.</summary>
    public bool Monosensor => (_trackStatus[0] & 0x80) != 0;
    /// <summary>I062/080 SPI present in the last report.</summary>
    public bool Spi => (_trackStatus[0] & 0x40) != 0;
    /// <summary>I062/080 MRH: most reliable height is geometric (true) or barometric (false).</summary>
    public bool GeometricHeightMostReliable => (_trackStatus[0] & 0x20) != 0;
    /// <summary>I062/080 SRC: source of the calculated track altitude of I062/130 (0 no source … 7 …).</summary>
    public int AltitudeSource => (_trackStatus[0] >> 2) & 7;
    /// <summary>I062/080 CNF: tentative track (not yet confirmed).</summary>
    public bool Tentative => (_trackStatus[0] & 0x02) != 0;
    /// <summary>I062/080 SIM (first extension): simulated track.</summary>
    public bool SimulatedTrack => _trackStatusCount > 1 && (_trackStatus[1] & 0x80) != 0;
    /// <summary>I062/080 TSE (first extension): last message sent for this track (track ended).</summary>
    public bool LastMessage => _trackStatusCount > 1 && (_trackStatus[1] & 0x40) != 0;
    /// <summary>I062/080 TSB (first extension): first message sent for this track.</summary>
    public bool FirstMessage => _trackStatusCount > 1 && (_trackStatus[1] & 0x20) != 0;
    /// <summary>I062/080 CST (third extension): coasted, no fresh measurement in the last update.</summary>
    public bool Coasted => _trackStatusCount > 3 && (_trackStatus[3] & 0x80) != 0;

    /// <summary>
    /// Sets I062/080 from octets without FX (MON SPI MRH SRC CNF; SIM TSE TSB FPC AFF STP KOS; AMA MD4 ME MI MD5;
    /// CST PSR SSR MDS ADS SUC AAC; SDS EMS PFT FPLT; DUPT DUPF DUPM SFC IDD IEC MLAT). The encoder writes them with
    /// the FX chain, dropping trailing all-zero extension octets (ASTERIX Part 1 §4.3.3: an extension is sent only when
    /// it carries information).
    /// </summary>
    public void SetTrackStatus(ReadOnlySpan<byte> octetsWithoutFx)
    {
        if (octetsWithoutFx.Length is < 1 or > 6)
        {
            throw new ArgumentOutOfRangeException(nameof(octetsWithoutFx), octetsWithoutFx.Length, "I062/080 has 1 to 6 octets.");
        }

        _trackStatus.AsSpan().Clear();
        for (var i = 0; i < octetsWithoutFx.Length; i++)
        {
            _trackStatus[i] = (byte)(octetsWithoutFx[i] & 0xFE);
        }

        _trackStatusCount = octetsWithoutFx.Length;
    }

    /// <summary>Sets the commonly published I062/080 flags; the other bits are zero.</summary>
    /// <param name="monosensor">MON.</param>
    /// <param name="tentative">CNF.</param>
    /// <param name="simulated">SIM.</param>
    /// <param name="firstMessage">TSB.</param>
    /// <param name="lastMessage">TSE.</param>
    /// <param name="coasted">CST.</param>
    public void SetTrackStatus(bool monosensor, bool tentative, bool simulated = false, bool firstMessage = false, bool lastMessage = false, bool coasted = false)
    {
        Span<byte> o = stackalloc byte[4];
        o[0] = (byte)((monosensor ? 0x80 : 0) | (tentative ? 0x02 : 0));
        o[1] = (byte)((simulated ? 0x80 : 0) | (lastMessage ? 0x40 : 0) | (firstMessage ? 0x20 : 0));
        o[3] = (byte)(coasted ? 0x80 : 0);
        SetTrackStatus(o);
    }

    internal Span<byte> TrackStatusBuffer => _trackStatus;

    internal int TrackStatusCount
    {
        get => _trackStatusCount;
        set => _trackStatusCount = value;
    }
    /// <summary>I062/136 measured flight level raw (1/4 FL).</summary>
    public int MeasuredFlightLevelRaw { get; set; }
    /// <summary>I062/130 geometric altitude raw (6.25 ft).</summary>
    public int GeometricAltitudeRaw { get; set; }
    /// <summary>I062/135 QNH bit and barometric altitude raw (1/4 FL, signed 15).</summary>
    public int BarometricAltitudeRaw { get; set; }
    /// <summary>I062/135 QNH correction applied.</summary>
    public bool QnhApplied { get; set; }
    /// <summary>I062/220 rate of climb/descent raw (6.25 ft/min).</summary>
    public int RateOfClimbRaw { get; set; }

    internal Span<char> CallsignBuffer => _callsign;

    internal Span<char> TargetIdBuffer => _targetId;

    /// <summary>Sets I062/380 ID (and <see cref="HasCallsign"/>).</summary>
    public void SetCallsign(ReadOnlySpan<char> callsign)
    {
        _callsign.AsSpan().Fill(' ');
        callsign[..Math.Min(8, callsign.Length)].CopyTo(_callsign);
        HasCallsign = true;
    }

    /// <summary>Sets I062/245 target identification.</summary>
    public void SetTargetId(ReadOnlySpan<char> id)
    {
        _targetId.AsSpan().Fill(' ');
        id[..Math.Min(8, id.Length)].CopyTo(_targetId);
    }
}

/// <summary>Typed decode and encode of CAT062 ed. 1.19 items; CAT065 ed. 1.5 minimal (SAC/SIC, time).</summary>
internal static class Cat062Codec
{
    public static DecodeStatus Decode(AsterixRecord r)
    {
        var f = r.Cat062;
        ReadOnlySpan<byte> b;
        if (r.Category == 65)
        {
            // ASTERIX CAT065 ed. 1.5, I065/010 (FRN 1) and I065/030 (FRN 4)
            if (r.Has(1)) { b = r.GetItemBytes(1); f.Sac = b[0]; f.Sic = b[1]; }
            if (r.Has(4)) { f.TimeOfTrackRaw = U24(r.GetItemBytes(4), 0); }
            return DecodeStatus.Ok;
        }

        // ASTERIX CAT062 ed. 1.19
        if (r.Has(Cat062Frn.I010)) { b = r.GetItemBytes(Cat062Frn.I010); f.Sac = b[0]; f.Sic = b[1]; }
        if (r.Has(Cat062Frn.I015)) { f.ServiceId = r.GetItemBytes(Cat062Frn.I015)[0]; }
        if (r.Has(Cat062Frn.I070)) { f.TimeOfTrackRaw = U24(r.GetItemBytes(Cat062Frn.I070), 0); }
        if (r.Has(Cat062Frn.I105)) { b = r.GetItemBytes(Cat062Frn.I105); f.LatitudeRaw = S32(b, 0); f.LongitudeRaw = S32(b, 4); }
        if (r.Has(Cat062Frn.I100)) { b = r.GetItemBytes(Cat062Frn.I100); f.XRaw = S24(b, 0); f.YRaw = S24(b, 3); }
        if (r.Has(Cat062Frn.I185)) { b = r.GetItemBytes(Cat062Frn.I185); f.VxRaw = S16(b, 0); f.VyRaw = S16(b, 2); }
        if (r.Has(Cat062Frn.I210)) { b = r.GetItemBytes(Cat062Frn.I210); f.AxRaw = (sbyte)b[0]; f.AyRaw = (sbyte)b[1]; }
        if (r.Has(Cat062Frn.I060)) { b = r.GetItemBytes(Cat062Frn.I060); f.Mode3AFlags = b[0] >> 5; f.Mode3ACode = U16(b, 0) & 0xFFF; }
        if (r.Has(Cat062Frn.I245)) { b = r.GetItemBytes(Cat062Frn.I245); f.TargetIdSource = b[0] >> 6; IcaoCallsign(b, 1, f.TargetIdBuffer); }
        f.TargetAddress = -1;
        f.HasCallsign = false;
        if (r.Has(Cat062Frn.I380))
        {
            var item = r.GetItemBytes(Cat062Frn.I380);
            var shape = r.Uap!.ItemsArray[Cat062Frn.I380 - 1];
            if (RecordWalker.TryGetSubItem(item, shape, 0, out var adr)) { f.TargetAddress = U24(adr, 0); }
            if (RecordWalker.TryGetSubItem(item, shape, 1, out var id)) { IcaoCallsign(id, 0, f.CallsignBuffer); f.HasCallsign = true; }
        }

        if (r.Has(Cat062Frn.I040)) { f.TrackNumber = U16(r.GetItemBytes(Cat062Frn.I040), 0); }
        if (r.Has(Cat062Frn.I080))
        {
            b = r.GetItemBytes(Cat062Frn.I080);
            var n = Math.Min(b.Length, 6);
            var ts = f.TrackStatusBuffer;
            ts.Clear();
            for (var i = 0; i < n; i++) { ts[i] = (byte)(b[i] & 0xFE); }
            f.TrackStatusCount = n;
        }
        if (r.Has(Cat062Frn.I136)) { f.MeasuredFlightLevelRaw = S16(r.GetItemBytes(Cat062Frn.I136), 0); }
        if (r.Has(Cat062Frn.I130)) { f.GeometricAltitudeRaw = S16(r.GetItemBytes(Cat062Frn.I130), 0); }
        if (r.Has(Cat062Frn.I135))
        {
            var v = U16(r.GetItemBytes(Cat062Frn.I135), 0);
            f.QnhApplied = (v & 0x8000) != 0;
            f.BarometricAltitudeRaw = SignExtend(v, 15);
        }

        if (r.Has(Cat062Frn.I220)) { f.RateOfClimbRaw = S16(r.GetItemBytes(Cat062Frn.I220), 0); }
        return DecodeStatus.Ok;
    }

    public static int WriteTyped(AsterixRecord r, int frn, Span<byte> d)
    {
        var f = r.Cat062;
        switch (frn)
        {
            case Cat062Frn.I010: d[0] = (byte)f.Sac; d[1] = (byte)f.Sic; return 2;
            case Cat062Frn.I015: d[0] = (byte)f.ServiceId; return 1;
            case Cat062Frn.I070: W24(d, 0, f.TimeOfTrackRaw); return 3;
            case Cat062Frn.I105: W32(d, 0, f.LatitudeRaw); W32(d, 4, f.LongitudeRaw); return 8;
            case Cat062Frn.I100: W24(d, 0, f.XRaw); W24(d, 3, f.YRaw); return 6;
            case Cat062Frn.I185: W16(d, 0, f.VxRaw); W16(d, 2, f.VyRaw); return 4;
            case Cat062Frn.I210: d[0] = (byte)f.AxRaw; d[1] = (byte)f.AyRaw; return 2;
            case Cat062Frn.I060: W16(d, 0, (f.Mode3AFlags << 13) | (f.Mode3ACode & 0xFFF)); return 2;
            case Cat062Frn.I245: d[0] = (byte)(f.TargetIdSource << 6); WriteIcaoCallsign(d, 1, f.TargetId); return 7;
            case Cat062Frn.I040: W16(d, 0, f.TrackNumber); return 2;
            case Cat062Frn.I136: W16(d, 0, f.MeasuredFlightLevelRaw); return 2;
            case Cat062Frn.I130: W16(d, 0, f.GeometricAltitudeRaw); return 2;
            case Cat062Frn.I135: W16(d, 0, (f.QnhApplied ? 0x8000 : 0) | (f.BarometricAltitudeRaw & 0x7FFF)); return 2;
            case Cat062Frn.I220: W16(d, 0, f.RateOfClimbRaw); return 2;
            case Cat062Frn.I080 when r.HasRaw(Cat062Frn.I080) || f.TrackStatusCount == 0: return -1;
            case Cat062Frn.I080:
            {
                // ASTERIX CAT062 ed. 1.19 I062/080: extended item, FX (bit 1) set on every octet but the last.
                var ts = f.TrackStatusOctets;
                var n = ts.Length;
                while (n > 1 && ts[n - 1] == 0) { n--; }
                for (var i = 0; i < n; i++) { d[i] = (byte)(ts[i] | (i < n - 1 ? 1 : 0)); }
                return n;
            }

            case Cat062Frn.I380 when r.HasRaw(Cat062Frn.I380): return -1;
            case Cat062Frn.I380:
            {
                // Primary sub-field: ADR (bit 8), ID (bit 7); no extension.
                var pos = 1;
                d[0] = 0;
                if (f.TargetAddress >= 0) { d[0] |= 0x80; W24(d, pos, f.TargetAddress); pos += 3; }
                if (f.HasCallsign) { d[0] |= 0x40; WriteIcaoCallsign(d, pos, f.Callsign); pos += 6; }
                return pos;
            }

            default: return -1;
        }
    }
}
