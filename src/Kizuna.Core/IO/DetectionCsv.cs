using System.Globalization;
using Kizuna.Core.Geodesy;

namespace Kizuna.Core.IO;

/// <summary>A rejected input row: where, and why.</summary>
/// <param name="File">File name.</param>
/// <param name="Line">1-based line number.</param>
/// <param name="Reason">What is wrong.</param>
public sealed record RowError(string File, int Line, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => $"{File}:{Line}: {Reason}";
}

/// <summary>
/// The detections CSV format written by <c>kizuna simulate</c> and read by <c>kizuna track</c>
/// (docs/formats.md). One row per detection; SI units (m, rad, m², rad²); angles in radians.
/// </summary>
/// <remarks>
/// <para>Columns: <c>time_s,time_utc,sensor_id,nation,kind,z1,z2,z3,r11,r12,r13,r22,r23,r33,site_lat_deg,site_lon_deg,site_h_m,truth_id,identity,range_rate_mps,range_rate_var_m2ps2,sensor_vx_mps,sensor_vy_mps,sensor_vz_mps</c>.
/// <c>kind</c> is one of <c>cartesian</c>, <c>ecef</c>, <c>rae</c> (range, azimuth, elevation),
/// <c>ae</c> (azimuth, elevation) and <c>geodetic</c> (lat rad, lon rad, h m); r11…r33 is the
/// upper triangle of the symmetric covariance R.</para>
/// <para><b>Range rate</b> (the five trailing columns, <see cref="Detection.RangeRate"/>): ṙ in m/s,
/// positive receding (opening), σ²_ṙ in m²/s², and the sensor's ECEF velocity in m/s. They are empty
/// when the detection has no range rate (<see cref="Detection.HasRangeRate"/> false); the sensor
/// velocity is also written for a moving sensor without range rate. Doubles are written in shortest
/// round-trip form, so a read-back value is bit-identical. Files written before these columns existed
/// (<see cref="LegacyHeader"/>, 19 columns) still read, their detections without range rate.</para>
/// </remarks>
public static class DetectionCsv
{
    /// <summary>The header line (24 columns).</summary>
    public const string Header =
        "time_s,time_utc,sensor_id,nation,kind,z1,z2,z3,r11,r12,r13,r22,r23,r33,site_lat_deg,site_lon_deg,site_h_m,truth_id,identity," +
        "range_rate_mps,range_rate_var_m2ps2,sensor_vx_mps,sensor_vy_mps,sensor_vz_mps";

    /// <summary>The header of files written before range rate was recorded (19 columns, no range rate); still read.</summary>
    public const string LegacyHeader =
        "time_s,time_utc,sensor_id,nation,kind,z1,z2,z3,r11,r12,r13,r22,r23,r33,site_lat_deg,site_lon_deg,site_h_m,truth_id,identity";

    private const int LegacyColumnCount = 19;
    private const int ColumnCount = 24;

