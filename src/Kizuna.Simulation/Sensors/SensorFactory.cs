using Kizuna.Simulation.Motion;
using Kizuna.Simulation.Scenario;

namespace Kizuna.Simulation.Sensors;

/// <summary>Builds the sensor model for a <see cref="SensorDefinition"/>; the exercise engine's single entry point to sensors.</summary>
public static class SensorFactory
{
    /// <summary>Creates the model for <paramref name="definition"/>.</summary>
    /// <param name="definition">The sensor's parameters (validated here; invalid values throw <see cref="ArgumentException"/>).</param>
    /// <param name="host">The trajectory of the sensor's platform.</param>
    /// <param name="index">The sensor's position in the scenario (kept as the model's <c>Index</c>; the engine seeds the random stream).</param>
    public static ISensorModel Create(SensorDefinition definition, ITrajectory host, int index)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.Type switch
        {
            SensorType.SurfaceRadar or SensorType.AirborneRadar => new RadarModel(definition, host, index),
            SensorType.SpaceInfrared => new SpaceInfraredModel(definition, host, index),
            SensorType.AdsbReceiver => new AdsbReceiverModel(definition, host, index),
            _ => throw new ArgumentException($"Sensor '{definition.Id}': unknown sensor type {definition.Type}.", nameof(definition)),
        };
    }
}
