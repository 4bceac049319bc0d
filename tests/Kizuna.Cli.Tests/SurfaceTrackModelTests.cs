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
    /// Tracks one target for 600 s; returns the mean |height error| and horizontal error, the largest
    /// |height error| and the number of samples, over the updates from <paramref name="from"/> s (the
    /// last 20 by default) at which a confirmed track exists.
    /// </summary>
    private static (double Height, double Horizontal, double WorstHeight, int Samples) Run(Func<double, Geodetic> truth, bool radar, double from = 400)
    {
        var tracker = Commands.TrackCommand.Defaults.Ecef.Build();
        var random = new Random(20250601);
        var frame = new EnuFrame(AewSite);
        var heights = new List<double>();
        var horizontals = new List<double>();
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
            var confirmed = tracker.Tracks.ToArray().Where(x => x.IsConfirmed).ToArray();
            if (t >= from && (t >= 400 || confirmed.Length > 0))
            {
                var track = Assert.Single(confirmed);
                var estimate = Wgs84.EcefToGeodetic(track.Position);
                var enu = new EnuFrame(g).ToEnu(track.Position);
                heights.Add(Math.Abs(estimate.HeightM - g.HeightM));
                horizontals.Add(Math.Sqrt((enu.X * enu.X) + (enu.Y * enu.Y)));
            }
        }

        return (heights.Average(), horizontals.Average(), heights.DefaultIfEmpty(double.NaN).Max(), heights.Count);
    }
}
