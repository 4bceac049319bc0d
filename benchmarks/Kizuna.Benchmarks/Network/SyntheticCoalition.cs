using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Network.Messages;

namespace Kizuna.Benchmarks.Network;

/// <summary>
/// Synthetic moving tracks for one nation's node: <c>count</c> air tracks around the nation's
/// (notional) radar site, each flying straight and level at constant speed in the site's ENU frame.
/// Produces one <see cref="TrackReport"/> per track and one <see cref="DetectionBatch"/> (radar polar
/// plots from the site) per cycle. Deterministic for a seed.
/// </summary>
/// <remarks>
/// Motion: p(t + Δt) = p(t) + v Δt in the local ENU plane (flat-earth constant velocity; the bus
/// does not care about the dynamics, only about message count, size and content). Reports are
/// converted to ECEF with the exact WGS-84 ENU rotation (<see cref="EnuFrame"/>); plots are
/// (r, az, el) of the ENU position (<see cref="RadarPolar.FromEnu"/>).
/// </remarks>
internal sealed class SyntheticCoalition
{
    private readonly EnuFrame _frame;
    private readonly Vec3[] _positionEnu;
    private readonly Vec3[] _velocityEnu;
    private readonly Detection[] _plots;
    private readonly string _sensorId;
    private readonly Mat3 _posCov = Mat3.Diagonal(150 * 150, 150 * 150, 150 * 150);
    private readonly Mat3 _velCov = Mat3.Diagonal(20 * 20, 20 * 20, 20 * 20);
    private readonly Mat3 _plotCov = Mat3.Diagonal(50 * 50, 0.002 * 0.002, 0.002 * 0.002);

    public SyntheticCoalition(Nation nation, Geodetic site, int count, int seed, Marking marking)
    {
        Nation = nation;
        Marking = marking;
        Site = site;
        _frame = new EnuFrame(site);
        _sensorId = nation.Code + "-RADAR-1";
        _positionEnu = new Vec3[count];
        _velocityEnu = new Vec3[count];
        _plots = new Detection[count];
        var rng = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var range = 20_000 + (rng.NextDouble() * 280_000);
            var bearing = rng.NextDouble() * 2 * Math.PI;
            var heading = rng.NextDouble() * 2 * Math.PI;
            var speed = 150 + (rng.NextDouble() * 150);
            _positionEnu[i] = new Vec3(range * Math.Sin(bearing), range * Math.Cos(bearing), 3_000 + (rng.NextDouble() * 9_000));
            _velocityEnu[i] = new Vec3(speed * Math.Sin(heading), speed * Math.Cos(heading), 0);
        }
    }

    public Nation Nation { get; }

    public Marking Marking { get; }

    public Geodetic Site { get; }

    public int Count => _positionEnu.Length;

    /// <summary>Moves every track by <paramref name="dtSeconds"/>.</summary>
    public void Advance(double dtSeconds)
    {
        for (var i = 0; i < _positionEnu.Length; i++)
        {
            _positionEnu[i] += _velocityEnu[i] * dtSeconds;
        }
    }

    /// <summary>The report of track <paramref name="index"/> at <paramref name="time"/> (local track id = index + 1).</summary>
    public TrackReport Report(int index, DateTime time) => new(
        Nation,
        TrackNumber.None,
        index + 1,
        time,
        _frame.ToEcef(_positionEnu[index]),
        _frame.RotateToEcef(_velocityEnu[index]),
        _posCov,
        _velCov,
        Quality: 9,
        TrackKind.Unknown,
        Affiliation.Pending,
        Identity: 0,
        Sensors: [_sensorId],
        Marking);

    /// <summary>One radar plot per track, as a batch.</summary>
    public DetectionBatch Batch(long sequence, DateTime time)
    {
        for (var i = 0; i < _positionEnu.Length; i++)
        {
            var polar = RadarPolar.FromEnu(_positionEnu[i]);
            _plots[i] = new Detection(time, _sensorId, Nation, MeasurementKind.RangeAzimuthElevation, polar.AsVector(), _plotCov, Site, TruthId: i + 1);
        }

        return new DetectionBatch(Nation, time, sequence, ImmutableArray.Create(_plots), Marking);
    }
}
