using Kizuna.Core;
using Kizuna.Core.Picture;

namespace Kizuna.Defence.Weapons;

/// <summary>
/// The notional weapon catalogue: one type per defence layer. Every number is notional, chosen
/// only to give a plausible layered geometry (exo-atmospheric mid-course above ~100 km, terminal
/// endo-atmospheric below ~30 km); the table is in docs/defence.md "Weapons".
/// </summary>
public static class WeaponCatalogue
{
    /// <summary>Notional upper-tier exo-atmospheric interceptor (ballistic targets only).</summary>
    public static WeaponType UpperTier { get; } = WeaponType.Create(
        "Notional upper tier (exo)", WeaponClass.UpperTierExo,
        Length.FromKilometres(100), Length.FromKilometres(1200),
        Length.FromKilometres(100), Length.FromKilometres(600),
        Speed.FromMetresPerSecond(3000), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), Length.FromKilometres(5),
        new Dictionary<TrackKind, double> { [TrackKind.BallisticMissile] = 0.70 });

    /// <summary>Notional lower-tier endo-atmospheric (terminal) interceptor.</summary>
    public static WeaponType LowerTier { get; } = WeaponType.Create(
        "Notional lower tier (endo)", WeaponClass.LowerTierEndo,
        Length.FromKilometres(3), Length.FromKilometres(60),
        Length.FromKilometres(0.05), Length.FromKilometres(30),
        Speed.FromMetresPerSecond(1200), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), Length.FromKilometres(1),
        new Dictionary<TrackKind, double>
        {
            [TrackKind.BallisticMissile] = 0.60,
            [TrackKind.CruiseMissile] = 0.70,
            [TrackKind.Aircraft] = 0.80,
            [TrackKind.Unknown] = 0.50,
        });

    /// <summary>Notional ship-launched area-defence interceptor.</summary>
    public static WeaponType ShipAreaDefence { get; } = WeaponType.Create(
        "Notional ship area defence", WeaponClass.ShipAreaDefence,
        Length.FromKilometres(4), Length.FromKilometres(200),
        Length.FromKilometres(0.01), Length.FromKilometres(30),
        Speed.FromMetresPerSecond(1000), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(3), Length.FromKilometres(1),
        new Dictionary<TrackKind, double>
        {
            [TrackKind.BallisticMissile] = 0.40,
            [TrackKind.CruiseMissile] = 0.70,
            [TrackKind.Aircraft] = 0.80,
            [TrackKind.Unknown] = 0.50,
        });

    /// <summary>Notional short-range air defence (no ballistic capability).</summary>
    public static WeaponType ShortRange { get; } = WeaponType.Create(
        "Notional short range", WeaponClass.ShortRange,
        Length.FromKilometres(0.5), Length.FromKilometres(15),
        Length.FromKilometres(0.005), Length.FromKilometres(6),
        Speed.FromMetresPerSecond(700), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), Length.FromKilometres(0.3),
        new Dictionary<TrackKind, double>
        {
            [TrackKind.CruiseMissile] = 0.60,
            [TrackKind.Aircraft] = 0.70,
            [TrackKind.Unknown] = 0.40,
        });

    /// <summary>All catalogue types, upper tier first.</summary>
    public static IReadOnlyList<WeaponType> All { get; } = [UpperTier, LowerTier, ShipAreaDefence, ShortRange];

    /// <summary>The catalogue type of a class.</summary>
    public static WeaponType For(WeaponClass weaponClass) => weaponClass switch
    {
        WeaponClass.UpperTierExo => UpperTier,
        WeaponClass.LowerTierEndo => LowerTier,
        WeaponClass.ShipAreaDefence => ShipAreaDefence,
        WeaponClass.ShortRange => ShortRange,
        _ => throw new ArgumentOutOfRangeException(nameof(weaponClass), weaponClass, "Unknown weapon class."),
    };
}
