using Kizuna.Tracking.Association;
using Kizuna.Tracking.Deleters;
using Kizuna.Tracking.Initiators;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.MultipleModel;

namespace Kizuna.Tracking.Trackers;

/// <summary>The per-track filter of a configured tracker.</summary>
public enum FilterKind
{
    /// <summary>One nearly-constant-velocity Kalman/EKF filter.</summary>
    Ncv,

    /// <summary>
    /// An IMM: NCV (low noise), NCV (high noise), coordinated turn, and — in the ECEF frame — a
    /// ballistic (gravity, J2, Earth rotation) model for missiles after burnout.
    /// </summary>
    Imm,
}

/// <summary>The data associator of a configured tracker.</summary>
public enum AssociatorKind
{
    /// <summary>Global nearest neighbour (optimal 2-D assignment per cluster).</summary>
    Gnn,

    /// <summary>Joint probabilistic data association (exact for small clusters, bounded otherwise).</summary>
    Jpda,
}

/// <summary>
/// A complete, serialisable tracker configuration (the <c>--config tracker.yaml</c> of
/// <c>kizuna track</c>, documented in docs/tracking.md), and the factory that composes the roles.
/// </summary>
public sealed record TrackerSettings
{
    /// <summary>Track frame: ECEF for geodetic sensors, flat for plain Cartesian files.</summary>
    public TrackFrame Frame { get; init; } = TrackFrame.Ecef;

    /// <summary>Per-track filter.</summary>
    public FilterKind Filter { get; init; } = FilterKind.Ncv;

    /// <summary>Associator.</summary>
    public AssociatorKind Associator { get; init; } = AssociatorKind.Gnn;

    /// <summary>NCV process noise spectral density q (m²/s³).</summary>
    public double ProcessNoise { get; init; } = 20.0;

    /// <summary>
    /// NCV only: process noise for fast tracks (m²/s³), e.g. ballistic missiles after burnout; 0
    /// disables the speed schedule (one density for every track).
    /// </summary>
    public double FastProcessNoise { get; init; } = 1000;

    /// <summary>NCV only: speed from which <see cref="FastProcessNoise"/> applies (m/s).</summary>
    public double FastSpeedThreshold { get; init; } = 600;

    /// <summary>
    /// NCV only: q (m²/s³) of the boost hypothesis that fast tracks' range-rate plots are also evaluated under
    /// (<see cref="SpeedScheduledEstimator"/>, "Boost hypothesis": a boosting missile's acceleration, up to ≈ 100 m/s²,
    /// against a 3 m/s range rate); 0 disables it.
    /// </summary>
    public double BoostProcessNoise { get; init; } = 10_000;

    /// <summary>
    /// ECEF only (NCV and IMM): confirmed tracks slower than this horizontally (m/s) and at the sea surface are
    /// surface tracks, held at the surface (<see cref="SurfaceTrackModel"/>); 0 disables the surface treatment.
    /// </summary>
    public double SurfaceSpeedThreshold { get; init; } = 20;

    /// <summary>NCV, ECEF only: process noise of surface tracks (m²/s³); the IMM keeps its models' own.</summary>
    public double SurfaceProcessNoise { get; init; } = 0.5;

    /// <summary>ECEF only (NCV and IMM): σ of the surface height pseudo-measurement (m).</summary>
    public double SurfaceHeightStd { get; init; } = 50;

    /// <summary>ECEF only: prior probability of the surface hypothesis when a track becomes a surface candidate (<see cref="SurfaceTrackModel.SurfacePrior"/>), in (0, 1).</summary>
    public double SurfacePrior { get; init; } = 0.9;

    /// <summary>ECEF only: per-prediction probability that a candidate switches between surface and air (<see cref="SurfaceTrackModel.SwitchProbability"/>), in (0, 0.5).</summary>
    public double SurfaceSwitchProbability { get; init; } = 1e-4;

    /// <summary>ECEF only: probability at which the hold is released or re-applied (<see cref="SurfaceTrackModel.DecisionProbability"/>), in (0.5, 1).</summary>
    public double SurfaceDecisionProbability { get; init; } = 0.99;

    /// <summary>ECEF only: σ of the surface hypothesis' vertical-velocity pseudo-measurement (m/s, <see cref="SurfaceTrackModel.VerticalSpeedStd"/>).</summary>
    public double SurfaceVerticalSpeedStd { get; init; } = 1;

