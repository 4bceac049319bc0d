using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Defence.Tests.Weapons;

/// <summary>Test path: a straight line in a local ENU frame, flown at constant velocity between two times.</summary>
internal sealed class LinePath : IThreatPath
{
    private readonly EnuFrame _frame;
    private readonly Vec3 _fromEnu;
    private readonly Vec3 _toEnu;

    public LinePath(EnuFrame frame, Vec3 fromEnu, Vec3 toEnu, DateTime start, DateTime end)
    {
        _frame = frame;
        _fromEnu = fromEnu;
        _toEnu = toEnu;
        Start = start;
        End = end;
    }

    public DateTime Start { get; }

    public DateTime End { get; }

    public Vec3 EnuAt(DateTime time)
    {
        var f = (time - Start).TotalSeconds / (End - Start).TotalSeconds;
        return _fromEnu + ((_toEnu - _fromEnu) * f);
    }

    public Vec3 PositionEcefAt(DateTime time) => _frame.ToEcef(EnuAt(time));
}

internal static class Geometry
{
    public static readonly DateTime T0 = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Defended asset / battery site used by the tests (Tokyo area, notional).</summary>
    public static readonly Geodetic Site = Geodetic.FromDegrees(35.68, 139.77, 0);

    public static readonly EnuFrame Frame = new(Site);

    /// <summary>
    /// Ballistic-like descent: from 600 km east at 300 km height straight onto the site in 300 s
    /// (≈ 2.24 km/s). Upper tier can intercept from ≈ 145 s (altitude ≥ 100 km until ≈ 200 s), lower
    /// tier at the site from ≈ 273 s (r ≤ 60 km) to ≈ 298.6 s (r ≥ 3 km).
    /// </summary>
    public static LinePath BallisticDescent(DateTime start) =>
        new(Frame, new Vec3(600_000, 0, 300_000), Vec3.Zero, start, start.AddSeconds(300));
}
