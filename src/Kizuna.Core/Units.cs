using System.Globalization;

namespace Kizuna.Core;

/// <summary>An angle. Stored in radians; build it with <see cref="FromDegrees"/> or <see cref="FromRadians"/>.</summary>
public readonly record struct Angle : IComparable<Angle>
{
    private Angle(double radians) => Radians = radians;

    /// <summary>The angle in radians.</summary>
    public double Radians { get; }

    /// <summary>The angle in degrees.</summary>
    public double Degrees => Radians * (180.0 / Math.PI);

    /// <summary>Zero.</summary>
    public static Angle Zero => default;

    /// <summary>An angle from radians.</summary>
    public static Angle FromRadians(double radians) => new(radians);

    /// <summary>An angle from degrees.</summary>
    public static Angle FromDegrees(double degrees) => new(degrees * (Math.PI / 180.0));

    /// <summary>This angle wrapped into [0, 2π).</summary>
    /// <remarks>A tiny negative remainder plus 2π rounds to exactly 2π in double precision; that case is
    /// mapped to 0 so the result never leaves the half-open interval.</remarks>
    public Angle Normalized0To2Pi()
    {
        var r = Radians % (2 * Math.PI);
        if (r < 0)
        {
            r += 2 * Math.PI;
        }

        return new Angle(r >= 2 * Math.PI ? 0 : r);
    }

    /// <summary>This angle wrapped into (−π, π].</summary>
    public Angle NormalizedPlusMinusPi() => new(WrapPi(Radians));

    /// <summary>Wraps radians into (−π, π].</summary>
    public static double WrapPi(double radians)
    {
        var r = Math.IEEERemainder(radians, 2 * Math.PI);
        return r <= -Math.PI ? r + (2 * Math.PI) : r;
    }

    public int CompareTo(Angle other) => Radians.CompareTo(other.Radians);

    public static Angle operator +(Angle a, Angle b) => new(a.Radians + b.Radians);
    public static Angle operator -(Angle a, Angle b) => new(a.Radians - b.Radians);
    public static Angle operator *(Angle a, double s) => new(a.Radians * s);
    public static bool operator <(Angle a, Angle b) => a.Radians < b.Radians;
    public static bool operator >(Angle a, Angle b) => a.Radians > b.Radians;
    public static bool operator <=(Angle a, Angle b) => a.Radians <= b.Radians;
    public static bool operator >=(Angle a, Angle b) => a.Radians >= b.Radians;

    public override string ToString() => Degrees.ToString("0.######", CultureInfo.InvariantCulture) + "°";
}

/// <summary>A length. Stored in metres.</summary>
public readonly record struct Length : IComparable<Length>
{
    /// <summary>Metres in one international nautical mile.</summary>
    public const double MetresPerNauticalMile = 1852.0;

    /// <summary>Metres in one international foot.</summary>
    public const double MetresPerFoot = 0.3048;

    private Length(double metres) => Metres = metres;

    /// <summary>The length in metres.</summary>
    public double Metres { get; }

    /// <summary>The length in kilometres.</summary>
    public double Kilometres => Metres / 1000.0;

    /// <summary>The length in nautical miles.</summary>
    public double NauticalMiles => Metres / MetresPerNauticalMile;

    /// <summary>The length in feet.</summary>
    public double Feet => Metres / MetresPerFoot;

    /// <summary>From metres.</summary>
    public static Length FromMetres(double metres) => new(metres);

    /// <summary>From kilometres.</summary>
    public static Length FromKilometres(double km) => new(km * 1000.0);

    /// <summary>From nautical miles.</summary>
    public static Length FromNauticalMiles(double nm) => new(nm * MetresPerNauticalMile);

    /// <summary>From feet.</summary>
    public static Length FromFeet(double ft) => new(ft * MetresPerFoot);

    public int CompareTo(Length other) => Metres.CompareTo(other.Metres);

    public static Length operator +(Length a, Length b) => new(a.Metres + b.Metres);
    public static Length operator -(Length a, Length b) => new(a.Metres - b.Metres);
    public static bool operator <(Length a, Length b) => a.Metres < b.Metres;
    public static bool operator >(Length a, Length b) => a.Metres > b.Metres;
    public static bool operator <=(Length a, Length b) => a.Metres <= b.Metres;
    public static bool operator >=(Length a, Length b) => a.Metres >= b.Metres;

    public override string ToString() => Metres.ToString("0.###", CultureInfo.InvariantCulture) + " m";
}

/// <summary>A speed. Stored in metres per second.</summary>
public readonly record struct Speed : IComparable<Speed>
{
    private Speed(double mps) => MetresPerSecond = mps;

    /// <summary>The speed in m/s.</summary>
    public double MetresPerSecond { get; }

    /// <summary>The speed in knots (NM per hour).</summary>
    public double Knots => MetresPerSecond * 3600.0 / Length.MetresPerNauticalMile;

    /// <summary>From m/s.</summary>
    public static Speed FromMetresPerSecond(double mps) => new(mps);

    /// <summary>From knots.</summary>
    public static Speed FromKnots(double knots) => new(knots * Length.MetresPerNauticalMile / 3600.0);

    /// <summary>From a Mach number, using the ISA sea-level speed of sound 340.29 m/s (notional use only).</summary>
    public static Speed FromMach(double mach) => new(mach * 340.29);

    public int CompareTo(Speed other) => MetresPerSecond.CompareTo(other.MetresPerSecond);

    public static bool operator <(Speed a, Speed b) => a.MetresPerSecond < b.MetresPerSecond;
    public static bool operator >(Speed a, Speed b) => a.MetresPerSecond > b.MetresPerSecond;
    public static bool operator <=(Speed a, Speed b) => a.MetresPerSecond <= b.MetresPerSecond;
    public static bool operator >=(Speed a, Speed b) => a.MetresPerSecond >= b.MetresPerSecond;

    public override string ToString() => MetresPerSecond.ToString("0.###", CultureInfo.InvariantCulture) + " m/s";
}
