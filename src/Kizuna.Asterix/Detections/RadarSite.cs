using System.Globalization;
using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Asterix.Detections;

/// <summary>
/// What the adapter must know about a monoradar that the ASTERIX plots do not carry: where its antenna is and how
/// accurate its range and azimuth are.
/// </summary>
/// <param name="Source">The radar's SAC/SIC.</param>
/// <param name="Position">The antenna's WGS-84 position (height above the ellipsoid, m).</param>
/// <param name="RangeStdM">Range error σ (m).</param>
/// <param name="AzimuthStdRad">Azimuth error σ (rad).</param>
/// <param name="Nation">The owning nation (unset when not configured).</param>
public readonly record struct RadarSite(DataSourceId Source, Geodetic Position, double RangeStdM, double AzimuthStdRad, Nation Nation)
{
    /// <summary>Default range σ: 50 m, typical of an en-route SSR/Mode S plot extractor (notional).</summary>
    public const double DefaultRangeStdM = 50.0;

    /// <summary>Default azimuth σ: 0.08° (notional; Mode S monopulse is 0.03–0.07°, PSR 0.1–0.15°).</summary>
    public const double DefaultAzimuthStdDeg = 0.08;

    /// <summary>A site with the default accuracies.</summary>
    public static RadarSite Create(DataSourceId source, Geodetic position, Nation nation = default) =>
        new(source, position, DefaultRangeStdM, DefaultAzimuthStdDeg * Math.PI / 180.0, nation);

    /// <summary>
    /// Parses the <c>--site</c> syntax <c>SAC/SIC=lat_deg,lon_deg,height_m[,range_std_m,azimuth_std_deg]</c>
    /// (height above the WGS-84 ellipsoid).
    /// </summary>
    public static bool TryParse(string? text, out RadarSite site, out string error)
    {
        site = default;
        error = "";
        var eq = text?.IndexOf('=', StringComparison.Ordinal) ?? -1;
        if (text is null || eq <= 0 || !DataSourceId.TryParse(text[..eq], out var id))
        {
            error = $"'{text}': expected SAC/SIC=lat_deg,lon_deg,height_m[,range_std_m,azimuth_std_deg]";
            return false;
        }

        var parts = text[(eq + 1)..].Split(',');
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                error = $"'{text}': '{parts[i]}' is not a number";
                return false;
            }
        }

        if (values.Length is not (3 or 5) || Math.Abs(values[0]) > 90 || Math.Abs(values[1]) > 180)
        {
            error = $"'{text}': expected lat_deg (±90), lon_deg (±180), height_m and optionally range_std_m, azimuth_std_deg";
            return false;
        }

        site = Create(id, Geodetic.FromDegrees(values[0], values[1], values[2]));
        if (values.Length == 5)
        {
            if (!(values[3] > 0) || !(values[4] > 0))
            {
                error = $"'{text}': accuracies must be positive";
                return false;
            }

            site = site with { RangeStdM = values[3], AzimuthStdRad = values[4] * Math.PI / 180.0 };
        }

        return true;
    }
}
