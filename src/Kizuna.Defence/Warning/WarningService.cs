using System.Collections.Immutable;
using System.Globalization;
using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Defence.ThreatEvaluation;

namespace Kizuna.Defence.Warning;

/// <summary>Settings of <see cref="WarningService"/>.</summary>
/// <param name="Issuer">Nation issuing the alerts (the marking's originator).</param>
/// <param name="Classification">Classification of the alerts.</param>
/// <param name="UpdateDistanceM">Re-issue when the predicted point moves more than this (m).</param>
/// <param name="UpdateTimeS">Re-issue when the predicted time of impact moves more than this (s).</param>
/// <param name="UpdateEllipseRatio">Re-issue when the 95 % semi-major axis changes by more than this fraction.</param>
public sealed record WarningOptions(Nation Issuer, Kizuna.Core.Classification Classification = Kizuna.Core.Classification.Secret, double UpdateDistanceM = 2_000, double UpdateTimeS = 10, double UpdateEllipseRatio = 0.25);

/// <summary>Warning time of one alert: from first issue to the (latest) predicted impact.</summary>
/// <param name="AlertId">Alert id.</param>
/// <param name="Warned">Nation warned.</param>
/// <param name="Threat">Threat track.</param>
/// <param name="Kind">Threat kind.</param>
/// <param name="Issued">UTC time of first issue.</param>
/// <param name="PredictedImpact">Latest predicted UTC time of impact.</param>
public readonly record struct WarningTime(string AlertId, Nation Warned, TrackNumber Threat, TrackKind Kind, DateTime Issued, DateTime PredictedImpact)
{
    /// <summary>Warning time = predicted impact − first issue.</summary>
    public TimeSpan Duration => PredictedImpact - Issued;
}

/// <summary>
/// Early warning: turns each evaluation cycle's threat assessments into <see cref="Alert"/>s, one
/// alert per (threat track, warned nation): issued the first cycle the nation is threatened,
/// updated when the prediction moves (point, time or ellipse size beyond the thresholds) or the
/// threatened asset changes, cleared when the track no longer threatens that nation.
/// </summary>
/// <remarks>
/// Latency: an alert is issued in the same <see cref="Step"/> as the first assessment that names the
/// nation, so when threat evaluation runs every cycle over confirmed tracks, the warning leaves at
/// most one evaluation cycle after confirmation. Each alert is marked releasable to the issuer and
/// the warned nation only. Not thread-safe; library code never reads the clock (time is passed in).
/// </remarks>
public sealed class WarningService
{
    private readonly WarningOptions _o;
    private readonly Dictionary<(TrackNumber, Nation), Alert> _active = [];
    private readonly Dictionary<string, WarningTime> _times = [];

    /// <summary>Creates the service.</summary>
    public WarningService(WarningOptions options) => _o = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Alerts currently in force.</summary>
    public IReadOnlyCollection<Alert> Active => _active.Values;

    /// <summary>Warning time per alert ever issued (ordered by id).</summary>
    public ImmutableArray<WarningTime> WarningTimes => [.. _times.Values.OrderBy(w => w.AlertId, StringComparer.Ordinal)];

    /// <summary>One evaluation cycle: returns the alerts issued, updated and cleared at <paramref name="now"/>.</summary>
    public ImmutableArray<Alert> Step(DateTime now, IEnumerable<ThreatAssessment> assessments)
    {
        ArgumentNullException.ThrowIfNull(assessments);
        var output = ImmutableArray.CreateBuilder<Alert>();
        var seen = new HashSet<(TrackNumber, Nation)>();
        foreach (var a in assessments)
        {
            foreach (var nation in a.WarnedNations)
            {
                var key = (a.Threat.Track, nation);
                seen.Add(key);
                var asset = a.Assets.FirstOrDefault(r => r.Asset.Owner == nation).Asset?.Name ?? string.Empty;
                var id = string.Create(CultureInfo.InvariantCulture, $"{nation.Code}-{a.Threat.Track}");
                var alert = new Alert(
                    id, now, AlertState.Issued, nation, a.Threat.Track, a.Threat.Kind, asset, a.PredictedPoint,
                    a.Ellipse.SemiMajor95M, a.Ellipse.SemiMinor95M, a.Ellipse.OrientationRad, a.TimeOfImpact,
                    Marking.RelTo(_o.Issuer, _o.Classification, nation));
                if (!_active.TryGetValue(key, out var last))
                {
                    _active[key] = alert;
                    _times[id] = new WarningTime(id, nation, a.Threat.Track, a.Threat.Kind, now, a.TimeOfImpact);
                    output.Add(alert);
                }
                else if (Moved(last, alert))
                {
                    alert = alert with { State = AlertState.Updated };
                    _active[key] = alert;
                    _times[id] = _times[id] with { PredictedImpact = a.TimeOfImpact };
                    output.Add(alert);
                }
            }
        }

        foreach (var key in _active.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            output.Add(_active[key] with { Time = now, State = AlertState.Cleared });
            _active.Remove(key);
        }

        return output.ToImmutable();
    }

    private bool Moved(Alert last, Alert next)
    {
        var moved = Spherical.Distance(last.PredictedImpact, next.PredictedImpact) > _o.UpdateDistanceM;
        var time = Math.Abs((next.TimeOfImpact - last.TimeOfImpact).TotalSeconds) > _o.UpdateTimeS;
        var size = Math.Abs(next.EllipseSemiMajorM - last.EllipseSemiMajorM) > _o.UpdateEllipseRatio * Math.Max(last.EllipseSemiMajorM, 1);
        return moved || time || size || next.AssetName != last.AssetName;
    }
}
