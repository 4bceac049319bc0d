using Kizuna.Core;
using Kizuna.Simulation.Scenario;
using Kizuna.Simulation.Sensors;

namespace Kizuna.Simulation.Engine;

/// <summary>Options of one exercise run.</summary>
public sealed record ExerciseOptions
{
    /// <summary>Speed relative to real time: 0 = as fast as possible, 1 = real time, N = N× real time.</summary>
    public double Speed { get; init; }

    /// <summary>Stop after this many simulated seconds (null = the scenario's duration).</summary>
    public double? Duration { get; init; }

    /// <summary>Engine step (s): detections are delivered in batches of at most this span.</summary>
    public double Step { get; init; } = 1.0;

    /// <summary>The wall clock used for pacing and for measuring run time (tests inject a fake).</summary>
    public TimeProvider WallClock { get; init; } = TimeProvider.System;
}

/// <summary>What a run produced.</summary>
/// <param name="SimulatedSeconds">Simulated time covered (s).</param>
/// <param name="WallSeconds">Wall time taken (s), from the wall clock.</param>
/// <param name="Detections">Detections delivered (true and false).</param>
/// <param name="FalseAlarms">Of which false alarms.</param>
/// <param name="TruthSamples">Truth records emitted.</param>
/// <param name="DetectionsBySensor">Detections per sensor id.</param>
/// <param name="Events">Events emitted.</param>
public sealed record ExerciseSummary(
    double SimulatedSeconds, double WallSeconds, long Detections, long FalseAlarms, long TruthSamples,
    IReadOnlyDictionary<string, long> DetectionsBySensor, int Events);

/// <summary>
/// The exercise engine: advances a <see cref="SimulationClock"/> through the scenario, runs every
/// sensor's scans at their revisit times (skipping scans during outage injects), and streams truth,
/// detections (in delivery order: measurement time plus the sensor's latency) and events to a sink.
/// Deterministic: the same scenario and seed give the same streams, whatever the speed.
/// </summary>
/// <remarks>
/// Ordering argument: a detection is never earlier than the start of the scan that produced it,
/// and latency is non-negative, so once every scan starting before T has run, every detection
/// delivered before T is known; the engine delivers them sorted by (delivery time, sensor index,
/// production order) at each step boundary T.
/// </remarks>
public sealed class ExerciseEngine
{
    private readonly ExerciseWorld _world;
    private readonly ExerciseOptions _options;

    /// <summary>Creates an engine for a built world.</summary>
    public ExerciseEngine(ExerciseWorld world, ExerciseOptions? options = null)
    {
        _world = world;
        _options = options ?? new ExerciseOptions();
        if (!(_options.Step > 0) || !double.IsFinite(_options.Step))
        {
            throw new ArgumentException("Step must be a positive number of seconds.", nameof(options));
        }

        if (_options.Speed < 0 || !double.IsFinite(_options.Speed))
        {
            throw new ArgumentException("Speed must be 0 (as fast as possible) or positive.", nameof(options));
        }

        Clock = new SimulationClock(world.Scenario.Epoch);
    }

    /// <summary>The simulation clock (epoch + simulated time reached).</summary>
    public SimulationClock Clock { get; }

    /// <summary>
    /// Destroys Red object <paramref name="truthId"/> at <paramref name="time"/> (s); may be called by
    /// a sink during the run (e.g. an intercept assessed by the defence loop). The event is delivered
    /// to the sink at the next step. Returns false when nothing was destroyed.
    /// </summary>
    public bool Destroy(int truthId, double time)
    {
        if (!_world.Destroy(truthId, time))
        {
            return false;
        }

        _destroyed.Add(new SimulationEvent(time, SimulationEventKind.Destroyed, _world.Objects[truthId - 1].Name));
        return true;
    }

    private readonly List<SimulationEvent> _destroyed = [];

    /// <summary>Runs the exercise to the end, streaming into <paramref name="sink"/>.</summary>
    /// <param name="sink">Receives truth, detections and events.</param>
    /// <param name="progress">Receives the fraction done (0..1) once per simulated second.</param>
    /// <param name="cancellationToken">Stops the run between steps.</param>
    public async Task<ExerciseSummary> RunAsync(ISimulationSink sink, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var scenario = _world.Scenario;
        var duration = Math.Min(_options.Duration ?? scenario.Duration, scenario.Duration);
        var wall = _options.WallClock;
        var started = wall.GetTimestamp();
        var epoch = scenario.Epoch;

        var sensors = _world.Sensors;
        var nextScan = new double[sensors.Length];
        var outages = new List<(double From, double To)>[sensors.Length];
        var counts = new long[sensors.Length];
        var latency = new double[sensors.Length];
        var randoms = new Random[sensors.Length];
        var contexts = new ScanContext[sensors.Length];
        var sensorIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < sensors.Length; i++)
        {
            nextScan[i] = sensors[i].Phase;
            outages[i] = [];
            latency[i] = Math.Max(0, sensors[i].Definition.Latency);
            randoms[i] = new Random(ExerciseWorld.SensorSeed(scenario.Seed, i));
            contexts[i] = new ScanContext(epoch, _world.Objects, randoms[i]);
            sensorIndex[sensors[i].Definition.Id] = i;
        }

