using System.Diagnostics;
using Kizuna.Core;
using Kizuna.Metrics;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Motion;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Cli.Pipeline;

/// <summary>
/// Connects the exercise engine to a tracker: every delivered batch of detections goes to
/// <see cref="MultiTargetTracker.Step"/> (the same push API live feeds and replay use), the
/// per-step latency is measured, and truth and confirmed tracks are sampled every
/// <c>sampleInterval</c> seconds for scoring.
/// </summary>
/// <remarks>
/// <para>Scoring is "within coverage" (a picture cannot hold what no sensor saw): an object's truth samples
/// count only inside its covered intervals. A covered interval runs from a position measurement of the
/// object (angles-only space infrared cannot start a track and does not count) to the last one before a
/// silence longer than <see cref="CoverageGapSeconds"/>, plus one sampling interval. A silence that long
/// is a sensor-coverage gap, not missed detections: a ship leaves the 400 km reach of a racetrack
/// airborne radar for minutes at a time, while a 5–10 s radar would need 6–12 misses in a row. Before,
/// the whole span from the first to the last measurement counted, so such gaps were scored as track
/// losses. Ground sites and satellites are never truth.</para>
/// </remarks>
internal sealed class TrackingSink : ISimulationSink
{
    private readonly MultiTargetTracker _tracker;
    private readonly DateTime _epoch;
    private readonly double _sampleInterval;
    private readonly List<double> _latencyMs = [];
    private readonly List<TrackSample> _tracks = [];
    private readonly List<(TruthSample Sample, ObjectKind Kind)> _truth = [];
    private readonly Dictionary<int, List<(double First, double Last)>> _seen = [];

    /// <summary>
    /// A silence of a truth longer than this (s) between two of its position measurements ends a covered
    /// interval (see remarks): 60 s, six revisits of the slowest radar of the default scenario.
    /// </summary>
    public const double CoverageGapSeconds = 60;

    public TrackingSink(MultiTargetTracker tracker, DateTime epoch, double sampleInterval)
    {
        _tracker = tracker;
        _epoch = epoch;
        _sampleInterval = sampleInterval;
    }

    /// <summary>The tracker.</summary>
    public MultiTargetTracker Tracker => _tracker;

    /// <summary>Wall time of each step (ms).</summary>
    public IReadOnlyList<double> LatencyMs => _latencyMs;

    /// <summary>Total wall time spent in the tracker (s).</summary>
    public double TrackerSeconds { get; private set; }

    /// <summary>Confirmed-track samples.</summary>
    public IReadOnlyList<TrackSample> Tracks => _tracks;

    public void OnTruth(double time, ReadOnlySpan<TruthRecord> truth)
    {
        if (!IsSampleTime(time))
        {
            return;
        }

        foreach (ref readonly var r in truth)
        {
            if (r.Object.Kind is ObjectKind.GroundSite or ObjectKind.Satellite)
            {
                continue;
            }

            _truth.Add((new TruthSample(time, r.Object.Id, r.State.PositionEcef, r.State.VelocityEcef, r.Object.Icao), r.Object.Kind));
        }

        SampleTracks(time);
    }

    public void OnDetections(double time, ReadOnlySpan<Detection> detections)
    {
        foreach (ref readonly var d in detections)
        {
            if (d.TruthId > 0 && d.Kind != MeasurementKind.AzimuthElevation)
            {
                Cover(d.TruthId, (d.Time - _epoch).TotalSeconds);
            }
        }

        var start = Stopwatch.GetTimestamp();
        _tracker.Step(_epoch.AddSeconds(time), detections);
        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        _latencyMs.Add(ms);
        TrackerSeconds += ms / 1000;
    }

