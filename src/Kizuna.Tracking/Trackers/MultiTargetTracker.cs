using Kizuna.Core;
using Kizuna.Tracking.Association;
using Kizuna.Tracking.Deleters;
using Kizuna.Tracking.Gating;
using Kizuna.Tracking.Initiators;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.Types;
using Kizuna.Tracking.Updaters;

namespace Kizuna.Tracking.Trackers;

/// <summary>
/// The multi-target tracker: a thin composition of injected roles — estimator (filter per track),
/// data associator (GNN or JPDA), initiator and deleter — behind one push API,
/// <see cref="Step"/>, which the simulator, live feeds and replay call the same way.
/// </summary>
/// <remarks>
/// <para><b>Loop</b> (Stone Soup <c>tracker/simple.py</c>, multi-target form). Detections enter a
/// reorder buffer; those at or before <c>time − lag</c> are released in time order (ties by sensor,
/// then arrival) and cut into frames: a run of one sensor's detections within
/// <see cref="TrackerOptions.FrameWindow"/>. For each frame:</para>
/// <list type="number">
/// <item>predict every track to the frame time;</item>
/// <item>spatial pre-gate: the frame's detection positions go into a <see cref="SpatialGrid"/>; each track
/// queries the ball of radius ρ = √(γ_max (tr P_pos + max_d tr R_d,pos)). Since d² = νᵀS⁻¹ν ≥ |ν|²/λ_max(S) ≥ |ν|²/tr S,
/// a detection outside that ball cannot pass the χ² gate (exact for position measurements,
/// first-order for radar plots converted to position), so the pre-gate loses nothing. The cell side is
/// the largest ρ, capped at 4× the mean ρ so one broad tentative track cannot blow the grid up;
/// angles-only detections (no position) are gated against every track;</item>
/// <item>χ² gate on d² with γ = F⁻¹_χ²(m)(P_G) (<see cref="ChiSquareGate"/>);</item>
/// <item>association per independent cluster (<see cref="IDataAssociator"/>);</item>
/// <item>update: one detection of weight 1 → filter update; several weights → PDA combined update;</item>
/// <item>management: hit history, M-of-N confirmation, quality (<see cref="TrackQuality"/>); unclaimed
/// position-bearing detections start tentative tracks; the deleter and the confirmation window
/// remove tracks.</item>
/// </list>
/// <para><b>Out-of-sequence measurements.</b> A detection that arrives late by up to
/// <see cref="TrackerOptions.OutOfSequenceLag"/> is processed in its correct time order, because
/// nothing is processed until the lag has passed: the cost is a latency of exactly the lag on
/// every track (readers see states up to <c>time − lag</c>). A detection older than the last
/// processed frame is rejected and counted (<see cref="TrackerStatistics.RejectedLate"/>) — unless it
/// is at most <see cref="TrackerOptions.MaxOutOfSequenceAge"/> older and the estimator has an
/// out-of-sequence update (the Kalman and IMM estimators). Such a detection is processed when it
/// arrives, alone: every confirmed track created before it is retrodicted to its time
/// (<see cref="OutOfSequenceUpdate"/>, Bar-Shalom's Bl1) and χ²-gated there; of the tracks in the gate
/// the one with the smallest d² (ties: the earlier track in the table) takes it — nearest neighbour,
/// which is what a single late plot allows, since the frame it belonged to has been associated — and
/// its <i>current</i> state is updated (<see cref="TrackerStatistics.OutOfSequenceUpdates"/>). The
/// update changes the state, quality, contributing sensors and (if later) the last update time, not
/// the hit history: the frame it belonged to has been counted. A late detection no track gates is
/// rejected (it never starts a track). Cost: one retrodiction and gate per confirmed track per late
/// detection (no spatial pre-gate: angles-only lines of sight are the main use).</para>
/// <para><b>Frames and misses.</b> Every frame counts for every track's hit history, including
/// frames of a sensor that cannot see the track (no coverage model yet); with several sensors,
/// choose the M-of-N window and the deleter's miss counts with that in mind.</para>
/// <para><b>Track store.</b> Track objects are allocated in batches and each stays at one table
/// slot; deleting tracks moves the data of the later tracks down (an order-preserving compaction
/// of the contents), so the table order — creation order — is also memory order and the predict
/// and update passes stream through memory instead of jumping between recycled objects. The
/// compaction runs inside the update pass (initiation never touches an existing track, so each
/// existing track's deletion decision is final there; a new track is checked once at birth).
/// A given object therefore carries another track after a step: identify tracks by
/// <see cref="Track.Id"/>, never by reference across steps.</para>
/// <para><b>Allocation.</b> Track objects are pooled; every buffer is reused and grows
/// geometrically; sensor names are interned once. In steady state a step allocates nothing.
/// Not thread-safe.</para>
/// </remarks>
public sealed class MultiTargetTracker
{
    private readonly ITrackEstimator _estimator;
    private readonly IDataAssociator _associator;
    private readonly ITrackInitiator _initiator;
    private readonly ITrackDeleter _deleter;
    private readonly ChiSquareGate _gate;
    private readonly AssociationProblem _problem = new();
    private readonly AssociationResult _result = new();
    private readonly SpatialGrid _grid = new();
    private readonly bool _fastPositionGate;
    private readonly IPositionUpdate? _positionUpdate;
    private readonly IPositionInitialisation? _positionInitialisation;
    private readonly double _initialVelocityVariance;
    private readonly ITrackConfirmationObserver? _confirmationObserver;
    private IOutOfSequenceUpdate? _outOfSequence;
    private readonly Dictionary<string, int> _sensorIndex = new(StringComparer.Ordinal);
    private readonly List<string> _sensorNames = [];
    // The track store: _tracks[0.._trackCount) are the live tracks in creation order, and
    // _tracks[_trackCount.._allocated) are spare objects. A slot keeps its object for the tracker's
    // life (deletion moves the data of later tracks down, it does not move objects), so table order
    // is allocation order and the passes over the table walk memory forwards.
    private Track[] _tracks;
    private int _trackCount;
    private int _allocated;
    private Pending[] _buffer = new Pending[64];
    private int _buffered;
    private long _arrival;
    private DateTime _watermark = DateTime.MinValue;
    private long _nextId;

