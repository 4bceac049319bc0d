using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Tracking.Tests.Doppler;

/// <summary>
/// The speed-scheduled NCV's boost hypothesis for range-rate plots (<see cref="SpeedScheduledEstimator"/>,
/// "Boost hypothesis"): a boosting missile seen by two interleaved pulse-Doppler radars keeps one track through
/// burnout, where without it the precise ṙ is refused by the 4-D gate; and it changes nothing for slow tracks or
/// for plots without ṙ.
/// </summary>
public class BoostHypothesisTests(ITestOutputHelper output)
{
    private const double RateSigma = 3;
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly Geodetic SiteA = Geodetic.FromDegrees(26.135, 127.705, 230);
    private static readonly Geodetic SiteB = Geodetic.FromDegrees(31.660, 129.710, 430);
    private static readonly EnuFrame FrameA = new(SiteA);
    private static readonly Mat3 PolarNoise = Mat3.Diagonal(100 * 100, Math.Pow(0.2 * Math.PI / 180, 2), Math.Pow(0.2 * Math.PI / 180, 2));

    /// <summary>
    /// A missile boosting from 1,000 to ≈ 2,600 m/s with a thrust acceleration growing from 30 to 90 m/s² (the default
    /// scenario's SRBM reaches 93 m/s² at burnout), then coasting, seen by two early-warning radars ≈ 650 km apart with
    /// a 5 s revisit offset by 0.25 s (σ_r 100 m, σ_angle 0.2°, σ_ṙ 3 m/s, P_d 1, seeded noise), through the default
    /// ECEF tracker. With the boost hypothesis one confirmed track follows the missile from its confirmation to the end
    /// of the run, within 3 km, and no other confirmed track comes within 3 km of it. The control, the same plots with
    /// q_boost = 0 (the filter before the change), does not: its ṙ innovations (a_r × 5 s ≫ 3 m/s) fall outside the
    /// χ²(4) gate, so the track is lost or a second number is confirmed on the missile. With GNN and with JPDA (whose
    /// mixture takes the boost decision of its most probable range-rate plot).
    /// </summary>
    [Theory]
    [InlineData(AssociatorKind.Gnn)]
    [InlineData(AssociatorKind.Jpda)]
    public void Tracker_BoostingMissileSeenByTwoDopplerRadars_OneTrackThroughBurnout(AssociatorKind associator)
    {
        var boost = Run(new TrackerSettings { Associator = associator }, withRangeRate: true);
        Assert.True(boost.Held, $"with the boost hypothesis: {boost.Summary}");

        var control = Run(new TrackerSettings { Associator = associator, BoostProcessNoise = 0 }, withRangeRate: true);
        output.WriteLine($"boost hypothesis: {boost.Summary}");
        output.WriteLine($"control (q_boost = 0): {control.Summary}");
        Assert.Equal(0, boost.LateAllocatedBytes); // scans 10–17 (coast phase): every plot of the held fast track is evaluated under both hypotheses, without allocating
        Assert.False(control.Held, $"the control without the boost hypothesis held the missile ({control.Summary}): the test shows nothing");
    }

    /// <summary>
    /// Plots without ṙ (the boosting missile with position-only radar plots) and slow targets with ṙ (the 240 m/s
    /// trail of <see cref="RangeRateTests"/>) never use the boost hypothesis: the tracks are bit-identical with
    /// q_boost = 10,000 and q_boost = 0.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Tracker_PositionPlotsOrSlowTargets_BoostSettingChangesNothing(bool fastWithoutRangeRate)
    {
        var on = fastWithoutRangeRate ? Run(new TrackerSettings(), withRangeRate: false).Final : SlowTrail(new TrackerSettings());
        var off = fastWithoutRangeRate ? Run(new TrackerSettings { BoostProcessNoise = 0 }, withRangeRate: false).Final : SlowTrail(new TrackerSettings { BoostProcessNoise = 0 });
        Assert.NotEmpty(on);
        Assert.Equal(off.Count, on.Count);
        for (var i = 0; i < on.Count; i++)
        {
            Assert.Equal(off[i], on[i]);
        }
    }

    private sealed record Outcome(bool Held, int ConfirmedNumbers, string Summary, List<(long Id, Vec3 Position, Vec3 Velocity, double Trace)> Final, long LateAllocatedBytes);

    /// <summary>Truth in the ENU frame of radar A (flat; the tracker works in ECEF through the exact frame conversions).</summary>
    private static void Truth(double t, out Vec3 position, out Vec3 velocity)
    {
        // Boost for 30 s along a fixed direction climbing at ≈ 30° away from radar A (the thrust is ≈ 90 % radial to it),
        // thrust acceleration 30 → 90 m/s² linearly; then ballistic with g = 9.8 m/s² down. Integrated with a fixed
        // 10 ms step from t = 0 (deterministic).
        var direction = new Vec3(-0.45, 0.75, 0.5) * (1 / new Vec3(-0.45, 0.75, 0.5).Norm);
        var p = new Vec3(-150_000, 250_000, 20_000);
        var v = direction * 1_000;
        const double step = 0.01;
        var n = (int)Math.Round(t / step);
        for (var i = 0; i < n; i++)
        {
            var s = i * step;
            var thrust = s < 30 ? 30 + (60 * s / 30) : 0;
            var a = (direction * thrust) + new Vec3(0, 0, -9.8);
            p += (v * step) + (a * (0.5 * step * step));
            v += a * step;
        }

        position = p;
        velocity = v;
    }