        var events = new List<SimulationEvent>(_world.Launches);
        foreach (var inject in scenario.Injects)
        {
            switch (inject.Kind)
            {
                case InjectKind.SensorOutage when sensorIndex.TryGetValue(inject.Target, out var si):
                    outages[si].Add((inject.Time, inject.Time + inject.Duration));
                    events.Add(new SimulationEvent(inject.Time, SimulationEventKind.SensorOutageStart, inject.Target));
                    events.Add(new SimulationEvent(inject.Time + inject.Duration, SimulationEventKind.SensorOutageEnd, inject.Target));
                    break;
                case InjectKind.Raid:
                    events.Add(new SimulationEvent(inject.Time, SimulationEventKind.RaidStart, inject.Target));
                    break;
            }
        }

        events.Sort(static (a, b) => a.Time.CompareTo(b.Time));
        var nextEvent = 0;
        var eventCount = 0;

        var scratch = new List<Detection>(1024);
        var pending = new List<Pending>(4096);
        var emit = new List<Detection>(4096);
        var truth = new List<TruthRecord>(_world.Objects.Length);
        long sequence = 0;
        long delivered = 0;
        long falseAlarms = 0;
        long truthSamples = 0;
        var truthInterval = scenario.TruthInterval > 0 ? scenario.TruthInterval : 1.0;
        long truthIndex = 0;

        truthSamples += EmitTruth(sink, truth, 0);
        truthIndex = 1;

        var t = 0.0;
        while (t < duration)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tEnd = Math.Min(t + _options.Step, duration);

            for (var i = 0; i < sensors.Length; i++)
            {
                var revisit = sensors[i].Model.RevisitPeriod;
                while (nextScan[i] < tEnd)
                {
                    var scanStart = nextScan[i];
                    nextScan[i] = scanStart + revisit;
                    if (InOutage(outages[i], scanStart))
                    {
                        continue;
                    }

                    scratch.Clear();
                    sensors[i].Model.Scan(scanStart, contexts[i], scratch);
                    foreach (var d in scratch)
                    {
                        var measured = (d.Time - epoch).TotalSeconds;
                        if (measured > duration)
                        {
                            continue;
                        }

                        pending.Add(new Pending(measured + latency[i], i, sequence++, d));
                    }
                }
            }

            if (_destroyed.Count > 0)
            {
                foreach (var d in _destroyed)
                {
                    sink.OnEvent(d);
                    eventCount++;
                }

                _destroyed.Clear();
            }

            while (nextEvent < events.Count && events[nextEvent].Time < tEnd)
            {
                sink.OnEvent(events[nextEvent++]);
                eventCount++;
            }

            var last = tEnd >= duration;
            Flush(pending, emit, last ? double.PositiveInfinity : tEnd, last ? duration : double.PositiveInfinity);
            if (emit.Count > 0)
            {
                foreach (var d in emit)
                {
                    if (d.IsFalseAlarm)
                    {
                        falseAlarms++;
                    }

                    counts[sensorIndex[d.SensorId]]++;
                }

                delivered += emit.Count;
                sink.OnDetections(tEnd, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(emit));
            }

            Clock.AdvanceTo(tEnd);
            while ((truthIndex * truthInterval) <= tEnd + 1e-9)
            {
                truthSamples += EmitTruth(sink, truth, truthIndex * truthInterval);
                truthIndex++;
            }

            progress?.Report(duration > 0 ? tEnd / duration : 1);
            if (_options.Speed > 0)
            {
                var due = TimeSpan.FromSeconds(tEnd / _options.Speed);
                var elapsed = wall.GetElapsedTime(started);
                if (due > elapsed)
                {
                    await Task.Delay(due - elapsed, wall, cancellationToken).ConfigureAwait(false);
                }
            }

            t = tEnd;
        }

        var bySensor = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < sensors.Length; i++)
        {
            bySensor[sensors[i].Definition.Id] = counts[i];
        }

        return new ExerciseSummary(duration, wall.GetElapsedTime(started).TotalSeconds, delivered, falseAlarms, truthSamples, bySensor, eventCount);
    }

    private int EmitTruth(ISimulationSink sink, List<TruthRecord> buffer, double time)
    {
        buffer.Clear();
        foreach (var o in _world.Objects)
        {
            if (o.Trajectory.TryGetState(time, out var s))
            {
                buffer.Add(new TruthRecord(time, o, s));
            }
        }

        sink.OnTruth(time, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buffer));
        return buffer.Count;
    }

    private static bool InOutage(List<(double From, double To)> windows, double time)
    {
        foreach (var (from, to) in windows)
        {
            if (time >= from && time < to)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Moves every pending detection delivered before <paramref name="before"/> (and not after <paramref name="notAfter"/>) into <paramref name="emit"/>, sorted.</summary>
    private static void Flush(List<Pending> pending, List<Detection> emit, double before, double notAfter)
    {
        emit.Clear();
        if (pending.Count == 0)
        {
            return;
        }

        pending.Sort(PendingComparer.Instance);
        var n = 0;
        while (n < pending.Count && pending[n].Deliver < before)
        {
            if (pending[n].Deliver <= notAfter)
            {
                emit.Add(pending[n].Detection);
            }

            n++;
        }

        pending.RemoveRange(0, n);
    }

    private readonly record struct Pending(double Deliver, int Sensor, long Sequence, Detection Detection);

    private sealed class PendingComparer : IComparer<Pending>
    {
        public static readonly PendingComparer Instance = new();

        public int Compare(Pending x, Pending y)
        {
            var c = x.Deliver.CompareTo(y.Deliver);
            if (c != 0)
            {
                return c;
            }

            c = x.Sensor.CompareTo(y.Sensor);
            return c != 0 ? c : x.Sequence.CompareTo(y.Sequence);
        }
    }
}
