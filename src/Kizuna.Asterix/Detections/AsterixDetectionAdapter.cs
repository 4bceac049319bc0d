using Kizuna.Asterix.Cat048;
using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Asterix.Detections;

/// <summary>
/// Turns decoded ASTERIX target reports into <see cref="Detection"/>s, so real feeds enter the tracker exactly like
/// simulated sensors: CAT048 and CAT001 monoradar plots become <see cref="MeasurementKind.RangeAzimuthElevation"/>
/// at the radar's site, CAT021 ADS-B reports become <see cref="MeasurementKind.Geodetic"/>. CAT034 (site position,
/// I034/120) and CAT002 (time of day) are read for metadata. Bad or incomplete records are counted by reason in
/// <see cref="Statistics"/>; nothing throws on data.
/// </summary>
/// <remarks>
/// <para><b>Radar plots.</b> z = (ρ, θ, el) with ρ = RHO (I048/040 LSB 1/256 NM, I001/040 LSB 1/128 NM; 1 NM =
/// 1852 m), θ = THETA (LSB 360°/2¹⁶, clockwise from north) and el from ρ and the target height by
/// <see cref="PlotElevation"/> (the radars are 2-D). The height is the Mode C flight level (I048/090, I001/090,
/// LSB 1/4 FL = 25 ft) taken as geometric height with σ from <see cref="PlotElevation.PressureAltitudeStd"/>; a 3-D
/// height (I048/110) wins when present (σ 150 m); plots without a valid Mode C (absent, V or G set) get
/// <see cref="AsterixDetectionOptions.AssumedHeightM"/> ± <see cref="AsterixDetectionOptions.AssumedHeightStdM"/>
/// and are counted in <see cref="AsterixDetectionStatistics.AssumedHeight"/>. R = diag(σ_ρ², σ_θ², σ_el²) with σ_ρ
/// and σ_θ from the <see cref="RadarSite"/>. I048/161 (the radar's own track number) is ignored: the tracker
/// associates plots itself. I048/220 (Mode S address) becomes <see cref="Detection.Identity"/>.</para>
/// <para><b>Range rate.</b> I048/120 sub-field CAL (calculated Doppler speed, LSB 1 m/s, EUROCONTROL-SPEC-0149-4
/// ed. 1.31) becomes <see cref="Detection.RangeRate"/> with the sign of
/// <see cref="AsterixDetectionOptions.RadialDopplerSpeed"/> (default: positive receding, the spec's recommendation)
/// and σ²_ṙ = <see cref="AsterixDetectionOptions.RangeRateStdMps"/>² + 1/12 m²/s² (the variance of a uniform rounding
/// error of one LSB, Δ²/12: Widrow &amp; Kollár, <i>Quantization Noise</i>, 2008, §4.2); the sensor velocity is zero
/// (a fixed site). A CAL whose D bit says doubtful is not used (counted in
/// <see cref="AsterixDetectionStatistics.DopplerDoubtful"/>); the raw Doppler speeds (sub-field RDS: unsigned, with
/// an ambiguity range) are not used.</para>
/// <para><b>ADS-B.</b> z = (φ, λ, h) from I021/131 (or I021/130) and I021/140 geometric height (σ_v
/// <see cref="AsterixDetectionOptions.AdsbGeometricHeightStdM"/>), else I021/145 flight level (pressure-altitude σ).
/// Horizontal σ per axis from NACp (I021/090 first extension, ed. 2.x): the 95 % estimated position uncertainty
/// EPU of RTCA DO-260B Table 2-71 / DO-242A §3.3.2.9 divided by 2.448 (the 95 % radius of a circular 2-D Gaussian,
/// √(−2 ln 0.05) σ), else <see cref="AsterixDetectionOptions.AdsbDefaultHorizontalStdM"/>. Time: I021/071, else
/// I021/073, else I021/077.</para>
/// <para><b>Time.</b> Time of day + a date (<see cref="TimeOfDay"/>): the capture timestamp when the payload has one,
/// else the last time produced, else <see cref="AsterixDetectionOptions.Date"/>. CAT001's I001/141 is the time of day
/// modulo 512 s and is rebuilt near that reference (or the last CAT002 I002/030 of the same radar).</para>
/// <para>Not thread-safe: one adapter per input stream.</para>
/// </remarks>
public sealed class AsterixDetectionAdapter
{
    private const double NauticalMile = 1852.0;
    private const double Feet = 0.3048;
    private const double Deg = Math.PI / 180.0;