    private static Outcome Run(TrackerSettings settings, bool withRangeRate)
    {
        var tracker = settings.Build();
        var random = new Random(11);
        var frameB = new EnuFrame(SiteB);
        var confirmed = new HashSet<long>();
        var firstConfirmed = -1L;
        var lostAt = double.NaN;
        var batch = new Detection[1];
        (EnuFrame Frame, Geodetic Site, double Offset, string Name)[] sensors = [(FrameA, SiteA, 0.25, "a"), (frameB, SiteB, 0.5, "b")];
        var allocatedFrom = 0L;
        for (var scan = 0; scan < 18; scan++)
        {
            if (scan == 10)
            {
                allocatedFrom = GC.GetAllocatedBytesForCurrentThread();
            }

            foreach (var (frame, site, offset, name) in sensors)
            {
                var t = (scan * 5) + offset;
                Truth(t, out var enu, out var enuVelocity);
                var ecef = FrameA.ToEcef(enu);
                var velocity = FrameA.RotateToEcef(enuVelocity);
                var polar = RadarPolar.FromEnu(frame.ToEnu(ecef));
                var value = new Vec3(
                    polar.RangeM + (100 * Gaussian(random)),
                    polar.AzimuthRad + (0.2 * Math.PI / 180 * Gaussian(random)),
                    polar.ElevationRad + (0.2 * Math.PI / 180 * Gaussian(random)));
                var rate = new RangeRateMeasurement(0, 1, frame.OriginEcef, default).Function(ecef, velocity) + (RateSigma * Gaussian(random));
                batch[0] = new Detection(Epoch.AddSeconds(t), name, Nation.Japan, MeasurementKind.RangeAzimuthElevation, value, PolarNoise, site, TruthId: 1,
                    RangeRate: withRangeRate ? rate : double.NaN, RangeRateVariance: withRangeRate ? RateSigma * RateSigma : 0);
                tracker.Step(Epoch.AddSeconds(t), batch);
                foreach (var track in tracker.Tracks)
                {
                    if (track.IsConfirmed && (track.Position - ecef).Norm < 3_000)
                    {
                        confirmed.Add(track.Id);
                        firstConfirmed = firstConfirmed < 0 ? track.Id : firstConfirmed;
                    }
                }

                var holder = firstConfirmed >= 0 ? FindTrack(tracker, firstConfirmed) : null;
                if (firstConfirmed >= 0 && double.IsNaN(lostAt) && (holder is null || (holder.Position - ecef).Norm > 3_000))
                {
                    lostAt = t;
                }
            }
        }

        var lateAllocated = GC.GetAllocatedBytesForCurrentThread() - allocatedFrom;
        var final = new List<(long, Vec3, Vec3, double)>();
        foreach (var track in tracker.Tracks)
        {
            final.Add((track.Id, track.Position, track.Velocity, track.PositionCovariance.Trace));
        }

        var held = firstConfirmed >= 0 && double.IsNaN(lostAt) && confirmed.Count == 1;
        return new Outcome(held, confirmed.Count, $"first confirmed track {firstConfirmed}, lost at {lostAt} s, confirmed numbers near the truth: {string.Join(", ", confirmed)}", final, lateAllocated);
    }

    private static Track? FindTrack(MultiTargetTracker tracker, long id)
    {
        foreach (var track in tracker.Tracks)
        {
            if (track.Id == id)
            {
                return track;
            }
        }

        return null;
    }

    /// <summary>Four targets 2 km apart flying at 240 m/s towards radar A with ṙ, 5 s revisit, 60 s: the final tracks.</summary>
    private static List<(long Id, Vec3 Position, Vec3 Velocity, double Trace)> SlowTrail(TrackerSettings settings)
    {
        var tracker = settings.Build();
        var random = new Random(5);
        var detections = new Detection[4];
        for (var step = 0; step <= 12; step++)
        {
            var t = step * 5.0;
            for (var k = 0; k < 4; k++)
            {
                var enu = new Vec3(3_000 + (k * 2_000), 70_000 - (240 * t), 500);
                var ecef = FrameA.ToEcef(enu);
                var polar = RadarPolar.FromEnu(enu);
                var value = new Vec3(polar.RangeM + (100 * Gaussian(random)), polar.AzimuthRad + (0.2 * Math.PI / 180 * Gaussian(random)), polar.ElevationRad + (0.2 * Math.PI / 180 * Gaussian(random)));
                var rate = new RangeRateMeasurement(0, 1, FrameA.OriginEcef, default).Function(ecef, FrameA.RotateToEcef(new Vec3(0, -240, 0))) + (RateSigma * Gaussian(random));
                detections[k] = new Detection(Epoch.AddSeconds(t), "a", Nation.Japan, MeasurementKind.RangeAzimuthElevation, value, PolarNoise, SiteA, TruthId: k + 1,
                    RangeRate: rate, RangeRateVariance: RateSigma * RateSigma);
            }

            tracker.Step(Epoch.AddSeconds(t), detections);
        }

        var final = new List<(long, Vec3, Vec3, double)>();
        foreach (var track in tracker.Tracks)
        {
            final.Add((track.Id, track.Position, track.Velocity, track.PositionCovariance.Trace));
        }

        return final;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
