using System.Collections.Immutable;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;

namespace Kizuna.Defence.Classification;

/// <summary>Thresholds of <see cref="HostileIdentification"/> (notional; docs/defence.md "In the run", Identification).</summary>
public sealed record IdentificationOptions
{
    /// <summary>Defaults, no civil airfield zones.</summary>
    public static IdentificationOptions Default { get; } = new();

    /// <summary>A ballistic classification at least this confident (free flight) declares hostile at once, for the track's life.</summary>
    public double BallisticMinConfidence { get; init; } = 0.9;

    /// <summary>A cruise classification at least this confident (sea-skimming) is a hostile criterion.</summary>
    public double CruiseMinConfidence { get; init; } = 0.85;

    /// <summary>Consecutive sea-skimming classifications needed before a hostile declaration.</summary>
    public int CruiseConfirmCount { get; init; } = 3;

    /// <summary>… spanning at least this long (s).</summary>
    public double CruiseConfirmSpanS { get; init; } = 4;

    /// <summary>Consecutive classifications other than cruise missile that revoke a cruise-based declaration.</summary>
    public int CruiseRevokeCount { get; init; } = 3;

    /// <summary>Lowest plausible height estimate (m above the ellipsoid): below it the height is not trusted for a sea-skimming call.</summary>
    public double MinPlausibleHeightM { get; init; } = -500;

    /// <summary>Civil airfields: a low fast track within <see cref="CivilZoneRadiusM"/> of one is departing or arriving traffic, not a sea-skimmer.</summary>
    public ImmutableArray<Geodetic> CivilAirfields { get; init; } = [];

    /// <summary>Radius of the zone around each civil airfield (m).</summary>
    public double CivilZoneRadiusM { get; init; } = 40_000;
}

/// <summary>
/// The identification rule of the run (a stand-in for an identification authority, which the
/// simulation has no other input for): turns kinematic classifications into an identity per track.
/// </summary>
/// <remarks>
/// <para><b>Rule.</b> (1) A ballistic classification in free flight (confidence ≥ 0.9) ⇒
/// <see cref="Affiliation.Hostile"/> at once and for the track's life (no aircraft or civil object
/// flies a free-flight trajectory above 1.2 km/s or above 30 km at 600 m/s). (2) A healthy
/// cooperative (ADS-B) identity ⇒ <see cref="Affiliation.Neutral"/>, and it revokes a cruise-based
/// declaration: a squawking airliner on its route outranks a kinematic guess. (3) A sea-skimming
/// cruise classification (confidence ≥ 0.85: ≥ 150 m/s below 300 m) ⇒ hostile only after
/// <see cref="IdentificationOptions.CruiseConfirmCount"/> consecutive such classifications spanning
/// ≥ <see cref="IdentificationOptions.CruiseConfirmSpanS"/>, with a plausible height estimate
/// (≥ <see cref="IdentificationOptions.MinPlausibleHeightM"/>: an airliner descending with a height
/// estimate of −1.2 km was declared in the run), and never inside a civil airfield zone
/// (departing and arriving airliners fly at 150–180 m/s below 300 m there). (4) A cruise-based
/// declaration is revoked after <see cref="IdentificationOptions.CruiseRevokeCount"/> consecutive
/// classifications other than cruise missile (the track climbed out of the cruise envelope: it was
/// an aircraft whose early height estimate was wrong). Otherwise the classifier's suggestion.</para>
/// <para>Why (measured, docs/benchmarks.md "Defence — default scenario"): with the previous rule (one
/// sea-skimming classification ⇒ hostile for life) 54 of 78 rounds went to civil airliners whose
/// first height estimates were below 300 m (new tracks at cruise altitude with poor height, or
/// departures and arrivals), including airliners later identified by ADS-B. Positive identification
/// with persistence and cooperative-identity checks follows the usual air-defence ID practice of
/// combining several criteria before a hostile declaration (e.g. NATO AJP-3.3.1, identification
/// criteria; described only in general terms here).</para>
/// <para>Not thread-safe; one instance per nation. Does not allocate after a track's first call.</para>
/// </remarks>
public sealed class HostileIdentification
{
    private readonly IdentificationOptions _o;
    private readonly Dictionary<TrackNumber, State> _state = [];

    /// <summary>Creates the rule.</summary>
    public HostileIdentification(IdentificationOptions? options = null) => _o = options ?? IdentificationOptions.Default;

    /// <summary>Forgets a dropped track.</summary>
    public void Remove(TrackNumber track) => _state.Remove(track);

    /// <summary>The identity of <paramref name="track"/> given its latest classification (call once per classification, in time order).</summary>
    public Affiliation Identify(PictureTrack track, TrackClassification c)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (!_state.TryGetValue(track.Number, out var s))
        {
            s = new State();
            _state[track.Number] = s;
        }

        if (s.Basis == Basis.Ballistic)
        {
            return Affiliation.Hostile;
        }

        if (c.Kind == TrackKind.BallisticMissile && c.Confidence >= _o.BallisticMinConfidence)
        {
            s.Basis = Basis.Ballistic;
            return Affiliation.Hostile;
        }

        if (c.Kind == TrackKind.CivilAircraft && c.Anomalies == CivilAnomaly.None)
        {
            s.Basis = Basis.None;
            s.Qualifying = 0;
            return c.SuggestedAffiliation;
        }

        if (s.Basis == Basis.Cruise)
        {
            s.NotCruise = c.Kind == TrackKind.CruiseMissile ? 0 : s.NotCruise + 1;
            if (s.NotCruise < _o.CruiseRevokeCount)
            {
                return Affiliation.Hostile;
            }

            s.Basis = Basis.None;
            s.Qualifying = 0;
            s.NotCruise = 0;
        }

        if (c.Kind == TrackKind.CruiseMissile && c.Confidence >= _o.CruiseMinConfidence
            && track.Position.HeightM >= _o.MinPlausibleHeightM && !InCivilZone(track.Position))
        {
            if (s.Qualifying == 0)
            {
                s.FirstQualifying = track.Time;
            }

            s.Qualifying++;
            if (s.Qualifying >= _o.CruiseConfirmCount && (track.Time - s.FirstQualifying).TotalSeconds >= _o.CruiseConfirmSpanS)
            {
                s.Basis = Basis.Cruise;
                s.NotCruise = 0;
                return Affiliation.Hostile;
            }
        }
        else
        {
            s.Qualifying = 0;
        }

        return c.SuggestedAffiliation;
    }

    private bool InCivilZone(Geodetic p)
    {
        foreach (var a in _o.CivilAirfields)
        {
            if (Spherical.Distance(a, p) <= _o.CivilZoneRadiusM)
            {
                return true;
            }
        }

        return false;
    }

    private enum Basis : byte
    {
        None = 0,
        Ballistic = 1,
        Cruise = 2,
    }

    private sealed class State
    {
        public Basis Basis { get; set; }

        public int Qualifying { get; set; }

        public DateTime FirstQualifying { get; set; }

        public int NotCruise { get; set; }
    }
}
