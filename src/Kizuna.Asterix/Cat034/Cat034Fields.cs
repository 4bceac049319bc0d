using Kizuna.Asterix.Common;
using static Kizuna.Asterix.Common.BigEndian;

namespace Kizuna.Asterix.Cat034;

/// <summary>Field reference numbers of CAT034 ed. 1.29.</summary>
public static class Cat034Frn
{
#pragma warning disable CS1591
    public const int I010 = 1, I000 = 2, I030 = 3, I020 = 4, I041 = 5, I050 = 6, I060 = 7, I070 = 8, I100 = 9, I110 = 10,
        I120 = 11, I090 = 12, RE = 13, SP = 14;
#pragma warning restore CS1591
}

/// <summary>Typed CAT034 fields (monoradar service messages: north marker, sector crossing).</summary>
/// <remarks>
/// ASTERIX CAT034 ed. 1.29 (EUROCONTROL-SPEC-0149-2B): I034/030 LSB 1/128 s; I034/020 LSB 360/2^8 deg;
/// I034/041 LSB 1/128 s; I034/120 height 1 m (signed 16), latitude and longitude LSB 180/2^23 deg (signed 24);
/// I034/090 range error LSB 1/128 NM, azimuth error LSB 360/2^14 deg (signed 8). I050, I060, I070, I100, I110 and
/// RE/SP are read by length and kept raw.
/// </remarks>
public sealed class Cat034Fields
{
    /// <summary>I034/010 SAC.</summary>
    public int Sac { get; set; }
    /// <summary>I034/010 SIC.</summary>
    public int Sic { get; set; }
    /// <summary>I034/000 message type (1 north marker, 2 sector crossing, 3 geographical filtering, 4 jamming strobe).</summary>
    public int MessageType { get; set; }
    /// <summary>I034/030 time of day raw (1/128 s).</summary>
    public int TimeOfDayRaw { get; set; }
    /// <summary>I034/030 time of day in seconds.</summary>
    public double TimeOfDaySeconds => TimeOfDayRaw / 128.0;
    /// <summary>I034/020 sector azimuth raw (360/2^8 deg).</summary>
    public int SectorRaw { get; set; }
    /// <summary>I034/020 sector azimuth in degrees.</summary>
    public double SectorDegrees => SectorRaw * (360.0 / 256.0);
    /// <summary>I034/041 antenna rotation period raw (1/128 s).</summary>
    public int AntennaRotationRaw { get; set; }
    /// <summary>I034/041 antenna rotation period in seconds.</summary>
    public double AntennaRotationSeconds => AntennaRotationRaw / 128.0;
    /// <summary>I034/120 height of the data source in metres (WGS-84).</summary>
    public int SiteHeightMetres { get; set; }
    /// <summary>I034/120 latitude raw (180/2^23 deg).</summary>
    public int SiteLatitudeRaw { get; set; }
    /// <summary>I034/120 longitude raw (180/2^23 deg).</summary>
    public int SiteLongitudeRaw { get; set; }
    /// <summary>I034/120 latitude in degrees.</summary>
    public double SiteLatitudeDegrees => SiteLatitudeRaw * (180.0 / 8388608.0);
    /// <summary>I034/120 longitude in degrees.</summary>
    public double SiteLongitudeDegrees => SiteLongitudeRaw * (180.0 / 8388608.0);
    /// <summary>I034/090 range error raw (1/128 NM, signed).</summary>
    public int CollimationRangeErrorRaw { get; set; }
    /// <summary>I034/090 azimuth error raw (360/2^14 deg, signed).</summary>
    public int CollimationAzimuthErrorRaw { get; set; }
}

/// <summary>Typed decode and encode of CAT034 ed. 1.29 items.</summary>
internal static class Cat034Codec
{
    public static DecodeStatus Decode(AsterixRecord r)
    {
        var f = r.Cat034;
        ReadOnlySpan<byte> b;
        // ASTERIX CAT034 ed. 1.29, I034/010, I034/000, I034/030, I034/020, I034/041, I034/120, I034/090
        if (r.Has(Cat034Frn.I010)) { b = r.GetItemBytes(Cat034Frn.I010); f.Sac = b[0]; f.Sic = b[1]; }
        if (r.Has(Cat034Frn.I000)) { f.MessageType = r.GetItemBytes(Cat034Frn.I000)[0]; }
        if (r.Has(Cat034Frn.I030)) { f.TimeOfDayRaw = U24(r.GetItemBytes(Cat034Frn.I030), 0); }
        if (r.Has(Cat034Frn.I020)) { f.SectorRaw = r.GetItemBytes(Cat034Frn.I020)[0]; }
        if (r.Has(Cat034Frn.I041)) { f.AntennaRotationRaw = U16(r.GetItemBytes(Cat034Frn.I041), 0); }
        if (r.Has(Cat034Frn.I120))
        {
            b = r.GetItemBytes(Cat034Frn.I120);
            f.SiteHeightMetres = S16(b, 0);
            f.SiteLatitudeRaw = S24(b, 2);
            f.SiteLongitudeRaw = S24(b, 5);
        }

        if (r.Has(Cat034Frn.I090)) { b = r.GetItemBytes(Cat034Frn.I090); f.CollimationRangeErrorRaw = (sbyte)b[0]; f.CollimationAzimuthErrorRaw = (sbyte)b[1]; }
        return DecodeStatus.Ok;
    }

    public static int WriteTyped(AsterixRecord r, int frn, Span<byte> d)
    {
        var f = r.Cat034;
        switch (frn)
        {
            case Cat034Frn.I010: d[0] = (byte)f.Sac; d[1] = (byte)f.Sic; return 2;
            case Cat034Frn.I000: d[0] = (byte)f.MessageType; return 1;
            case Cat034Frn.I030: W24(d, 0, f.TimeOfDayRaw); return 3;
            case Cat034Frn.I020: d[0] = (byte)f.SectorRaw; return 1;
            case Cat034Frn.I041: W16(d, 0, f.AntennaRotationRaw); return 2;
            case Cat034Frn.I120: W16(d, 0, f.SiteHeightMetres); W24(d, 2, f.SiteLatitudeRaw); W24(d, 5, f.SiteLongitudeRaw); return 8;
            case Cat034Frn.I090: d[0] = (byte)f.CollimationRangeErrorRaw; d[1] = (byte)f.CollimationAzimuthErrorRaw; return 2;
            default: return -1;
        }
    }
}
