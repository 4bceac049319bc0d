using Kizuna.Asterix;
using Kizuna.Asterix.Common;
using Kizuna.Asterix.Detections;
using Kizuna.Cli.Pipeline;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Cli.Tests;

/// <summary>
/// CAT062 I062/080 SRC tells a consumer where a system track's height (I062/130) comes from. A ship seen only by an
/// airborne radar with 1° elevation noise is held at the sea surface by the default tracker
/// (<see cref="SurfaceTrackModel"/>): its height is the surface's by hypothesis, so SRC must say "default height" (6),
/// not "3-D radar" (2); an airliner seen by the same radar keeps SRC 2. The block is the encoder's own output, decoded.
/// </summary>
public class SystemTrackSurfaceSourceTests
{
    private static readonly DateTime Epoch = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly Geodetic AewSite = Geodetic.FromDegrees(35.0, 131.0, 9_500);

    [Theory]
    [InlineData(0.0, 7.0, SystemTrackEncoder.DefaultHeightSource)]
    [InlineData(10_000.0, 230.0, SystemTrackEncoder.RadarHeightSource)]
    public void Publish_TrackHeldAtSurfaceOrNot_AltitudeSourceSaysWhereTheHeightComesFrom(double heightM, double speedMps, int expected)
    {
        var tracker = Commands.TrackCommand.Defaults.Ecef.Build();
        var random = new Random(20250601);
        var frame = new EnuFrame(AewSite);
        var time = Epoch;
        for (var t = 0.0; t <= 600; t += 10)
        {
            time = Epoch.AddSeconds(t);
            var truth = Geodetic.FromDegrees(36.8, 133.2 + (speedMps * t / 89_000), heightM);
            const double sr = 60, saz = 0.3 * Math.PI / 180, sel = 1.0 * Math.PI / 180;
            var p = RadarPolar.FromEnu(frame.ToEnu(Wgs84.GeodeticToEcef(truth)));
            var z = new Vec3(p.RangeM + (sr * Gaussian(random)), p.AzimuthRad + (saz * Gaussian(random)), p.ElevationRad + (sel * Gaussian(random)));
            tracker.Step(time, [new Detection(time, "aew", Nation.Australia, MeasurementKind.RangeAzimuthElevation, z, Mat3.Diagonal(sr * sr, saz * saz, sel * sel), AewSite, 1)]);
        }

        var track = Assert.Single(tracker.Tracks.ToArray(), x => x.IsConfirmed);
        Assert.Equal(expected == SystemTrackEncoder.DefaultHeightSource, track.SurfaceHold is SurfaceHold.Surface or SurfaceHold.Assumed);

        var encoder = new SystemTrackEncoder(new DataSourceId(0, 1), null);
        var sources = new List<int>();
        var sink = new Sink(sources);
        encoder.Publish(tracker, time, block => AsterixDecoder.DecodeAll(block, new AsterixRecord(), sink, AsterixDecoderOptions.Default, new DecodeStatistics()));
        Assert.Equal([expected], sources);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private sealed class Sink(List<int> sources) : IAsterixRecordSink
    {
        public void OnRecord(AsterixRecord record) => sources.Add(record.Cat062.AltitudeSource);

        public void OnRejected(DecodeStatus status, int offset) => throw new InvalidOperationException($"rejected {status} at {offset}");
    }
}
