namespace Kizuna.Simulation.Sensors;

/// <summary>
/// Allocation-free samplers over a caller's <see cref="Random"/>. They keep no state between
/// calls, so the same seed and the same sequence of calls give the same numbers.
/// </summary>
/// <remarks>
/// Gaussian: Box–Muller transform, z = √(−2 ln u₁) · cos(2π u₂) with u₁ ∈ (0, 1] (G. E. P. Box and
/// M. E. Muller, Ann. Math. Statist. 29 (1958) 610–611); one variate per call, the second is
/// discarded so that no hidden state couples calls.
/// Poisson: multiplication of uniforms until the product falls below e^(−λ) (D. E. Knuth, "The Art
/// of Computer Programming" vol. 2, 3rd ed., §3.4.1 F). For λ &gt; 30 the mean is split into
/// chunks of at most 30, which is exact because a sum of independent Poisson variates is Poisson
/// with the summed mean, and keeps e^(−λ) far from underflow.
/// </remarks>
internal static class SensorRandom
{
    private const double PoissonChunk = 30;

    /// <summary>A standard normal variate N(0, 1).</summary>
    public static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A Poisson variate with mean <paramref name="mean"/> (≥ 0).</summary>
    public static int Poisson(Random random, double mean)
    {
        var count = 0;
        var remaining = mean;
        while (remaining > 0)
        {
            var chunk = Math.Min(remaining, PoissonChunk);
            remaining -= chunk;
            var limit = Math.Exp(-chunk);
            var product = random.NextDouble();
            while (product > limit)
            {
                count++;
                product *= random.NextDouble();
            }
        }

        return count;
    }

    /// <summary>Wraps an angle into [0, 2π).</summary>
    public static double WrapTwoPi(double angle)
    {
        const double twoPi = 2 * Math.PI;
        var a = angle % twoPi;
        if (a < 0)
        {
            a += twoPi;
        }

        return a >= twoPi ? 0 : a;
    }

    /// <summary>Wraps an angle difference into [−π, π).</summary>
    public static double WrapPi(double angle) => WrapTwoPi(angle + Math.PI) - Math.PI;

    /// <summary>UTC time of <paramref name="seconds"/> after <paramref name="epoch"/>, to the nearest 100 ns tick.</summary>
    public static DateTime ToUtc(DateTime epoch, double seconds) =>
        epoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
}
