using Kizuna.Core;
using Kizuna.Recording;
using Kizuna.Simulation.Engine;

namespace Kizuna.Benchmarks.Recording;

/// <summary>An exercise sink that records truth, detections and events into a <see cref="RunRecorder"/>.</summary>
internal sealed class RecordingSink(RunRecorder recorder, DateTime epoch) : ISimulationSink
{
    public long Detections { get; private set; }

    public long TruthRecords { get; private set; }

    public void OnTruth(double time, ReadOnlySpan<TruthRecord> truth)
    {
        var t = epoch.AddSeconds(time);
        foreach (ref readonly var r in truth)
        {
            recorder.RecordTruth(new TruthState(t, r.Object.Id, r.State.PositionEcef, r.State.VelocityEcef, r.Object.Icao));
        }

        TruthRecords += truth.Length;
    }

    public void OnDetections(double time, ReadOnlySpan<Detection> detections)
    {
        recorder.RecordDetections(detections);
        Detections += detections.Length;
    }

    public void OnEvent(SimulationEvent simulationEvent) =>
        recorder.RecordEvent(new RunEventRecord(epoch.AddSeconds(simulationEvent.Time), simulationEvent.Kind.ToString(), simulationEvent.Subject));
}