    /// <summary>
    /// Samples the confirmed tracks, extrapolated to <paramref name="time"/>, at the truth's sample times. Done
    /// on the truth callback, which comes every truth interval: detections need not arrive at a sample time
    /// (a 10 s radar alone delivers at 9, 19, 29 s), and sampling only on detection batches left such runs
    /// with no track samples at all.
    /// </summary>
    private void SampleTracks(double time)
    {
        var now = _epoch.AddSeconds(time);
        foreach (var track in _tracker.Tracks)
        {
            if (track.IsConfirmed)
            {
                var dt = (now - track.Time).TotalSeconds;
                _tracks.Add(new TrackSample(time, track.Id, track.Position + (track.Velocity * dt), track.Velocity, track.Identity, track.Quality.Value));
            }
        }
    }

    public void OnEvent(SimulationEvent simulationEvent)
    {
    }

    /// <summary>Truth samples within coverage (optionally of some kinds only).</summary>
    public List<TruthSample> TruthInCoverage(Func<ObjectKind, bool>? kinds = null) =>
        _truth.Where(x => (kinds is null || kinds(x.Kind)) && IsCovered(x.Sample.TruthId, x.Sample.Time))
            .Select(x => x.Sample).ToList();

    /// <summary>The covered intervals [first, last] (s) of truth <paramref name="truthId"/> (see remarks), in time order.</summary>
    public IReadOnlyList<(double First, double Last)> CoveredIntervals(int truthId) =>
        _seen.TryGetValue(truthId, out var list) ? list : [];

    private bool IsCovered(int truthId, double time)
    {
        if (!_seen.TryGetValue(truthId, out var list))
        {
            return false;
        }

        foreach (var (first, last) in list)
        {
            if (time >= first && time <= last + _sampleInterval)
            {
                return true;
            }
        }

        return false;
    }

    private void Cover(int truthId, double t)
    {
        if (!_seen.TryGetValue(truthId, out var list))
        {
            _seen[truthId] = [(t, t)];
            return;
        }

        // Detections arrive nearly in time order (a rotating radar's scan, delivery latency): extend the
        // interval that contains t or ends within the gap before it, else open a new one in order.
        for (var i = list.Count - 1; i >= 0; i--)
        {
            var (first, last) = list[i];
            if (t >= first - CoverageGapSeconds && t <= last + CoverageGapSeconds)
            {
                list[i] = (Math.Min(first, t), Math.Max(last, t));
                if (i + 1 < list.Count && list[i + 1].First - list[i].Last <= CoverageGapSeconds)
                {
                    list[i] = (list[i].First, Math.Max(list[i].Last, list[i + 1].Last));
                    list.RemoveAt(i + 1);
                }

                if (i > 0 && list[i].First - list[i - 1].Last <= CoverageGapSeconds)
                {
                    list[i - 1] = (list[i - 1].First, Math.Max(list[i - 1].Last, list[i].Last));
                    list.RemoveAt(i);
                }

                return;
            }

            if (t > last)
            {
                list.Insert(i + 1, (t, t));
                return;
            }
        }

        list.Insert(0, (t, t));
    }

    /// <summary>Kinds of the objects by truth id.</summary>
    public IReadOnlyDictionary<int, ObjectKind> KindById => _truth.GroupBy(x => x.Sample.TruthId).ToDictionary(g => g.Key, g => g.First().Kind);

    /// <summary>Median and 99th percentile of the per-step latency (ms).</summary>
    public (double Median, double P99) LatencyPercentiles()
    {
        if (_latencyMs.Count == 0)
        {
            return (0, 0);
        }

        var sorted = _latencyMs.Order().ToArray();
        return (sorted[sorted.Length / 2], sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))]);
    }

    /// <summary>SIAP over the run within coverage.</summary>
    public SiapResult Siap(double threshold, Func<ObjectKind, bool>? kinds = null) =>
        SiapCalculator.Compute(_tracks, TruthInCoverage(kinds), new TrackToTruthAssociator(threshold));

    private bool IsSampleTime(double time) => Math.Abs(time - (Math.Round(time / _sampleInterval) * _sampleInterval)) < 1e-6;
}
