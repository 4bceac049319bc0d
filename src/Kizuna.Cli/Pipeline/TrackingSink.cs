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
/// Scoring is "within coverage": an object's truth samples count only between the first and the
/// last time any sensor measured its position (angles-only space infrared cannot start a track) (a picture cannot hold what no sensor saw). Ground sites and
/// satellites are never truth.
/// </remarks>
internal sealed class TrackingSink : ISimulationSink
{
    private readonly MultiTargetTracker _tracker;
    private readonly DateTime _epoch;
    private readonly double _sampleInterval;
    private readonly List<double> _latencyMs = [];
    private readonly List<TrackSample> _tracks = [];
    private readonly List<(TruthSample Sample, ObjectKind Kind)> _truth = [];
    private readonly Dictionary<int, (double First, double Last)> _seen = [];

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
    }

    public void OnDetections(double time, ReadOnlySpan<Detection> detections)
    {
        foreach (ref readonly var d in detections)
        {
            if (d.TruthId > 0 && d.Kind != MeasurementKind.AzimuthElevation)
            {
                var t = (d.Time - _epoch).TotalSeconds;
                _seen[d.TruthId] = _seen.TryGetValue(d.TruthId, out var s) ? (Math.Min(s.First, t), Math.Max(s.Last, t)) : (t, t);
            }
        }

        var start = Stopwatch.GetTimestamp();
        _tracker.Step(_epoch.AddSeconds(time), detections);
        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        _latencyMs.Add(ms);
        TrackerSeconds += ms / 1000;
        if (IsSampleTime(time))
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
    }

    public void OnEvent(SimulationEvent simulationEvent)
    {
    }

    /// <summary>Truth samples within coverage (optionally of some kinds only).</summary>
    public List<TruthSample> TruthInCoverage(Func<ObjectKind, bool>? kinds = null) =>
        _truth.Where(x => (kinds is null || kinds(x.Kind)) && _seen.TryGetValue(x.Sample.TruthId, out var s) && x.Sample.Time >= s.First && x.Sample.Time <= s.Last + _sampleInterval)
            .Select(x => x.Sample).ToList();

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