    /// <summary>IMM manoeuvre model process noise (m²/s³).</summary>
    public double ManoeuvreNoise { get; init; } = 100.0;

    /// <summary>Velocity prior σ of a new track (m/s).</summary>
    public double VelocityStd { get; init; } = 300;

    /// <summary>Detection probability used in association.</summary>
    public double DetectionProbability { get; init; } = 0.9;

    /// <summary>Gate probability (sets the χ² gate).</summary>
    public double GateProbability { get; init; } = 0.999;

    /// <summary>False-alarm spatial density λ (per m³ in 3-D, per m² in the flat 2-D studies).</summary>
    public double ClutterDensity { get; init; } = 1e-12;

    /// <summary>Track management: frames (one sensor) or time (several sensors).</summary>
    public TrackManagement Management { get; init; } = TrackManagement.Time;

    /// <summary>Frame-based M-of-N confirmation: hits.</summary>
    public int ConfirmM { get; init; } = 3;

    /// <summary>Frame-based M-of-N confirmation: window.</summary>
    public int ConfirmN { get; init; } = 4;

    /// <summary>Frame-based deletion after this many consecutive misses of a confirmed track.</summary>
    public int DeleteAfterMisses { get; init; } = 3;

    /// <summary>Time-based confirmation: hits.</summary>
    public int ConfirmHits { get; init; } = 3;

    /// <summary>Time-based confirmation window from creation (s).</summary>
    public double ConfirmWithinSeconds { get; init; } = 30;

    /// <summary>Time-based deletion of silent tentative tracks (s).</summary>
    public double TentativeTimeoutSeconds { get; init; } = 20;

    /// <summary>Time-based deletion of silent confirmed tracks (s).</summary>
    public double ConfirmedTimeoutSeconds { get; init; } = 30;

    /// <summary>Delete a track whose RMS position error exceeds this (m).</summary>
    public double MaxPositionStd { get; init; } = 50_000;

    /// <summary>Out-of-sequence lag (s).</summary>
    public double OutOfSequenceLagSeconds { get; init; }

    /// <summary>
    /// Out-of-sequence age (s): a detection older than the last processed frame by up to this much
    /// updates the confirmed track it associates with by retrodiction (<see cref="TrackerOptions.MaxOutOfSequenceAge"/>),
    /// with every filter: NCV (Bl1; speed-scheduled: with the density the schedule picks) and IMM (per-mode Bl1, mode
    /// probabilities reweighted by the plot's likelihoods; <see cref="ImmTrackEstimator"/> implements it itself);
    /// 0 rejects every such detection.
    /// </summary>
    public double MaxOutOfSequenceAgeSeconds { get; init; }

    /// <summary>Frame window (s): detections of one sensor within it are associated together.</summary>
    public double FrameWindowSeconds { get; init; }

    /// <summary>Predict only tracks that can reach each frame (needs time-based management).</summary>
    public bool LazyPrediction { get; init; } = true;

    /// <summary>Pre-allocated track objects.</summary>
    public int TrackCapacity { get; init; } = 1024;

    /// <summary>The tracker options these settings imply.</summary>
    public TrackerOptions ToOptions() => new()
    {
        Frame = Frame,
        Association = new AssociationParameters(DetectionProbability, GateProbability, ClutterDensity),
        Confirmation = new MOfNConfirmation(ConfirmM, ConfirmN),
        OutOfSequenceLag = TimeSpan.FromSeconds(OutOfSequenceLagSeconds),
        MaxOutOfSequenceAge = TimeSpan.FromSeconds(MaxOutOfSequenceAgeSeconds),
        FrameWindow = TimeSpan.FromSeconds(FrameWindowSeconds),
        TrackCapacity = TrackCapacity,
        Management = Management,
        TimeManagement = new TimeManagementOptions(ConfirmHits, TimeSpan.FromSeconds(ConfirmWithinSeconds),
            TimeSpan.FromSeconds(TentativeTimeoutSeconds), TimeSpan.FromSeconds(ConfirmedTimeoutSeconds)),
        LazyPrediction = LazyPrediction && Management == TrackManagement.Time,
    };

