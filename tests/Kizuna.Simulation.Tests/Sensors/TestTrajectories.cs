using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Simulation.Motion;

namespace Kizuna.Simulation.Tests.Sensors;

/// <summary>A point fixed in ECEF (ground site, geostationary satellite, hovering test target).</summary>
internal sealed class FixedTrajectory(Vec3 positionEcef, bool boosting = false) : ITrajectory
{
    public double StartTime => double.NegativeInfinity;

    public double EndTime => double.PositiveInfinity;

    public Vec3 PositionEcef => positionEcef;

    public static FixedTrajectory At(Geodetic g, bool boosting = false) => new(g.ToEcef(), boosting);

    public bool TryGetState(double t, out KinematicState state)
    {
        state = new KinematicState(positionEcef, Vec3.Zero, boosting);
        return true;
    }
}

/// <summary>Straight-line constant velocity in ECEF, existing on [start, end].</summary>
internal sealed class ConstantVelocityTrajectory(Vec3 p0, Vec3 velocity, double start = 0, double end = double.PositiveInfinity, bool boosting = false) : ITrajectory
{
    public double StartTime => start;

    public double EndTime => end;

    public Vec3 PositionAt(double t) => p0 + (velocity * (t - start));

    public bool TryGetState(double t, out KinematicState state)
    {
        if (t < start || t > end)
        {
            state = default;
            return false;
        }

        state = new KinematicState(PositionAt(t), velocity, boosting);
        return true;
    }
}
