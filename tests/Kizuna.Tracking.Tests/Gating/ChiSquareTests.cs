using Kizuna.Tracking.Gating;

namespace Kizuna.Tracking.Tests.Gating;

public class ChiSquareTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    [InlineData(0.9999)]
    public void Quantile_TwoDegrees_MatchesClosedForm(double p) =>
        Assert.Equal(-2 * Math.Log(1 - p), ChiSquare.Quantile(p, 2), 1e-9);

    /// <summary>Table values (Abramowitz &amp; Stegun Table 26.8 / NIST e-Handbook 1.3.6.7.4).</summary>
    [Theory]
    [InlineData(0.95, 1, 3.841459)]
    [InlineData(0.99, 1, 6.634897)]
    [InlineData(0.95, 3, 7.814728)]
    [InlineData(0.99, 3, 11.344867)]
    [InlineData(0.999, 3, 16.266236)]
    [InlineData(0.99, 4, 13.276704)]
    [InlineData(0.999, 4, 18.466827)]
    [InlineData(0.99, 6, 16.811894)]
    [InlineData(0.95, 9, 16.918978)]
    public void Quantile_TableValues_AgreeToSixDigits(double p, int k, double expected) =>
        Assert.Equal(expected, ChiSquare.Quantile(p, k), 5e-6);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void Cdf_OfQuantile_ReturnsProbability(int k)
    {
        foreach (var p in new[] { 0.01, 0.3, 0.7, 0.999 })
        {
            Assert.Equal(p, ChiSquare.Cdf(ChiSquare.Quantile(p, k), k), 1e-12);
        }
    }

    [Fact]
    public void Gate_Thresholds_PerDimensionAndInclusive()
    {
        var gate = ChiSquareGate.FromProbability(0.99);
        Assert.Equal(ChiSquare.Quantile(0.99, 2), gate.Threshold(2));
        Assert.True(gate.Contains(gate.Threshold(3), 3));
        Assert.False(gate.Contains(gate.Threshold(3) + 1e-9, 3));
        Assert.Equal(gate.Threshold(3), gate.MaxThreshold);
        Assert.Equal(ChiSquare.Quantile(0.99, 4), gate.Threshold(4)); // radar (r, az, el, ṙ)
        Assert.Throws<ArgumentOutOfRangeException>(() => gate.Threshold(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChiSquare.Quantile(1.0, 3));
    }
}
