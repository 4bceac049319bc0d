using Kizuna.Asterix.Cat034;
using Kizuna.Asterix.Cat048;
using Kizuna.Asterix.Common;
using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Asterix.Detections;

/// <summary>
/// Secondary-radar (SSR / Mode S) data of one plot: what a cooperative target's transponder replied. Use
/// <see cref="None"/> for a primary-only plot (no transponder, or a false alarm).
/// </summary>
/// <param name="Mode3A">Mode 3/A code as 12 bits (four octal digits A4..D1, e.g. 0xE00 for 7000), or −1 when not replied.</param>
/// <param name="Address">ICAO 24-bit aircraft address (Mode S), or 0.</param>
/// <param name="ReportsAltitude">True when the transponder replied to Mode C (the flight level is sent).</param>
public readonly record struct SecondaryReply(int Mode3A, uint Address, bool ReportsAltitude)
{
    /// <summary>A primary-only plot.</summary>
    public static SecondaryReply None { get; } = new(-1, 0, false);

    /// <summary>True when any secondary data is present.</summary>
    public bool IsCooperative => Mode3A >= 0 || Address != 0 || ReportsAltitude;
}

/// <summary>What became of a plot's range rate in its CAT048 target report.</summary>
public enum DopplerEncoding
{
    /// <summary>The detection has no range rate (<see cref="Detection.HasRangeRate"/> false): no I048/120.</summary>
    None,

    /// <summary>Sent as I048/120 CAL, rounded to 1 m/s.</summary>
    Encoded,

    /// <summary>
    /// |ṙ| beyond what I048/120 CAL can hold (−512 … 511 m/s after rounding): no I048/120 is sent, the rest of the plot
    /// is. The caller should count these (a ballistic missile's range rate is kilometres per second).
    /// </summary>
    OutOfRange,
}

/// <summary>
/// Encodes detections as ASTERIX radar data: a <see cref="MeasurementKind.RangeAzimuthElevation"/> detection as a
/// CAT048 ed. 1.31 target report, and a radar's scan events as CAT034 ed. 1.29 service messages. The inverse of
/// <see cref="AsterixDetectionAdapter"/> for plots; used to publish simulated radars the way real ones send.
/// </summary>
/// <remarks>
/// <para>CAT048 (EUROCONTROL-SPEC-0149-4 ed. 1.31): I048/010 SAC/SIC; I048/140 time of day = UTC seconds since
/// midnight, LSB 1/128 s; I048/020 TYP = 1 (single PSR) or 5 (SSR + PSR; 6 Mode S all-call + PSR when an address is
/// known), SIM as requested; I048/040 RHO = slant range, LSB 1/256 NM (1 NM = 1852 m; at most 65,535/256 NM =
/// 474.6 km), THETA = azimuth clockwise from north, LSB 360/2¹⁶°; I048/070 Mode 3/A with V = G = L = 0; I048/090
/// flight level, LSB 1/4 FL; I048/220 the ICAO address; I048/120 sub-field CAL = the plot's range rate ṙ when it has
/// one (<see cref="Detection.HasRangeRate"/>): ten bits in two's complement, LSB 1 m/s, D = 0, **positive receding**
/// (opening: the spec's recommended sign, "positive for targets moving away from the radar", which is also the sign of
/// <see cref="Detection.RangeRate"/>), rounded to the nearest m/s (error ≤ 0.5 m/s, quantisation variance 1/12 m²/s²);
/// a ṙ outside −512.5 … 511.5 m/s is not sent (<see cref="DopplerEncoding.OutOfRange"/>). ASTERIX carries no σ_ṙ and
/// no sensor velocity: a CAT048 radar is a fixed site. The ṙ of a moving sensor (ship, aircraft) is sent as measured,
/// relative to the antenna ((v_t − v_s)·û); <see cref="AsterixDetectionAdapter"/> reads every CAT048 radar as a fixed
/// site (position and ṙ alike), so such a plot's ṙ is biased by v_s·û on the reading side. The flight level is the plot's height above the WGS-84
/// ellipsoid (from site, range, azimuth, elevation) expressed in hundreds of feet: a simulated transponder has no
/// barometric error (no QNH, ISA, geoid ignored) — notional, like every simulated figure.</para>
/// <para>CAT034 (EUROCONTROL-SPEC-0149-2B ed. 1.29): I034/010, I034/000 message type (1 north marker, 2 sector
/// crossing), I034/030 time of day (1/128 s), I034/020 sector azimuth (360/2⁸°), I034/041 antenna rotation period
/// (1/128 s) and I034/120 the radar's 3-D position (height 1 m, latitude/longitude LSB 180/2²³°).</para>
/// <para>Allocates nothing: the caller owns and reuses the records.</para>
/// </remarks>
public static class RadarPlotEncoder
{
    /// <summary>Largest range I048/040 can carry (m).</summary>
    public const double MaxRangeM = 65_535.0 / 256.0 * 1852.0;

