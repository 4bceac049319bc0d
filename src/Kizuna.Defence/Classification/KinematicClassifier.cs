using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;

namespace Kizuna.Defence.Classification;

/// <summary>
/// Classifies picture tracks from kinematics (ballistic, cruise missile, aircraft, surface, unknown)
/// and cooperative identity (ADS-B ⇒ civil), and watches civil tracks for lost ADS-B or leaving
/// their filed route. Keeps a little state per track number; call <see cref="Remove"/> when a
/// track is dropped.
/// </summary>
/// <remarks>
/// <para><b>Free-flight test.</b> From two states Δt ≥ 3 s apart, the measured acceleration
/// a = (v₂ − v₁)/Δt (ECEF) minus the free-flight acceleration of <see cref="EarthDynamics"/> (J₂
/// gravity, Coriolis, centrifugal; no drag) at the midpoint is the specific force f. A ballistic
/// body after burnout has |f| ≈ 0 (only drag, small above ~30 km); a boosting or manoeuvring one
/// does not (Zarchan, "Tactical and Strategic Missile Guidance", 6th ed., 2012, ch. 22, and
/// Li &amp; Jilkov, "Survey of maneuvering target tracking. Part II: ballistic target models",
/// SPIE 4473, 2001, §2).</para>
/// <para><b>Rules</b> (first match, thresholds in <see cref="ClassifierOptions"/>):
/// ADS-B identity ⇒ civil (0.99); fast (≥ 1.2 km/s) or high and fast (≥ 30 km, ≥ 600 m/s) ⇒ ballistic
/// (0.95 in free flight, 0.6 boosting, 0.7 before an acceleration estimate exists);
/// low (≤ 200 m) and slow (≤ 30 m/s) ⇒ surface (0.9); low (≤ 1.5 km) and fast (≥ 150 m/s) ⇒ cruise
/// (0.85 below 300 m, else 0.65); ≥ 40 m/s ⇒ aircraft (0.8); else unknown (0). A ballistic
/// classification with confidence ≥ 0.9 is kept for the track's life (re-entry drag must not turn
/// it into an aircraft). Heights are above the ellipsoid (no terrain model).</para>
/// <para>Not thread-safe (one instance per evaluation loop); <see cref="Classify"/> does not allocate
/// after a track's first call.</para>
/// </remarks>
public sealed class KinematicClassifier
{
    private readonly ClassifierOptions _o;
    private readonly IReadOnlyDictionary<uint, CivilRoute> _routes;
    private readonly Dictionary<TrackNumber, History> _history = [];

    /// <summary>Creates a classifier; <paramref name="routes"/> maps ICAO 24-bit addresses to filed routes.</summary>
    public KinematicClassifier(ClassifierOptions? options = null, IReadOnlyDictionary<uint, CivilRoute>? routes = null)
    {
        _o = options ?? ClassifierOptions.Default;
        _routes = routes ?? new Dictionary<uint, CivilRoute>();
    }

    /// <summary>Forgets a dropped track.</summary>
    public void Remove(TrackNumber track) => _history.Remove(track);