    private static readonly double[] NacpEpu95 = [double.NaN, 18_520, 7_408, 3_704, 1_852, 926, 555.6, 185.2, 92.6, 30, 10, 3];

    private readonly AsterixDetectionOptions _options;
    private readonly Dictionary<int, RadarSite> _sites = [];
    private readonly Dictionary<int, string> _radarNames = [];
    private readonly Dictionary<int, string> _adsbNames = [];
    private readonly Dictionary<int, double> _serviceTod = [];
    private readonly Dictionary<uint, AircraftIdentity> _identities = [];
    private readonly double _rangeRateVariance;
    private DateTime? _lastTime;

    /// <summary>Creates an adapter with the configured sites.</summary>
    public AsterixDetectionAdapter(AsterixDetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.RangeRateStdMps > 0) || !double.IsFinite(options.RangeRateStdMps))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RangeRateStdMps, "RangeRateStdMps must be a positive finite number of m/s.");
        }

        _options = options;
        _rangeRateVariance = (options.RangeRateStdMps * options.RangeRateStdMps) + (1.0 / 12.0);
        foreach (var site in options.Sites)
        {
            _sites[site.Source.Key] = site;
        }
    }

    /// <summary>Counters and rejection reasons so far.</summary>
    public AsterixDetectionStatistics Statistics { get; } = new();

    /// <summary>The radar sites known now (configured and learned).</summary>
    public IEnumerable<RadarSite> Sites => _sites.Values;

    /// <summary>The site of <paramref name="source"/>, if known.</summary>
    public bool TryGetSite(DataSourceId source, out RadarSite site) => _sites.TryGetValue(source.Key, out site);

    /// <summary>The last Mode 3/A, callsign and flight level seen with ICAO address <paramref name="address"/>.</summary>
    public bool TryGetIdentity(uint address, out AircraftIdentity identity) => _identities.TryGetValue(address, out identity);

    /// <summary>
    /// Learns what a service message says (CAT034 I034/120 site, CAT002 time) without converting anything. Lets a
    /// reader pre-scan a recording so plots that come before the first CAT034 of their radar are not lost.
    /// </summary>
    public void Observe(AsterixRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Category == 34)
        {
            var f = record.Cat034;
            if (_options.LearnSitesFromCat034 && record.Has(Cat034.Cat034Frn.I120) && record.Has(Cat034.Cat034Frn.I010))
            {
                var id = new DataSourceId(f.Sac, f.Sic);
                if (!_sites.ContainsKey(id.Key) && Math.Abs(f.SiteLatitudeDegrees) <= 90)
                {
                    _sites[id.Key] = new RadarSite(id, Geodetic.FromDegrees(f.SiteLatitudeDegrees, f.SiteLongitudeDegrees, f.SiteHeightMetres),
                        _options.DefaultRangeStdM, _options.DefaultAzimuthStdRad, _options.Nation);
                    Statistics.SitesLearned++;
                }
            }
        }
        else if (record.Category == 2 && record.Has(1) && record.Has(4))
        {
            _serviceTod[new DataSourceId(record.Cat001.Sac, record.Cat001.Sic).Key] = record.Cat001.TimeOfDayRaw / 128.0;
        }
    }

    /// <summary>
    /// Converts one decoded record. False when it yields no detection: service messages (CAT034, CAT002: their
    /// metadata is learned, <see cref="AsterixDetectionStatistics.ServiceMessages"/>) and rejected records
    /// (counted by <see cref="DetectionRejection"/>).
    /// </summary>
    /// <param name="record">The decoded record (valid only during the decoder's callback).</param>
    /// <param name="captureUtc">Capture or receive time of the packet, or null for raw files.</param>
    /// <param name="detection">The detection.</param>
    public bool TryConvert(AsterixRecord record, DateTime? captureUtc, out Detection detection)
    {
        ArgumentNullException.ThrowIfNull(record);
        detection = default;
        Statistics.Records++;
        var ok = record.Category switch
        {
            48 => TryCat048(record, captureUtc, out detection),
            1 => TryCat001(record, captureUtc, out detection),
            21 => TryCat021(record, captureUtc, out detection),
            34 or 2 => Service(record),
            _ => Reject(DetectionRejection.UnsupportedCategory),
        };
        if (ok)
        {
            Statistics.Detections++;
            _lastTime = detection.Time;
        }

        return ok;
    }

    private bool Service(AsterixRecord record)
    {
        Statistics.ServiceMessages++;
        Observe(record);
        return false;
    }

    private bool Reject(DetectionRejection reason)
    {
        Statistics.Reject(reason);
        return false;
    }

    private bool TryCat048(AsterixRecord r, DateTime? captureUtc, out Detection detection)
    {
        detection = default;
        var f = r.Cat048;
        // ASTERIX CAT048 ed. 1.31: I048/010, I048/020, I048/140, I048/040, I048/090, I048/110, I048/220
        if (!r.Has(Cat048Frn.I010))
        {
            return Reject(DetectionRejection.NoDataSource);
        }

        if (r.Has(Cat048Frn.I020))
        {
            if (f.Typ == 0)
            {
                return Reject(DetectionRejection.NotATargetReport);
            }

            var test = f.DescriptorOctet2 >= 0 && (f.DescriptorOctet2 & 0x80) != 0;
            if (_options.DropSimulatedAndTestTargets && (f.Simulated || test))
            {
                return Reject(DetectionRejection.SimulatedOrTest);
            }
        }

        if (!r.Has(Cat048Frn.I040))
        {
            return Reject(DetectionRejection.NoPosition);
        }

        if (!r.Has(Cat048Frn.I140))
        {
            return Reject(DetectionRejection.NoTime);
        }

        var source = new DataSourceId(f.Sac, f.Sic);
        if (!_sites.TryGetValue(source.Key, out var site))
        {
            Statistics.RejectUnknownSite(source);
            return false;
        }

        if (!TryTime(f.TimeOfDaySeconds, captureUtc, out var time))
        {
            return Reject(DetectionRejection.NoDate);
        }

        double height;
        double heightStd;
        var modeC = r.Has(Cat048Frn.I090) && f.FlightLevelFlags == 0;
        if (r.Has(Cat048Frn.I110))
        {
            height = f.Height3DMetres;
            heightStd = 150;
        }
        else if (modeC)
        {
            height = f.PressureAltitudeMetres;
            heightStd = PlotElevation.PressureAltitudeStd(height, _options.PressureAltitudeOffsetStdM, _options.PressureAltitudeRelativeStd);
        }
        else
        {
            height = double.NaN;
            heightStd = _options.AssumedHeightStdM;
        }

        var address = r.Has(Cat048Frn.I220) ? (uint)f.AircraftAddress : 0u;
        if (address != 0)
        {
            RememberIdentity(address, r.Has(Cat048Frn.I070) && (f.Mode3AFlags & 0b100) == 0 ? f.Mode3ACode : -1,
                r.Has(Cat048Frn.I240) ? f.Callsign : default, modeC ? f.FlightLevelRaw : null);
        }

        var rangeRate = double.NaN;
        if (r.Has(Cat048Frn.I120) && f.HasCalculatedDopplerSpeed && _options.RadialDopplerSpeed != RadialDopplerSpeedUse.Ignore)
        {
            if (f.DopplerSpeedDoubtful)
            {
                Statistics.DopplerDoubtful++;
            }
            else
            {
                rangeRate = _options.RadialDopplerSpeed == RadialDopplerSpeedUse.PositiveApproaching
                    ? -f.CalculatedDopplerSpeedMetresPerSecond
                    : f.CalculatedDopplerSpeedMetresPerSecond;
            }
        }

        if (!TryRadar(site, source, time, f.RangeMetres, f.AzimuthDegrees * Deg, height, heightStd, address, out detection))
        {
            return false;
        }

        if (!double.IsNaN(rangeRate))
        {
            detection = detection with { RangeRate = rangeRate, RangeRateVariance = _rangeRateVariance };
            Statistics.RangeRates++;
        }

        return true;
    }

    private bool TryCat001(AsterixRecord r, DateTime? captureUtc, out Detection detection)
    {
        detection = default;
        var f = r.Cat001;
        var uap = r.Uap!;
        // ASTERIX CAT001 ed. 1.2: I001/010, I001/040, I001/090, I001/141
        int frn;
        if (!((frn = uap.FrnOf("010")) > 0 && r.Has(frn)))
        {
            return Reject(DetectionRejection.NoDataSource);
        }

        if (!((frn = uap.FrnOf("040")) > 0 && r.Has(frn)))
        {
            return Reject(DetectionRejection.NoPosition);
        }

        var source = new DataSourceId(f.Sac, f.Sic);
        if (!_sites.TryGetValue(source.Key, out var site))
        {
            Statistics.RejectUnknownSite(source);
            return false;
        }

        if (!((frn = uap.FrnOf("141")) > 0 && r.Has(frn)))
        {
            return Reject(DetectionRejection.NoTime);
        }

        DateTime? reference = captureUtc ?? _lastTime;
        if (reference is null && _options.Date is { } date && _serviceTod.TryGetValue(source.Key, out var tod))
        {
            reference = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddSeconds(tod);
        }

        if (reference is null)
        {
            return Reject(_options.Date is null ? DetectionRejection.NoDate : DetectionRejection.NoTime);
        }

        var time = TimeOfDay.FromTruncated(f.TruncatedTimeRaw / 128.0, 512.0, reference.Value);
        double height = double.NaN;
        var heightStd = _options.AssumedHeightStdM;
        if ((frn = uap.FrnOf("090")) > 0 && r.Has(frn) && (r.GetItemBytes(frn)[0] >> 6) == 0)
        {
            height = f.FlightLevelRaw * 25.0 * Feet;
            heightStd = PlotElevation.PressureAltitudeStd(height, _options.PressureAltitudeOffsetStdM, _options.PressureAltitudeRelativeStd);
        }

        return TryRadar(site, source, time, f.RangeMetres, f.AzimuthDegrees * Deg, height, heightStd, 0, out detection);
    }

    private bool TryRadar(in RadarSite site, DataSourceId source, DateTime time, double range, double azimuth, double height,
        double heightStd, uint address, out Detection detection)
    {
        detection = default;
        if (!(range > 0))
        {
            return Reject(DetectionRejection.InvalidValue);
        }

        var earth = PlotElevation.EulerRadius(site.Position.LatitudeRad, azimuth);
        var k = _options.EffectiveEarthRadiusFactor;
        ElevationEstimate el;
        if (double.IsNaN(height))
        {
            Statistics.AssumedHeight++;
            // The assumed band may not be reachable at short range: clamp the height to what the range allows.
            var h = Math.Min(_options.AssumedHeightM, site.Position.HeightM + (0.9 * range));
            if (!PlotElevation.TryCompute(range, site.Position.HeightM, h, heightStd, earth, k, out el))
            {
                el = new ElevationEstimate(0, Math.PI / 4);
            }
        }
        else if (!PlotElevation.TryCompute(range, site.Position.HeightM, height, heightStd, earth, k, out el))
        {
            return Reject(DetectionRejection.InconsistentHeight);
        }

        var elStd = Math.Min(el.StdRad, Math.PI / 4);
        detection = new Detection(time, RadarName(source), site.Nation, MeasurementKind.RangeAzimuthElevation,
            new Vec3(range, azimuth, el.ElevationRad),
            Mat3.Diagonal(site.RangeStdM * site.RangeStdM, site.AzimuthStdRad * site.AzimuthStdRad, elStd * elStd),
            site.Position, Detection.UnknownTruth, address);
        return true;
    }

    private bool TryCat021(AsterixRecord r, DateTime? captureUtc, out Detection detection)
    {
        detection = default;
        var f = r.Cat021;
        var uap = r.Uap!;
        // ASTERIX CAT021 ed. 2.6 (2.1, 0.26): I021/010, I021/130, I021/131, I021/071, 073, 077, I021/140, I021/145, I021/080, I021/090
        if (!Has(r, "010"))
        {
            return Reject(DetectionRejection.NoDataSource);
        }

        if (!Has(r, "130") && !Has(r, "131"))
        {
            return Reject(DetectionRejection.NoPosition);
        }

        var raw = f.TimeOfApplicabilityPositionRaw >= 0 ? f.TimeOfApplicabilityPositionRaw
            : f.TimeOfReceptionPositionRaw >= 0 ? f.TimeOfReceptionPositionRaw
            : f.TimeOfReportTransmissionRaw;
        if (raw < 0)
        {
            return Reject(DetectionRejection.NoTime);
        }

        if (!(Math.Abs(f.LatitudeDegrees) <= 90) || !(Math.Abs(f.LongitudeDegrees) <= 180))
        {
            return Reject(DetectionRejection.InvalidValue);
        }

        if (!TryTime(raw / 128.0, captureUtc, out var time))
        {
            return Reject(DetectionRejection.NoDate);
        }

        double height;
        double vStd;
        int? fl = null;
        if (Has(r, "145"))
        {
            fl = f.FlightLevelRaw;
        }

        if (Has(r, "140"))
        {
            height = f.GeometricHeightFeet * Feet;
            vStd = _options.AdsbGeometricHeightStdM;
        }
        else if (fl is { } level)
        {
            height = level * 25.0 * Feet;
            vStd = PlotElevation.PressureAltitudeStd(height, _options.PressureAltitudeOffsetStdM, _options.PressureAltitudeRelativeStd);
        }
        else
        {
            height = _options.AssumedHeightM;
            vStd = _options.AssumedHeightStdM;
        }

        var hStd = _options.AdsbDefaultHorizontalStdM;
        int frn;
        if (uap.Edition != "0.26" && (frn = uap.FrnOf("090")) > 0 && r.Has(frn))
        {
            var q = r.GetItemBytes(frn);
            if (q.Length >= 2)
            {
                var nacp = (q[1] >> 1) & 0xF;
                if (nacp is >= 1 and <= 11)
                {
                    hStd = NacpEpu95[nacp] / 2.448;
                }
            }
        }

        var address = Has(r, "080") ? (uint)f.TargetAddress : 0u;
        if (address != 0)
        {
            RememberIdentity(address, Has(r, "070") ? f.Mode3ACode : -1, Has(r, "170") ? f.Callsign : default, fl);
        }

        var source = new DataSourceId(f.Sac, f.Sic);
        detection = new Detection(time, AdsbName(source), _options.Nation, MeasurementKind.Geodetic,
            new Vec3(f.LatitudeDegrees * Deg, f.LongitudeDegrees * Deg, height),
            Mat3.Diagonal(hStd * hStd, hStd * hStd, vStd * vStd),
            Geodetic.FromDegrees(f.LatitudeDegrees, f.LongitudeDegrees, height), Detection.UnknownTruth, address);
        return true;
    }

    private static bool Has(AsterixRecord r, string item)
    {
        var frn = r.Uap!.FrnOf(item);
        return frn > 0 && r.Has(frn);
    }

    private bool TryTime(double secondsOfDay, DateTime? captureUtc, out DateTime time)
    {
        if ((captureUtc ?? _lastTime) is { } reference)
        {
            time = TimeOfDay.ToUtc(secondsOfDay, reference);
            return true;
        }

        if (_options.Date is { } date)
        {
            time = TimeOfDay.ToUtc(secondsOfDay, date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddSeconds(secondsOfDay));
            return true;
        }

        time = default;
        return false;
    }

    private void RememberIdentity(uint address, int mode3A, ReadOnlySpan<char> callsign, int? flightLevelRaw)
    {
        var known = _identities.TryGetValue(address, out var k) ? k : new AircraftIdentity(-1, null, null);
        var name = known.Callsign;
        if (!callsign.IsEmpty && !callsign.IsWhiteSpace() && (name is null || !callsign.SequenceEqual(name)))
        {
            name = new string(callsign);
        }

        _identities[address] = new AircraftIdentity(mode3A >= 0 ? mode3A : known.Mode3A,
            name, flightLevelRaw ?? known.FlightLevelRaw);
    }

    private string RadarName(DataSourceId source) => Name(_radarNames, source, "radar:");

    private string AdsbName(DataSourceId source) => Name(_adsbNames, source, "adsb:");

    private static string Name(Dictionary<int, string> names, DataSourceId source, string prefix)
    {
        if (!names.TryGetValue(source.Key, out var name))
        {
            name = string.Intern(prefix + source.ToString());
            names[source.Key] = name;
        }

        return name;
    }
}
