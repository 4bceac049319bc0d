namespace Kizuna.Core.Picture;

/// <summary>What kind of object a track is believed to be (from kinematics or cooperative identity).</summary>
public enum TrackKind : byte
{
    /// <summary>Not yet classified.</summary>
    Unknown = 0,

    /// <summary>Aircraft (manned or unmanned).</summary>
    Aircraft = 1,

    /// <summary>Civil aircraft identified by ADS-B / Mode S.</summary>
    CivilAircraft = 2,

    /// <summary>Cruise missile (low, fast, air-breathing).</summary>
    CruiseMissile = 3,

    /// <summary>Ballistic missile (gravity-only flight after burnout).</summary>
    BallisticMissile = 4,

    /// <summary>Surface vessel.</summary>
    Surface = 5,

    /// <summary>Own interceptor in flight.</summary>
    Interceptor = 6,
}

/// <summary>Standard identity (affiliation) as in APP-6 / MIL-STD-2525 (public symbology standards).</summary>
public enum Affiliation : byte
{
    /// <summary>Identity not yet assessed.</summary>
    Pending = 0,

    /// <summary>Assessed, but unknown.</summary>
    Unknown = 1,

    /// <summary>Assumed friend.</summary>
    AssumedFriend = 2,

    /// <summary>Friend.</summary>
    Friend = 3,

    /// <summary>Neutral (e.g. civil traffic).</summary>
    Neutral = 4,

    /// <summary>Suspect.</summary>
    Suspect = 5,

    /// <summary>Hostile.</summary>
    Hostile = 6,
}
