using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Defence.Impact;
using Kizuna.Tracking.Types;

namespace Kizuna.Defence.ThreatEvaluation;

/// <summary>A track offered to threat evaluation: number, time, ECEF state with covariance, classification.</summary>
/// <param name="Number">Coalition track number.</param>
/// <param name="Time">UTC time of the state.</param>
/// <param name="State">ECEF position/velocity (m, m/s) and 6×6 covariance.</param>
/// <param name="Kind">Classified kind.</param>
/// <param name="Affiliation">Standard identity; Friend, AssumedFriend and Neutral tracks are not threats.</param>
public sealed record ThreatTrack(TrackNumber Number, DateTime Time, GaussianState State, TrackKind Kind, Affiliation Affiliation);

/// <summary>One asset at risk from a threat.</summary>
/// <param name="Asset">The asset.</param>
/// <param name="HitProbability">Probability the threat reaches it (model in docs/defence.md).</param>
public readonly record struct AssetAtRisk(DefendedAsset Asset, double HitProbability);

/// <summary>A threat with everything early warning needs.</summary>
/// <param name="Threat">The WTA-facing threat record.</param>
/// <param name="PredictedPoint">Predicted impact point (ballistic) or arrival point (air).</param>
/// <param name="TimeOfImpact">Predicted UTC time of impact / arrival.</param>
/// <param name="TimeToGoS">Seconds from the track time to impact / arrival.</param>
/// <param name="Ellipse">Impact covariance (zero for air threats).</param>
/// <param name="Assets">Threatened assets, most value at stake first.</param>
/// <param name="WarnedNations">Nations to warn: owners of threatened assets and of territory under the impact ellipse / on the path.</param>
public sealed record ThreatAssessment(
    Threat Threat,
    Geodetic PredictedPoint,
    DateTime TimeOfImpact,
    double TimeToGoS,
    ImpactEllipse Ellipse,
    ImmutableArray<AssetAtRisk> Assets,
    ImmutableArray<Nation> WarnedNations);

/// <summary>Settings of <see cref="ThreatEvaluator"/> (notional, documented in docs/defence.md).</summary>
public sealed record ThreatEvaluatorOptions
{
    /// <summary>Defaults.</summary>
    public static ThreatEvaluatorOptions Default { get; } = new();

    /// <summary>Smallest footprint radius of an asset for the hit probability (m): a point asset is hurt by an impact this close.</summary>
    public double MinAssetRadiusM { get; init; } = 1_000;

    /// <summary>An asset is threatened when its hit probability reaches this, or its centre is inside the 95 % ellipse.</summary>
    public double MinHitProbability { get; init; } = 0.01;

    /// <summary>Cruise missile: closest approach within this distance of an asset's edge threatens it (m).</summary>
    public double CruiseThreatRadiusM { get; init; } = 30_000;

    /// <summary>Aircraft: closest approach within this distance (notional stand-off weapon range) threatens an asset (m).</summary>
    public double AircraftThreatRadiusM { get; init; } = 80_000;

    /// <summary>Largest time to go considered for air threats (s).</summary>
    public double AirHorizonS { get; init; } = 1_800;

    /// <summary>Weight of an aircraft relative to a missile aimed at the same asset (it may not attack).</summary>
    public double AircraftWeight { get; init; } = 0.5;

    /// <summary>Value of a nation's territory when no asset is threatened.</summary>
    public double TerritoryValue { get; init; } = 1;

    /// <summary>Urgency time constant τ of the priority (s).</summary>
    public double UrgencyTimeConstantS { get; init; } = 300;
}

