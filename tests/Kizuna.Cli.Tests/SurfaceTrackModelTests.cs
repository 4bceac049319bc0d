using Kizuna.Asterix;
using Kizuna.Asterix.Common;
using Kizuna.Asterix.Detections;
using Kizuna.Cli.Pipeline;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Cli.Tests;

/// <summary>
/// The surface-track treatment of the demo's default tracker (<see cref="SurfaceTrackModel"/> inside the
/// speed-scheduled NCV): synthetic targets, seeded noise, 10 s updates for 600 s. A ship seen by an
/// airborne radar with 1° elevation noise is held at sea level; a slow target measured precisely at
/// 1,500 m and a 230 m/s airliner seen by the same airborne radar keep their heights.
/// </summary>
public class SurfaceTrackModelTests
{
    private static readonly DateTime Epoch = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly Geodetic AewSite = Geodetic.FromDegrees(35.0, 131.0, 9_500);

    [Fact]
    public void DefaultTracker_ShipSeenByAirborneRadarWithCoarseElevation_HeldAtSeaLevel()
    {
        var (height, horizontal, _, _) = Run(t => Geodetic.FromDegrees(36.8, 133.2 + (7.0 * t / 89_000), 0), radar: true);
        Assert.True(height < 150, $"mean |height error| {height:0} m over the last 20 updates (ship at sea level)");
        Assert.True(horizontal < 800, $"mean horizontal error {horizontal:0} m");
    }

    [Fact]
    public void DefaultTracker_ShipSeenByAirborneRadar_HeldAtSeaLevelFromConfirmingUpdate()
    {
        // Issue 3: the two-point velocity of a track 280 km from a radar with 0.3° azimuth noise is off
        // by ~100 m/s, so a speed test on the point estimate left the ship kilometres high or low for
        // its first ~100 s; the test against the velocity uncertainty holds it, and the tracker tells the
        // estimator when an update confirms a track, so the confirming update is held too.
        var (_, _, worst, samples) = Run(t => Geodetic.FromDegrees(36.8, 133.2 + (7.0 * t / 89_000), 0), radar: true, from: 0);
        Assert.True(samples >= 55, $"{samples} confirmed samples of 61");
        Assert.True(worst < 50, $"largest |height error| {worst:0} m over every confirmed update, the confirming one included (ship at sea level)");
    }

    [Fact]
    public void DefaultTracker_SlowTargetMeasuredPreciselyAt1500m_KeepsItsHeight()
    {
        var (height, _, _, _) = Run(t => Geodetic.FromDegrees(35.3, 131.2 + (10.0 * t / 91_000), 1_500), radar: false);
        Assert.True(height < 50, $"mean |height error| {height:0} m over the last 20 updates (target at 1,500 m)");
    }