    /// <summary>The file token of a measurement kind.</summary>
    public static string KindToken(MeasurementKind kind) => kind switch
    {
        MeasurementKind.Cartesian => "cartesian",
        MeasurementKind.PositionEcef => "ecef",
        MeasurementKind.RangeAzimuthElevation => "rae",
        MeasurementKind.AzimuthElevation => "ae",
        MeasurementKind.Geodetic => "geodetic",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Parses a kind token.</summary>
    public static bool TryParseKind(ReadOnlySpan<char> token, out MeasurementKind kind)
    {
        switch (token)
        {
            case "cartesian": kind = MeasurementKind.Cartesian; return true;
            case "ecef": kind = MeasurementKind.PositionEcef; return true;
            case "rae": kind = MeasurementKind.RangeAzimuthElevation; return true;
            case "ae": kind = MeasurementKind.AzimuthElevation; return true;
            case "geodetic": kind = MeasurementKind.Geodetic; return true;
            default: kind = default; return false;
        }
    }

    /// <summary>Writes one detection as a row.</summary>
    public static void Write(CsvRowWriter w, Detection d, DateTime epoch)
    {
        var r = d.Covariance;
        w.Field((d.Time - epoch).TotalSeconds, 6).Field(d.Time).Field(d.SensorId).Field(d.Nation.Code).Field(KindToken(d.Kind))
            .Field(d.Value.X).Field(d.Value.Y).Field(d.Value.Z)
            .Field(r.M00).Field(r.M01).Field(r.M02).Field(r.M11).Field(r.M12).Field(r.M22)
            .Field(d.SensorSite.LatitudeDeg, 9).Field(d.SensorSite.LongitudeDeg, 9).Field(d.SensorSite.HeightM, 3)
            .Field(d.TruthId).Field(d.Identity);
        // NaN is written as an empty field (CsvRowWriter): empty range-rate cells mean "none".
        var hasRate = d.HasRangeRate;
        w.Field(hasRate ? d.RangeRate : double.NaN).Field(hasRate ? d.RangeRateVariance : double.NaN);
        var v = d.SensorVelocity;
        if (hasRate || v != default)
        {
            w.Field(v.X).Field(v.Y).Field(v.Z);
        }
        else
        {
            w.Field(double.NaN).Field(double.NaN).Field(double.NaN);
        }

        w.EndRow();
    }

    /// <summary>
    /// Reads a detections file (<see cref="Header"/> or <see cref="LegacyHeader"/>). Bad rows (wrong
    /// column count, non-numeric, NaN or infinite values, unknown kind or nation, covariance not
    /// positive on the diagonal, a range rate without a positive finite variance or the reverse, a
    /// partial sensor velocity) are reported in <paramref name="errors"/> with file and line and
    /// skipped; reading continues.
    /// </summary>
    /// <param name="path">File to read.</param>
    /// <param name="errors">Receives one entry per rejected row.</param>
    /// <param name="epoch">UTC time of <c>time_s</c> = 0, used when <c>time_utc</c> is empty.</param>
    public static IEnumerable<Detection> Read(string path, List<RowError> errors, DateTime? epoch = null)
    {
        var file = Path.GetFileName(path);
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Trim();
        var columns = header == Header ? ColumnCount : header == LegacyHeader ? LegacyColumnCount : 0;
        if (columns == 0)
        {
            errors.Add(new RowError(file, 1, $"header must be '{Header}' (or the older '{LegacyHeader}')"));
            yield break;
        }

        var interned = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNo = 1;
        var cols = new Range[columns + 1];
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0)
            {
                continue;
            }

            if (TryParseRow(line, cols, columns, interned, epoch, out var d, out var reason))
            {
                yield return d;
            }
            else
            {
                errors.Add(new RowError(file, lineNo, reason));
            }
        }
    }

    private static bool TryParseRow(string line, Span<Range> cols, int columns, Dictionary<string, string> interned, DateTime? epoch,
        out Detection detection, out string reason)
    {
        detection = default;
        var span = line.AsSpan();
        var n = span.Split(cols, ',');
        if (n != columns)
        {
            reason = $"expected {columns} columns, found {n}";
            return false;
        }

        Span<double> v = stackalloc double[12];
        ReadOnlySpan<int> numeric = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
        for (var i = 0; i < numeric.Length; i++)
        {
            var c = numeric[i];
            if (!double.TryParse(span[cols[c]], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) || !double.IsFinite(v[i]))
            {
                reason = $"column {ColumnName(c)}: '{span[cols[c]].ToString()}' is not a finite number";
                return false;
            }
        }

        DateTime time;
        var utc = span[cols[1]];
        if (utc.Length > 0)
        {
            if (!DateTime.TryParse(utc, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out time))
            {
                reason = $"column time_utc: '{utc.ToString()}' is not an ISO 8601 time";
                return false;
            }
        }
        else if (double.TryParse(span[cols[0]], NumberStyles.Float, CultureInfo.InvariantCulture, out var ts) && double.IsFinite(ts) && epoch is { } e)
        {
            time = e.AddTicks((long)Math.Round(ts * TimeSpan.TicksPerSecond));
        }
        else
        {
            reason = "column time_s: not a finite number (and time_utc is empty)";
            return false;
        }

        if (!TryParseKind(span[cols[4]], out var kind))
        {
            reason = $"column kind: '{span[cols[4]].ToString()}' is not one of cartesian, ecef, rae, ae, geodetic";
            return false;
        }

        if (!Nation.TryParse(span[cols[3]].ToString(), out var nation))
        {
            reason = $"column nation: '{span[cols[3]].ToString()}' is not an ISO 3166-1 alpha-3 code";
            return false;
        }

        if (!(v[3] > 0 && v[6] > 0 && v[8] > 0))
        {
            reason = "covariance diagonal (r11, r22, r33) must be positive";
            return false;
        }

        if (!int.TryParse(span[cols[17]], NumberStyles.Integer, CultureInfo.InvariantCulture, out var truthId) ||
            !uint.TryParse(span[cols[18]], NumberStyles.Integer, CultureInfo.InvariantCulture, out var identity))
        {
            reason = "columns truth_id / identity must be integers";
            return false;
        }

        var sensorText = span[cols[2]].ToString();
        if (sensorText.Length == 0)
        {
            reason = "column sensor_id is empty";
            return false;
        }

        if (!interned.TryGetValue(sensorText, out var sensor))
        {
            interned[sensorText] = sensor = sensorText;
        }

        var rangeRate = double.NaN;
        var rangeRateVariance = 0.0;
        var sensorVelocity = default(Vec3);
        if (columns == ColumnCount && !TryParseRangeRate(span, cols, out rangeRate, out rangeRateVariance, out sensorVelocity, out reason))
        {
            return false;
        }

        var cov = new Mat3(v[3], v[4], v[5], v[4], v[6], v[7], v[5], v[7], v[8]);
        detection = new Detection(DateTime.SpecifyKind(time, DateTimeKind.Utc), sensor, nation, kind, new Vec3(v[0], v[1], v[2]), cov,
            Geodetic.FromDegrees(v[9], v[10], v[11]), truthId, identity, rangeRate, rangeRateVariance, sensorVelocity);
        reason = "";
        return true;
    }

    /// <summary>Columns 19–23: ṙ and σ²_ṙ both empty or both given (finite, σ²_ṙ &gt; 0); the sensor velocity all empty (zero) or all given.</summary>
    private static bool TryParseRangeRate(ReadOnlySpan<char> span, ReadOnlySpan<Range> cols, out double rangeRate, out double variance,
        out Vec3 sensorVelocity, out string reason)
    {
        rangeRate = double.NaN;
        variance = 0;
        sensorVelocity = default;
        reason = "";
        var rate = span[cols[19]].Trim();
        var varText = span[cols[20]].Trim();
        if (rate.Length > 0 || varText.Length > 0)
        {
            if (rate.Length == 0 || varText.Length == 0)
            {
                reason = "columns range_rate_mps and range_rate_var_m2ps2 must both be given or both be empty";
                return false;
            }

            if (!double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out rangeRate) || !double.IsFinite(rangeRate))
            {
                reason = $"column range_rate_mps: '{rate.ToString()}' is not a finite number";
                return false;
            }

            if (!double.TryParse(varText, NumberStyles.Float, CultureInfo.InvariantCulture, out variance) || !double.IsFinite(variance) || !(variance > 0))
            {
                reason = $"column range_rate_var_m2ps2: '{varText.ToString()}' is not a positive finite number";
                return false;
            }
        }

        Span<double> vs = stackalloc double[3];
        var given = 0;
        for (var i = 0; i < 3; i++)
        {
            var cell = span[cols[21 + i]].Trim();
            if (cell.Length == 0)
            {
                continue;
            }

            given++;
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out vs[i]) || !double.IsFinite(vs[i]))
            {
                reason = $"column {ColumnName(21 + i)}: '{cell.ToString()}' is not a finite number";
                return false;
            }
        }

        if (given is not (0 or 3))
        {
            reason = "columns sensor_vx_mps, sensor_vy_mps, sensor_vz_mps must all be given or all be empty";
            return false;
        }

        sensorVelocity = new Vec3(vs[0], vs[1], vs[2]);
        return true;
    }

    private static string ColumnName(int index) => Header.Split(',')[index];
}
