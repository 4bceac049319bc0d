using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Defence.Weapons;

/// <summary>
/// A firing unit (land battery or ship) at planning time: owner, position, weapon type, rounds
/// left and the earliest time it can start a new engagement. Immutable snapshot; the engagement
/// simulator produces updated snapshots as rounds are fired.
/// </summary>
public sealed record Battery
{
    private readonly Geodetic _position;

    /// <summary>Creates a battery snapshot.</summary>
    public Battery(string id, Nation nation, Geodetic position, WeaponType weapon, int inventory, DateTime readyTime)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(weapon);
        ArgumentOutOfRangeException.ThrowIfNegative(inventory);
        Id = id;
        Nation = nation;
        Position = position;
        Weapon = weapon;
        Inventory = inventory;
        ReadyTime = readyTime;
    }

    /// <summary>Unit identifier, unique in the coalition (e.g. "JPN-LT-1").</summary>
    public string Id { get; init; }

    /// <summary>Owning nation: the only authority that may release its rounds.</summary>
    public Nation Nation { get; init; }

    /// <summary>Launcher position (WGS-84).</summary>
    public Geodetic Position
    {
        get => _position;
        init
        {
            _position = value;
            PositionEcef = Wgs84.GeodeticToEcef(value);
        }
    }

    /// <summary>Launcher position, ECEF (m); kept consistent with <see cref="Position"/>.</summary>
    public Vec3 PositionEcef { get; private init; }

    /// <summary>Weapon type.</summary>
    public WeaponType Weapon { get; init; }

    /// <summary>Rounds ready to fire.</summary>
    public int Inventory { get; init; }

    /// <summary>UTC time from which the battery can launch again (reload).</summary>
    public DateTime ReadyTime { get; init; }

    /// <summary>Earliest launch time for a fire decision taken at <paramref name="now"/>: max(now, ready) + reaction time.</summary>
    public DateTime EarliestLaunch(DateTime now) => (now > ReadyTime ? now : ReadyTime) + Weapon.ReactionTime;
}
