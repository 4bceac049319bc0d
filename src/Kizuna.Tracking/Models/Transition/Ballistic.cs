using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.LinearAlgebra;

namespace Kizuna.Tracking.Models.Transition;

/// <summary>
/// Unpowered (post-burnout, exo- or high-endo-atmospheric) ballistic flight in ECEF: state
/// [x y z vx vy vz] in the rotating Earth-fixed frame, gravity plus the rotating-frame terms,
/// integrated with fixed-step fourth-order Runge–Kutta sub-steps. Drag is not modelled; its
/// effect (and any residual thrust) is absorbed by white-noise acceleration of density q.
/// </summary>
/// <remarks>
/// <para>Equations of motion in the Earth-fixed frame (Ω = (0, 0, ω⊕), ω⊕ = 7.292115e-5 rad/s):</para>
/// <code>
/// ṙ = v
/// v̇ = g(r) − 2 Ω × v − Ω × (Ω × r)        (Coriolis and centrifugal terms)
/// </code>
/// <para>Point-mass (Kepler) gravity g = −GM r / |r|³, plus optionally the J₂ zonal term
/// (O. Montenbruck &amp; E. Gill, "Satellite Orbits" (2000), §3.2, eq. 3.32 specialised to n = 2, m = 0;
/// also D. A. Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed. (2013), §8.6):</para>
/// <code>
/// g_x = −GM x / r³ [1 + 3/2 J₂ (a/r)² (1 − 5 z²/r²)]
/// g_y = −GM y / r³ [1 + 3/2 J₂ (a/r)² (1 − 5 z²/r²)]
/// g_z = −GM z / r³ [1 + 3/2 J₂ (a/r)² (3 − 5 z²/r²)]
/// </code>
/// <para>with WGS-84 GM, a, J₂ and ω⊕ (NIMA TR8350.2). Integration: classical RK4 (E. Hairer,
/// S. P. Nørsett &amp; G. Wanner, "Solving Ordinary Differential Equations I" (1993), §II.1) with
/// ⌈|Δt| / h_max⌉ equal sub-steps; negative Δt integrates backwards (retrodiction). The Jacobian
/// F = ∂f/∂x is computed numerically by central differences through the same integrator
/// (steps 1 m and 0.01 m/s), which is exact to the integrator's own accuracy and costs 12
/// propagations. Q is the white-noise-acceleration Q of <see cref="NearlyConstantVelocity"/>.</para>
/// </remarks>
public readonly record struct Ballistic : ITransitionModel
{
    private const int S = StateMatrix.Stride;

    private Ballistic(double q, bool j2, bool rotating, double maxStep)
    {
        if (!(maxStep > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxStep), maxStep, "The RK4 sub-step must be positive.");
        }

        SpectralDensity = q;
        IncludeJ2 = j2;
        EarthFixed = rotating;
        MaxStep = maxStep;
    }

    /// <summary>q (m²/s³): white-noise acceleration density for unmodelled forces.</summary>
    public double SpectralDensity { get; }

    /// <summary>True to include the J₂ zonal gravity term.</summary>
    public bool IncludeJ2 { get; }

    /// <summary>True for an Earth-fixed (ECEF) state: adds Coriolis and centrifugal terms.</summary>
    public bool EarthFixed { get; }

    /// <summary>Largest RK4 sub-step (s).</summary>
    public double MaxStep { get; }

    /// <inheritdoc/>
    public int Dimension => 6;

    /// <inheritdoc/>
    public StateLayout Layout => StateLayout.PositionVelocity;

    /// <inheritdoc/>
    public bool IsLinear => false;

    /// <summary>Full model for an ECEF track: Kepler + J₂ gravity, Coriolis and centrifugal terms.</summary>
    public static Ballistic Wgs84Ecef(double spectralDensity, double maxStep = 1.0) => new(spectralDensity, true, true, maxStep);

    /// <summary>A model with chosen terms (e.g. Kepler only in an inertial frame: both flags false).</summary>
    public static Ballistic Create(double spectralDensity, bool includeJ2, bool earthFixed, double maxStep = 1.0) =>
        new(spectralDensity, includeJ2, earthFixed, maxStep);

    /// <summary>The acceleration v̇ at position r and velocity v under this model.</summary>
    public Vec3 Acceleration(Vec3 r, Vec3 v)
    {
        var r2 = r.NormSquared;
        var rn = Math.Sqrt(r2);
        var k = -Wgs84.GM / (r2 * rn);
        double gx, gy, gz;
        if (IncludeJ2)
        {
            var z2r2 = r.Z * r.Z / r2;
            var f = 1.5 * Wgs84.J2 * Wgs84.A * Wgs84.A / r2;
            var kxy = k * (1 + (f * (1 - (5 * z2r2))));
            var kz = k * (1 + (f * (3 - (5 * z2r2))));
            gx = kxy * r.X;
            gy = kxy * r.Y;
            gz = kz * r.Z;
        }
        else
        {
            gx = k * r.X;
            gy = k * r.Y;
            gz = k * r.Z;
        }

        if (EarthFixed)
        {
            const double w = Wgs84.Omega;
            gx += (2 * w * v.Y) + (w * w * r.X);
            gy += (-2 * w * v.X) + (w * w * r.Y);
        }

        return new Vec3(gx, gy, gz);
    }

    /// <inheritdoc/>
    public void Transition(ref StateVector x, double dt)
    {
        var r = new Vec3(x[0], x[1], x[2]);
        var v = new Vec3(x[3], x[4], x[5]);
        Propagate(ref r, ref v, dt);
        x[0] = r.X;
        x[1] = r.Y;
        x[2] = r.Z;
        x[3] = v.X;
        x[4] = v.Y;
        x[5] = v.Z;
    }

    /// <summary>Propagates position and velocity over <paramref name="dt"/> with RK4 sub-steps.</summary>
    public void Propagate(ref Vec3 r, ref Vec3 v, double dt)
    {
        if (dt == 0)
        {
            return;
        }

        var n = (int)Math.Ceiling(Math.Abs(dt) / MaxStep);
        var h = dt / n;
        for (var i = 0; i < n; i++)
        {
            var k1r = v;
            var k1v = Acceleration(r, v);
            var k2r = v + (0.5 * h * k1v);
            var k2v = Acceleration(r + (0.5 * h * k1r), k2r);
            var k3r = v + (0.5 * h * k2v);
            var k3v = Acceleration(r + (0.5 * h * k2r), k3r);
            var k4r = v + (h * k3v);
            var k4v = Acceleration(r + (h * k3r), k4r);
            r += h / 6 * (k1r + (2 * k2r) + (2 * k3r) + k4r);
            v += h / 6 * (k1v + (2 * k2v) + (2 * k3v) + k4v);
        }
    }

    /// <inheritdoc/>
    public void Jacobian(in StateVector x, double dt, ref StateMatrix f)
    {
        for (var j = 0; j < 6; j++)
        {
            var step = j < 3 ? 1.0 : 0.01;
            var plus = x;
            var minus = x;
            plus[j] += step;
            minus[j] -= step;
            Transition(ref plus, dt);
            Transition(ref minus, dt);
            var inv = 0.5 / step;
            for (var i = 0; i < 6; i++)
            {
                f[(i * S) + j] = (plus[i] - minus[i]) * inv;
            }
        }
    }

    /// <inheritdoc/>
    public void ProcessNoise(in StateVector x, double dt, ref StateMatrix q) =>
        new NearlyConstantVelocity(SpectralDensity).ProcessNoise(x, Math.Abs(dt), ref q);
}
