using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Simulation.Motion;

/// <summary>One recorded flight (a continuous segment of one aircraft's track).</summary>
/// <param name="Icao">ICAO 24-bit address.</param>
/// <param name="Callsign">Callsign (trimmed; empty when never reported).</param>
/// <param name="Trajectory">The interpolated path.</param>
public sealed record RecordedFlight(uint Icao, string Callsign, ITrajectory Trajectory);

/// <summary>What a load did.</summary>
/// <param name="Flights">The flights (one per continuous segment).</param>
/// <param name="RowsRead">State vectors read.</param>
/// <param name="MalformedRows">Rows skipped because a field was missing, of the wrong type or out of range.</param>
/// <param name="DuplicateRows">Rows skipped because their aircraft already had a sample at that time.</param>
/// <param name="Aircraft">Distinct aircraft taken.</param>
/// <param name="Truncated">True when the file ended or broke before the closing bracket (rows up to there are kept).</param>
public sealed record RecordedTrafficLoad(IReadOnlyList<RecordedFlight> Flights, int RowsRead, int MalformedRows, int DuplicateRows, int Aircraft, bool Truncated);

/// <summary>
/// Loads recorded ADS-B state vectors (OpenSky format as published in the <c>traffic</c> library's
/// samples: a gzipped JSON array of objects with <c>timestamp</c> (ms since 1970 UTC), <c>icao24</c>
/// (hex), <c>callsign</c>, <c>latitude</c>, <c>longitude</c> (°), <c>altitude</c> (ft, barometric),
/// <c>groundspeed</c> (kt), <c>track</c> (° true) and <c>vertical_rate</c> (ft/min)) as trajectories.
/// </summary>
/// <remarks>
/// Each aircraft's samples are sorted by time and split where consecutive samples are more than
/// 5 min apart. Between samples the path is a cubic Hermite interpolant in ECEF through the sample
/// positions with the reported velocities (ground speed and track in the local horizontal, vertical
/// rate up) as end slopes (see <see cref="SampledTrajectory"/>); where a sample lacks a velocity it
/// is taken from the neighbouring positions (central difference). The recorded altitude is
/// barometric and is used as height above the ellipsoid (no geoid or pressure correction).
/// Malformed rows are skipped and counted; a damaged file keeps the rows before the damage.
/// </remarks>
public static class RecordedTraffic
{
    /// <summary>Largest gap inside one flight (s).</summary>
    public const double MaxGap = 300;

    private const double Knot = 1852.0 / 3600.0;
    private const double Foot = 0.3048;

    private readonly record struct Row(uint Icao, long TimeMs, string Callsign, double Lat, double Lon, double Alt, double Gs, double Track, double Vr);

    /// <summary>
    /// Loads the file. Times: <paramref name="recordingTimeAtEpoch"/> (UTC) maps to t = 0, or the first
    /// sample of the file when null. <paramref name="scenarioEpoch"/> must be UTC; it is not used to
    /// shift times (a recording replays relative to its own start or the given offset).
    /// <paramref name="maxAircraft"/> caps the distinct aircraft taken in order of first appearance (0 = all).
    /// </summary>
    public static IReadOnlyList<RecordedFlight> Load(string path, DateTime scenarioEpoch, DateTime? recordingTimeAtEpoch, int maxAircraft) =>
        LoadWithReport(path, scenarioEpoch, recordingTimeAtEpoch, maxAircraft).Flights;

    /// <summary>As <see cref="Load"/>, with the counts of what was read and skipped.</summary>
    public static RecordedTrafficLoad LoadWithReport(string path, DateTime scenarioEpoch, DateTime? recordingTimeAtEpoch, int maxAircraft)
    {
        byte[] bytes;
        using (var file = File.OpenRead(path))
        using (var gz = new GZipStream(file, CompressionMode.Decompress))
        using (var ms = new MemoryStream())
        {
            try
            {
                gz.CopyTo(ms);
            }
            catch (InvalidDataException)
            {
                // Damaged compressed stream: keep what was decompressed.
            }

            bytes = ms.ToArray();
        }

        return Parse(bytes, scenarioEpoch, recordingTimeAtEpoch, maxAircraft);
    }

    internal static RecordedTrafficLoad Parse(ReadOnlySpan<byte> json, DateTime scenarioEpoch, DateTime? recordingTimeAtEpoch, int maxAircraft)
    {
        if (scenarioEpoch.Kind == DateTimeKind.Local)
        {
            throw new ArgumentException("The scenario epoch must be UTC.", nameof(scenarioEpoch));
        }

        var rows = new List<Row>();
        var malformed = 0;
        var truncated = false;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw new InvalidDataException("Recorded traffic must be a JSON array of state vectors.");
            }

