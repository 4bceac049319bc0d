using System.Globalization;
using Kizuna.Core;

namespace Kizuna.Metrics;

/// <summary>A rejected CSV row: file, 1-based line number and reason.</summary>
/// <param name="File">File name (or the name given for a stream).</param>
/// <param name="Line">1-based line number.</param>
/// <param name="Reason">Why the row was rejected.</param>
public readonly record struct CsvRejection(string File, int Line, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}: {Reason}";
}

/// <summary>Samples read from a CSV file, and the rows that were rejected.</summary>
/// <typeparam name="T">Sample type.</typeparam>
/// <param name="Samples">Accepted samples in file order.</param>
/// <param name="Rejections">Rejected rows with file and line.</param>
public sealed record CsvReadResult<T>(IReadOnlyList<T> Samples, IReadOnlyList<CsvRejection> Rejections)
{
    /// <summary>Number of rejected rows.</summary>
    public int RejectedCount => Rejections.Count;
}

/// <summary>
/// Readers for truth and track CSV files. Truth: <c>time_s,truth_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps</c>;
/// tracks: <c>time_s,track_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps,quality</c>. Numbers use the invariant
/// culture. An optional header line (first line starting with <c>time_s</c>) must match exactly;
/// blank lines and lines starting with <c>#</c> are skipped. A row with the wrong column count, a
/// non-numeric field, NaN or an infinite value is rejected with file and line, and reading
/// continues (damaged rows never stop the file).
/// </summary>
public static class SampleCsv
{
    /// <summary>The truth header.</summary>
    public const string TruthHeader = "time_s,truth_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps";

    /// <summary>The track header.</summary>
    public const string TrackHeader = "time_s,track_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps,quality";

    /// <summary>Reads a truth file.</summary>
    public static CsvReadResult<TruthSample> ReadTruth(string path)
    {
        using var reader = new StreamReader(path);
        return ReadTruth(reader, path);
    }

    /// <summary>Reads truth rows from <paramref name="reader"/>; <paramref name="fileName"/> names it in rejections.</summary>
    public static CsvReadResult<TruthSample> ReadTruth(TextReader reader, string fileName) =>
        Read<TruthSample>(reader, fileName, TruthHeader, 8, (f, v) =>
        {
            if (!TryInteger(f[1], int.MinValue, int.MaxValue, out var id))
            {
                return (default, "truth_id is not an integer");
            }

            return (new TruthSample(v[0], (int)id, new Vec3(v[2], v[3], v[4]), new Vec3(v[5], v[6], v[7])), null);
        });

    /// <summary>Reads a track file.</summary>
    public static CsvReadResult<TrackSample> ReadTracks(string path)
    {
        using var reader = new StreamReader(path);
        return ReadTracks(reader, path);
    }

    /// <summary>Reads track rows from <paramref name="reader"/>; <paramref name="fileName"/> names it in rejections.</summary>
    public static CsvReadResult<TrackSample> ReadTracks(TextReader reader, string fileName) =>
        Read<TrackSample>(reader, fileName, TrackHeader, 9, (f, v) =>
        {
            if (!TryInteger(f[1], long.MinValue, long.MaxValue, out var id))
            {
                return (default, "track_id is not an integer");
            }

            return (new TrackSample(v[0], id, new Vec3(v[2], v[3], v[4]), new Vec3(v[5], v[6], v[7]), 0, v[8]), null);
        });

    private static bool TryInteger(string field, long min, long max, out long value) =>
        long.TryParse(field.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    private static CsvReadResult<T> Read<T>(TextReader reader, string fileName, string header, int columns, Func<string[], double[], (T Sample, string? Error)> build)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var samples = new List<T>();
        var rejections = new List<CsvRejection>();
        var values = new double[columns];
        var lineNumber = 0;
        var first = true;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            if (first && trimmed.StartsWith("time_s", StringComparison.Ordinal))
            {
                first = false;
                if (!string.Equals(trimmed.Replace(" ", string.Empty, StringComparison.Ordinal), header, StringComparison.Ordinal))
                {
                    rejections.Add(new CsvRejection(fileName, lineNumber, $"header does not match '{header}'"));
                }

                continue;
            }

            first = false;
            var fields = trimmed.Split(',');
            if (fields.Length != columns)
            {
                rejections.Add(new CsvRejection(fileName, lineNumber, $"expected {columns} columns, found {fields.Length}"));
                continue;
            }

            string? error = null;
            for (var c = 0; c < columns && error is null; c++)
            {
                if (!double.TryParse(fields[c].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[c]))
                {
                    error = $"column {c + 1} '{fields[c].Trim()}' is not a number";
                }
                else if (!double.IsFinite(values[c]))
                {
                    error = $"column {c + 1} is NaN or infinite";
                }
            }

            if (error is null)
            {
                (var sample, error) = build(fields, values);
                if (error is null)
                {
                    samples.Add(sample);
                    continue;
                }
            }

            rejections.Add(new CsvRejection(fileName, lineNumber, error));
        }

        return new CsvReadResult<T>(samples, rejections);
    }
}