    /// <summary>
    /// Fills <paramref name="record"/> with the CAT048 target report of <paramref name="detection"/>. Returns false
    /// (record untouched) for a detection that is not range–azimuth–elevation, has non-finite values, or lies beyond
    /// <see cref="MaxRangeM"/>.
    /// </summary>
    public static bool TryFillCat048(AsterixRecord record, in Detection detection, DataSourceId source, SecondaryReply reply, bool simulated) =>
        TryFillCat048(record, detection, source, reply, simulated, out _);

    /// <summary>
    /// As <see cref="TryFillCat048(AsterixRecord, in Detection, DataSourceId, SecondaryReply, bool)"/>, and says what became
    /// of the plot's range rate (<paramref name="doppler"/>; <see cref="DopplerEncoding.None"/> when false is returned).
    /// </summary>
    public static bool TryFillCat048(AsterixRecord record, in Detection detection, DataSourceId source, SecondaryReply reply, bool simulated,
        out DopplerEncoding doppler)
    {
        ArgumentNullException.ThrowIfNull(record);
        doppler = DopplerEncoding.None;
        var v = detection.Value;
        if (detection.Kind != MeasurementKind.RangeAzimuthElevation || !double.IsFinite(v.X) || !double.IsFinite(v.Y) || !double.IsFinite(v.Z) ||
            v.X < 0 || v.X > MaxRangeM)
        {
            return false;
        }

        record.Reset(48, Cat048Uap.Ed1_31);
        var f = record.Cat048;
        f.Sac = source.Sac;
        f.Sic = source.Sic;
        f.TimeOfDayRaw = TimeOfDayRaw(detection.Time);
        var typ = !reply.IsCooperative ? 1 : reply.Address != 0 ? 6 : 5;
        f.DescriptorOctet1 = (typ << 5) | (simulated ? 0x10 : 0);
        f.DescriptorOctet2 = -1;
        f.RhoRaw = (int)Math.Min(65_535, Math.Round(v.X / 1852.0 * 256.0));
        var azimuth = v.Y % (2 * Math.PI);
        if (azimuth < 0)
        {
            azimuth += 2 * Math.PI;
        }

        f.ThetaRaw = (int)Math.Round(azimuth / (2 * Math.PI) * 65_536.0) & 0xFFFF;
        var present = record.Present.With(Cat048Frn.I010).With(Cat048Frn.I140).With(Cat048Frn.I020).With(Cat048Frn.I040);
        if (reply.Mode3A >= 0)
        {
            f.Mode3AFlags = 0;
            f.Mode3ACode = reply.Mode3A & 0xFFF;
            present = present.With(Cat048Frn.I070);
        }

        if (reply.ReportsAltitude)
        {
            var height = new EnuFrame(detection.SensorSite).ToGeodetic(new RadarPolar(v.X, v.Y, v.Z).ToEnu()).HeightM;
            f.FlightLevelFlags = 0;
            f.FlightLevelRaw = (int)Math.Clamp(Math.Round(height / 0.3048 / 25.0), -(1 << 13), (1 << 13) - 1);
            present = present.With(Cat048Frn.I090);
        }

        if (reply.Address != 0)
        {
            f.AircraftAddress = (int)(reply.Address & 0xFFFFFF);
            present = present.With(Cat048Frn.I220);
        }

        f.HasCalculatedDopplerSpeed = false;
        f.DopplerSpeedDoubtful = false;
        if (detection.HasRangeRate)
        {
            if (TryCalculatedDopplerSpeedRaw(detection.RangeRate, out var raw))
            {
                f.HasCalculatedDopplerSpeed = true;
                f.CalculatedDopplerSpeedRaw = raw;
                present = present.With(Cat048Frn.I120);
                doppler = DopplerEncoding.Encoded;
            }
            else
            {
                doppler = DopplerEncoding.OutOfRange;
            }
        }

        record.Present = present;
        return true;
    }

