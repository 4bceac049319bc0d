using Kizuna.Core;
using Kizuna.Simulation.Motion;

namespace Kizuna.Simulation.Sensors;

/// <summary>
/// Everything a sensor needs to produce one scan: the clock origin, the objects that exist, and
/// its own deterministic random stream.
/// </summary>
/// <param name="Epoch">UTC time of scenario t = 0.</param>
/// <param name="Objects">All simulated objects (the sensor filters by kind, range and visibility).</param>
/// <param name="Random">The sensor's own random stream (seeded from the scenario seed and the sensor index).</param>
public sealed record ScanContext(DateTime Epoch, IReadOnlyList<SimObject> Objects, Random Random);

/// <summary>
/// A simulated sensor. The engine calls <see cref="Scan"/> at every <see cref="RevisitPeriod"/>;
/// the sensor appends the detections of that scan (true and false) to the output list.
/// Detection times may lie anywhere in [scanStart, scanStart + revisit) — a rotating radar
/// sees each azimuth at its own time.
/// </summary>
public interface ISensorModel
{
    /// <summary>Sensor identifier from the scenario.</summary>
    string Id { get; }

    /// <summary>Owning nation.</summary>
    Nation Nation { get; }

    /// <summary>Revisit period (s): time between scan starts.</summary>
    double RevisitPeriod { get; }

    /// <summary>Produces the detections of the scan that starts at <paramref name="scanStart"/> (s since epoch).</summary>
    void Scan(double scanStart, ScanContext context, List<Detection> output);
}
