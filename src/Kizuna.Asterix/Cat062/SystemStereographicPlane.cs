using Kizuna.Core.Geodesy;

namespace Kizuna.Asterix.Cat062;

/// <summary>
/// The system reference plane of a surveillance data processing system (SDPS): a conformal (double) stereographic
/// projection of the WGS-84 ellipsoid tangent at the system reference point. CAT062 I062/100 (calculated Cartesian
/// position, LSB 0.5 m) and I062/185 (calculated Cartesian velocity, LSB 0.25 m/s) are expressed in it: X towards
/// grid east, Y towards grid north, origin at the reference point, scale 1 there.
/// </summary>
/// <remarks>
/// <para>ASTERIX CAT062 ed. 1.19 (EUROCONTROL-SPEC-0149-9) defines I062/100 as the position "in the system reference
/// plane" and leaves the plane to the SDPS; the stereographic plane tangent at a system centre is the usual choice,
/// and a consumer must be told the centre (Kizuna prints it). This type implements the EPSG method 9809 "Oblique
/// Stereographic" (IOGP Guidance Note 7-2, §3.2.2.2): the ellipsoid is mapped conformally onto a sphere of radius
/// R = √(ρ₀ν₀), then projected stereographically.</para>
/// <para>Sphere: n = √(1 + e² cos⁴φ₀ / (1 − e²)); w₁ = (S₁ S₂ᵉ)ⁿ with S₁ = (1 + sin φ₀)/(1 − sin φ₀),
/// S₂ = (1 − e sin φ₀)/(1 + e sin φ₀); sin χ₀₀ = (w₁ − 1)/(w₁ + 1);
/// c = (n + sin φ₀)(1 − sin χ₀₀) / ((n − sin φ₀)(1 + sin χ₀₀)); χ₀ = asin((c w₁ − 1)/(c w₁ + 1)).</para>
/// <para>Forward: w = c (Sₐ S_bᵉ)ⁿ, χ = asin((w − 1)/(w + 1)), ΔΛ = n (λ − λ₀),
/// B = 1 + sin χ sin χ₀ + cos χ cos χ₀ cos ΔΛ, X = 2Rk₀ cos χ sin ΔΛ / B,
/// Y = 2Rk₀ (sin χ cos χ₀ − cos χ sin χ₀ cos ΔΛ) / B.</para>
/// <para>Inverse: g = 2Rk₀ tan(π/4 − χ₀/2), h = 4Rk₀ tan χ₀ + g, i = atan2(X, h + Y), j = atan2(X, g − Y) − i,
/// χ = χ₀ + 2 atan((Y − X tan(j/2)) / (2Rk₀)), Λ − Λ₀ = j + 2i, λ = λ₀ + (j + 2i)/n,
/// ψ = ½ ln((1 + sin χ)/(c (1 − sin χ)))/n, then φ by the fixed-point iteration on the isometric latitude
/// φᵢ = φᵢ₋₁ − (ψᵢ − ψ) cos φᵢ₋₁ (1 − e² sin² φᵢ₋₁)/(1 − e²) from φ₁ = 2 atan(eᵠ) − π/2.</para>
/// <para>Heights are not projected: the plane carries the horizontal position only (the altitude of a CAT062 track
/// is in I062/130 / I062/135 / I062/136). Velocities are projected exactly by
/// <see cref="VelocityToPlane"/> (the Jacobian of the forward map applied to the east/north velocity). The
/// projection is conformal; its scale grows as k ≈ 1 + d²/(4R²) with the distance d from the centre (1.0025 at
/// 640 km), so distances measured in the plane far from the centre are not ground distances.</para>
/// </remarks>
public readonly record struct SystemStereographicPlane
{
    private readonly double _a;
    private readonly double _e;
    private readonly double _e2;
    private readonly double _n;
    private readonly double _c;
    private readonly double _sinChi0;
    private readonly double _cosChi0;
    private readonly double _twoRk0;

    private SystemStereographicPlane(Geodetic centre, double a, double f, double k0)
    {
        Centre = centre;
        _a = a;
        _e2 = f * (2 - f);
        _e = Math.Sqrt(_e2);
        var sinPhi0 = Math.Sin(centre.LatitudeRad);
        var cosPhi0 = Math.Cos(centre.LatitudeRad);
        var denominator = 1 - (_e2 * sinPhi0 * sinPhi0);
        var rho0 = a * (1 - _e2) / Math.Pow(denominator, 1.5);
        var nu0 = a / Math.Sqrt(denominator);
        Radius = Math.Sqrt(rho0 * nu0);
        _n = Math.Sqrt(1 + (_e2 * Math.Pow(cosPhi0, 4) / (1 - _e2)));
        var s1 = (1 + sinPhi0) / (1 - sinPhi0);
        var s2 = (1 - (_e * sinPhi0)) / (1 + (_e * sinPhi0));
        var w1 = Math.Pow(s1 * Math.Pow(s2, _e), _n);
        var sinChi00 = (w1 - 1) / (w1 + 1);
        _c = (_n + sinPhi0) * (1 - sinChi00) / ((_n - sinPhi0) * (1 + sinChi00));
        var w2 = _c * w1;
        _sinChi0 = (w2 - 1) / (w2 + 1);
        _cosChi0 = Math.Sqrt(1 - (_sinChi0 * _sinChi0));
        _twoRk0 = 2 * Radius * k0;
    }

    /// <summary>The system reference point (tangent point, origin of X and Y). Its height is not used.</summary>
    public Geodetic Centre { get; }

    /// <summary>Radius R = √(ρ₀ν₀) of the conformal sphere (m).</summary>
    public double Radius { get; }

    /// <summary>The WGS-84 plane tangent at <paramref name="centre"/> with scale 1 at the centre (the CAT062 system plane).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The centre is not a finite point strictly between the poles.</exception>
    public static SystemStereographicPlane At(Geodetic centre) => Create(centre, Wgs84.A, Wgs84.F, 1.0);

    /// <summary>
    /// The projection on another ellipsoid and with a scale factor k₀ at the origin (false easting and northing are
    /// the caller's to add). Used to check the implementation against published worked examples.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The centre is not strictly between the poles, or a parameter is out of range.</exception>
    public static SystemStereographicPlane Create(Geodetic centre, double semiMajorAxisM, double flattening, double scaleAtOrigin)
    {
        if (!(Math.Abs(centre.LatitudeRad) < (Math.PI / 2) - 1e-9) || !double.IsFinite(centre.LongitudeRad))
        {
            throw new ArgumentOutOfRangeException(nameof(centre), centre, "the system centre must be a finite point strictly between the poles");
        }

        if (!(semiMajorAxisM > 0) || !(flattening is >= 0 and < 1) || !(scaleAtOrigin > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(semiMajorAxisM), "semi-major axis and scale must be positive and 0 ≤ f < 1");
        }

        return new SystemStereographicPlane(centre, semiMajorAxisM, flattening, scaleAtOrigin);
    }

    /// <summary>Grid coordinates (X east, Y north, metres) of a point; the height is ignored. Allocates nothing.</summary>
    public (double X, double Y) ToPlane(Geodetic point)
    {
        var sinPhi = Math.Sin(point.LatitudeRad);
        var sa = (1 + sinPhi) / (1 - sinPhi);
        var sb = (1 - (_e * sinPhi)) / (1 + (_e * sinPhi));
        var w = _c * Math.Pow(sa * Math.Pow(sb, _e), _n);
        var sinChi = (w - 1) / (w + 1);
        var cosChi = Math.Sqrt(Math.Max(0, 1 - (sinChi * sinChi)));
        var dLambda = _n * NormaliseLongitude(point.LongitudeRad - Centre.LongitudeRad);
        var (sinDl, cosDl) = Math.SinCos(dLambda);
        var b = 1 + (sinChi * _sinChi0) + (cosChi * _cosChi0 * cosDl);
        return (_twoRk0 * cosChi * sinDl / b, _twoRk0 * ((sinChi * _cosChi0) - (cosChi * _sinChi0 * cosDl)) / b);
    }

    /// <summary>The geodetic point (with <paramref name="heightM"/>) at grid coordinates X, Y (metres).</summary>
    public Geodetic FromPlane(double x, double y, double heightM = 0)
    {
        var chi0 = Math.Asin(_sinChi0);
        var g = _twoRk0 * Math.Tan((Math.PI / 4) - (chi0 / 2));
        var h = (2 * _twoRk0 * Math.Tan(chi0)) + g;
        var i = Math.Atan2(x, h + y);
        var j = Math.Atan2(x, g - y) - i;
        var chi = chi0 + (2 * Math.Atan((y - (x * Math.Tan(j / 2))) / _twoRk0));
        var longitude = NormaliseLongitude(Centre.LongitudeRad + ((j + (2 * i)) / _n));
        var sinChi = Math.Sin(chi);
        var psi = 0.5 * Math.Log((1 + sinChi) / (_c * (1 - sinChi))) / _n;
        var phi = (2 * Math.Atan(Math.Exp(psi))) - (Math.PI / 2);
        for (var k = 0; k < 20; k++)
        {
            var s = Math.Sin(phi);
            var psiI = Math.Log(Math.Tan((phi / 2) + (Math.PI / 4)) * Math.Pow((1 - (_e * s)) / (1 + (_e * s)), _e / 2));
            var next = phi - ((psiI - psi) * Math.Cos(phi) * (1 - (_e2 * s * s)) / (1 - _e2));
            var done = Math.Abs(next - phi) < 1e-14;
            phi = next;
            if (done)
            {
                break;
            }
        }

        return new Geodetic(phi, longitude, heightM);
    }

    /// <summary>
    /// Grid velocity (VX towards grid east, VY towards grid north, m/s) of a horizontal velocity given by its east and
    /// north components in the local tangent plane at <paramref name="point"/> (at its height): the rate of change of
    /// <see cref="ToPlane"/> of the moving point, i.e. the Jacobian of the projection along east and north by central
    /// differences over ±1 m, with the radii of curvature M + h and N + h (so at height h the grid speed is the true
    /// horizontal speed × R/(R + h) × the point scale factor: 0.16 % less at 10 km).
    /// </summary>
    public (double VX, double VY) VelocityToPlane(Geodetic point, double eastMps, double northMps)
    {
        // Metres per radian of latitude (M + h) and of longitude ((N + h) cos φ) at the point's height: the result is the
        // time derivative of ToPlane of the moving point (its nadir), so it agrees with successive I062/100 positions.
        var s = Math.Sin(point.LatitudeRad);
        var denominator = 1 - (_e2 * s * s);
        var m = (_a * (1 - _e2) / Math.Pow(denominator, 1.5)) + point.HeightM;
        var nCos = ((_a / Math.Sqrt(denominator)) + point.HeightM) * Math.Cos(point.LatitudeRad);
        const double step = 1.0;
        var dLat = step / m;
        var dLon = step / nCos;
        var (xe1, ye1) = ToPlane(point with { LongitudeRad = point.LongitudeRad + dLon });
        var (xe0, ye0) = ToPlane(point with { LongitudeRad = point.LongitudeRad - dLon });
        var (xn1, yn1) = ToPlane(point with { LatitudeRad = point.LatitudeRad + dLat });
        var (xn0, yn0) = ToPlane(point with { LatitudeRad = point.LatitudeRad - dLat });
        var dxdE = (xe1 - xe0) / (2 * step);
        var dydE = (ye1 - ye0) / (2 * step);
        var dxdN = (xn1 - xn0) / (2 * step);
        var dydN = (yn1 - yn0) / (2 * step);
        return ((dxdE * eastMps) + (dxdN * northMps), (dydE * eastMps) + (dydN * northMps));
    }

    private static double NormaliseLongitude(double radians) =>
        radians > Math.PI ? radians - (2 * Math.PI) : radians < -Math.PI ? radians + (2 * Math.PI) : radians;
}
