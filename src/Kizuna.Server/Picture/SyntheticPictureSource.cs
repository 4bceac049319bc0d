using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;

namespace Kizuna.Server.Picture;

/// <summary>Settings of a <see cref="SyntheticPictureSource"/>.</summary>
/// <param name="TrackCount">Number of moving tracks.</param>
/// <param name="Seed">Random seed (same seed, same picture).</param>
/// <param name="Epoch">Simulation start time (UTC).</param>
/// <param name="JapanOnlyFraction">Fraction of tracks marked JPN-only (originator-only); the rest are releasable to USA, JPN, AUS, GBR.</param>
/// <param name="ApplyReleaseFilter">
/// True (default) to behave like a correct node view (each viewer gets only what is released to it).
/// False simulates a faulty view that hands every object to every viewer; tests use it to prove the
/// server's own release check holds alone.
/// </param>
public sealed record SyntheticPictureOptions(
    int TrackCount,
    int Seed,
    DateTime Epoch,
    double JapanOnlyFraction = 0.3,
    bool ApplyReleaseFilter = true)
{
    /// <summary>Default synthetic picture: <paramref name="trackCount"/> tracks from 2026-01-01T00:00Z, seed 7.</summary>
    public static SyntheticPictureOptions Create(int trackCount, int seed = 7) =>
        new(trackCount, seed, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
}

/// <summary>
/// An in-memory picture for tests and the performance page: N tracks flying circles over the
/// western Pacific (some JPN-only, the rest releasable to all four nations), two ballistic-missile
/// alerts, three engagement recommendations, sensors, assets and batteries. It is also an
/// <see cref="IEngagementAuthority"/> that applies the owner-nation commander's decisions.
/// </summary>
/// <remarks>
/// Motion is analytic, so any time can be computed directly (seek is exact): track i flies a circle of
/// radius r_i about (φ0, λ0) at speed v_i, with θ(t) = θ0 + s·v·t / r (s = ±1 the turn sense),
/// east = r sin θ, north = r cos θ, and velocity (s·v cos θ, −s·v sin θ, 0). Positions use the
/// small-offset spherical approximation φ = φ0 + north / R, λ = λ0 + east / (R cos φ0) with
/// R = 6,371 km (adequate for display; this is test data, not a motion model).
/// Thread safety: all members may be called from any thread.
/// </remarks>
public sealed class SyntheticPictureSource : IPictureSource, IEngagementAuthority
{
    private const double EarthRadiusM = 6_371_000.0;

    private static readonly Marking AllFour = Marking.RelTo(Nation.Japan, Classification.Secret, Nation.Usa, Nation.Australia, Nation.UnitedKingdom);
    private static readonly Marking AllFourUsa = Marking.RelTo(Nation.Usa, Classification.Secret, Nation.Japan, Nation.Australia, Nation.UnitedKingdom);
    private static readonly Marking JapanOnly = Marking.OriginatorOnly(Nation.Japan);

    private readonly Lock _gate = new();
    private readonly SyntheticPictureOptions _options;
    private readonly Orbit[] _orbits;
    private readonly ImmutableArray<SensorCoverage> _sensors;
    private readonly ImmutableArray<DefendedAssetSite> _assets;
    private readonly ImmutableArray<BatterySite> _batteries;
    private readonly Dictionary<string, Engagement> _engagements = new(StringComparer.Ordinal);
    private ImmutableArray<Subscription> _subscribers = [];
    private ImmutableArray<PictureTrack> _tracks;
    private ImmutableArray<Alert> _alerts;
    private DateTime _time;
    private bool _playing = true;
    private double _speed = 1.0;

    /// <summary>Builds the picture at <see cref="SyntheticPictureOptions.Epoch"/>.</summary>
    public SyntheticPictureSource(SyntheticPictureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.TrackCount);
        _options = options;
        _time = options.Epoch;
        var random = new Random(options.Seed);
        _orbits = new Orbit[options.TrackCount];
        for (var i = 0; i < _orbits.Length; i++)
        {
            _orbits[i] = Orbit.Create(i, random, options.JapanOnlyFraction);
        }

        _sensors =
        [
            new("JPN-FPS5-SHIMO", Nation.Japan, Geodetic.FromDegrees(31.0, 130.3, 100), 1_000_000, JapanOnly),
            new("JPN-FPS7-NOTO", Nation.Japan, Geodetic.FromDegrees(37.3, 136.8, 200), 450_000, AllFour),
            new("USA-TPY2-KYOGA", Nation.Usa, Geodetic.FromDegrees(35.7, 135.2, 150), 1_000_000, AllFourUsa),
            new("AUS-JORN-GUAM", Nation.Australia, Geodetic.FromDegrees(13.5, 144.8, 50), 600_000,
                Marking.RelTo(Nation.Australia, Classification.Secret, Nation.Usa, Nation.Japan, Nation.UnitedKingdom)),
        ];
        _assets =
        [
            new("Tokyo", Nation.Japan, Geodetic.FromDegrees(35.68, 139.77), 40_000, AllFour),
            new("Kadena AB", Nation.Usa, Geodetic.FromDegrees(26.35, 127.77), 15_000, AllFourUsa),
            new("Misawa AB", Nation.Japan, Geodetic.FromDegrees(40.70, 141.37), 15_000, JapanOnly),
        ];
        _batteries =
        [
            new("JPN-PAC3-ICHIGAYA", Nation.Japan, Geodetic.FromDegrees(35.69, 139.73), AllFour),
            new("JPN-DDG-KONGO", Nation.Japan, Geodetic.FromDegrees(38.5, 134.5), JapanOnly),
            new("USA-PAC3-KADENA", Nation.Usa, Geodetic.FromDegrees(26.36, 127.76), AllFourUsa),
        ];
        _tracks = ComputeTracks(_time);
        _alerts = ComputeAlerts(_time);
        foreach (var e in InitialEngagements(_time))
        {
            _engagements[e.Id] = e;
        }
    }

    /// <summary>The engagement used by the browser tests: JPN-owned, releasable to all, recommended at start.</summary>
    public const string SharedJapaneseEngagementId = "ENG-0001";

    /// <summary>A JPN-owned, JPN-only engagement (never visible to AUS).</summary>
    public const string JapanOnlyEngagementId = "ENG-0002";

    /// <summary>A USA-owned engagement releasable to all.</summary>
    public const string UsaEngagementId = "ENG-0003";

    /// <inheritdoc />
    public ClockState Clock
    {
        get
        {
            lock (_gate)
            {
                return new ClockState(_time, _playing, _speed, _options.Epoch, _options.Epoch.AddHours(6), CanPause: true, CanSeek: true);
            }
        }
    }

    /// <inheritdoc />
    public PictureSnapshot GetSnapshot(Nation viewer)
    {
        lock (_gate)
        {
            return new PictureSnapshot(
                _time,
                View(_tracks, viewer, static t => t.Marking),
                View(_alerts, viewer, static a => a.Marking),
                View([.. _engagements.Values.OrderBy(e => e.Id, StringComparer.Ordinal)], viewer, static e => e.Marking),
                View(_sensors, viewer, static s => s.Marking),
                View(_assets, viewer, static a => a.Marking),
                View(_batteries, viewer, static b => b.Marking));
        }
    }

    /// <inheritdoc />
    public IDisposable Subscribe(Nation viewer, Action<PictureDelta> onTick)
    {
        ArgumentNullException.ThrowIfNull(onTick);
        var s = new Subscription(this, viewer, onTick);
        lock (_gate)
        {
            _subscribers = _subscribers.Add(s);
        }

        return s;
    }

    /// <inheritdoc />
    public bool Control(ClockCommand command, out string reason)
    {
        var resync = false;
        lock (_gate)
        {
            switch (command.Action)
            {
                case ClockAction.Play:
                    _playing = true;
                    break;
                case ClockAction.Pause:
                    _playing = false;
                    break;
                case ClockAction.Speed when command.Speed is > 0 and <= 1000 && double.IsFinite(command.Speed):
                    _speed = command.Speed;
                    break;
                case ClockAction.Speed:
                    reason = "speed must be in (0, 1000]";
                    return false;
                case ClockAction.Seek:
                    var end = _options.Epoch.AddHours(6);
                    var to = command.SeekTo.ToUniversalTime();
                    _time = to < _options.Epoch ? _options.Epoch : to > end ? end : to;
                    _tracks = ComputeTracks(_time);
                    _alerts = ComputeAlerts(_time);
                    resync = true;
                    break;
                default:
                    reason = "unknown command";
                    return false;
            }
        }

        if (resync)
        {
            Publish(_tracks, _alerts, [], resync: true);
        }

        reason = "ok";
        return true;
    }

    /// <summary>
    /// Advances the simulation by <paramref name="wallElapsed"/> × speed (when playing), recomputes every
    /// track and publishes one delta per subscriber. The performance page calls this at 1 Hz.
    /// </summary>
    public void Advance(TimeSpan wallElapsed)
    {
        ImmutableArray<PictureTrack> tracks;
        ImmutableArray<Alert> alerts;
        lock (_gate)
        {
            if (!_playing)
            {
                return;
            }

            _time += TimeSpan.FromTicks((long)(wallElapsed.Ticks * _speed));
            _tracks = tracks = ComputeTracks(_time);
            var before = _alerts;
            _alerts = ComputeAlerts(_time);
            alerts = before.SequenceEqual(_alerts) ? [] : _alerts;
        }

        Publish(tracks, alerts, [], resync: false);
    }

    /// <summary>Drives <see cref="Advance"/> every <paramref name="period"/> of <paramref name="time"/> until cancelled.</summary>
    public async Task RunAsync(TimeProvider time, TimeSpan period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Advance(period);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <inheritdoc />
    /// <remarks>Only the owning nation's commander may decide, and only a recommended engagement.</remarks>
    public EngagementDecisionResult Decide(string engagementId, Nation nation, ViewerRole role, bool approve)
    {
        Engagement changed;
        lock (_gate)
        {
            if (!_engagements.TryGetValue(engagementId, out var e))
            {
                return EngagementDecisionResult.Refused($"no engagement '{engagementId}'");
            }

            if (role != ViewerRole.Commander)
            {
                return EngagementDecisionResult.Refused("only a commander may decide");
            }

            if (e.Owner != nation)
            {
                return EngagementDecisionResult.Refused($"{engagementId} belongs to {e.Owner}; only {e.Owner}'s authority may decide it");
            }

            if (e.Status != EngagementStatus.Recommended)
            {
                return EngagementDecisionResult.Refused($"{engagementId} is {e.Status}, not awaiting a decision");
            }

            changed = e with
            {
                Status = approve ? EngagementStatus.Approved : EngagementStatus.Denied,
                Time = _time,
                DecidedBy = $"{nation}/{role.ToString().ToLowerInvariant()}",
            };
            _engagements[engagementId] = changed;
        }

        Publish([], [], [changed], resync: false);
        return EngagementDecisionResult.Done(approve ? "approved" : "denied");
    }

    private void Publish(ImmutableArray<PictureTrack> tracks, ImmutableArray<Alert> alerts, ImmutableArray<Engagement> engagements, bool resync)
    {
        DateTime now;
        ImmutableArray<Subscription> subscribers;
        lock (_gate)
        {
            now = _time;
            subscribers = _subscribers;
        }

        foreach (var s in subscribers)
        {
            var delta = new PictureDelta(
                now,
                View(tracks, s.Viewer, static t => t.Marking),
                [],
                View(alerts, s.Viewer, static a => a.Marking),
                View(engagements, s.Viewer, static e => e.Marking),
                resync);
            s.Deliver(delta);
        }
    }

    private ImmutableArray<T> View<T>(ImmutableArray<T> items, Nation viewer, Func<T, Marking> marking)
    {
        if (!_options.ApplyReleaseFilter || items.IsDefaultOrEmpty)
        {
            return items.IsDefault ? [] : items;
        }

        var b = ImmutableArray.CreateBuilder<T>(items.Length);
        foreach (var item in items)
        {
            if (marking(item).IsReleasableTo(viewer))
            {
                b.Add(item);
            }
        }

        return b.ToImmutable();
    }

    private ImmutableArray<PictureTrack> ComputeTracks(DateTime time)
    {
        var t = (time - _options.Epoch).TotalSeconds;
        var b = ImmutableArray.CreateBuilder<PictureTrack>(_orbits.Length);
        foreach (var o in _orbits)
        {
            b.Add(o.At(time, t));
        }

        return b.MoveToImmutable();
    }

    private ImmutableArray<Alert> ComputeAlerts(DateTime time)
    {
        var missiles = _orbits.Where(o => o.Kind == TrackKind.BallisticMissile).Take(2).ToArray();
        var b = ImmutableArray.CreateBuilder<Alert>();
        for (var i = 0; i < missiles.Length; i++)
        {
            var o = missiles[i];
            var shared = i == 0;
            b.Add(new Alert(
                $"ALR-{i + 1:D4}",
                _options.Epoch,
                AlertState.Issued,
                Nation.Japan,
                new TrackNumber(o.Number),
                TrackKind.BallisticMissile,
                shared ? "Tokyo" : "Misawa AB",
                shared ? Geodetic.FromDegrees(35.62, 139.90) : Geodetic.FromDegrees(40.65, 141.50),
                shared ? 9_000 : 6_000,
                shared ? 3_500 : 2_500,
                shared ? 0.6 : 1.1,
                _options.Epoch.AddMinutes(12),
                shared ? AllFour : JapanOnly));
        }

        _ = time;
        return b.ToImmutable();
    }

    private IEnumerable<Engagement> InitialEngagements(DateTime time)
    {
        var threats = _orbits.Where(o => o.Kind == TrackKind.BallisticMissile).Select(o => new TrackNumber(o.Number)).ToArray();
        var first = threats.Length > 0 ? threats[0] : TrackNumber.None;
        var second = threats.Length > 1 ? threats[1] : first;
        yield return new Engagement(SharedJapaneseEngagementId, time, EngagementStatus.Recommended, first, "JPN-PAC3-ICHIGAYA", Nation.Japan, "", time.AddMinutes(10), 0.7, AllFour);
        yield return new Engagement(JapanOnlyEngagementId, time, EngagementStatus.Recommended, second, "JPN-DDG-KONGO", Nation.Japan, "", time.AddMinutes(9), 0.6, JapanOnly);
        yield return new Engagement(UsaEngagementId, time, EngagementStatus.Recommended, first, "USA-PAC3-KADENA", Nation.Usa, "", time.AddMinutes(11), 0.7, AllFourUsa);
    }

    private sealed class Subscription(SyntheticPictureSource owner, Nation viewer, Action<PictureDelta> onTick) : IDisposable
    {
        private readonly Lock _deliver = new();

        public Nation Viewer { get; } = viewer;

        public void Deliver(PictureDelta delta)
        {
            lock (_deliver)
            {
                onTick(delta);
            }
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._subscribers = owner._subscribers.Remove(this);
            }
        }
    }

    private readonly record struct Orbit(
        int Number, double Lat0Deg, double Lon0Deg, double RadiusM, double SpeedMps, double Phase0, int Sense,
        double HeightM, TrackKind Kind, Affiliation Affiliation, Nation Reporter, Marking Marking, int Quality,
        ImmutableArray<string> Sensors, uint Identity)
    {
        public static Orbit Create(int index, Random random, double japanOnlyFraction)
        {
            var roll = random.NextDouble();
            var (kind, affiliation, speed, height) = roll switch
            {
                < 0.45 => (TrackKind.CivilAircraft, Affiliation.Neutral, 220 + (random.NextDouble() * 40), 10_000 + (random.NextDouble() * 2_000)),
                < 0.70 => (TrackKind.Aircraft, Affiliation.Friend, 200 + (random.NextDouble() * 100), 6_000 + (random.NextDouble() * 6_000)),
                < 0.80 => (TrackKind.Aircraft, Affiliation.Unknown, 150 + (random.NextDouble() * 150), 3_000 + (random.NextDouble() * 8_000)),
                < 0.86 => (TrackKind.CruiseMissile, Affiliation.Hostile, 250 + (random.NextDouble() * 30), 50 + (random.NextDouble() * 50)),
                < 0.90 => (TrackKind.BallisticMissile, Affiliation.Hostile, 2_000 + (random.NextDouble() * 1_000), 80_000 + (random.NextDouble() * 100_000)),
                < 0.97 => (TrackKind.Surface, Affiliation.Friend, 8 + (random.NextDouble() * 6), 0.0),
                _ => (TrackKind.Unknown, Affiliation.Pending, 100 + (random.NextDouble() * 200), 1_000 + (random.NextDouble() * 5_000)),
            };

            // The first missile tracks exist whatever the seed, so the alerts and engagements always have a threat.
            if (index < 2)
            {
                (kind, affiliation, speed, height) = (TrackKind.BallisticMissile, Affiliation.Hostile, 2_500, 120_000);
            }

            var japanOnly = index >= 2 && random.NextDouble() < japanOnlyFraction;
            var reporter = japanOnly ? Nation.Japan : random.NextDouble() < 0.5 ? Nation.Japan : Nation.Usa;
            var marking = japanOnly ? JapanOnly : reporter == Nation.Japan ? AllFour : AllFourUsa;
            ImmutableArray<string> sensors = japanOnly
                ? ["JPN-FPS5-SHIMO"]
                : reporter == Nation.Japan ? ["JPN-FPS7-NOTO"] : ["USA-TPY2-KYOGA", "JPN-FPS7-NOTO"];
            return new Orbit(
                index + 1,
                22 + (random.NextDouble() * 22),
                122 + (random.NextDouble() * 26),
                30_000 + (random.NextDouble() * 170_000),
                speed,
                random.NextDouble() * 2 * Math.PI,
                random.NextDouble() < 0.5 ? 1 : -1,
                height,
                kind,
                affiliation,
                reporter,
                marking,
                7 + random.Next(9),
                sensors,
                kind == TrackKind.CivilAircraft ? (uint)(0x840000 + index) : 0);
        }

        public PictureTrack At(DateTime time, double seconds)
        {
            var theta = Phase0 + (Sense * SpeedMps * seconds / RadiusM);
            var (s, c) = Math.SinCos(theta);
            var east = RadiusM * s;
            var north = RadiusM * c;
            var lat0 = Lat0Deg * Math.PI / 180;
            var lat = lat0 + (north / EarthRadiusM);
            var lon = (Lon0Deg * Math.PI / 180) + (east / (EarthRadiusM * Math.Cos(lat0)));
            var velocity = new Vec3(Sense * SpeedMps * c, -Sense * SpeedMps * s, 0);
            return new PictureTrack(
                new TrackNumber(Number), time, new Geodetic(lat, lon, HeightM), velocity, 150 + (Number % 7 * 50),
                Quality, Kind, Affiliation, Reporter, Marking, Sensors, Identity);
        }
    }
}
