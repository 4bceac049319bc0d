using System.Threading.Channels;
using Kizuna.Core;
using Kizuna.Simulation.Engine;

namespace Kizuna.Cli.Distributed;

/// <summary>One truth object's position at a cycle (for labelling picture tracks in tests and figures).</summary>
/// <param name="Id">Truth id.</param>
/// <param name="Ecef">Position, ECEF (m).</param>
internal readonly record struct TruthPoint(int Id, Vec3 Ecef);

/// <summary>What the exercise engine delivered for one cycle of one nation's node.</summary>
/// <param name="SimTime">Cycle time, seconds since the scenario epoch.</param>
/// <param name="Own">The nation's own detections delivered since the previous cycle.</param>
/// <param name="Truth">Truth at the cycle time.</param>
internal sealed record CycleInput(double SimTime, Detection[] Own, TruthPoint[] Truth);

/// <summary>
/// The exercise-engine sink of a node process: keeps the nation's own detections and cuts them
/// into cycles exactly as the embedded coalition run does (a cycle at each new engine time, holding
/// what was delivered before it), handing each cycle to the node loop through a small bounded
/// channel (the engine waits when the node is behind).
/// </summary>
internal sealed class EngineFeed(Nation nation, ChannelWriter<CycleInput> output) : ISimulationSink
{
    private readonly List<Detection> _own = [];
    private TruthPoint[] _truth = [];
    private double _last = double.NegativeInfinity;

    public void OnTruth(double time, ReadOnlySpan<TruthRecord> truth)
    {
        var t = new TruthPoint[truth.Length];
        for (var i = 0; i < truth.Length; i++)
        {
            t[i] = new TruthPoint(truth[i].Object.Id, truth[i].State.PositionEcef);
        }

        _truth = t;
        if (time > _last)
        {
            Cut(time);
        }
    }

    public void OnDetections(double time, ReadOnlySpan<Detection> detections)
    {
        if (time > _last)
        {
            Cut(time);
        }

        foreach (ref readonly var d in detections)
        {
            if (d.Nation == nation)
            {
                _own.Add(d);
            }
        }
    }

    public void OnEvent(SimulationEvent simulationEvent)
    {
    }

    private void Cut(double time)
    {
        _last = time;
        var input = new CycleInput(time, [.. _own], _truth);
        _own.Clear();
        if (!output.TryWrite(input))
        {
            output.WriteAsync(input).AsTask().GetAwaiter().GetResult();
        }
    }
}
