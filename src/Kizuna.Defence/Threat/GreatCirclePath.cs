using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Defence.ThreatEvaluation;

/// <summary>
/// Constant-speed, constant-height great-circle extrapolation of an air-breathing threat from its
/// current position towards a point (the threatened asset): position at t is
/// <see cref="Spherical.Destination"/>(start, θ₀, s·(t − t₀)), clamped to the end.
/// </summary>
public sealed class GreatCirclePath : IThreatPath
{
    private readonly Geodetic _from;
    private readonly double _bearing;
    private readonly double _speed;
    private readonly double _length;

    /// <summary>Path from <paramref name="from"/> at <paramref name="start"/> to <paramref name="to"/> at ground speed <paramref name="groundSpeed"/> (m/s, &gt; 0).</summary>
    public GreatCirclePath(DateTime start, Geodetic from, Geodetic to, double groundSpeed)
    {
        if (!(groundSpeed > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(groundSpeed), groundSpeed, "Ground speed must be positive.");
        }

        Start = start;
        _from = from;
        _bearing = Spherical.Bearing(from, to);
        _speed = groundSpeed;
        _length = Spherical.Distance(from, to);
        End = start.AddSeconds(_length / groundSpeed);
    }

    /// <inheritdoc/>
    public DateTime Start { get; }

    /// <inheritdoc/>
    public DateTime End { get; }

    /// <inheritdoc/>
    public Vec3 PositionEcefAt(DateTime time)
    {
        var d = Math.Clamp((time - Start).TotalSeconds * _speed, 0, _length);
        return Wgs84.GeodeticToEcef(Spherical.Destination(_from, _bearing, d));
    }
}
