using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Cli.Tests;

/// <summary>
/// Issue 3, IMM late plots: <c>filter: imm</c> with <c>max_out_of_sequence_age_seconds</c> in a tracker YAML builds
/// an IMM tracker (ECEF: NCV, NCV high, coordinated turn, ballistic) that takes late plots by its out-of-sequence
/// update instead of rejecting them.
/// </summary>
public sealed class ImmOutOfSequenceConfigTests
{
    /// <summary>
    /// An airliner at 10 km over Japan flying 200 m/s east, ECEF position plots (σ = 50 m) every second to t = 9 s;
    /// then a plot stamped t = 6 s arrives. With the YAML's age 5 s it updates the IMM track
    /// (OutOfSequenceUpdates = 1, nothing rejected, the position moves, its covariance shrinks); with age 0 it is
    /// rejected and counted, the track untouched.
    /// </summary>
    [Theory]
    [InlineData(5, true)]
    [InlineData(0, false)]
    public void TrackerConfig_ImmWithMaxOutOfSequenceAge_UsesLatePlots(double maxAgeSeconds, bool used)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kizuna-imm-oosm-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"filter: imm\nmax_out_of_sequence_age_seconds: {maxAgeSeconds}\n");
        TrackerSettings? settings;
        try
        {
            var error = new StringWriter();
            settings = Commands.TrackerConfig.TryLoad(path, Commands.TrackCommand.Defaults.Ecef, error);
            Assert.True(settings is not null, error.ToString());
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Equal(FilterKind.Imm, settings.Filter);
        Assert.Equal(TimeSpan.FromSeconds(maxAgeSeconds), settings.ToOptions().MaxOutOfSequenceAge);
        var tracker = settings.Build();
        var origin = Geodetic.FromDegrees(35, 139, 10_000);
        var start = Wgs84.GeodeticToEcef(origin);
        var east = new EnuFrame(origin).RotateToEcef(new Vec3(200, 0, 0));
        var noise = Mat3.Diagonal(2500, 2500, 2500);
        var rng = new Random(4);
        Vec3 Plot(double t) => start + (t * east) + new Vec3(50 * Normal(rng), 50 * Normal(rng), 50 * Normal(rng));
        var t0 = new DateTime(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc);
        for (var k = 0; k < 10; k++)
        {
            tracker.Step(t0.AddSeconds(k), [new Detection(t0.AddSeconds(k), "radar", Nation.Japan, MeasurementKind.PositionEcef, Plot(k), noise, default)]);
        }

        tracker.Step(t0.AddSeconds(10), []);
        var track = Assert.Single(tracker.Tracks.ToArray());
        Assert.True(track.IsConfirmed);
        var before = track.State;
        tracker.Step(t0.AddSeconds(10), [new Detection(t0.AddSeconds(6), "late", Nation.Usa, MeasurementKind.PositionEcef, Plot(6), noise, default)]);
        var after = tracker.Tracks[0].State;
        Assert.Equal(used ? 1 : 0, tracker.Statistics.OutOfSequenceUpdates);
        Assert.Equal(used ? 0 : 1, tracker.Statistics.RejectedLate);
        Assert.Equal(used, before.Position != after.Position);
        Assert.Equal(used, after.PositionCovariance.Trace < before.PositionCovariance.Trace);
    }

    /// <summary>A standard normal draw (Box–Muller) from the test's seeded generator.</summary>
    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
