namespace Kizuna.Asterix.Detections;

/// <summary>Why a record did not become a detection.</summary>
public enum DetectionRejection
{
    /// <summary>A category that carries no target positions (CAT062 system tracks, CAT065, unknown).</summary>
    UnsupportedCategory,

    /// <summary>I048/020 TYP = 0 ("no detection") or a CAT001 record without position.</summary>
    NotATargetReport,

    /// <summary>No I010 data source identifier.</summary>
    NoDataSource,

    /// <summary>No measured position (I040 / I130 / I131 absent).</summary>
    NoPosition,

    /// <summary>No time of day (I140 / I141 / I071–I077 absent, or CAT001 without any time reference).</summary>
    NoTime,

    /// <summary>No date for the time of day: no capture timestamp and no configured date.</summary>
    NoDate,

    /// <summary>The radar's site is neither configured nor learned from CAT034 I120.</summary>
    UnknownSite,

    /// <summary>The Mode C height cannot be reached at the measured slant range (|sin el| &gt; 1).</summary>
    InconsistentHeight,

    /// <summary>Flagged as simulated or a test target (I048/020 SIM / TST).</summary>
    SimulatedOrTest,

    /// <summary>A value out of its physical range (zero range, latitude beyond ±90°).</summary>
    InvalidValue,
}

/// <summary>Counters of an <see cref="AsterixDetectionAdapter"/>. Not thread-safe.</summary>
public sealed class AsterixDetectionStatistics
{
    private readonly long[] _rejected = new long[Enum.GetValues<DetectionRejection>().Length];
    private readonly Dictionary<DataSourceId, long> _unknownSites = [];

    /// <summary>Records offered to the adapter.</summary>
    public long Records { get; internal set; }

    /// <summary>Detections produced.</summary>
    public long Detections { get; internal set; }

    /// <summary>Radar detections whose height was assumed (no valid Mode C).</summary>
    public long AssumedHeight { get; internal set; }

    /// <summary>Radar detections that carry a range rate from I048/120 CAL.</summary>
    public long RangeRates { get; internal set; }

    /// <summary>I048/120 CAL values not used because their D bit says "doubtful" (the plot itself is kept, without range rate).</summary>
    public long DopplerDoubtful { get; internal set; }

    /// <summary>Service messages used for metadata (CAT034, CAT002).</summary>
    public long ServiceMessages { get; internal set; }

    /// <summary>Radar sites learned from CAT034 I034/120.</summary>
    public long SitesLearned { get; internal set; }

    /// <summary>Records rejected for <paramref name="reason"/>.</summary>
    public long Rejected(DetectionRejection reason) => _rejected[(int)reason];

    /// <summary>All rejections.</summary>
    public long RejectedTotal => _rejected.Sum();

    /// <summary>Plots dropped per radar whose site is unknown.</summary>
    public IReadOnlyDictionary<DataSourceId, long> UnknownSitePlots => _unknownSites;

    internal void Reject(DetectionRejection reason) => _rejected[(int)reason]++;

    internal void RejectUnknownSite(DataSourceId source)
    {
        _rejected[(int)DetectionRejection.UnknownSite]++;
        _unknownSites[source] = _unknownSites.GetValueOrDefault(source) + 1;
    }
}
