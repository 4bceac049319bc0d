using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Tracking.Tests.Trackers;

/// <summary>
/// The revocable surface hypothesis (<see cref="SurfaceTrackModel"/>, two hypotheses "surface" and "air"
/// with Markov-switching probabilities) with two sensors: an airborne radar 240 km away with σ_el = 1°
/// (vertical σ ≈ 4 km, cannot resolve 300 m from the sea) and a ship's 3-D radar 20 km away with
/// σ_el = 0.1° (vertical σ ≈ 35 m). Seeded, 10 s revisit per sensor, the two sensors 5 s apart.
/// </summary>
public class SurfaceReleaseTests
{
    private static readonly DateTime Epoch = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Airborne radar 242 km south of the targets: σ_r 60 m, σ_az 0.3°, σ_el 1°.</summary>
    private static readonly Radar Airborne = new("aew", Geodetic.FromDegrees(33.0, 131.0, 9_500), 60, 0.3, 1.0);

    /// <summary>3-D radar 20 km south of the targets: σ_r 20 m, σ_az 0.1°, σ_el 0.1°.</summary>
    private static readonly Radar ThreeD = new("ship", Geodetic.FromDegrees(35.0, 131.0, 25), 20, 0.1, 0.1);

    private static Geodetic Helicopter(double t) => Geodetic.FromDegrees(35.18, 131.0 + (10.0 * t / 91_000), 300);

    private static Geodetic Ship(double t) => Geodetic.FromDegrees(35.18, 131.0 + (7.0 * t / 91_000), 0);

    /// <summary>A ship circling the 3-D radar at 20 km, 7 m/s (one lap in 5 h), at sea level.</summary>
    private static Geodetic CirclingShip(double t)
    {
        var (sin, cos) = Math.SinCos(7.0 * t / 20_000);
        var g = new EnuFrame(ThreeD.Site).ToGeodetic(new Vec3(20_000 * sin, 20_000 * cos, 0));
        return g with { HeightM = 0 };
    }

    [Theory]
    [InlineData(FilterKind.Ncv)]
    [InlineData(FilterKind.Imm)]
    public void Tracker_HelicopterHeldUnderCoarseRadar_ReleasedWhen3DRadarJoins(FilterKind filter)
    {
        // 0–300 s: only the airborne radar, which cannot resolve 300 m from the sea: the track is held, and
        // flagged as an assumption. From 305 s the 3-D radar sees it too: the air hypothesis must win at the
        // first or second 3-D update, and from then on the track must be as good as one never held (the
        // control, surface treatment off, same data). Measured: released at the 1st 3-D update (NCV and IMM);
        // after 420 s max |h − 300 m| 141 m (NCV) / 138 m (IMM), equal to the control's. The former sticky
        // hold: NCV gated the 3-D plots out (a second track), IMM re-held transiently (max error 255 m).
        var run = Run(new TrackerSettings { Filter = filter }, Helicopter, 900, threeDFrom: 300, seed: 7);
        var control = Run(new TrackerSettings { Filter = filter, SurfaceSpeedThreshold = 0 }, Helicopter, 900, threeDFrom: 300, seed: 7);
        Assert.True(run.HeldUnderCoarseOnly, "the coarse-only phase should hold the track (else the test does not test a release)");
        Assert.Equal(SurfaceHold.Assumed, run.StatusBefore3D);
        Assert.True(run.ReleaseUpdates is > 0 and <= 2, $"released after {run.ReleaseUpdates} 3-D updates (bound 2)");
        Assert.Equal(1, run.TrackIds);
        Assert.Equal(SurfaceHold.Released, run.FinalStatus);
        Assert.True(run.HeightErrorAfter(420) <= control.HeightErrorAfter(420) + 10,
            $"max |height − 300 m| after 420 s {run.HeightErrorAfter(420):0} m, never-held control {control.HeightErrorAfter(420):0} m");
        Assert.True(run.HeightMeanAfter(420) < 40, $"mean |height − 300 m| after 420 s {run.HeightMeanAfter(420):0} m (bound 40 m)");
    }

