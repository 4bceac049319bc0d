using Kizuna.Core;

namespace Kizuna.Simulation.Motion;

/// <summary>An object fixed in the Earth-fixed frame (ground site, geostationary satellite): zero ECEF velocity, exists at all times.</summary>
internal sealed class EarthFixedTrajectory(Vec3 positionEcef) : ITrajectory
{
    private readonly KinematicState _state = new(positionEcef, Vec3.Zero);

    public double StartTime => double.NegativeInfinity;

    public double EndTime => double.PositiveInfinity;

    public bool TryGetState(double t, out KinematicState state)
    {
        if (double.IsNaN(t))
        {
            state = default;
            return false;
        }

        state = _state;
        return true;
    }
}
