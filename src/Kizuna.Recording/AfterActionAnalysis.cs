using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Metrics;

namespace Kizuna.Recording;

/// <summary>Options of the after-action analysis.</summary>
public sealed record AfterActionOptions
{
    /// <summary>Track-to-truth association distance (m) for SIAP and for mapping track numbers to threats (default 2,000 m).</summary>
    public double AssociationThresholdM { get; init; } = 2000;

    /// <summary>Time after its last update at which a track leaves a picture snapshot.</summary>
    public TimeSpan TrackTimeout { get; init; } = RunReader.DefaultTrackTimeout;
}

/// <summary>Pooled SIAP figures of one nation's picture and their per-time steps.</summary>
/// <param name="Nation">The viewing nation.</param>
/// <param name="Siap">Every SIAP figure (Kizuna.Metrics).</param>
public sealed record NationSiap(Nation Nation, SiapResult Siap);

/// <summary>Warning time of one nation for one threat: first alert to impact.</summary>
/// <param name="Nation">Warned nation.</param>
/// <param name="TruthId">The threat's truth id.</param>
/// <param name="ThreatName">The threat's name.</param>
/// <param name="FirstAlert">Time of the nation's first alert on a track associated with the threat.</param>
/// <param name="Impact">Recorded impact time, null when it did not impact (intercepted or still flying).</param>
/// <param name="WarningSeconds">Impact − first alert (s), null without an impact.</param>
/// <param name="PredictedWarningSeconds">First alert's predicted time of impact − first alert (s).</param>
public sealed record WarningTimeRow(Nation Nation, int TruthId, string ThreatName, DateTime FirstAlert, DateTime? Impact, double? WarningSeconds, double PredictedWarningSeconds);

/// <summary>One engagement's life: recommended → decided → intercept (or cancellation), and its outcome.</summary>
/// <param name="Id">Engagement id.</param>
/// <param name="Threat">Target track number.</param>
/// <param name="ThreatTruthId">Truth id mapped from the track number (0 when none).</param>
/// <param name="BatteryId">Firing unit.</param>
/// <param name="Owner">Owning nation.</param>
/// <param name="Recommended">First status time (normally Recommended).</param>
/// <param name="Decided">Time of the first Approved or Denied status.</param>
/// <param name="DecidedBy">Who decided.</param>
/// <param name="Ended">Time of the final status when it is Killed, Missed, Denied or Cancelled.</param>
/// <param name="Outcome">Last status.</param>
public sealed record EngagementRow(
    string Id, TrackNumber Threat, int ThreatTruthId, string BatteryId, Nation Owner, DateTime Recommended, DateTime? Decided, string DecidedBy, DateTime? Ended, EngagementStatus Outcome);

/// <summary>A threat that reached impact.</summary>
/// <param name="TruthId">Truth id.</param>
/// <param name="Name">Name.</param>
/// <param name="Kind">Kind.</param>
/// <param name="Impact">Impact time.</param>
/// <param name="ImpactPoint">Last recorded true position.</param>
/// <param name="NearestAsset">Nearest defended asset ("" when none recorded).</param>
/// <param name="NearestAssetDistanceM">Geodesic distance to it (m), NaN when none.</param>
/// <param name="Engagements">Engagements against it.</param>
/// <param name="WarnedNations">Nations that received an alert on it.</param>
public sealed record LeakerRow(int TruthId, string Name, string Kind, DateTime Impact, Geodetic ImpactPoint, string NearestAsset, double NearestAssetDistanceM, int Engagements, IReadOnlyList<Nation> WarnedNations);