    /// <summary>Classifies the track's latest state (call once per update, in time order).</summary>
    public TrackClassification Classify(PictureTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (!_history.TryGetValue(track.Number, out var h))
        {
            h = new History();
            _history[track.Number] = h;
        }

        var frame = new EnuFrame(track.Position);
        var r = frame.OriginEcef;
        var v = frame.RotateToEcef(track.VelocityEnu);
        var height = track.Position.HeightM;
        var speed = track.VelocityEnu.Norm;

        // Specific force from the oldest kept state at least the baseline away.
        var f = double.NaN;
        if (h.Count > 0)
        {
            var dt = (track.Time - h.Time).TotalSeconds;
            if (dt >= _o.MinAccelerationBaselineS)
            {
                var a = (v - h.Velocity) / dt;
                var mid = (r + h.Position) * 0.5;
                var vm = (v + h.Velocity) * 0.5;
                var free = EarthDynamics.Gravity(mid, true) + EarthDynamics.RotationTerms(mid, vm);
                f = (a - free).Norm;
                h.Set(track.Time, r, v);
            }
        }
        else
        {
            h.Set(track.Time, r, v);
        }

        h.LastSpecificForce = double.IsNaN(f) ? h.LastSpecificForce : f;
        f = h.LastSpecificForce;

        // Cooperative identity and civil anomalies.
        if (track.Identity != 0)
        {
            h.Icao = track.Identity;
            h.LastIdentityTime = track.Time;
        }

        if (h.Icao != 0)
        {
            var anomalies = CivilAnomaly.None;
            if (track.Identity == 0 && (track.Time - h.LastIdentityTime).TotalSeconds > _o.AdsbTimeoutS)
            {
                anomalies |= CivilAnomaly.AdsbLost;
            }

            if (_routes.TryGetValue(h.Icao, out var route) && CrossTrackToRoute(route, track.Position) > route.CorridorHalfWidthM)
            {
                anomalies |= CivilAnomaly.OffRoute;
            }

            return new TrackClassification(TrackKind.CivilAircraft, 0.99, anomalies, anomalies == CivilAnomaly.None ? Affiliation.Neutral : Affiliation.Suspect, f);
        }

        if (h.StickyBallistic)
        {
            return new TrackClassification(TrackKind.BallisticMissile, 0.95, CivilAnomaly.None, Affiliation.Pending, f);
        }

        if (speed >= _o.BallisticSpeed || (height >= _o.BallisticHeight && speed >= _o.HighFastSpeed))
        {
            var confidence = double.IsNaN(f) ? 0.7 : f <= _o.FreeFlightSpecificForce ? 0.95 : 0.6;
            h.StickyBallistic = confidence >= 0.9;
            return new TrackClassification(TrackKind.BallisticMissile, confidence, CivilAnomaly.None, Affiliation.Pending, f);
        }

        if (height <= _o.SurfaceMaxHeight && speed <= _o.SurfaceMaxSpeed)
        {
            return new TrackClassification(TrackKind.Surface, 0.9, CivilAnomaly.None, Affiliation.Pending, f);
        }

        if (height <= _o.CruiseMaxHeight && speed >= _o.CruiseMinSpeed)
        {
            return new TrackClassification(TrackKind.CruiseMissile, height <= 300 ? 0.85 : 0.65, CivilAnomaly.None, Affiliation.Pending, f);
        }

        return speed >= _o.AircraftMinSpeed
            ? new TrackClassification(TrackKind.Aircraft, 0.8, CivilAnomaly.None, Affiliation.Pending, f)
            : new TrackClassification(TrackKind.Unknown, 0, CivilAnomaly.None, Affiliation.Pending, f);
    }

    /// <summary>
    /// Distance (m) from <paramref name="p"/> to the nearest leg of the route on the sphere of mean
    /// radius (<see cref="Spherical.DistanceToLeg"/>): the cross-track distance when the along-track
    /// projection falls within the leg, else the distance to the nearer end (E. Williams, "Aviation
    /// Formulary", cross-track and along-track distance).
    /// </summary>
    public static double CrossTrackToRoute(CivilRoute route, Geodetic p)
    {
        ArgumentNullException.ThrowIfNull(route);
        var best = double.PositiveInfinity;
        for (var i = 0; i + 1 < route.Waypoints.Length; i++)
        {
            best = Math.Min(best, Spherical.DistanceToLeg(route.Waypoints[i], route.Waypoints[i + 1], p));
        }

        return best;
    }

    private sealed class History
    {
        public int Count { get; private set; }

        public DateTime Time { get; private set; }

        public Vec3 Position { get; private set; }

        public Vec3 Velocity { get; private set; }

        public double LastSpecificForce { get; set; } = double.NaN;

        public bool StickyBallistic { get; set; }

        public uint Icao { get; set; }

        public DateTime LastIdentityTime { get; set; }

        public void Set(DateTime t, Vec3 r, Vec3 v)
        {
            Time = t;
            Position = r;
            Velocity = v;
            Count++;
        }
    }
}
