using Kizuna.Core;

namespace Kizuna.Asterix.Detections;

/// <summary>How the adapter reads I048/120 CAL (calculated Doppler speed), whose sign the sender's ICD defines.</summary>
public enum RadialDopplerSpeedUse
{
    /// <summary>Positive = moving away from the radar (the spec's recommendation and what Kizuna sends): ṙ = CAL.</summary>
    PositiveReceding,

    /// <summary>Positive = approaching the radar (a sender whose ICD says so): ṙ = −CAL.</summary>
    PositiveApproaching,

    /// <summary>Do not use I048/120: plots carry no range rate.</summary>
    Ignore,
}

/// <summary>Settings of an <see cref="AsterixDetectionAdapter"/>. Change with <c>with</c>.</summary>
public sealed record AsterixDetectionOptions
{
    /// <summary>Defaults: no sites, sites learned from CAT034 I120, k = 1.</summary>
    public static AsterixDetectionOptions Default { get; } = new();

    /// <summary>Configured radar sites (they win over CAT034 I120).</summary>
    public IReadOnlyList<RadarSite> Sites { get; init; } = [];

    /// <summary>Learn unknown radar sites from CAT034 I034/120 (3-D position of the data source).</summary>
    public bool LearnSitesFromCat034 { get; init; } = true;

    /// <summary>Range σ of a radar learned from CAT034 (m).</summary>
    public double DefaultRangeStdM { get; init; } = RadarSite.DefaultRangeStdM;

    /// <summary>Azimuth σ of a radar learned from CAT034 (rad).</summary>
    public double DefaultAzimuthStdRad { get; init; } = RadarSite.DefaultAzimuthStdDeg * Math.PI / 180.0;

    /// <summary>
    /// The date of data that carry no capture timestamp (raw .ast files): times of day are placed on it (nearest day,
    /// <see cref="TimeOfDay"/>). Null: such records are rejected with <see cref="DetectionRejection.NoDate"/>.
    /// </summary>
    public DateOnly? Date { get; init; }

    /// <summary>Effective Earth radius factor k of the elevation geometry (<see cref="PlotElevation"/>); 1 = geometric.</summary>
    public double EffectiveEarthRadiusFactor { get; init; } = 1.0;

    /// <summary>Pressure-altitude offset σ_0 (m) of <see cref="PlotElevation.PressureAltitudeStd"/>.</summary>
    public double PressureAltitudeOffsetStdM { get; init; } = 100.0;

    /// <summary>Pressure-altitude relative σ c of <see cref="PlotElevation.PressureAltitudeStd"/>.</summary>
    public double PressureAltitudeRelativeStd { get; init; } = 0.03;

    /// <summary>Height assumed for plots without a valid Mode C (m): the middle of a 0–10 km band.</summary>
    public double AssumedHeightM { get; init; } = 5_000.0;

    /// <summary>Height σ for plots without Mode C (m): a uniform 0–10 km band has σ = 10 km/√12 ≈ 2.9 km.</summary>
    public double AssumedHeightStdM { get; init; } = 10_000.0 / Math.Sqrt(12);

    /// <summary>ADS-B horizontal σ per axis when no NACp is given (m).</summary>
    public double AdsbDefaultHorizontalStdM { get; init; } = 50.0;

    /// <summary>ADS-B vertical σ for a geometric (GNSS) height (m).</summary>
    public double AdsbGeometricHeightStdM { get; init; } = 30.0;

    /// <summary>How I048/120 CAL becomes <see cref="Detection.RangeRate"/> (sign convention of the source, or ignore).</summary>
    public RadialDopplerSpeedUse RadialDopplerSpeed { get; init; } = RadialDopplerSpeedUse.PositiveReceding;

    /// <summary>
    /// σ_ṙ of the radar's Doppler speed measurement (m/s) — ASTERIX does not carry it. Notional default 3 m/s (the
    /// simulated early-warning radars' value, docs/sensor-models.md). The 1 m/s quantisation of I048/120 adds 1/12 m²/s².
    /// </summary>
    public double RangeRateStdMps { get; init; } = 3.0;

    /// <summary>The nation stamped on ADS-B detections and on radars learned from CAT034.</summary>
    public Nation Nation { get; init; }

    /// <summary>Drop plots flagged as simulated (I048/020 SIM) or test targets (TST).</summary>
    public bool DropSimulatedAndTestTargets { get; init; } = true;
}
