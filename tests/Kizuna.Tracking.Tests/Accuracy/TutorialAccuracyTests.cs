using Kizuna.Metrics;
using Kizuna.Tracking.Tests.Trackers;

namespace Kizuna.Tracking.Tests.Accuracy;

/// <summary>
/// The Stone Soup tutorial scenario family (2-D NCV q = 0.05, R = diag(1, 1) m², P_D = 0.9,
/// Poisson clutter 10 per scan over the area, 1 s scans, 100 scans) with N targets: SIAP
/// completeness ≥ 0.95, spuriousness ≤ 0.02, ambiguity ≤ 1.02 (TrackToTruth, 10 m threshold), and
/// the mean GOSPA (c = 10 m, p = 1) printed. Confirmed tracks are reported from the scan they are
/// confirmed at.
/// </summary>
public class TutorialAccuracyTests
{
    [Theory]
    [InlineData("NCV+GNN", 10, 101)]
    [InlineData("NCV+GNN", 100, 102)]
    [InlineData("NCV+JPDA", 10, 103)]
    [InlineData("NCV+JPDA", 100, 104)]
    [InlineData("IMM+GNN", 100, 105)]
    public void Tracker_TutorialScenario_MeetsSiapTargets(string configuration, int targets, int seed)
    {
        var scenario = new TutorialScenario(targets, 100, seed);
        var tracker = TrackerFactory.Create(configuration, TrackerFactory.TutorialOptions(scenario.ClutterDensity));
        var tracks = new List<TrackSample>();
        var truths = new List<TruthSample>();
        for (var k = 0; k < scenario.Scans.Count; k++)
        {
            tracker.Step(TutorialScenario.Epoch.AddSeconds(k), scenario.Scans[k]);
            foreach (var t in tracker.Tracks)
            {
                if (t.IsConfirmed)
                {
                    tracks.Add(new TrackSample(k, t.Id, t.Position, t.Velocity, 0, t.Quality.Value));
                }
            }

            foreach (var (id, p, v) in scenario.Truths[k])
            {
                truths.Add(new TruthSample(k, id, p, v));
            }
        }

        var siap = SiapCalculator.Compute(tracks, truths, new TrackToTruthAssociator(10));
        var gospa = SetMetricSeries.Compute(tracks, truths, 10, 1);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{configuration} N={targets}: completeness {siap.Completeness:F4}, spuriousness {siap.Spuriousness:F4}, ambiguity {siap.Ambiguity:F4}, " +
            $"position accuracy {siap.PositionAccuracy:F3} m, mean GOSPA(c=10,p=1) {gospa.MeanGospa:F3} m " +
            $"(localisation {gospa.MeanLocalisation:F3}, missed {gospa.MeanMissed:F3}, false {gospa.MeanFalse:F3}), " +
            $"tracks started {tracker.Statistics.TracksStarted}, confirmed {tracker.Statistics.TracksConfirmed}");
        Assert.True(siap.Completeness >= 0.95, $"completeness {siap.Completeness}");
        Assert.True(siap.Spuriousness <= 0.02, $"spuriousness {siap.Spuriousness}");
        Assert.True(siap.Ambiguity <= 1.02, $"ambiguity {siap.Ambiguity}");
    }
}
