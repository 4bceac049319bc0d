using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Defence.Impact;
using Kizuna.TestSupport;
using Kizuna.Tracking.Types;

namespace Kizuna.Defence.Tests.Impact;

public sealed class ImpactPredictorTests
{
    [Fact]
    public void Predict_ExactTruthStateWithTheTrueBallisticCoefficient_LandsOnTheSimulatorImpact()
    {
        foreach (var t in Truth.Trajectories)
        {
            var predictor = new ImpactPredictor(ImpactPredictorOptions.Default with
            {
                NominalBallisticCoefficient = t.Class.ReentryBallisticCoefficient,
                BallisticCoefficientLogSigma = 1e-6,
            });
            var time = t.BurnoutTime + 10;
            var k = Truth.State(t, time);
            var s = GaussianState.FromPositionVelocity(k.PositionEcef, k.VelocityEcef, 1e-6, 1e-8);
            var p = predictor.Predict(Truth.Epoch.AddSeconds(time), s);

            Assert.True(p.Impacts);
            Assert.True(Geodesic.Distance(p.ImpactPoint, t.ImpactPoint).Metres < 5, $"{t.AimPoint}: {Geodesic.Distance(p.ImpactPoint, t.ImpactPoint).Metres} m");
            Assert.Equal(t.ImpactTime, (p.TimeOfImpact - Truth.Epoch).TotalSeconds, 0.05);
        }
    }

    [Fact]
    public void Predict_FilteredTracksOverSeededRuns_MedianErrorSmallAndEllipseCoversAbout95Percent()
    {
        var predictor = new ImpactPredictor();
        var errors = new List<double>();
        var inside = 0;
        var launchErrors = new List<double>();
        var semiMajor = new List<double>();
        for (var seed = 0; seed < 10; seed++)
        {
            for (var i = 0; i < Truth.Trajectories.Length; i++)
            {
                var t = Truth.Trajectories[i];
                var rng = new Random(1_000 + (seed * 31) + i);
                var s = Truth.Filter(t, rng, 150, 40, out var time);
                var p = predictor.Predict(Truth.Epoch.AddSeconds(time), s);
                Assert.True(p.Impacts);
                var (e, n) = p.OffsetOf(t.ImpactPoint);
                errors.Add(Math.Sqrt((e * e) + (n * n)));
                inside += p.Ellipse.Contains95(e, n) ? 1 : 0;
                semiMajor.Add(p.Ellipse.SemiMajor95M);
                launchErrors.Add(Geodesic.Distance(p.LaunchPoint, Truth.Launches[i].From).Metres);
            }
        }

        var runs = errors.Count;
        var coverage = inside / (double)runs;
        var median = Median(errors);
        Report.Write(
            $"impact: runs {runs}; median impact error {median:F0} m; 90th pct {Percentile(errors, 0.9):F0} m; coverage {coverage:P1}; median 95% semi-major {Median(semiMajor):F0} m; median launch-point error {Median(launchErrors):F0} m (max {launchErrors.Max():F0} m)");
        Assert.InRange(coverage, 0.88, 0.99);
        Assert.True(median < 3_000, $"median {median} m");
    }

    [Fact]
    public void Predict_LongerTrack_ShrinksTheEllipse()
    {
        var predictor = new ImpactPredictor();
        var t = Truth.Trajectories[0];
        var shortTrack = predictor.Predict(Truth.Epoch, Truth.Filter(t, new Random(7), 150, 10, out _));
        var longTrack = predictor.Predict(Truth.Epoch, Truth.Filter(t, new Random(7), 150, 60, out _));
        Assert.True(longTrack.Ellipse.SemiMajor95M < shortTrack.Ellipse.SemiMajor95M);
    }

    [Fact]
    public void Predict_PathFromTrackToImpact_StartsAtTheTrackAndEndsAtTheImpact()
    {
        var predictor = new ImpactPredictor();
        var t = Truth.Trajectories[3];
        var time = t.BurnoutTime + 10;
        var k = Truth.State(t, time);
        var s = GaussianState.FromPositionVelocity(k.PositionEcef, k.VelocityEcef, 100, 1);
        var start = Truth.Epoch.AddSeconds(time);
        var p = predictor.Predict(start, s, out var path);

        Assert.NotNull(path);
        Assert.Equal(start, path.Start);
        Assert.Equal(p.TimeOfImpact, path.End);
        Assert.True((path.PositionEcefAt(start) - k.PositionEcef).Norm < 1e-6);
        Assert.True((path.PositionEcefAt(path.End) - p.ImpactEcef).Norm < 2_000);
        var mid = start.AddSeconds(0.5 * (p.TimeOfImpact - start).TotalSeconds);
        var truthMid = Truth.State(t, (mid - Truth.Epoch).TotalSeconds).PositionEcef;
        Assert.True((path.PositionEcefAt(mid) - truthMid).Norm < 200);
    }

    [Fact]
    public void Predict_StillClimbingOutOfReach_ReportsNoImpact()
    {
        var predictor = new ImpactPredictor(ImpactPredictorOptions.Default with { HorizonS = 600 });
        var r = Wgs84.GeodeticToEcef(Geodetic.FromDegrees(35, 135, 300_000));
        var s = GaussianState.FromPositionVelocity(r, r.Normalized * 11_500, 100, 1);
        Assert.False(predictor.Predict(Truth.Epoch, s).Impacts);
    }

    [Fact]
    public void Predict_SteadyState_DoesNotAllocate()
    {
        var predictor = new ImpactPredictor();
        var t = Truth.Trajectories[3];
        var k = Truth.State(t, t.BurnoutTime + 10);
        var s = GaussianState.FromPositionVelocity(k.PositionEcef, k.VelocityEcef, 1e4, 100);
        var bytes = Allocation.SteadyStateBytes(() => predictor.Predict(Truth.Epoch, s));
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void ImpactEllipse_CircularGaussian_DiscProbabilityMatchesRayleigh()
    {
        var e = new ImpactEllipse(1e6, 0, 1e6);
        // P(|x| ≤ R) = 1 − exp(−R²/2σ²) for a circular Gaussian at the centre (Rayleigh).
        Assert.Equal(1 - Math.Exp(-0.5), e.ProbabilityInDisc(0, 0, 1_000), 0.002);
        Assert.Equal(Math.Sqrt(ImpactEllipse.Chi2Of95) * 1_000, e.SemiMajor95M, 6);
        Assert.True(e.Contains95(2_400, 0));
        Assert.False(e.Contains95(2_500, 0));
    }

    [Fact]
    public void ImpactEllipse_NorthSouthElongated_OrientationIsNorth()
    {
        var e = new ImpactEllipse(1e4, 0, 9e4);
        Assert.Equal(0, Math.Min(e.OrientationRad, Math.PI - e.OrientationRad), 9);
        var tilted = new ImpactEllipse(5e4, 4e4, 5e4);
        Assert.Equal(Math.PI / 4, tilted.OrientationRad, 9);
    }

    private static double Median(List<double> x) => Percentile(x, 0.5);

    private static double Percentile(List<double> x, double q)
    {
        var s = x.Order().ToArray();
        return s[(int)Math.Round(q * (s.Length - 1))];
    }
}
