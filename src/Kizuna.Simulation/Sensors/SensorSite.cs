using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Simulation.Motion;

namespace Kizuna.Simulation.Sensors;

/// <summary>
/// Where a sensor's antenna is at a time: the host platform's position raised by the antenna
/// height along the local vertical, with the ENU frame at that point. Caches the last frame so a
/// fixed host (ground site, geostationary satellite) pays the geodetic conversion once.
/// Not thread-safe: one instance per sensor, used by that sensor's scan only.
/// </summary>
internal sealed class SensorSite
{
    private readonly ITrajectory _host;
    private readonly double _antennaHeight;
    private Vec3 _lastHost;
    private EnuFrame _lastFrame;
    private bool _hasLast;

    public SensorSite(ITrajectory host, double antennaHeight)
    {
        _host = host;
        _antennaHeight = antennaHeight;
    }

    /// <summary>The host trajectory.</summary>
    public ITrajectory Host => _host;

    /// <summary>The antenna's ENU frame at <paramref name="t"/>; false when the host does not exist then.</summary>
    public bool TryGetFrame(double t, out EnuFrame frame)
    {
        if (!_host.TryGetState(t, out var state))
        {
            frame = default;
            return false;
        }

        var key = state.PositionEcef;
        if (_hasLast && key == _lastHost)
        {
            frame = _lastFrame;
            return true;
        }

        var g = Wgs84.EcefToGeodetic(state.PositionEcef);
        frame = new EnuFrame(g with { HeightM = g.HeightM + _antennaHeight });
        _lastHost = key;
        _lastFrame = frame;
        _hasLast = true;
        return true;
    }
}