    // Per-frame scratch.
    private DetectionMeasurementModel[] _models = new DetectionMeasurementModel[64];
    private Vec3[] _measurements = new Vec3[64];
    private bool[] _modelReady = new bool[64];
    private int _frameStart;
    private int[] _gridSlot = new int[64];
    private GatePoint[] _gatePoints = new GatePoint[64];
    private DetectionTag[] _tags = new DetectionTag[64];
    private int[] _anglesOnly = new int[16];
    private double[] _radius;
    private bool[] _active = new bool[16];
    private Vec3[] _trackPosition;
    private Mat3[] _trackPositionCovariance;
    private Vec3[] _pointPosition = new Vec3[64];
    private WeightedMeasurement[] _hypotheses = new WeightedMeasurement[16];

    private long _received;
    private long _processed;
    private long _rejectedLate;
    private long _rejectedInvalid;
    private long _frames;
    private long _started;
    private long _confirmed;
    private long _deleted;
    private long _approximated;
    private long _outOfSequenceUpdates;

    /// <summary>Composes a tracker from its roles.</summary>
    public MultiTargetTracker(TrackerOptions options, ITrackEstimator estimator, IDataAssociator associator, ITrackInitiator initiator, ITrackDeleter deleter)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(associator);
        ArgumentNullException.ThrowIfNull(initiator);
        ArgumentNullException.ThrowIfNull(deleter);
        options.Validate();
        Options = options;
        _estimator = estimator;
        _associator = associator;
        _initiator = initiator;
        _deleter = deleter;
        _gate = ChiSquareGate.FromProbability(options.Association.GateProbability);
        _tracks = new Track[Math.Max(16, options.TrackCapacity)];
        _radius = new double[_tracks.Length];
        _trackPosition = new Vec3[_tracks.Length];
        _trackPositionCovariance = new Mat3[_tracks.Length];
        _fastPositionGate = estimator is IStateBufferGating;
        _positionUpdate = estimator as IPositionUpdate;
        if (initiator is SinglePointInitiator singlePoint && estimator is IPositionInitialisation { IsAvailable: true } positionInitialisation)
        {
            _positionInitialisation = positionInitialisation;
            _initialVelocityVariance = singlePoint.VelocityStd * singlePoint.VelocityStd;
        }
        _confirmationObserver = estimator as ITrackConfirmationObserver;
        _outOfSequence = estimator as IOutOfSequenceUpdate;
        GrowPool(options.TrackCapacity);
    }

    /// <summary>
    /// A GNN tracker with one nearly-constant-velocity Kalman filter per track (spectral density
    /// <paramref name="processNoise"/> m²/s³), single-point initiation with velocity prior
    /// σ_v = <paramref name="velocityStd"/>, deletion after <paramref name="confirmedMisses"/>
    /// consecutive misses (2 while tentative) or when the RMS position error exceeds
    /// <paramref name="maxPositionStd"/>.
    /// </summary>
    public static MultiTargetTracker CreateNearlyConstantVelocityGnn(TrackerOptions options, double processNoise, double velocityStd, int confirmedMisses = 3, double maxPositionStd = 1e5)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new MultiTargetTracker(
            options,
            new KalmanTrackEstimator<NearlyConstantVelocity>(new NearlyConstantVelocity(processNoise)),
            new GlobalNearestNeighbourAssociator(options.Association),
            new SinglePointInitiator(velocityStd),
            new AnyDeleter(new MissedUpdateDeleter(confirmedMisses, 2), new CovarianceDeleter(maxPositionStd)));
    }

    /// <summary>The options.</summary>
    public TrackerOptions Options { get; }

    /// <summary>The track table (tentative and confirmed), in order of creation. Valid until the next <see cref="Step"/>.</summary>
    public ReadOnlySpan<Track> Tracks => _tracks.AsSpan(0, _trackCount);

    /// <summary>The time of the last processed frame (<see cref="DateTime.MinValue"/> before the first).</summary>
    public DateTime ProcessedUpTo => _watermark;

    /// <summary>Detections waiting in the reorder buffer.</summary>
    public int PendingDetections => _buffered;

    /// <summary>The name of sensor index <paramref name="index"/> (see <see cref="Track.ContributingSensors"/>).</summary>
    public string SensorName(int index) => _sensorNames[index];

    /// <summary>Cumulative counters.</summary>
    public TrackerStatistics Statistics => new(_received, _processed, _rejectedLate, _rejectedInvalid, _frames, _started, _confirmed, _deleted, _approximated, _outOfSequenceUpdates);

    /// <summary>
    /// Pushes the detections received up to <paramref name="time"/> and processes every buffered
    /// detection at or before <paramref name="time"/> − lag, in time order.
    /// </summary>
    public void Step(DateTime time, ReadOnlySpan<Detection> detections)
    {
        foreach (ref readonly var d in detections)
        {
            _received++;
            if (!IsAcceptable(d))
            {
                _rejectedInvalid++;
                continue;
            }

            if (d.Time < _watermark)
            {
                if (_outOfSequence is null || _watermark - d.Time > Options.MaxOutOfSequenceAge || !TryUpdateOutOfSequence(d))
                {
                    _rejectedLate++;
                }

                continue;
            }

            Insert(d);
        }

        var release = time - Options.OutOfSequenceLag;
        var count = 0;
        while (count < _buffered && _buffer[count].Detection.Time <= release)
        {
            count++;
        }

        var start = 0;
        while (start < count)
        {
            var first = _buffer[start];
            var end = start + 1;
            while (end < count && _buffer[end].Sensor == first.Sensor && _buffer[end].Detection.Time - first.Detection.Time <= Options.FrameWindow)
            {
                end++;
            }

            ProcessFrame(start, end - start);
            start = end;
        }

        if (count > 0)
        {
            // The vacated tail is not cleared: its stale entries hold no reference but a sensor-id
            // string each, and clearing them would write the whole frame's buffer again every step.
            Array.Copy(_buffer, count, _buffer, 0, _buffered - count);
            _buffered -= count;
        }
    }

    private bool IsAcceptable(in Detection d)
    {
        var v = d.Value;
        if (!double.IsFinite(v.X) || !double.IsFinite(v.Y) || !double.IsFinite(v.Z) || d.SensorId is null)
        {
            return false;
        }

        return Options.Frame == TrackFrame.Flat ? d.Kind == MeasurementKind.Cartesian : d.Kind != MeasurementKind.Cartesian;
    }

    private void Insert(in Detection d)
    {
        if (!_sensorIndex.TryGetValue(d.SensorId, out var sensor))
        {
            sensor = _sensorNames.Count;
            _sensorIndex.Add(d.SensorId, sensor);
            _sensorNames.Add(d.SensorId);
        }

        if (_buffered == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        // Insertion from the back: O(1) for in-order arrival. Order: time, sensor, arrival.
        var entry = new Pending(d, sensor, _arrival++);
        var i = _buffered;
        while (i > 0 && Before(entry, _buffer[i - 1]))
        {
            _buffer[i] = _buffer[i - 1];
            i--;
        }

        _buffer[i] = entry;
        _buffered++;
    }

    private static bool Before(in Pending a, in Pending b) =>
        a.Detection.Time != b.Detection.Time ? a.Detection.Time < b.Detection.Time
        : a.Sensor != b.Sensor ? a.Sensor < b.Sensor
        : a.Arrival < b.Arrival;

    private void ProcessFrame(int start, int count)
    {
        _frames++;
        _processed += count;
        var frameTime = _buffer[start].Detection.Time;
        var sensorBit = 1UL << Math.Min(63, _buffer[start].Sensor);
        _frameStart = start;
        EnsureFrameCapacity(count);

        // 1. Predict (every track, or with LazyPrediction only those that can reach the frame).
        if (_active.Length < _tracks.Length)
        {
            _active = new bool[_tracks.Length];
        }

        var boxMin = default(Vec3);
        var boxMax = default(Vec3);
        var lazy = Options.LazyPrediction && FrameBox(start, count, out boxMin, out boxMax);
        for (var t = 0; t < _trackCount; t++)
        {
            var track = _tracks[t];
            var dt = (frameTime - track.Time).TotalSeconds;
            if (lazy && !CanReach(track, dt, boxMin, boxMax))
            {
                _active[t] = false;
                continue;
            }

            _active[t] = true;
            if (dt > 0)
            {
                _estimator.Predict(track, dt);
                track.Time = frameTime;
            }

            _trackPosition[t] = track.Position;
            _trackPositionCovariance[t] = track.PositionCovariance;
        }

        // 2. Measurement models and spatial points.
        var maxDetectionVariance = 0.0;
        var pointCount = 0;
        var anglesCount = 0;
        for (var i = 0; i < count; i++)
        {
            ref readonly var d = ref _buffer[start + i].Detection;
            if (d.Kind is MeasurementKind.Cartesian or MeasurementKind.PositionEcef)
            {
                // z and R are the detection's own: the ~350-byte model is built only if a slow path
                // asks for it (ModelOf), which a position-gating estimator under GNN never does.
                _measurements[i] = d.Value;
                _modelReady[i] = false;
            }
            else
            {
                _models[i] = DetectionMeasurementModel.FromDetection(d, out _measurements[i]);
                _modelReady[i] = true;
            }

            _tags[i] = new DetectionTag(d.Nation, d.Identity);
            if (SinglePointInitiator.TryPosition(d, out var p, out var r))
            {
                _gridSlot[i] = pointCount;
                _pointPosition[pointCount] = p;
                _gatePoints[pointCount++] = new GatePoint(_measurements[i], r, i, d.Kind);
                maxDetectionVariance = Math.Max(maxDetectionVariance, r.Trace);
            }
            else
            {
                _gridSlot[i] = -1;
                _anglesOnly[anglesCount++] = i;
            }
        }

        var gamma = _gate.MaxThreshold;
        var maxRadius = 0.0;
        var sumRadius = 0.0;
        for (var t = 0; t < _trackCount; t++)
        {
            if (!_active[t])
            {
                _radius[t] = -1;
                continue;
            }

            var rho = Math.Sqrt(gamma * (_trackPositionCovariance[t].Trace + maxDetectionVariance));
            _radius[t] = rho;
            maxRadius = Math.Max(maxRadius, rho);
            sumRadius += rho;
        }

        var activeCount = 0;
        for (var t = 0; t < _trackCount; t++)
        {
            activeCount += _active[t] ? 1 : 0;
        }

        var cell = activeCount > 0 ? Math.Min(maxRadius, 4 * sumRadius / activeCount) : 1;
        _grid.Reset(cell > 0 && double.IsFinite(cell) ? cell : 1, pointCount);
        for (var k = 0; k < pointCount; k++)
        {
            _grid.Add(_pointPosition[k]);
        }

        // 3. Gate.
        _problem.Reset(_trackCount, count);
        var positionThreshold = _gate.Threshold(3);
        for (var t = 0; t < _trackCount; t++)
        {
            if (!_active[t])
            {
                continue;
            }

            foreach (var k in _grid.Query(_trackPosition[t], _radius[t]))
            {
                ref readonly var g = ref _gatePoints[k];
                if (_fastPositionGate && g.IsPosition)
                {
                    GatePosition(t, g, positionThreshold);
                }
                else
                {
                    TryGate(t, _tracks[t], g.Detection);
                }
            }

            if (anglesCount > 0)
            {
                var track = _tracks[t];
                for (var a = 0; a < anglesCount; a++)
                {
                    TryGate(t, track, _anglesOnly[a]);
                }
            }
        }

        // 4. Associate.
        _associator.Associate(_problem, _result);
        _approximated += _result.ApproximatedClusters;

        // 5. Update and manage, and delete (order-preserving compaction of the data, not of the
        // objects: see _tracks) in the same pass, while each track object is in cache. Initiation
        // (step 6) never touches an existing track, so every existing track's deletion decision is
        // final here; new tracks are appended after the survivors, which is the order a separate
        // compaction pass after initiation would give.
        var confirmation = Options.Confirmation;
        var byTime = Options.Management == TrackManagement.Time;
        var timing = Options.TimeManagement;
        var kept = 0;
        for (var t = 0; t < _trackCount; t++)
        {
            if (t + UpdatePrefetchDistance < _trackCount)
            {
                PrefetchAssignedDetection(t + UpdatePrefetchDistance);
            }

            var track = _tracks[t];
            if (_active[t])
            {
                UpdateAndManage(t, track, frameTime, sensorBit);
            }

            var doomed = byTime
                ? TimedOut(track, frameTime, timing) || _deleter.ShouldDelete(track)
                : (!track.IsConfirmed && track.Frames >= confirmation.Window) || _deleter.ShouldDelete(track);
            if (doomed)
            {
                _deleted++;
            }
            else
            {
                if (kept != t)
                {
                    _tracks[kept].MoveFrom(track);
                }

                kept++;
            }
        }

        _trackCount = kept;

        // 6. Initiate from unclaimed position-bearing detections.
        for (var i = 0; i < count; i++)
        {
            if (_gridSlot[i] < 0 || _result.IsClaimed(i))
            {
                continue;
            }

            ref readonly var d = ref _buffer[start + i].Detection;
            var slot = _gridSlot[i];
            Track track;
            if (_positionInitialisation is not null && _gatePoints[slot].IsPosition)
            {
                // Single-point initiation of a position detection written straight into the track's
                // state from the gate point's p and R (what TryInitiate + Initialise give, bit for bit).
                track = Rent();
                track.Id = ++_nextId;
                _positionInitialisation.InitialisePosition(track, _pointPosition[slot], _gatePoints[slot].Noise, _initialVelocityVariance);
            }
            else
            {
                if (!_initiator.TryInitiate(d, out var initial))
                {
                    continue;
                }

                track = Rent();
                track.Id = ++_nextId;
                _estimator.Initialise(track, initial);
            }

            track.Time = frameTime;
            track.Created = frameTime;
            track.LastUpdate = frameTime;
            track.Frames = 1;
            track.Hits = 1;
            track.HitHistory = 1;
            track.ConsecutiveMisses = 0;
            track.ContributingSensors = sensorBit;
            track.Identity = d.Identity;
            track.LastNation = d.Nation;
            track.IsConfirmed = byTime ? timing.ConfirmHits <= 1 : confirmation.IsMet(1);
            if (track.IsConfirmed)
            {
                _confirmed++;
            }

            UpdateQuality(track);
            _started++;
            if (byTime
                ? TimedOut(track, frameTime, timing) || _deleter.ShouldDelete(track)
                : (!track.IsConfirmed && track.Frames >= confirmation.Window) || _deleter.ShouldDelete(track))
            {
                _deleted++; // deleted at birth: the slot stays spare
            }
            else
            {
                _trackCount++;
            }
        }

        _watermark = frameTime;
    }

    /// <summary>
    /// Tracks ahead of the update pass whose assigned detection is prefetched (<see cref="PrefetchAssignedDetection"/>):
    /// far enough for a last-level-cache miss to complete while the tracks in between are updated.
    /// </summary>
    private const int UpdatePrefetchDistance = 8;

    /// <summary>
    /// Prefetches the gate point and tag of track <paramref name="t"/>'s first gated detection, which
    /// the update pass reads a few tracks later. Tracks are in creation order and the frame's
    /// detections in arrival order, so these reads are random: at N = 10,000 the 104-byte gate points
    /// (1.6 MB per frame) no longer fit in L2, and each read was a serial miss in the pass.
    /// </summary>
    private void PrefetchAssignedDetection(int t)
    {
        if (!_active[t] || _problem.PairCount(t) == 0)
        {
            return;
        }

        var i = _problem.Pairs[_problem.FirstPair(t)].Detection;
        var slot = _gridSlot[i];
        if (slot >= 0)
        {
            CachePrefetch.Read(ref _gatePoints[slot], 128);
        }

        CachePrefetch.Read(ref _tags[i]);
    }

    /// <summary>Step 5 for one active track: its update from the association result, hit history, confirmation and quality.</summary>
    private void UpdateAndManage(int t, Track track, DateTime frameTime, ulong sensorBit)
    {
        var pairs = _problem.Pairs;
        var weights = _result.PairWeights;
        var confirmation = Options.Confirmation;
        var byTime = Options.Management == TrackManagement.Time;
        var timing = Options.TimeManagement;
        var missed = _result.MissedWeight(t);
        var first = _problem.FirstPair(t);
        var n = _problem.PairCount(t);
        var best = -1;
        var used = 0;
        for (var pi = first; pi < first + n; pi++)
        {
            if (weights[pi] > 0)
            {
                if (best < 0 || weights[pi] > weights[best])
                {
                    best = pi;
                }

                used++;
            }
        }

        if (used == 1 && missed == 0)
        {
            var i = pairs[best].Detection;
            var slot = _gridSlot[i];
            if (_positionUpdate is not null && slot >= 0 && _gatePoints[slot].IsPosition)
            {
                // Compact copy of z and R: no read of the ~350-byte measurement model.
                ref readonly var g = ref _gatePoints[slot];
                _positionUpdate.UpdatePosition(track, g.Kind, g.Measurement, g.Noise);
            }
            else
            {
                _estimator.Update(track, ModelOf(i), _measurements[i]);
            }
        }
        else if (used > 0)
        {
            used = 0;
            for (var pi = first; pi < first + n; pi++)
            {
                if (weights[pi] > 0)
                {
                    _hypotheses[used++] = new WeightedMeasurement(ModelOf(pairs[pi].Detection), _measurements[pairs[pi].Detection], weights[pi]);
                }
            }

            _estimator.UpdateMixture(track, missed, _hypotheses.AsSpan(0, used), Options.Association);
        }

        var hit = used > 0 && missed < 0.5;
        if (byTime && !hit)
        {
            // A frame without an update is not a miss: the sensor may not cover this track.
            UpdateQuality(track);
            return;
        }

        track.Frames++;
        track.HitHistory = (track.HitHistory << 1) | (hit ? 1UL : 0UL);
        if (hit)
        {
            var tag = _tags[pairs[best].Detection];
            track.Hits++;
            track.ConsecutiveMisses = 0;
            track.LastUpdate = frameTime;
            track.ContributingSensors |= sensorBit;
            track.LastNation = tag.Nation;
            if (tag.Identity != 0)
            {
                track.Identity = tag.Identity;
            }
        }
        else
        {
            track.ConsecutiveMisses++;
        }

        var confirm = byTime
            ? track.Hits >= timing.ConfirmHits && track.LastUpdate - track.Created <= timing.ConfirmWithin
            : confirmation.IsMet(track.HitHistory);
        if (!track.IsConfirmed && confirm)
        {
            track.IsConfirmed = true;
            _confirmed++;
            _confirmationObserver?.Confirmed(track);
        }

        UpdateQuality(track);
    }

    /// <summary>
    /// Sets the out-of-sequence update for an estimator that does not implement it itself (the
    /// speed-scheduled NCV estimator's companion, <see cref="TrackerSettings.Build"/>).
    /// </summary>
    internal void UseOutOfSequenceUpdate(IOutOfSequenceUpdate update) => _outOfSequence = update;

    /// <summary>
    /// The out-of-sequence path for one late detection <paramref name="d"/> (see the class remarks):
    /// nearest neighbour over the confirmed tracks retrodicted to its time, then the Bl1 update of that
    /// track's current state. False when no track gates it or the update is not valid.
    /// </summary>
    private bool TryUpdateOutOfSequence(in Detection d)
    {
        var update = _outOfSequence!;
        var model = DetectionMeasurementModel.FromDetection(d, out var z);
        var threshold = _gate.Threshold(model.Dimension);
        var best = -1;
        var bestD2 = double.PositiveInfinity;
        for (var t = 0; t < _trackCount; t++)
        {
            var track = _tracks[t];
            if (!track.IsConfirmed || track.Created > d.Time)
            {
                continue;
            }

            var r = update.EvaluateOutOfSequence(track, (track.Time - d.Time).TotalSeconds, track.LastUpdate > d.Time, model, z);
            if (r.IsValid && r.MahalanobisSquared <= threshold && r.MahalanobisSquared < bestD2)
            {
                best = t;
                bestD2 = r.MahalanobisSquared;
            }
        }

        if (best < 0)
        {
            return false;
        }

        var chosen = _tracks[best];
        var lag = (chosen.Time - d.Time).TotalSeconds;
        if (!update.UpdateOutOfSequence(chosen, lag, chosen.LastUpdate > d.Time, model, z).IsValid)
        {
            return false;
        }

        if (lag < 0)
        {
            chosen.Time = d.Time; // a lazily predicted track older than the detection: predicted and updated to its time
        }

        if (!_sensorIndex.TryGetValue(d.SensorId, out var sensor))
        {
            sensor = _sensorNames.Count;
            _sensorIndex.Add(d.SensorId, sensor);
            _sensorNames.Add(d.SensorId);
        }

        chosen.ContributingSensors |= 1UL << Math.Min(63, sensor);
        if (d.Time > chosen.LastUpdate)
        {
            chosen.LastUpdate = d.Time;
            chosen.LastNation = d.Nation;
        }

        if (d.Identity != 0)
        {
            chosen.Identity = d.Identity;
        }

        UpdateQuality(chosen);
        _outOfSequenceUpdates++;
        return true;
    }

    /// <summary>Time-based deletion: tentative not confirmed in time or silent too long; confirmed silent too long.</summary>
    private static bool TimedOut(Track track, DateTime now, TimeManagementOptions timing) =>
        track.IsConfirmed
            ? now - track.LastUpdate > timing.ConfirmedTimeout
            : now - track.LastUpdate > timing.TentativeTimeout || now - track.Created > timing.ConfirmWithin;

    /// <summary>Bounding box of the frame's position-bearing detections; false when it has angles-only ones (then every track is predicted).</summary>
    private bool FrameBox(int start, int count, out Vec3 min, out Vec3 max)
    {
        min = new Vec3(double.MaxValue, double.MaxValue, double.MaxValue);
        max = new Vec3(double.MinValue, double.MinValue, double.MinValue);
        for (var i = 0; i < count; i++)
        {
            if (!SinglePointInitiator.TryPosition(_buffer[start + i].Detection, out var p, out var r))
            {
                return false;
            }

            var e = Math.Sqrt(r.Trace);
            min = new Vec3(Math.Min(min.X, p.X - e), Math.Min(min.Y, p.Y - e), Math.Min(min.Z, p.Z - e));
            max = new Vec3(Math.Max(max.X, p.X + e), Math.Max(max.Y, p.Y + e), Math.Max(max.Z, p.Z + e));
        }

        return count > 0;
    }

    /// <summary>
    /// Conservative reach test for lazy prediction: the track's constant-velocity extrapolation is
    /// within 5 σ of its position uncertainty + 0.5·a·dt² (a = 100 m/s², beyond any manoeuvre or
    /// boost we model) + 2 km of the frame's box.
    /// </summary>
    private static bool CanReach(Track track, double dt, Vec3 min, Vec3 max)
    {
        var p = track.Position + (track.Velocity * Math.Max(dt, 0));
        var reach = (5 * Math.Sqrt(track.PositionCovariance.Trace)) + (50 * dt * dt) + 2_000;
        var dx = Math.Max(0, Math.Max(min.X - p.X, p.X - max.X));
        var dy = Math.Max(0, Math.Max(min.Y - p.Y, p.Y - max.Y));
        var dz = Math.Max(0, Math.Max(min.Z - p.Z, p.Z - max.Z));
        return (dx * dx) + (dy * dy) + (dz * dz) <= reach * reach;
    }

    /// <summary>
    /// The measurement model of detection <paramref name="i"/> of the current frame, built on first
    /// use for Cartesian and ECEF detections (the result <see cref="DetectionMeasurementModel.FromDetection(in Detection, out Vec3)"/>
    /// gives, so every path sees the same model).
    /// </summary>
    private ref readonly DetectionMeasurementModel ModelOf(int i)
    {
        if (!_modelReady[i])
        {
            _models[i] = DetectionMeasurementModel.FromDetection(_buffer[_frameStart + i].Detection, out _);
            _modelReady[i] = true;
        }

        return ref _models[i];
    }

    private void TryGate(int t, Track track, int detection)
    {
        var r = _estimator.Evaluate(track, ModelOf(detection), _measurements[detection]);
        if (r.IsValid && r.MahalanobisSquared <= _gate.Threshold(r.MeasurementDimension))
        {
            _problem.Add(new GatedPair(t, detection, r.MahalanobisSquared, r.LogLikelihood));
        }
    }

    /// <summary>
    /// The χ² gate of <see cref="KalmanUpdater.Evaluate"/> for a position measurement (H = I), from
    /// the compact per-track and per-detection copies: ν = z − x_p, S = P_pp + R. Before the
    /// Cholesky it rejects on the diagonal bound d² = νᵀS⁻¹ν ≥ νᵢ²/Sᵢᵢ for every axis i
    /// (Cauchy–Schwarz with the unit vector eᵢ), which turns most pre-gate survivors away at the
    /// cost of three multiplications; the pairs it keeps get exactly the statistics Evaluate gives.
    /// </summary>
    private void GatePosition(int t, in GatePoint point, double threshold)
    {
        var nu = point.Measurement - _trackPosition[t];
        var s = (_trackPositionCovariance[t] + point.Noise).Symmetrize();
        var bound = threshold * (1 + 1e-9);
        if ((nu.X * nu.X > bound * s.M00 && s.M00 > 0)
            || (nu.Y * nu.Y > bound * s.M11 && s.M11 > 0)
            || (nu.Z * nu.Z > bound * s.M22 && s.M22 > 0))
        {
            return;
        }

        if (!SmallSpd.TryInvert(s, 3, out var sInv, out var logDet))
        {
            return;
        }

        var d2 = SmallSpd.QuadraticForm(sInv, nu, 3);
        if (d2 <= threshold)
        {
            _problem.Add(new GatedPair(t, point.Detection, d2, -0.5 * (d2 + logDet + (3 * UpdateResult.Log2Pi))));
        }
    }

    private void UpdateQuality(Track track) =>
        track.Quality = TrackQuality.FromPositionCovariance(track.PositionCovariance, track.Position, Options.Frame == TrackFrame.Ecef);

    /// <summary>The spare object of slot <see cref="_trackCount"/> (the caller fills it, then increments the count).</summary>
    private Track Rent()
    {
        if (_trackCount == _allocated)
        {
            GrowPool(Math.Max(16, _trackCount / 4));
        }

        return _tracks[_trackCount];
    }

    /// <summary>Allocates <paramref name="count"/> spare track objects in one batch, so consecutive slots are adjacent in memory.</summary>
    private void GrowPool(int count)
    {
        if (_allocated + count > _tracks.Length)
        {
            var size = Math.Max(_allocated + count, _tracks.Length * 2);
            Array.Resize(ref _tracks, size);
            Array.Resize(ref _radius, size);
            Array.Resize(ref _trackPosition, size);
            Array.Resize(ref _trackPositionCovariance, size);
        }

        var initial = GaussianState.FromPositionVelocity(Vec3.Zero, Vec3.Zero, 1, 1);
        for (var i = 0; i < count; i++)
        {
            var track = new Track();
            _estimator.Initialise(track, initial); // creates the per-track filter buffers (e.g. IMM)
            _tracks[_allocated++] = track;
        }
    }

    private void EnsureFrameCapacity(int count)
    {
        if (_models.Length < count)
        {
            var size = Math.Max(2 * count, _models.Length * 2);
            _models = new DetectionMeasurementModel[size];
            _measurements = new Vec3[size];
            _modelReady = new bool[size];
            _gridSlot = new int[size];
            _gatePoints = new GatePoint[size];
            _tags = new DetectionTag[size];
            _pointPosition = new Vec3[size];
            _anglesOnly = new int[size];
        }

        if (_hypotheses.Length < count)
        {
            _hypotheses = new WeightedMeasurement[Math.Max(2 * count, _hypotheses.Length * 2)];
        }

        if (_radius.Length < _tracks.Length)
        {
            _radius = new double[_tracks.Length];
                _trackPosition = new Vec3[_tracks.Length];
            _trackPositionCovariance = new Mat3[_tracks.Length];
        }
    }

    /// <summary>
    /// What gating and a position update need of one position-bearing detection, indexed by its
    /// grid point: the measurement z (as the measurement model takes it), R in the track frame, the
    /// detection's index in the frame and its kind. 104 bytes instead of the measurement model's
    /// ~350, so the random accesses of the gate and update passes touch two cache lines per detection.
    /// </summary>
    private readonly record struct GatePoint(Vec3 Measurement, Mat3 Noise, int Detection, MeasurementKind Kind)
    {
        /// <summary>True when the detection's model is a position model (H = [I 0]).</summary>
        public bool IsPosition => DetectionMeasurementModel.IsPositionKindOf(Kind);
    }

    /// <summary>The fields of a detection that track management copies on a hit.</summary>
    private readonly record struct DetectionTag(Nation Nation, uint Identity);

    private struct Pending(Detection detection, int sensor, long arrival)
    {
        public Detection Detection = detection;
        public int Sensor = sensor;
        public long Arrival = arrival;
    }
}