/// <summary>
/// The figures of an after-action report, computed from a recording: SIAP per nation (Kizuna.Metrics
/// from recorded truth and each nation's picture), warning times, the engagement timeline, the
/// leakers and the key moments.
/// </summary>
/// <remarks>
/// Tracks (geodetic position, ENU velocity) are converted to ECEF (WGS-84, NIMA TR8350.2 §4;
/// ENU→ECEF rotation as in <see cref="EnuFrame"/>) to share the truth's frame. Truth is resampled
/// to the union of track and truth times by cubic Hermite interpolation
/// (<see cref="TruthInterpolation"/>), then SIAP is computed (Votruba et al. 2001, as in
/// <see cref="SiapCalculator"/>). A track number is mapped to the truth it was associated with the
/// longest (summed association durations, Stone Soup <c>TrackToTruth</c> rules). Warning time is
/// the recorded impact time minus the first alert to the nation on any track mapped to the threat.
/// </remarks>
public sealed record AfterActionAnalysis
{
    /// <summary>Run metadata.</summary>
    public required RunMetadata Metadata { get; init; }

    /// <summary>Time range.</summary>
    public required RunTimeRange Range { get; init; }

    /// <summary>SIAP per nation.</summary>
    public required IReadOnlyList<NationSiap> Siap { get; init; }

    /// <summary>Warning times per nation and threat.</summary>
    public required IReadOnlyList<WarningTimeRow> WarningTimes { get; init; }

    /// <summary>Engagements by first time.</summary>
    public required IReadOnlyList<EngagementRow> Engagements { get; init; }

    /// <summary>Threats that reached impact.</summary>
    public required IReadOnlyList<LeakerRow> Leakers { get; init; }

    /// <summary>Key moments (label, time): first alert, first engagement decision, first impact, end of run.</summary>
    public required IReadOnlyList<(string Label, DateTime Time)> KeyMoments { get; init; }

    /// <summary>Seconds since the run start.</summary>
    public double Seconds(DateTime time) => (time - Metadata.Start).TotalSeconds;

