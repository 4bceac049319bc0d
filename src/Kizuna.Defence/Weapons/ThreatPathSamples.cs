using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Defence.Weapons;

/// <summary>
/// A threat's predicted path sampled once at a fixed step (ECEF position and geodetic height per
/// sample), so that engagement windows for many batteries reuse the same samples instead of
/// re-evaluating the path per battery.
/// </summary>
public sealed class ThreatPathSamples
{
    private readonly Vec3[] _positions;
    private readonly double[] _heights;

    private ThreatPathSamples(DateTime start, TimeSpan step, Vec3[] positions, double[] heights)
    {
        Start = start;
        Step = step;
        _positions = positions;
        _heights = heights;
        if (positions.Length == 0)
        {
            return;
        }

        var centre = Vec3.Zero;
        MinHeight = double.PositiveInfinity;
        MaxHeight = double.NegativeInfinity;
        for (var k = 0; k < positions.Length; k++)
        {
            centre += positions[k];
            MinHeight = Math.Min(MinHeight, heights[k]);
            MaxHeight = Math.Max(MaxHeight, heights[k]);
        }

        centre /= positions.Length;
        var r2 = 0.0;
        foreach (var p in positions)
        {
            r2 = Math.Max(r2, (p - centre).NormSquared);
        }

        BoundingCentre = centre;
        BoundingRadius = Math.Sqrt(r2);
    }

    /// <summary>Centre of a sphere containing every sample (ECEF, m).</summary>
    public Vec3 BoundingCentre { get; }

    /// <summary>Radius of that sphere (m); lets window computation reject out-of-reach batteries at once.</summary>
    public double BoundingRadius { get; }

    /// <summary>Lowest sampled geodetic height (m).</summary>
    public double MinHeight { get; }

    /// <summary>Highest sampled geodetic height (m).</summary>
    public double MaxHeight { get; }

    /// <summary>Time of sample 0 (UTC).</summary>
    public DateTime Start { get; }

    /// <summary>Sampling step.</summary>
    public TimeSpan Step { get; }

    /// <summary>Number of samples.</summary>
    public int Count => _positions.Length;

    /// <summary>Time of sample <paramref name="k"/>; the last sample is clamped to the path end.</summary>
    public DateTime TimeAt(int k) => Start + (Step * k);

    /// <summary>ECEF position (m) of sample <paramref name="k"/>.</summary>
    public Vec3 PositionAt(int k) => _positions[k];

    /// <summary>Geodetic height (m) of sample <paramref name="k"/>.</summary>
    public double HeightAt(int k) => _heights[k];

    /// <summary>
    /// Samples <paramref name="path"/> from max(<paramref name="from"/>, path start) to the path end every
    /// <paramref name="step"/> (the end itself is not added when it falls between two steps: windows are
    /// conservative to one step). Returns an empty set when the path has already ended.
    /// </summary>
    public static ThreatPathSamples Create(IThreatPath path, DateTime from, TimeSpan step)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Create(path, from, path.End, step);
    }

    /// <summary>
    /// As <see cref="Create(IThreatPath, DateTime, TimeSpan)"/>, but only up to min(<paramref name="until"/>, path end):
    /// the engagement planner stops the samples a margin before the predicted end of flight, so no
    /// intercept is planned in the last seconds the prediction cannot vouch for.
    /// </summary>
    public static ThreatPathSamples Create(IThreatPath path, DateTime from, DateTime until, TimeSpan step)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (step <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "Sampling step must be positive.");
        }

        var start = from > path.Start ? from : path.Start;
        var end = until < path.End ? until : path.End;
        var n = end < start ? 0 : (int)((end - start).Ticks / step.Ticks) + 1;
        var positions = new Vec3[n];
        var heights = new double[n];
        for (var k = 0; k < n; k++)
        {
            var p = path.PositionEcefAt(start + (step * k));
            positions[k] = p;
            heights[k] = Wgs84.EcefToGeodetic(p).HeightM;
        }

        return new ThreatPathSamples(start, step, positions, heights);
    }
}