/// <summary>
/// Threat evaluation: for each hostile-or-unknown ballistic, cruise or aircraft track, the
/// threatened assets and nations, the time to go, the value at stake and a priority, as
/// <see cref="Threat"/> records with their predicted paths.
/// </summary>
/// <remarks>
/// <para><b>Ballistic.</b> <see cref="ImpactPredictor"/> gives the impact Gaussian N(μ, Σ) in the
/// tangent plane; asset i (centre cᵢ, radius Rᵢ ≥ R_min) is hit with pᵢ = ∫_{|x−cᵢ|≤Rᵢ} N(x; μ, Σ) dx
/// (<see cref="ImpactEllipse.ProbabilityInDisc"/>); it is threatened when pᵢ ≥ p_min or cᵢ lies in the
/// 95 % ellipse.</para>
/// <para><b>Cruise / aircraft.</b> The track's great circle at its current course; an asset ahead
/// (along-track &gt; 0, within the horizon) with closest approach d = |cross-track| ≤ D + Rᵢ (D = 30 km
/// cruise, 80 km aircraft) is threatened with pᵢ = w (1 − d/(D + Rᵢ)), w = 1 cruise, 0.5 aircraft.
/// The path is the great circle from the track to the chosen asset at the current ground speed.</para>
/// <para><b>Value and priority.</b> V = Σᵢ vᵢ pᵢ (the impact is a single event, so the expected value
/// lost is the sum over disjoint asset footprints); when no asset is threatened but the predicted
/// point lies in a nation's territory, V = w·V_territory. Priority = V · τ/(τ + t_go), τ = 300 s:
/// value at stake, discounted by the time left to act. The reported asset is the one with the
/// largest vᵢ pᵢ.</para>
/// </remarks>
public sealed class ThreatEvaluator
{
    private readonly ThreatEvaluatorOptions _o;
    private readonly ImmutableArray<DefendedAsset> _assets;
    private readonly ImmutableArray<TerritoryRegion> _territories;
    private readonly ImpactPredictor _predictor;

    /// <summary>Creates an evaluator over the defended assets and territories (default: <see cref="Territories.Default"/>).</summary>
    public ThreatEvaluator(IEnumerable<DefendedAsset> assets, ImpactPredictor? predictor = null, ThreatEvaluatorOptions? options = null, IEnumerable<TerritoryRegion>? territories = null)
    {
        _assets = [.. assets];
        _predictor = predictor ?? new ImpactPredictor();
        _o = options ?? ThreatEvaluatorOptions.Default;
        _territories = territories is null ? Territories.Default : [.. territories];
    }

    /// <summary>Evaluates every track; returns the threats, highest priority first.</summary>
    public ImmutableArray<ThreatAssessment> Evaluate(IEnumerable<ThreatTrack> tracks)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        var list = new List<ThreatAssessment>();
        foreach (var t in tracks)
        {
            if (Evaluate(t) is { } a)
            {
                list.Add(a);
            }
        }

