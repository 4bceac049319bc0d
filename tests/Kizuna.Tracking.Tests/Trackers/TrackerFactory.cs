using Kizuna.Tracking.Association;
using Kizuna.Tracking.Deleters;
using Kizuna.Tracking.Initiators;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.MultipleModel;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Tracking.Tests.Trackers;

/// <summary>Tracker configurations used by the tracker and accuracy tests.</summary>
internal static class TrackerFactory
{
    public static TrackerOptions TutorialOptions(double clutterDensity, TimeSpan lag = default) => new()
    {
        Frame = TrackFrame.Flat,
        Association = new AssociationParameters(0.9, 0.99, clutterDensity),
        Confirmation = MOfNConfirmation.ThreeOfFour,
        OutOfSequenceLag = lag,
        TrackCapacity = 256,
    };

    public static MultiTargetTracker NcvGnn(TrackerOptions options) =>
        MultiTargetTracker.CreateNearlyConstantVelocityGnn(options, processNoise: 0.05, velocityStd: 2, confirmedMisses: 3, maxPositionStd: 50);

    public static MultiTargetTracker NcvJpda(TrackerOptions options) => new(
        options,
        new KalmanTrackEstimator<NearlyConstantVelocity>(new NearlyConstantVelocity(0.05)),
        new JointProbabilisticDataAssociator(options.Association),
        new SinglePointInitiator(2),
        new AnyDeleter(new MissedUpdateDeleter(3, 2), new CovarianceDeleter(50)));

    /// <summary>3-model IMM: NCV (low noise), NCV (high noise), coordinated turn (flat).</summary>
    public static InteractingMultipleModel ThreeModelImm() => new(
        [new NearlyConstantVelocity(0.05), new NearlyConstantVelocity(5), CoordinatedTurn.Flat(0.05, 1e-4)],
        new double[,] { { 0.9, 0.05, 0.05 }, { 0.05, 0.9, 0.05 }, { 0.05, 0.05, 0.9 } });

    public static MultiTargetTracker ImmGnn(TrackerOptions options) => new(
        options,
        new ImmTrackEstimator(ThreeModelImm(), [0.8, 0.1, 0.1]),
        new GlobalNearestNeighbourAssociator(options.Association),
        new SinglePointInitiator(2),
        new AnyDeleter(new MissedUpdateDeleter(3, 2), new CovarianceDeleter(50)));

    public static MultiTargetTracker ImmJpda(TrackerOptions options) => new(
        options,
        new ImmTrackEstimator(ThreeModelImm(), [0.8, 0.1, 0.1]),
        new JointProbabilisticDataAssociator(options.Association),
        new SinglePointInitiator(2),
        new AnyDeleter(new MissedUpdateDeleter(3, 2), new CovarianceDeleter(50)));

    public static MultiTargetTracker Create(string name, TrackerOptions options) => name switch
    {
        "NCV+GNN" => NcvGnn(options),
        "NCV+JPDA" => NcvJpda(options),
        "IMM+GNN" => ImmGnn(options),
        "IMM+JPDA" => ImmJpda(options),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