    /// <summary>The surface treatment these settings configure (ECEF with a positive <see cref="SurfaceSpeedThreshold"/>), else null. Not validated here: see <see cref="SurfaceTrackModel.Validate"/>.</summary>
    public SurfaceTrackModel? SurfaceModel() => Frame == TrackFrame.Ecef && SurfaceSpeedThreshold > 0
        ? new SurfaceTrackModel(SurfaceSpeedThreshold, SurfaceProcessNoise, SurfaceHeightStd,
            SurfacePrior: SurfacePrior, SwitchProbability: SurfaceSwitchProbability,
            DecisionProbability: SurfaceDecisionProbability, VerticalSpeedStd: SurfaceVerticalSpeedStd)
        : null;

    /// <summary>Composes the tracker (throws <see cref="ArgumentException"/> for out-of-range settings).</summary>
    public MultiTargetTracker Build()
    {
        RequireDensity(ProcessNoise, "process_noise");
        RequireDensity(FastProcessNoise, "fast_process_noise");
        RequireDensity(BoostProcessNoise, "boost_process_noise");
        var options = ToOptions();
        var surface = SurfaceModel();
        ITrackEstimator estimator = Filter switch
        {
            FilterKind.Ncv when FastProcessNoise > 0 || surface is not null =>
                new SpeedScheduledEstimator(ProcessNoise, FastProcessNoise > 0 ? FastProcessNoise : ProcessNoise, FastSpeedThreshold, surface,
                    FastProcessNoise > 0 ? BoostProcessNoise : 0),
            FilterKind.Ncv => new KalmanTrackEstimator<NearlyConstantVelocity>(new NearlyConstantVelocity(ProcessNoise)),
            FilterKind.Imm => ImmEstimator(surface),
            _ => throw new ArgumentOutOfRangeException(nameof(Filter)),
        };
        IDataAssociator associator = Associator switch
        {
            AssociatorKind.Gnn => new GlobalNearestNeighbourAssociator(options.Association),
            AssociatorKind.Jpda => new JointProbabilisticDataAssociator(options.Association),
            _ => throw new ArgumentOutOfRangeException(nameof(Associator)),
        };
        ITrackDeleter deleter = Management == TrackManagement.Frames
            ? new AnyDeleter(new MissedUpdateDeleter(DeleteAfterMisses, 2), new CovarianceDeleter(MaxPositionStd))
            : new CovarianceDeleter(MaxPositionStd);
        var tracker = new MultiTargetTracker(options, estimator, associator, new SinglePointInitiator(VelocityStd), deleter);
        if (estimator is SpeedScheduledEstimator scheduled)
        {
            tracker.UseOutOfSequenceUpdate(new SpeedScheduledOutOfSequence(ProcessNoise, FastProcessNoise > 0 ? FastProcessNoise : ProcessNoise, scheduled.SpeedThreshold, scheduled.Surface));
        }

        return tracker;
    }

    /// <summary>A process-noise density must be finite and ≥ 0 (0 switches the fast and boost levels off).</summary>
    private static void RequireDensity(double value, string key)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(key, value, $"{key} (a process-noise density q, m²/s³) must be finite and ≥ 0.");
        }
    }

    private ImmTrackEstimator ImmEstimator(SurfaceTrackModel? surface)
    {
        if (Frame == TrackFrame.Flat)
        {
            var flat = new InteractingMultipleModel(
                [new NearlyConstantVelocity(ProcessNoise), new NearlyConstantVelocity(ManoeuvreNoise), CoordinatedTurn.Flat(ProcessNoise, 1e-4)],
                new double[,] { { 0.9, 0.05, 0.05 }, { 0.05, 0.9, 0.05 }, { 0.05, 0.05, 0.9 } });
            return new ImmTrackEstimator(flat, [0.8, 0.1, 0.1]);
        }

        var ecef = new InteractingMultipleModel(
            [new NearlyConstantVelocity(ProcessNoise), new NearlyConstantVelocity(ManoeuvreNoise), CoordinatedTurn.Ecef(ProcessNoise, 1e-4), Ballistic.Wgs84Ecef(ProcessNoise)],
            new double[,]
            {
                { 0.90, 0.04, 0.04, 0.02 },
                { 0.04, 0.90, 0.04, 0.02 },
                { 0.04, 0.04, 0.90, 0.02 },
                { 0.02, 0.02, 0.02, 0.94 },
            });
        return new ImmTrackEstimator(ecef, [0.7, 0.1, 0.1, 0.1], surface: surface);
    }
}
