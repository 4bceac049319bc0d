using Kizuna.Core;

namespace Kizuna.Metrics;

/// <summary>OSPA and GOSPA at one time of a run.</summary>
/// <param name="Time">Time (s).</param>
/// <param name="TrackCount">Tracks with a state at this time.</param>
/// <param name="TruthCount">Truths with a state at this time.</param>
/// <param name="Ospa">OSPA distance (m).</param>
/// <param name="Gospa">GOSPA with components.</param>
public readonly record struct SetMetricStep(double Time, int TrackCount, int TruthCount, double Ospa, GospaResult Gospa);

/// <summary>
/// OSPA and GOSPA over a run: one <see cref="SetMetricStep"/> per time in the union of track and
/// truth times (as Stone Soup's <c>compute_over_time</c>), and their means over those times.
/// Points are positions.
/// </summary>
/// <param name="Cutoff">Cut-off c (m).</param>
/// <param name="Order">Order p.</param>
/// <param name="Steps">Per-time values, in time order.</param>
/// <param name="MeanOspa">Mean OSPA over the steps (0 if none).</param>
/// <param name="MeanGospa">Mean GOSPA total over the steps.</param>
/// <param name="MeanLocalisation">Mean GOSPA localisation component (m^p).</param>
/// <param name="MeanMissed">Mean GOSPA missed component (m^p).</param>
/// <param name="MeanFalse">Mean GOSPA false component (m^p).</param>
public sealed record SetMetricSeries(
    double Cutoff,
    double Order,
    IReadOnlyList<SetMetricStep> Steps,
    double MeanOspa,
    double MeanGospa,
    double MeanLocalisation,
    double MeanMissed,
    double MeanFalse)
{
    /// <summary>Computes OSPA and GOSPA at every time of the run and their means.</summary>
    public static SetMetricSeries Compute(IEnumerable<TrackSample> tracks, IEnumerable<TruthSample> truths, double cutoff, double order)
    {
        var calculator = new SetDistanceCalculator(cutoff, order);
        var trackByTime = new SortedDictionary<double, List<Vec3>>();
        foreach (var track in SampleSets.TracksById(tracks).Values.SelectMany(s => s))
        {
            Add(trackByTime, track.Time, track.Position);
        }

        var truthByTime = new SortedDictionary<double, List<Vec3>>();
        foreach (var truth in SampleSets.TruthsById(truths).Values.SelectMany(s => s))
        {
            Add(truthByTime, truth.Time, truth.Position);
        }

        var times = new SortedSet<double>(trackByTime.Keys);
        times.UnionWith(truthByTime.Keys);
        var steps = new List<SetMetricStep>(times.Count);
        double ospa = 0, gospa = 0, loc = 0, missed = 0, falseSum = 0;
        foreach (var t in times)
        {
            var x = trackByTime.TryGetValue(t, out var xs) ? xs.ToArray() : [];
            var y = truthByTime.TryGetValue(t, out var ys) ? ys.ToArray() : [];
            var step = new SetMetricStep(t, x.Length, y.Length, calculator.Ospa(x, y), calculator.Gospa(x, y));
            steps.Add(step);
            ospa += step.Ospa;
            gospa += step.Gospa.Total;
            loc += step.Gospa.Localisation;
            missed += step.Gospa.Missed;
            falseSum += step.Gospa.False;
        }

        var k = Math.Max(1, steps.Count);
        return new SetMetricSeries(cutoff, order, steps, ospa / k, gospa / k, loc / k, missed / k, falseSum / k);
    }

    private static void Add(SortedDictionary<double, List<Vec3>> byTime, double t, Vec3 p)
    {
        if (!byTime.TryGetValue(t, out var list))
        {
            list = [];
            byTime[t] = list;
        }

        list.Add(p);
    }
}
