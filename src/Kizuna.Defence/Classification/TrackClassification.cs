using System.Collections.Immutable;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;

namespace Kizuna.Defence.Classification;

/// <summary>Anomalies of a civil (ADS-B identified) track.</summary>
[Flags]
public enum CivilAnomaly
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>The track reported an ADS-B identity and stopped reporting it for longer than the timeout.</summary>
    AdsbLost = 1,

    /// <summary>The track left the corridor around its filed route.</summary>
    OffRoute = 2,
}

/// <summary>Result of classifying one track.</summary>
/// <param name="Kind">Classified kind.</param>
/// <param name="Confidence">Confidence in [0, 1] (documented heuristic scores, not a calibrated probability).</param>
/// <param name="Anomalies">Civil-track anomalies.</param>
/// <param name="SuggestedAffiliation">Neutral for healthy civil traffic, Suspect for anomalous civil traffic, else Pending.</param>
/// <param name="SpecificForce">Magnitude of the estimated non-gravitational acceleration (m/s²), NaN until two states are known.</param>
public readonly record struct TrackClassification(TrackKind Kind, double Confidence, CivilAnomaly Anomalies, Affiliation SuggestedAffiliation, double SpecificForce);

/// <summary>A civil aircraft's filed route: waypoints and a corridor half-width.</summary>
/// <param name="Waypoints">At least two waypoints (heights ignored).</param>
/// <param name="CorridorHalfWidthM">Allowed cross-track distance from the nearest leg (m).</param>
public sealed record CivilRoute(ImmutableArray<Geodetic> Waypoints, double CorridorHalfWidthM);

/// <summary>Thresholds of <see cref="KinematicClassifier"/>. All are notional, documented in docs/defence.md.</summary>
public sealed record ClassifierOptions
{
    /// <summary>Defaults.</summary>
    public static ClassifierOptions Default { get; } = new();

    /// <summary>Speed above which a track is a ballistic candidate regardless of height (m/s).</summary>
    public double BallisticSpeed { get; init; } = 1_200;

    /// <summary>Height above which a fast track (&gt; <see cref="HighFastSpeed"/>) is a ballistic candidate (m).</summary>
    public double BallisticHeight { get; init; } = 30_000;

    /// <summary>Speed that, above <see cref="BallisticHeight"/>, makes a ballistic candidate (m/s).</summary>
    public double HighFastSpeed { get; init; } = 600;

    /// <summary>Largest specific force (non-gravitational acceleration) of free flight (m/s²); above it the candidate is boosting.</summary>
    public double FreeFlightSpecificForce { get; init; } = 15;

    /// <summary>Cruise missile: below this height (m) …</summary>
    public double CruiseMaxHeight { get; init; } = 1_500;

    /// <summary>… and at least this speed (m/s).</summary>
    public double CruiseMinSpeed { get; init; } = 150;

    /// <summary>Surface: below this height (m) …</summary>
    public double SurfaceMaxHeight { get; init; } = 200;

    /// <summary>… and slower than this (m/s).</summary>
    public double SurfaceMaxSpeed { get; init; } = 30;

    /// <summary>Aircraft: at least this speed (m/s).</summary>
    public double AircraftMinSpeed { get; init; } = 40;

    /// <summary>Shortest interval between two states for an acceleration estimate (s).</summary>
    public double MinAccelerationBaselineS { get; init; } = 3;

    /// <summary>Time without ADS-B identity after which a civil track is flagged (s).</summary>
    public double AdsbTimeoutS { get; init; } = 30;
}