            while (true)
            {
                if (!reader.Read())
                {
                    truncated = true;
                    break;
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    break;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    malformed++;
                    reader.Skip();
                    continue;
                }

                if (TryReadRow(ref reader, out var row))
                {
                    rows.Add(row);
                }
                else
                {
                    malformed++;
                }
            }
        }
        catch (JsonException)
        {
            truncated = true;
            malformed++;
        }

        var rowsRead = rows.Count + malformed;
        var origin = recordingTimeAtEpoch is { } r
            ? new DateTimeOffset(DateTime.SpecifyKind(r, DateTimeKind.Utc)).ToUnixTimeMilliseconds()
            : rows.Count > 0 ? rows.Min(x => x.TimeMs) : 0;

        var byAircraft = new Dictionary<uint, List<Row>>();
        var order = new List<uint>();
        foreach (var row in rows)
        {
            if (!byAircraft.TryGetValue(row.Icao, out var list))
            {
                byAircraft[row.Icao] = list = [];
                order.Add(row.Icao);
            }

            list.Add(row);
        }

        order.Sort((a, b) =>
        {
            var c = byAircraft[a].Min(x => x.TimeMs).CompareTo(byAircraft[b].Min(x => x.TimeMs));
            return c != 0 ? c : a.CompareTo(b);
        });
        if (maxAircraft > 0 && order.Count > maxAircraft)
        {
            order.RemoveRange(maxAircraft, order.Count - maxAircraft);
        }

        var flights = new List<RecordedFlight>();
        var duplicates = 0;
        foreach (var icao in order)
        {
            var list = byAircraft[icao];
            list.Sort((a, b) => a.TimeMs.CompareTo(b.TimeMs));
            var start = 0;
            for (var i = 1; i <= list.Count; i++)
            {
                if (i == list.Count || (list[i].TimeMs - list[i - 1].TimeMs) / 1000.0 > MaxGap)
                {
                    flights.Add(Segment(icao, list, start, i, origin, ref duplicates));
                    start = i;
                }
            }
        }

        return new RecordedTrafficLoad(flights, rowsRead, malformed, duplicates, order.Count, truncated);
    }

    private static RecordedFlight Segment(uint icao, List<Row> list, int start, int end, long originMs, ref int duplicates)
    {
        var t = new List<double>(end - start);
        var p = new List<Vec3>(end - start);
        var v = new List<Vec3>(end - start);
        var geo = new List<Geodetic>(end - start);
        var hasVelocity = new List<bool>(end - start);
        var callsign = "";
        for (var i = start; i < end; i++)
        {
            var row = list[i];
            var time = (row.TimeMs - originMs) / 1000.0;
            if (t.Count > 0 && time <= t[^1])
            {
                duplicates++;
                continue;
            }

            if (callsign.Length == 0 && row.Callsign.Length > 0)
            {
                callsign = row.Callsign;
            }

            var g = Geodetic.FromDegrees(row.Lat, row.Lon, row.Alt * Foot);
            t.Add(time);
            geo.Add(g);
            p.Add(Wgs84.GeodeticToEcef(g));
            var ok = double.IsFinite(row.Gs) && double.IsFinite(row.Track);
            hasVelocity.Add(ok);
            var (s, c) = Math.SinCos(row.Track * Math.PI / 180);
            var gs = row.Gs * Knot;
            var vr = double.IsFinite(row.Vr) ? row.Vr * Foot / 60 : 0;
            v.Add(ok ? Navigation.EnuToEcef(g.LatitudeRad, g.LongitudeRad, gs * s, gs * c, vr) : Vec3.Zero);
        }

        for (var i = 0; i < t.Count; i++)
        {
            if (!hasVelocity[i] && t.Count > 1)
            {
                var a = Math.Max(i - 1, 0);
                var b = Math.Min(i + 1, t.Count - 1);
                v[i] = (p[b] - p[a]) / (t[b] - t[a]);
            }
        }

        return new RecordedFlight(icao, callsign, new SampledTrajectory([.. t], [.. p], [.. v]));
    }

    private static bool TryReadRow(ref Utf8JsonReader reader, out Row row)
    {
        long? time = null;
        uint? icao = null;
        var callsign = "";
        double lat = double.NaN, lon = double.NaN, alt = double.NaN, gs = double.NaN, track = double.NaN, vr = double.NaN;
        var bad = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                bad = true;
                continue;
            }

            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "timestamp":
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var ms))
                    {
                        time = ms;
                    }
                    else if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var msd) && double.IsFinite(msd) && Math.Abs(msd) < 1e15)
                    {
                        time = (long)msd;
                    }

                    break;
                case "icao24":
                    if (reader.TokenType == JsonTokenType.String
                        && uint.TryParse(reader.GetString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var a) && a <= 0xFFFFFF)
                    {
                        icao = a;
                    }

                    break;
                case "callsign":
                    callsign = reader.TokenType == JsonTokenType.String ? reader.GetString()!.Trim() : "";
                    break;
                case "latitude": lat = Number(ref reader); break;
                case "longitude": lon = Number(ref reader); break;
                case "altitude": alt = Number(ref reader); break;
                case "groundspeed": gs = Number(ref reader); break;
                case "track": track = Number(ref reader); break;
                case "vertical_rate": vr = Number(ref reader); break;
                default:
                    reader.Skip();
                    break;
            }
        }

        bad |= time is null || icao is null || !(Math.Abs(lat) <= 90) || !(Math.Abs(lon) <= 180) || !(alt is > -2_000 and < 100_000)
            || (double.IsFinite(gs) && gs is < 0 or > 2_000);
        row = bad ? default : new Row(icao!.Value, time!.Value, callsign, lat, lon, alt, gs, track, vr);
        return !bad;
    }

    private static double Number(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var d))
        {
            return d;
        }

        reader.Skip();
        return double.NaN;
    }
}