    /// <summary>
    /// The I048/120 CAL value of a range rate (m/s, positive receding): rounded to the nearest m/s (halves away from
    /// zero). False when not finite or outside <see cref="Cat048Fields.MinCalculatedDopplerSpeedRaw"/> …
    /// <see cref="Cat048Fields.MaxCalculatedDopplerSpeedRaw"/>.
    /// </summary>
    public static bool TryCalculatedDopplerSpeedRaw(double rangeRateMps, out int raw)
    {
        raw = 0;
        if (!double.IsFinite(rangeRateMps))
        {
            return false;
        }

        var rounded = Math.Round(rangeRateMps, MidpointRounding.AwayFromZero);
        if (rounded < Cat048Fields.MinCalculatedDopplerSpeedRaw || rounded > Cat048Fields.MaxCalculatedDopplerSpeedRaw)
        {
            return false;
        }

        raw = (int)rounded;
        return true;
    }

    /// <summary>
    /// Fills <paramref name="record"/> with a CAT034 service message: a north marker (<paramref name="sectorDeg"/>
    /// null) or a sector crossing, with the antenna rotation period and the radar's position when given.
    /// </summary>
    public static void FillCat034(AsterixRecord record, DataSourceId source, DateTime time, double? sectorDeg, double? rotationPeriodS, Geodetic? site)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.Reset(34, Cat034Uap.Ed1_29);
        var f = record.Cat034;
        f.Sac = source.Sac;
        f.Sic = source.Sic;
        f.MessageType = sectorDeg is null ? 1 : 2;
        f.TimeOfDayRaw = TimeOfDayRaw(time);
        var present = record.Present.With(Cat034Frn.I010).With(Cat034Frn.I000).With(Cat034Frn.I030);
        if (sectorDeg is { } sector)
        {
            f.SectorRaw = (int)Math.Round(sector / (360.0 / 256.0)) & 0xFF;
            present = present.With(Cat034Frn.I020);
        }

        if (rotationPeriodS is { } period)
        {
            f.AntennaRotationRaw = (int)Math.Clamp(Math.Round(period * 128), 0, 65_535);
            present = present.With(Cat034Frn.I041);
        }

        if (site is { } s)
        {
            f.SiteHeightMetres = (int)Math.Clamp(Math.Round(s.HeightM), short.MinValue, short.MaxValue);
            f.SiteLatitudeRaw = (int)Math.Round(s.LatitudeDeg / (180.0 / 8_388_608.0));
            f.SiteLongitudeRaw = (int)Math.Round(s.LongitudeDeg / (180.0 / 8_388_608.0));
            present = present.With(Cat034Frn.I120);
        }

        record.Present = present;
    }

    /// <summary>UTC time of day in 1/128 s (ASTERIX time of day), wrapped to one day.</summary>
    public static int TimeOfDayRaw(DateTime utc) => (int)(Math.Round(utc.TimeOfDay.TotalSeconds * 128) % (86_400 * 128));
}
