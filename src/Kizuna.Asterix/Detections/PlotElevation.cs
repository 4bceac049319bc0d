using Kizuna.Core.Geodesy;

namespace Kizuna.Asterix.Detections;

/// <summary>An elevation angle and its standard deviation (rad).</summary>
/// <param name="ElevationRad">Elevation above the site's local horizontal plane.</param>
/// <param name="StdRad">Its 1-σ uncertainty.</param>
public readonly record struct ElevationEstimate(double ElevationRad, double StdRad);

/// <summary>
/// The elevation of a 2-D radar plot from its slant range and the target's height (Mode C): ASTERIX monoradar
/// plots carry range, azimuth and a pressure altitude but no elevation, while the tracker's radar measurement model
/// needs (range, azimuth, elevation).
/// </summary>
/// <remarks>
/// <para>Spherical-Earth geometry with an effective radius R′ = k·Rₑ (M. I. Skolnik, "Introduction to Radar Systems",
/// 3rd ed., 2001, §8.3 "Propagation over a spherical Earth"; A. W. Doerry, "Earth curvature and atmospheric
/// refraction effects on radar signal propagation", Sandia report SAND2012-10690, 2013, §2–3). With the site at radius r_s = R′ + h_s, the target at r_t = R′ + h_t and
/// slant range ρ, the law of cosines in the triangle Earth-centre / antenna / target gives
/// r_t² = r_s² + ρ² + 2 r_s ρ sin el, hence</para>
/// <code>
/// sin el = [(h_t − h_s)(2R′ + h_t + h_s) − ρ²] / (2 (R′ + h_s) ρ)
///        ≈ (h_t − h_s)/ρ − ρ/(2R′)                       (h ≪ R′)
/// </code>
/// <para>and, differentiating in h_t, σ_el = σ_h · r_t / (r_s ρ cos el).</para>
/// <para>The choice of k matters. k = 4/3 gives the <i>apparent</i> (refracted) elevation a 3-D radar would measure
/// in the standard atmosphere. The tracker however turns (ρ, az, el) into a point along a straight line in the
/// site's ENU frame; for that point to sit at height h_t the elevation must be the <i>geometric</i> one, k = 1
/// (the refracted path length differs from the chord by centimetres to metres). The adapter therefore uses k = 1
/// by default; <see cref="AsterixDetectionOptions.EffectiveEarthRadiusFactor"/> selects 4/3 for consumers that apply a
/// refraction model of their own. Rₑ is the WGS-84 radius of curvature at the site in the plot's azimuth (Euler:
/// 1/R = cos²az/M + sin²az/N, M and N the meridian and prime-vertical radii), so the geometry matches the
/// ellipsoid to metres at 250 NM.</para>
/// </remarks>
public static class PlotElevation
{
    /// <summary>
    /// The Euler radius of curvature of the WGS-84 ellipsoid at latitude <paramref name="latitudeRad"/> in azimuth
    /// <paramref name="azimuthRad"/>: 1/R = cos²α/M + sin²α/N, M = a(1 − e²)/W³, N = a/W, W = √(1 − e² sin²φ).
    /// </summary>
    public static double EulerRadius(double latitudeRad, double azimuthRad)
    {
        var s = Math.Sin(latitudeRad);
        var w = Math.Sqrt(1 - (Wgs84.E2 * s * s));
        var n = Wgs84.A / w;
        var m = Wgs84.A * (1 - Wgs84.E2) / (w * w * w);
        var ca = Math.Cos(azimuthRad);
        var sa = Math.Sin(azimuthRad);
        return 1.0 / ((ca * ca / m) + (sa * sa / n));
    }

    /// <summary>
    /// The elevation of a target at height <paramref name="targetHeightM"/> seen at slant range
    /// <paramref name="slantRangeM"/> from an antenna at <paramref name="siteHeightM"/>, on an Earth of radius
    /// <paramref name="earthRadiusM"/> scaled by <paramref name="k"/>; false when no such geometry exists
    /// (|sin el| &gt; 1: the height is inconsistent with the range).
    /// </summary>
    public static bool TryCompute(double slantRangeM, double siteHeightM, double targetHeightM, double targetHeightStdM,
        double earthRadiusM, double k, out ElevationEstimate estimate)
    {
        estimate = default;
        if (!(slantRangeM > 0) || !(earthRadiusM > 0) || !(k > 0))
        {
            return false;
        }

        var r = k * earthRadiusM;
        var rs = r + siteHeightM;
        var rt = r + targetHeightM;
        var sinEl = (((targetHeightM - siteHeightM) * (2 * r + targetHeightM + siteHeightM)) - (slantRangeM * slantRangeM)) / (2 * rs * slantRangeM);
        if (!(Math.Abs(sinEl) <= 1))
        {
            return false;
        }

        var el = Math.Asin(sinEl);
        var cos = Math.Max(Math.Cos(el), 1e-3);
        estimate = new ElevationEstimate(el, targetHeightStdM * rt / (rs * slantRangeM * cos));
        return true;
    }

    /// <summary>
    /// The height σ of a Mode C / flight-level altitude used as geometric height (m):
    /// σ_h² = (q/√12)² + σ_0² + (c·h)², with q = 100 ft the Mode C quantum (Gillham code), σ_0 for the pressure-setting
    /// and geoid offsets, and c·h the temperature (non-ISA) error that grows with altitude.
    /// </summary>
    /// <remarks>
    /// Pressure altitude is the height in the ICAO standard atmosphere (ICAO Doc 7488) for the measured static
    /// pressure, referenced to 1013.25 hPa; it equals the geometric height above mean sea level only in an ISA
    /// atmosphere at standard sea-level pressure. Deviations: sea-level pressure ±20 hPa ≈ ±170 m (8.3 m/hPa near
    /// the surface); temperature: (T − T_ISA)/T_ISA of the altitude, ≈ 4 % for ±10 K; and the geoid undulation
    /// between MSL and the WGS-84 ellipsoid (−106…+85 m worldwide). Defaults (σ_0 = 100 m, c = 0.03) cover the
    /// ordinary spread without a weather model; a QNH/temperature correction is a named gap.
    /// </remarks>
    public static double PressureAltitudeStd(double heightM, double offsetStdM, double relativeStd)
    {
        const double quantum = 100 * 0.3048;
        var q = quantum / Math.Sqrt(12);
        var t = relativeStd * Math.Abs(heightM);
        return Math.Sqrt((q * q) + (offsetStdM * offsetStdM) + (t * t));
    }
}