    [Theory]
    [InlineData(FilterKind.Ncv)]
    [InlineData(FilterKind.Imm)]
    public void Tracker_ShipSeenByCoarseAnd3DRadar_StaysHeldAndVerified(FilterKind filter)
    {
        // Coarse only: held, flagged Assumed (the coarse radar cannot tell the sea from 300 m). With the 3-D radar:
        // verified (Surface), never released; the held height fuses the 3-D plots (σ 35 m) with the surface
        // (σ_z 50 m, ḣ = 0): measured max |h| 13 m (NCV) / 23 m (IMM) against 44 / 56 m before.
        var run = Run(new TrackerSettings { Filter = filter }, Ship, 900, threeDFrom: 300, seed: 7);
        Assert.True(run.HeldUnderCoarseOnly);
        Assert.Equal(SurfaceHold.Assumed, run.StatusBefore3D);
        Assert.Equal(0, run.ReleaseUpdates);
        Assert.Equal(SurfaceHold.Surface, run.FinalStatus);
        Assert.True(run.HeightErrorBefore(300) < 5, $"max |height| {run.HeightErrorBefore(300):0.0} m, coarse only");
        Assert.True(run.HeightErrorAfter(0) < 30, $"max |height| {run.HeightErrorAfter(0):0.0} m (ship at sea level)");
    }

    [Theory]
    [InlineData(FilterKind.Ncv)]
    [InlineData(FilterKind.Imm)]
    public void Tracker_ShipOverFourHours_NeverReleasedByNoise(FilterKind filter)
    {
        // 4 h of a ship seen by both radars (2,880 updates) and one with the coarse radar only: no release.
        var both = Run(new TrackerSettings { Filter = filter }, CirclingShip, 4 * 3600, threeDFrom: 0, seed: 11);
        var coarse = Run(new TrackerSettings { Filter = filter }, CirclingShip, 4 * 3600, threeDFrom: double.PositiveInfinity, seed: 12);
        Assert.Equal(0, both.Releases);
        Assert.Equal(0, coarse.Releases);
        Assert.Equal(SurfaceHold.Surface, both.FinalStatus);
        Assert.Equal(SurfaceHold.Assumed, coarse.FinalStatus);
        Assert.True(coarse.HeightErrorAfter(0) < 5, $"max |height| {coarse.HeightErrorAfter(0):0.0} m, coarse only");
    }

    [Fact]
    public void Tracker_HeldShipReportedCovariance_CarriesTheAirHypothesis()
    {
        // Coarse only: the reported σ_h is not the pseudo-measurement's ~σ_z but includes the air hypothesis
        // (P(air) ≈ 0.1 times its spread of kilometres); with the 3-D radar it shrinks to tens of metres.
        var tracker = new TrackerSettings { Filter = FilterKind.Ncv }.Build();
        var rng = new Stochastic(5);
        var coarseSigma = double.NaN;
        for (var t = 0.0; t <= 600; t += 5)
        {
            var use3D = (int)(t / 5) % 2 == 1;
            if (use3D && t < 300)
            {
                continue;
            }

            var time = Epoch.AddSeconds(t);
            tracker.Step(time, [Detect(use3D ? ThreeD : Airborne, Ship(t), time, rng)]);
            if (t == 300)
            {
                coarseSigma = VerticalSigma(Assert.Single(tracker.Tracks.ToArray()));
            }
        }

        var track = Assert.Single(tracker.Tracks.ToArray());
        Assert.True(coarseSigma > 150, $"reported σ_h {coarseSigma:0} m while held on coarse data only");
        Assert.True(VerticalSigma(track) < 60, $"reported σ_h {VerticalSigma(track):0} m once verified by the 3-D radar");
        Assert.Equal(SurfaceHold.Surface, track.SurfaceHold);
        Assert.True(track.SurfaceProbability > 0.99);
    }

    private static double VerticalSigma(Track track) => Math.Sqrt(Vec3.Dot(Up(track.Position), track.PositionCovariance * Up(track.Position)));

    private static Vec3 Up(Vec3 ecef)
    {
        var g = Wgs84.EcefToGeodetic(ecef);
        var (sinLat, cosLat) = Math.SinCos(g.LatitudeRad);
        var (sinLon, cosLon) = Math.SinCos(g.LongitudeRad);
        return new Vec3(cosLat * cosLon, cosLat * sinLon, sinLat);
    }

