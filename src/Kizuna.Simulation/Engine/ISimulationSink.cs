using Kizuna.Core;
using Kizuna.Simulation.Motion;

namespace Kizuna.Simulation.Engine;

/// <summary>The true state of one object at one sample time.</summary>
/// <param name="Time">Seconds since the epoch.</param>
/// <param name="Object">The object.</param>
/// <param name="State">Its ECEF state.</param>
public readonly record struct TruthRecord(double Time, SimObject Object, KinematicState State);

/// <summary>Kind of an exercise event.</summary>
public enum SimulationEventKind
{
    /// <summary>A sensor stopped reporting (inject).</summary>
    SensorOutageStart,

    /// <summary>A sensor resumed reporting.</summary>
    SensorOutageEnd,

    /// <summary>A scripted raid started (inject).</summary>
    RaidStart,

    /// <summary>A threat was launched.</summary>
    Launch,

    /// <summary>A Red object was destroyed (intercepted).</summary>
    Destroyed,
}

/// <summary>Something that happened in the exercise at a time.</summary>
/// <param name="Time">Seconds since the epoch.</param>
/// <param name="Kind">What.</param>
/// <param name="Subject">Sensor, raid or object name.</param>
public sealed record SimulationEvent(double Time, SimulationEventKind Kind, string Subject);

/// <summary>
/// Receives the exercise engine's streams, in time order: truth samples every truth interval,
/// detections in the order they are delivered (measurement time plus the sensor's latency),
/// and events. Called on the engine's thread.
/// </summary>
public interface ISimulationSink
{
    /// <summary>All objects alive at <paramref name="time"/> (s since the epoch).</summary>
    void OnTruth(double time, ReadOnlySpan<TruthRecord> truth);

    /// <summary>
    /// The detections delivered in (previous call's time, <paramref name="time"/>], ordered by
    /// delivery time. The span is only valid during the call.
    /// </summary>
    void OnDetections(double time, ReadOnlySpan<Detection> detections);

    /// <summary>An exercise event (inject, launch).</summary>
    void OnEvent(SimulationEvent simulationEvent);
}
