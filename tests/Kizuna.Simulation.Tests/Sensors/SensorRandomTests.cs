using Kizuna.Simulation.Sensors;

namespace Kizuna.Simulation.Tests.Sensors;

public class SensorRandomTests
{
    [Fact]
    public void Gaussian_10000Draws_ZeroMeanUnitVariance()
    {
        var random = new Random(5);
        var draws = Enumerable.Range(0, 10_000).Select(_ => SensorRandom.Gaussian(random)).ToArray();
        SensorTestKit.AssertZeroMeanWithSigma(draws, 1, "N(0,1)");
    }

    /// <summary>The chunked sampler must stay Poisson above the chunk size (λ = 75): mean and variance both ≈ λ.</summary>
    [Theory]
    [InlineData(0.5)]
    [InlineData(75)]
    public void Poisson_10000Draws_MeanAndVarianceEqualLambda(double lambda)
    {
        var random = new Random(9);
        var draws = Enumerable.Range(0, 10_000).Select(_ => (double)SensorRandom.Poisson(random, lambda)).ToArray();
        PoissonAssert.MeanAndVarianceMatch(draws, lambda);
    }

    [Theory]
    [InlineData(-0.1, 2 * Math.PI - 0.1)]
    [InlineData(2 * Math.PI, 0)]
    [InlineData(7.0, 7.0 - (2 * Math.PI))]
    public void WrapTwoPi_OutOfRange_WrapsIntoZeroToTwoPi(double angle, double expected) =>
        Assert.Equal(expected, SensorRandom.WrapTwoPi(angle), 12);
}

internal static class PoissonAssert
{
    /// <summary>
    /// Mean within 3√(λ/n) of λ; sample variance within 3 standard errors of λ, where for a Poisson
    /// population Var(s²) ≈ (μ₄ − σ⁴)/n = (λ + 2λ²)/n (μ₄ = λ(1 + 3λ)).
    /// </summary>
    public static void MeanAndVarianceMatch(IReadOnlyList<double> counts, double lambda)
    {
        var n = counts.Count;
        var mean = counts.Average();
        var variance = counts.Sum(c => (c - mean) * (c - mean)) / (n - 1);
        var meanTol = 3 * Math.Sqrt(lambda / n);
        var varTol = 3 * Math.Sqrt((lambda + (2 * lambda * lambda)) / n);
        Assert.True(Math.Abs(mean - lambda) <= meanTol, $"mean {mean:F4} vs λ {lambda} (±{meanTol:F4})");
        Assert.True(Math.Abs(variance - lambda) <= varTol, $"variance {variance:F4} vs λ {lambda} (±{varTol:F4})");
    }
}