    private static RunSummary Run(TrackerSettings settings, Func<double, Geodetic> truth, double duration, double threeDFrom, int seed)
    {
        var tracker = settings.Build();
        var rng = new Stochastic(seed);
        var samples = new List<(double Time, double Error, SurfaceHold Status)>();
        var heldCoarse = false;
        var statusBefore = SurfaceHold.None;
        var released = 0;
        var releases = 0;
        var previous = SurfaceHold.None;
        var threeDUpdates = 0;
        var ids = new HashSet<long>();
        for (var t = 0.0; t <= duration; t += 5)
        {
            var use3D = (int)(t / 5) % 2 == 1;
            if (use3D && t < threeDFrom)
            {
                continue;
            }

            var radar = use3D ? ThreeD : Airborne;
            var time = Epoch.AddSeconds(t);
            var g = truth(t);
            tracker.Step(time, [Detect(radar, g, time, rng)]);
            var confirmed = tracker.Tracks.ToArray().Where(x => x.IsConfirmed).ToArray();
            foreach (var c in confirmed)
            {
                ids.Add(c.Id);
            }

            if (confirmed.Length != 1)
            {
                continue;
            }

            var track = confirmed[0];
            var height = Wgs84.EcefToGeodetic(track.Position).HeightM;
            samples.Add((t, Math.Abs(height - g.HeightM), track.SurfaceHold));
            if (track.SurfaceHold == SurfaceHold.Released && previous != SurfaceHold.Released)
            {
                releases++;
            }

            previous = track.SurfaceHold;
            if (t < threeDFrom)
            {
                heldCoarse |= Math.Abs(height) < 1 && track.SurfaceHold is SurfaceHold.Assumed or SurfaceHold.Surface;
                statusBefore = track.SurfaceHold;
            }
            else if (use3D)
            {
                threeDUpdates++;
                if (released == 0 && track.SurfaceHold is SurfaceHold.None or SurfaceHold.Released)
                {
                    released = threeDUpdates;
                }
            }
        }

        return new RunSummary(samples, heldCoarse, statusBefore, released, samples.Count == 0 ? SurfaceHold.None : samples[^1].Status, ids.Count, releases);
    }

    private static Detection Detect(Radar radar, Geodetic target, DateTime time, Stochastic rng)
    {
        var frame = new EnuFrame(radar.Site);
        var p = RadarPolar.FromEnu(frame.ToEnu(Wgs84.GeodeticToEcef(target)));
        double sr = radar.RangeStd, saz = radar.AzimuthStdDeg * Math.PI / 180, sel = radar.ElevationStdDeg * Math.PI / 180;
        var az = p.AzimuthRad + (saz * rng.Normal());
        var z = new Vec3(p.RangeM + (sr * rng.Normal()), az - (2 * Math.PI * Math.Floor(az / (2 * Math.PI))), p.ElevationRad + (sel * rng.Normal()));
        return new Detection(time, radar.Name, Nation.Australia, MeasurementKind.RangeAzimuthElevation, z, Mat3.Diagonal(sr * sr, saz * saz, sel * sel), radar.Site, 1);
    }

    private sealed record Radar(string Name, Geodetic Site, double RangeStd, double AzimuthStdDeg, double ElevationStdDeg);

    private sealed record RunSummary(List<(double Time, double Error, SurfaceHold Status)> Samples, bool HeldUnderCoarseOnly, SurfaceHold StatusBefore3D,
        int ReleaseUpdates, SurfaceHold FinalStatus, int TrackIds, int Releases)
    {
        public double HeightErrorAfter(double time) => Samples.Where(s => s.Time >= time).Select(s => s.Error).DefaultIfEmpty(double.NaN).Max();

        public double HeightErrorBefore(double time) => Samples.Where(s => s.Time < time).Select(s => s.Error).DefaultIfEmpty(double.NaN).Max();

        public double HeightMeanAfter(double time) => Samples.Where(s => s.Time >= time).Select(s => s.Error).DefaultIfEmpty(double.NaN).Average();
    }
}
