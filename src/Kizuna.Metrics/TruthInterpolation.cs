namespace Kizuna.Metrics;

/// <summary>
/// Resamples truth to the times at which tracks were reported, so that truth sampled on its own
/// clock (e.g. every second) can be scored against tracks reported at scan times.
/// </summary>
/// <remarks>
/// Cubic Hermite interpolation between the two bracketing truth samples of each object, using
/// their positions and velocities (e.g. de Boor, "A Practical Guide to Splines", ch. IV):
/// p(s) = h₀₀(s)p₀ + h₁₀(s)Δt v₀ + h₀₁(s)p₁ + h₁₁(s)Δt v₁, s ∈ [0, 1]; the velocity is its derivative.
/// A truth yields no sample outside its own first and last time.
/// </remarks>
public static class TruthInterpolation
{
    /// <summary>Truth samples of every object at each of <paramref name="times"/> that falls in its lifetime.</summary>
    public static List<TruthSample> AtTimes(IEnumerable<TruthSample> truth, IEnumerable<double> times)
    {
        var sortedTimes = times.Distinct().Order().ToArray();
        var result = new List<TruthSample>();
        foreach (var group in truth.GroupBy(t => t.TruthId))
        {
            var samples = group.OrderBy(s => s.Time).ToArray();
            if (samples.Length == 0)
            {
                continue;
            }

            var first = samples[0].Time;
            var last = samples[^1].Time;
            var k = 0;
            var start = Array.BinarySearch(sortedTimes, first);
            if (start < 0)
            {
                start = ~start;
            }

            for (var i = start; i < sortedTimes.Length && sortedTimes[i] <= last; i++)
            {
                var t = sortedTimes[i];
                while (k < samples.Length - 2 && samples[k + 1].Time < t)
                {
                    k++;
                }

                var a = samples[k];
                var b = samples.Length > 1 ? samples[k + 1] : a;
                result.Add(Interpolate(a, b, t));
            }
        }

        return result;
    }

    private static TruthSample Interpolate(TruthSample a, TruthSample b, double t)
    {
        var dt = b.Time - a.Time;
        if (dt <= 0 || t <= a.Time)
        {
            return a with { Time = t };
        }

        if (t >= b.Time)
        {
            return b with { Time = t };
        }

        var s = (t - a.Time) / dt;
        var s2 = s * s;
        var s3 = s2 * s;
        var h00 = (2 * s3) - (3 * s2) + 1;
        var h10 = s3 - (2 * s2) + s;
        var h01 = (-2 * s3) + (3 * s2);
        var h11 = s3 - s2;
        var p = (a.Position * h00) + (a.Velocity * (h10 * dt)) + (b.Position * h01) + (b.Velocity * (h11 * dt));
        var d00 = ((6 * s2) - (6 * s)) / dt;
        var d10 = (3 * s2) - (4 * s) + 1;
        var d01 = ((-6 * s2) + (6 * s)) / dt;
        var d11 = (3 * s2) - (2 * s);
        var v = (a.Position * d00) + (a.Velocity * d10) + (b.Position * d01) + (b.Velocity * d11);
        return new TruthSample(t, a.TruthId, p, v, a.Identity);
    }
}
