using Kizuna.Core;
using Kizuna.Core.Picture;

namespace Kizuna.Defence.Weapons;

/// <summary>The layer a weapon belongs to in a layered defence.</summary>
public enum WeaponClass : byte
{
    /// <summary>Upper tier, exo-atmospheric (mid-course) ballistic-missile interceptor.</summary>
    UpperTierExo = 0,

    /// <summary>Lower tier, endo-atmospheric (terminal) interceptor.</summary>
    LowerTierEndo = 1,

    /// <summary>Ship-launched area-defence interceptor.</summary>
    ShipAreaDefence = 2,

    /// <summary>Short-range air defence.</summary>
    ShortRange = 3,
}

/// <summary>
/// A notional interceptor type: engagement envelope, average flyout speed, single-shot kill
/// probability per target kind, reaction and reload times. All figures are notional (see
/// docs/defence.md "Weapons"); none describes a real system.
/// </summary>
/// <remarks>
/// Envelope test for an intercept point p (ECEF) from a launcher at b: slant range
/// r = |p − b| ∈ [<see cref="MinRange"/>, <see cref="MaxRange"/>] and geodetic height of p in
/// [<see cref="MinInterceptAltitude"/>, <see cref="MaxInterceptAltitude"/>]. Flyout time is the
/// kinematic straight-line model t_f = r / v̄ with v̄ = <see cref="FlyoutSpeed"/> (average speed,
/// boost and fly-out profile folded in), as in the textbook fire-control timeline: launch delay
/// + flight time to intercept (research/c2-anchors.md §3.1, SLS timeline).
/// </remarks>
public sealed class WeaponType
{
    private readonly double[] _pk;

    private WeaponType(
        string name, WeaponClass weaponClass, Length minRange, Length maxRange, Length minAlt, Length maxAlt,
        Speed flyoutSpeed, TimeSpan reactionTime, TimeSpan reloadTime, Length divertRadius, double[] pk)
    {
        Name = name;
        Class = weaponClass;
        MinRange = minRange;
        MaxRange = maxRange;
        MinInterceptAltitude = minAlt;
        MaxInterceptAltitude = maxAlt;
        FlyoutSpeed = flyoutSpeed;
        ReactionTime = reactionTime;
        ReloadTime = reloadTime;
        DivertRadius = divertRadius;
        _pk = pk;
    }

    /// <summary>Type name (notional).</summary>
    public string Name { get; }

    /// <summary>Defence layer.</summary>
    public WeaponClass Class { get; }

    /// <summary>Minimum slant range to the intercept point.</summary>
    public Length MinRange { get; }

    /// <summary>Maximum slant range to the intercept point.</summary>
    public Length MaxRange { get; }

    /// <summary>Lowest geodetic height of the intercept point.</summary>
    public Length MinInterceptAltitude { get; }

    /// <summary>Highest geodetic height of the intercept point.</summary>
    public Length MaxInterceptAltitude { get; }

    /// <summary>Average interceptor speed from launch to intercept.</summary>
    public Speed FlyoutSpeed { get; }

    /// <summary>Time from fire decision to launch (fire-control solution, launch delay).</summary>
    public TimeSpan ReactionTime { get; }

    /// <summary>Minimum time between two launches from one battery.</summary>
    public TimeSpan ReloadTime { get; }

    /// <summary>
    /// Largest miss between the predicted intercept point and the target's true position that the
    /// interceptor's seeker and divert can still absorb; beyond it the shot misses whatever Pk says.
    /// </summary>
    public Length DivertRadius { get; }

    /// <summary>Single-shot kill probability against a target of <paramref name="kind"/> (0 when not engageable).</summary>
    public double KillProbability(TrackKind kind)
    {
        var k = (int)kind;
        return (uint)k < (uint)_pk.Length ? _pk[k] : 0.0;
    }

    /// <summary>Creates a weapon type; throws <see cref="ArgumentException"/> on an inconsistent envelope or a Pk outside [0, 1].</summary>
    public static WeaponType Create(
        string name,
        WeaponClass weaponClass,
        Length minRange,
        Length maxRange,
        Length minInterceptAltitude,
        Length maxInterceptAltitude,
        Speed flyoutSpeed,
        TimeSpan reactionTime,
        TimeSpan reloadTime,
        Length divertRadius,
        IReadOnlyDictionary<TrackKind, double> killProbability)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (minRange.Metres < 0 || maxRange.Metres <= minRange.Metres)
        {
            throw new ArgumentException($"{name}: range envelope [{minRange.Metres}, {maxRange.Metres}] m is empty.", nameof(maxRange));
        }

        if (maxInterceptAltitude.Metres <= minInterceptAltitude.Metres)
        {
            throw new ArgumentException($"{name}: altitude envelope is empty.", nameof(maxInterceptAltitude));
        }

        if (!(flyoutSpeed.MetresPerSecond > 0))
        {
            throw new ArgumentException($"{name}: flyout speed must be positive.", nameof(flyoutSpeed));
        }

        var pk = new double[Enum.GetValues<TrackKind>().Length];
        foreach (var (kind, p) in killProbability)
        {
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentException($"{name}: Pk {p} for {kind} is outside [0, 1].", nameof(killProbability));
            }

            pk[(int)kind] = p;
        }

        return new WeaponType(name, weaponClass, minRange, maxRange, minInterceptAltitude, maxInterceptAltitude,
            flyoutSpeed, reactionTime, reloadTime, divertRadius, pk);
    }

    public override string ToString() => Name;
}