        return [.. list.OrderByDescending(a => a.Threat.Priority).ThenBy(a => a.Threat.Track)];
    }

    /// <summary>Evaluates one track; null when it threatens nothing.</summary>
    public ThreatAssessment? Evaluate(ThreatTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (track.Affiliation is Affiliation.Friend or Affiliation.AssumedFriend or Affiliation.Neutral)
        {
            return null;
        }

        return track.Kind switch
        {
            TrackKind.BallisticMissile => Ballistic(track),
            TrackKind.CruiseMissile => Air(track, _o.CruiseThreatRadiusM, 1),
            TrackKind.Aircraft or TrackKind.Unknown => Air(track, _o.AircraftThreatRadiusM, _o.AircraftWeight),
            TrackKind.CivilAircraft when track.Affiliation is Affiliation.Suspect or Affiliation.Hostile => Air(track, _o.AircraftThreatRadiusM, _o.AircraftWeight),
            _ => null,
        };
    }

    private ThreatAssessment? Ballistic(ThreatTrack track)
    {
        var p = _predictor.Predict(track.Time, track.State, out var path);
        if (!p.Impacts || path is null)
        {
            return null;
        }

        var frame = new EnuFrame(p.ImpactPoint);
        var risks = new List<AssetAtRisk>();
        foreach (var a in _assets)
        {
            var e = frame.ToEnu(a.Position with { HeightM = p.ImpactPoint.HeightM });
            var pr = p.Ellipse.ProbabilityInDisc(e.X, e.Y, Math.Max(a.RadiusM, _o.MinAssetRadiusM));
            if (pr >= _o.MinHitProbability || p.Ellipse.Contains95(e.X, e.Y))
            {
                risks.Add(new AssetAtRisk(a, pr));
            }
        }

        // Territory under the ellipse: centre and eight points on the 95 % boundary.
        var nations = new SortedSet<Nation>();
        var ell = p.Ellipse;
        var (sb, cb) = Math.SinCos(ell.OrientationRad);
        for (var k = -1; k < 8; k++)
        {
            var (s, c) = k < 0 ? (0.0, 0.0) : Math.SinCos(k * Math.PI / 4);
            var major = c * ell.SemiMajor95M;
            var minor = s * ell.SemiMinor95M;
            var pt = frame.ToGeodetic(new Vec3((major * sb) + (minor * cb), (major * cb) - (minor * sb), 0));
            AddTerritory(nations, pt);
        }

        return Assess(track, TrackKind.BallisticMissile, path, p.ImpactPoint, p.TimeOfImpact, ell, risks, nations, 1, p.TimeOfImpactSigmaS);
    }

    private ThreatAssessment? Air(ThreatTrack track, double radius, double weight)
    {
        var frame = new EnuFrame(Wgs84.EcefToGeodetic(track.State.Position));
        var here = frame.Origin;
        var venu = frame.RotateToEnu(track.State.Velocity);
        var speed = Math.Sqrt((venu.X * venu.X) + (venu.Y * venu.Y));
        if (speed < 1)
        {
            return null;
        }

        var course = Math.Atan2(venu.X, venu.Y);
        var risks = new List<AssetAtRisk>();
        foreach (var a in _assets)
        {
            var (cross, along) = Spherical.CrossAlong(here, course, a.Position);
            var reach = radius + a.RadiusM;
            var d = along > 0 ? Math.Abs(cross) : Spherical.Distance(here, a.Position);
            if (d <= reach && along / speed <= _o.AirHorizonS)
            {
                risks.Add(new AssetAtRisk(a, weight * (1 - (d / reach))));
            }
        }

        var nations = new SortedSet<Nation>();
        Geodetic target;
        if (risks.Count > 0)
        {
            target = risks.MaxBy(r => r.Asset.Value * r.HitProbability).Asset.Position with { HeightM = here.HeightM };
        }
        else
        {
            // First territory entered along the course within the horizon (30 s steps).
            target = default;
            for (var s = 30.0; s <= _o.AirHorizonS; s += 30)
            {
                var pt = Spherical.Destination(here, course, speed * s);
                if (AddTerritory(nations, pt))
                {
                    target = pt;
                    break;
                }
            }

            if (nations.Count == 0)
            {
                return null;
            }
        }

        AddTerritory(nations, target);
        var path = new GreatCirclePath(track.Time, here, target, speed);
        return Assess(track, track.Kind, path, target, path.End, default, risks, nations, weight);
    }

    private bool AddTerritory(SortedSet<Nation> nations, Geodetic p)
    {
        var found = false;
        foreach (var t in _territories)
        {
            if (t.Contains(p))
            {
                nations.Add(t.Owner);
                found = true;
            }
        }

        return found;
    }

    private ThreatAssessment? Assess(ThreatTrack track, TrackKind kind, IThreatPath path, Geodetic point, DateTime toi, ImpactEllipse ellipse, List<AssetAtRisk> risks, SortedSet<Nation> nations, double weight, double endSigmaS = 0)
    {
        risks.Sort((a, b) => (b.Asset.Value * b.HitProbability).CompareTo(a.Asset.Value * a.HitProbability));
        foreach (var r in risks)
        {
            nations.Add(r.Asset.Owner);
        }

        if (nations.Count == 0)
        {
            return null;
        }

        var value = risks.Count > 0 ? risks.Sum(r => r.Asset.Value * r.HitProbability) : weight * _o.TerritoryValue;
        var ttg = Math.Max(0, (toi - track.Time).TotalSeconds);
        var tau = _o.UrgencyTimeConstantS;
        var priority = value * tau / (tau + ttg);
        var first = risks.Count > 0 ? risks[0].Asset : null;
        var owner = first?.Owner ?? nations.Min;
        var threat = new Threat(track.Number, kind, path, first?.Name ?? string.Empty, owner, value, priority) { EndSigmaS = endSigmaS };
        return new ThreatAssessment(threat, point, toi, ttg, ellipse, [.. risks], [.. nations]);
    }
}
