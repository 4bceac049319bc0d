using Kizuna.Core.Algorithms;

namespace Kizuna.Core.Geodesy;

/// <summary>
/// Unpowered flight in the Earth-fixed (ECEF, rotating) frame: WGS-84 gravity with the J₂ zonal
/// term, the Coriolis and centrifugal terms, and drag in an exponential atmosphere. Shared by the
/// simulator (truth) and by threat evaluation (impact prediction), so both fly the same physics.
/// </summary>
/// <remarks>
/// Equation of motion in ECEF (D. A. Vallado, "Fundamentals of Astrodynamics and Applications",
/// 4th ed., 2013, §3.7 on rotating frames; P. H. Zipfel, "Modeling and Simulation of Aerospace
/// Vehicle Dynamics", 2nd ed., 2007, ch. 10):
/// r̈ = g(r) − 2 ω × ṙ − ω × (ω × r) − (ρ |ṙ| ṙ)/(2β),   ω = (0, 0, Ω).
/// Gravity with J₂ (Vallado §8.6.1):
/// gₓ,ᵧ = −μ x,y/r³ [1 + 1.5 J₂ (a/r)² (1 − 5 z²/r²)],  g_z = −μ z/r³ [1 + 1.5 J₂ (a/r)² (3 − 5 z²/r²)].
/// Drag uses the ECEF velocity (the atmosphere turns with the Earth) and ρ = ρ₀ exp(−h/H) with h
/// the geodetic height, cut off above 150 km. Moved here from Kizuna.Simulation unchanged.
/// </remarks>
public static class EarthDynamics
{
    /// <summary>Gravity acceleration (point mass, optionally with J₂) at ECEF position <paramref name="r"/> (m/s²).</summary>
    public static Vec3 Gravity(Vec3 r, bool j2)
    {
        var r2 = r.NormSquared;
        var rn = Math.Sqrt(r2);
        var k = -Wgs84.GM / (r2 * rn);
        if (!j2)
        {
            return r * k;
        }

        var zr2 = r.Z * r.Z / r2;
        var f = 1.5 * Wgs84.J2 * Wgs84.A * Wgs84.A / r2;
        var fxy = 1 + (f * (1 - (5 * zr2)));
        var fz = 1 + (f * (3 - (5 * zr2)));
        return new Vec3(k * r.X * fxy, k * r.Y * fxy, k * r.Z * fz);
    }

    /// <summary>Coriolis and centrifugal acceleration in ECEF: −2ω×v − ω×(ω×r).</summary>
    public static Vec3 RotationTerms(Vec3 r, Vec3 v)
    {
        const double w = Wgs84.Omega;
        return new Vec3((2 * w * v.Y) + (w * w * r.X), (-2 * w * v.X) + (w * w * r.Y), 0);
    }

    /// <summary>Free-flight acceleration r̈ under <paramref name="model"/> with drag parameter C_D·A/m = 1/β (m²/kg; 0 for none).</summary>
    public static Vec3 Acceleration(Vec3 r, Vec3 v, in FreeFlightModel model, double dragAreaOverMass)
    {
        var a = Gravity(r, model.J2);
        if (model.EarthRotation)
        {
            a += RotationTerms(r, v);
        }

        if (model.Drag && dragAreaOverMass > 0)
        {
            var rho = model.Atmosphere.Density(r);
            if (rho > 0)
            {
                a -= v * (0.5 * rho * v.Norm * dragAreaOverMass);
            }
        }

        return a;
    }
}

/// <summary>Exponential atmosphere ρ = ρ₀ exp(−h/H), zero above 150 km (h geodetic height, floored at −1 km).</summary>
/// <param name="SeaLevelDensity">ρ₀ (kg/m³).</param>
/// <param name="ScaleHeight">H (m).</param>
public readonly record struct ExponentialAtmosphere(double SeaLevelDensity, double ScaleHeight)
{
    /// <summary>ρ₀ = 1.225 kg/m³, H = 7.2 km (a common single-scale fit to the US Standard Atmosphere 1976 below ~100 km).</summary>
    public static ExponentialAtmosphere Standard => new(1.225, 7_200);

    /// <summary>Density at ECEF position <paramref name="r"/> (kg/m³).</summary>
    public double Density(Vec3 r)
    {
        // Cheap pre-check on the geocentric radius before the exact geodetic height.
        if (r.Norm - Wgs84.B > 160_000)
        {
            return 0;
        }

        var h = Wgs84.EcefToGeodetic(r).HeightM;
        return h > 150_000 ? 0 : SeaLevelDensity * Math.Exp(-Math.Max(h, -1_000) / ScaleHeight);
    }
}

/// <summary>Which terms of <see cref="EarthDynamics"/> are on, and the atmosphere.</summary>
/// <param name="J2">Include the J₂ zonal gravity term.</param>
/// <param name="EarthRotation">Include the Coriolis and centrifugal terms (ECEF state).</param>
/// <param name="Drag">Include drag.</param>
/// <param name="Atmosphere">Atmosphere for drag.</param>
public readonly record struct FreeFlightModel(bool J2, bool EarthRotation, bool Drag, ExponentialAtmosphere Atmosphere)
{
    /// <summary>All terms on, standard exponential atmosphere (the simulator's default).</summary>
    public static FreeFlightModel Full => new(true, true, true, ExponentialAtmosphere.Standard);
}

/// <summary>
/// Unpowered flight of a body of ballistic coefficient β = m/(C_D A) as an <see cref="ISecondOrderSystem"/>
/// for <see cref="DormandPrince"/> (allocation-free).
/// </summary>
/// <param name="Model">Terms and atmosphere.</param>
/// <param name="DragAreaOverMass">1/β (m²/kg); 0 for no drag.</param>
public readonly record struct FreeFlightSystem(FreeFlightModel Model, double DragAreaOverMass) : ISecondOrderSystem
{
    /// <inheritdoc/>
    public Vec3 Acceleration(double t, Vec3 r, Vec3 v) => EarthDynamics.Acceleration(r, v, Model, DragAreaOverMass);
}