    [Fact]
    public void DefaultTracker_AirlinerSeenByAirborneRadar_NotPulledToSurface()
    {
        var (height, _, _, _) = Run(t => Geodetic.FromDegrees(36.5, 132.5 + (230.0 * t / 89_500), 10_000), radar: true);
        Assert.True(height < 3_000, $"mean |height error| {height:0} m over the last 20 updates (airliner at 10 km)");
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Wrap(double angle) => angle - (2 * Math.PI * Math.Floor(angle / (2 * Math.PI)));

    /// <summary>
    /// CAT062 I062/080 SRC tells a consumer where a system track's height (I062/130) comes from: the ship held at the sea
    /// surface has its height by hypothesis, so SRC must say "default height" (6), not "3-D radar" (2); the airliner
    /// seen by the same radar keeps SRC 2. The block is the CAT062 encoder's own output, decoded.
    /// </summary>
    [Theory]
    [InlineData(true, SystemTrackEncoder.DefaultHeightSource)]
    [InlineData(false, SystemTrackEncoder.RadarHeightSource)]
    public void SystemTrack_HeldAtSurfaceOrNot_Cat062AltitudeSourceSaysWhereTheHeightComesFrom(bool ship, int expected)
    {
        Func<double, Geodetic> truth = ship
            ? t => Geodetic.FromDegrees(36.8, 133.2 + (7.0 * t / 89_000), 0)
            : t => Geodetic.FromDegrees(36.5, 132.5 + (230.0 * t / 89_500), 10_000);
        var time = Epoch;
        var tracker = Track(truth, radar: true, (t, _, _) => time = Epoch.AddSeconds(t));
        var track = Assert.Single(tracker.Tracks.ToArray(), x => x.IsConfirmed);
        Assert.Equal(ship, track.SurfaceHold is SurfaceHold.Surface or SurfaceHold.Assumed);

        var sources = new List<int>();
        var sink = new Cat062Sink(sources);
        new SystemTrackEncoder(new DataSourceId(0, 1), null).Publish(tracker, time,
            block => AsterixDecoder.DecodeAll(block, new AsterixRecord(), sink, AsterixDecoderOptions.Default, new DecodeStatistics()));
        Assert.Equal([expected], sources);
    }

    /// <summary>
    /// Tracks one target for 600 s; returns the mean |height error| and horizontal error, the largest
    /// |height error| and the number of samples, over the updates from <paramref name="from"/> s (the
    /// last 20 by default) at which a confirmed track exists.
    /// </summary>
    private static (double Height, double Horizontal, double WorstHeight, int Samples) Run(Func<double, Geodetic> truth, bool radar, double from = 400)
    {
        var heights = new List<double>();
        var horizontals = new List<double>();
        Track(truth, radar, (t, g, tracker) =>
        {
            var confirmed = tracker.Tracks.ToArray().Where(x => x.IsConfirmed).ToArray();
            if (t >= from && (t >= 400 || confirmed.Length > 0))
            {
                var track = Assert.Single(confirmed);
                var estimate = Wgs84.EcefToGeodetic(track.Position);
                var enu = new EnuFrame(g).ToEnu(track.Position);
                heights.Add(Math.Abs(estimate.HeightM - g.HeightM));
                horizontals.Add(Math.Sqrt((enu.X * enu.X) + (enu.Y * enu.Y)));
            }
        });

        return (heights.Average(), horizontals.Average(), heights.DefaultIfEmpty(double.NaN).Max(), heights.Count);
    }

    /// <summary>
    /// The default tracker fed one target's plots every 10 s for 600 s — the airborne radar's (σ 60 m, 0.3°, 1°) or a
    /// precise 10 m position sensor's; <paramref name="afterStep"/> sees (t, truth, tracker) after each step.
    /// </summary>
    private static MultiTargetTracker Track(Func<double, Geodetic> truth, bool radar, Action<double, Geodetic, MultiTargetTracker> afterStep)
    {
        var tracker = Commands.TrackCommand.Defaults.Ecef.Build();
        var random = new Random(20250601);
        var frame = new EnuFrame(AewSite);
        for (var t = 0.0; t <= 600; t += 10)
        {
            var time = Epoch.AddSeconds(t);
            var g = truth(t);
            var ecef = Wgs84.GeodeticToEcef(g);
            Detection d;
            if (radar)
            {
                const double sr = 60, saz = 0.3 * Math.PI / 180, sel = 1.0 * Math.PI / 180;
                var p = RadarPolar.FromEnu(frame.ToEnu(ecef));
                var z = new Vec3(p.RangeM + (sr * Gaussian(random)), Wrap(p.AzimuthRad + (saz * Gaussian(random))),
                    p.ElevationRad + (sel * Gaussian(random)));
                d = new Detection(time, "aew", Nation.Australia, MeasurementKind.RangeAzimuthElevation, z, Mat3.Diagonal(sr * sr, saz * saz, sel * sel), AewSite, 1);
            }
            else
            {
                const double s = 10;
                var z = ecef + new Vec3(s * Gaussian(random), s * Gaussian(random), s * Gaussian(random));
                d = new Detection(time, "precise", Nation.Japan, MeasurementKind.PositionEcef, z, Mat3.Diagonal(s * s, s * s, s * s), g, 1);
            }

            tracker.Step(time, [d]);
            afterStep(t, g, tracker);
        }

        return tracker;
    }

    private sealed class Cat062Sink(List<int> sources) : IAsterixRecordSink
    {
        public void OnRecord(AsterixRecord record) => sources.Add(record.Cat062.AltitudeSource);

        public void OnRejected(DecodeStatus status, int offset) => throw new InvalidOperationException($"rejected {status} at {offset}");
    }
}