    /// <summary>Computes every figure from a recording.</summary>
    public static AfterActionAnalysis Compute(RunReader reader, AfterActionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new AfterActionOptions();
        var meta = reader.Metadata;
        var range = reader.TimeRange();
        double Rel(DateTime t) => (t - meta.Start).TotalSeconds;

        var truth = reader.Truth().Select(s => new TruthSample(Rel(s.Time), s.TruthId, s.PositionEcef, s.VelocityEcef, s.Identity)).ToList();
        var truthTimes = truth.Select(s => s.Time).Distinct().ToList();
        var objects = reader.TruthObjects().ToDictionary(o => o.TruthId);
        var associator = new TrackToTruthAssociator(options.AssociationThresholdM);

        var siap = new List<NationSiap>();
        var tnToTruth = new Dictionary<Nation, Dictionary<int, int>>();
        foreach (var nation in meta.Nations)
        {
            var tracks = reader.TrackHistory(nation).Select(t => ToSample(t, Rel(t.Time))).ToList();
            var truthAt = TruthInterpolation.AtTimes(truth, tracks.Select(t => t.Time).Concat(truthTimes));
            var associations = associator.Associate(tracks, truthAt);
            siap.Add(new NationSiap(nation, SiapCalculator.Compute(tracks, truthAt, associations)));
            tnToTruth[nation] = associations
                .GroupBy(a => (int)a.TrackId)
                .ToDictionary(g => g.Key, g => g.GroupBy(a => a.TruthId).OrderByDescending(h => h.Sum(a => a.Duration)).ThenBy(h => h.Key).First().Key);
        }

        int TruthOf(Nation viewer, TrackNumber tn)
        {
            if (tnToTruth.TryGetValue(viewer, out var own) && own.TryGetValue(tn.Value, out var id))
            {
                return id;
            }

            foreach (var map in tnToTruth.Values)
            {
                if (map.TryGetValue(tn.Value, out id))
                {
                    return id;
                }
            }

            return 0;
        }

        var events = reader.EventsUpTo(range.End);
        var impacts = events.Where(e => e.Kind == RunEventKinds.Impact && e.TruthId != 0)
            .GroupBy(e => e.TruthId).ToDictionary(g => g.Key, g => g.Min(e => e.Time));

        var alerts = reader.AlertsUpTo(range.End);
        var warnings = alerts
            .Select(a => (Alert: a, TruthId: TruthOf(a.Warned, a.Threat)))
            .Where(x => x.TruthId != 0)
            .GroupBy(x => (x.Alert.Warned, x.TruthId))
            .Select(g =>
            {
                var first = g.OrderBy(x => x.Alert.Time).First().Alert;
                DateTime? impact = impacts.TryGetValue(g.Key.TruthId, out var ti) ? ti : null;
                return new WarningTimeRow(
                    g.Key.Warned,
                    g.Key.TruthId,
                    objects.TryGetValue(g.Key.TruthId, out var o) ? o.Name : $"truth {g.Key.TruthId}",
                    first.Time,
                    impact,
                    impact is { } it ? (it - first.Time).TotalSeconds : null,
                    (first.TimeOfImpact - first.Time).TotalSeconds);
            })
            .OrderBy(r => r.Nation).ThenBy(r => r.TruthId)
            .ToList();

        var engagements = reader.EngagementsUpTo(range.End)
            .GroupBy(e => e.Id)
            .Select(g =>
            {
                var list = g.ToList();
                var last = list[^1];
                var decided = list.FirstOrDefault(e => e.Status is EngagementStatus.Approved or EngagementStatus.Denied);
                var final = last.Status is EngagementStatus.Killed or EngagementStatus.Missed or EngagementStatus.Denied or EngagementStatus.Cancelled;
                return new EngagementRow(
                    g.Key, last.Threat, TruthOf(last.Owner, last.Threat), last.BatteryId, last.Owner, list[0].Time,
                    decided?.Time, decided?.DecidedBy ?? string.Empty, final ? last.Time : null, last.Status);
            })
            .OrderBy(e => e.Recommended).ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();

        var assets = reader.Assets();
        var lastTruth = reader.Truth().GroupBy(s => s.TruthId).ToDictionary(g => g.Key, g => g.Last());
        var leakers = impacts
            .Where(kv => objects.TryGetValue(kv.Key, out var o) && o.IsThreat)
            .OrderBy(kv => kv.Value)
            .Select(kv =>
            {
                var o = objects[kv.Key];
                var point = lastTruth.TryGetValue(kv.Key, out var s) ? Wgs84.EcefToGeodetic(s.PositionEcef) : default;
                var nearest = assets.Select(a => (a.Name, Distance: GreatCircleM(point, a.Position))).OrderBy(x => x.Distance).FirstOrDefault();
                return new LeakerRow(
                    kv.Key, o.Name, o.Kind, kv.Value, point,
                    nearest.Name ?? string.Empty, nearest.Name is null ? double.NaN : nearest.Distance,
                    engagements.Count(e => e.ThreatTruthId == kv.Key),
                    warnings.Where(w => w.TruthId == kv.Key).Select(w => w.Nation).Distinct().Order().ToList());
            })
            .ToList();

        var moments = new List<(string, DateTime)>();
        if (alerts.Count > 0)
        {
            moments.Add(("first alert", alerts[0].Time));
        }

        if (engagements.FirstOrDefault(e => e.Decided is not null) is { Decided: { } decidedAt })
        {
            moments.Add(("first engagement decision", decidedAt));
        }

        if (impacts.Count > 0)
        {
            moments.Add(("first impact", impacts.Values.Min()));
        }

        moments.Add(("end of run", range.End));

        return new AfterActionAnalysis
        {
            Metadata = meta,
            Range = range,
            Siap = siap,
            WarningTimes = warnings,
            Engagements = engagements,
            Leakers = leakers,
            KeyMoments = moments,
        };
    }

    /// <summary>A picture track as a metrics sample in ECEF.</summary>
    internal static TrackSample ToSample(PictureTrack t, double time)
    {
        var frame = new EnuFrame(t.Position);
        return new TrackSample(time, t.Number.Value, frame.OriginEcef, frame.RotateToEcef(t.VelocityEnu), t.Identity, t.Quality);
    }

    /// <summary>Ellipsoidal (WGS-84 geodesic, Karney 2013) distance (m).</summary>
    internal static double GreatCircleM(Geodetic a, Geodetic b) => Geodesic.Distance(a, b).Metres;
}
