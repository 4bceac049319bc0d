using System.Globalization;
using Kizuna.Core.Geodesy;

namespace Kizuna.Core.IO;

/// <summary>
/// The plain Cartesian detections format, so anyone can feed the tracker data from elsewhere:
/// <c>time_s,x_m,y_m[,z_m]</c>, one row per detection, in a flat frame (no geodesy); the
/// measurement noise is one standard deviation for every axis, given by the caller
/// (<c>kizuna track --measurement-std</c>). A header line is optional; 2-D rows get z = 0.
/// </summary>
public static class PlainCartesianCsv
{
    /// <summary>UTC time of <c>time_s</c> = 0 for plain files (the Unix epoch).</summary>
    public static readonly DateTime Epoch = DateTime.UnixEpoch;

    /// <summary>Sensor id given to plain-file detections.</summary>
    public const string SensorId = "plain";

    /// <summary>True when the first line of the file looks like this format (a <c>time_s,x_m,y_m</c> header).</summary>
    public static bool LooksLike(string firstLine) =>
        firstLine.Replace(" ", "", StringComparison.Ordinal) is "time_s,x_m,y_m" or "time_s,x_m,y_m,z_m";

    /// <summary>
    /// Reads the file. Bad rows (wrong column count, non-numeric, NaN, infinite, or time going
    /// backwards by more than <paramref name="allowedLag"/> seconds) are reported in
    /// <paramref name="errors"/> with file and line and skipped; reading goes on.
    /// </summary>
    public static IEnumerable<Detection> Read(string path, double measurementStd, List<RowError> errors, double allowedLag = 0, Nation? nation = null)
    {
        if (!(measurementStd > 0) || !double.IsFinite(measurementStd))
        {
            throw new ArgumentOutOfRangeException(nameof(measurementStd), "The measurement standard deviation must be a positive number of metres.");
        }

        var file = Path.GetFileName(path);
        var variance = measurementStd * measurementStd;
        var cov = Mat3.Diagonal(variance, variance, variance);
        var owner = nation ?? Nation.Usa;
        var latest = double.NegativeInfinity;
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#' || (lineNo == 1 && trimmed.StartsWith("time_s", StringComparison.Ordinal)))
            {
                continue;
            }

            var parts = trimmed.Split(',');
            if (parts.Length is not (3 or 4))
            {
                errors.Add(new RowError(file, lineNo, $"expected 3 or 4 columns (time_s,x_m,y_m[,z_m]), found {parts.Length}"));
                continue;
            }

            Span<double> v = stackalloc double[4];
            string? reason = null;
            for (var i = 0; i < parts.Length && reason is null; i++)
            {
                if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]))
                {
                    reason = $"column {i + 1}: '{parts[i]}' is not a number";
                }
                else if (!double.IsFinite(v[i]))
                {
                    reason = $"column {i + 1}: NaN or infinite";
                }
            }

            if (reason is null && v[0] < latest - allowedLag)
            {
                reason = $"time {v[0].ToString(CultureInfo.InvariantCulture)} s goes backwards by more than the allowed lag ({allowedLag.ToString(CultureInfo.InvariantCulture)} s)";
            }

            if (reason is not null)
            {
                errors.Add(new RowError(file, lineNo, reason));
                continue;
            }

            latest = Math.Max(latest, v[0]);
            var z = parts.Length == 4 ? v[3] : 0;
            yield return new Detection(Epoch.AddTicks((long)Math.Round(v[0] * TimeSpan.TicksPerSecond)), SensorId, owner,
                MeasurementKind.Cartesian, new Vec3(v[1], v[2], z), cov, default(Geodetic));
        }
    }
}
