using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Server.Picture;

namespace Kizuna.Server.Feed;

/// <summary>
/// The compact JSON of the live feed and the REST API (documented in docs/web.md). Tracks are
/// positional arrays (one per track, about 120 bytes) so that 5,000 tracks at 1 Hz stay near
/// 0.6 MB/s; alerts, engagements and overlays are objects. Times are Unix milliseconds (UTC).
/// </summary>
/// <remarks>
/// Every writer takes a <see cref="ReleaseGate"/>: an object whose marking is not releasable to the
/// gate's nation is not written (and is counted). Serialisation writes to a caller-owned
/// <see cref="IBufferWriter{T}"/> with a reused <see cref="Utf8JsonWriter"/>; the only per-object
/// allocations are the marking banner strings, cached per <see cref="Marking"/> instance.
/// </remarks>
public static class PictureJson
{
    private static readonly ConditionalWeakTable<Marking, string> MarkingText = [];

    /// <summary>Track array layout, index by index (the front end reads the same order).</summary>
    public const string TrackLayout = "[tn, latDeg, lonDeg, heightM, vEast, vNorth, vUp, sigmaM, quality, kind, affiliation, reportingNation, marking, sensors[], icao24]";

    /// <summary>Unix milliseconds of a UTC time.</summary>
    public static long UnixMs(DateTime t) => (long)(DateTime.SpecifyKind(t, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;

    /// <summary>The banner text of a marking (cached per instance).</summary>
    public static string Banner(Marking marking) => MarkingText.GetValue(marking, static m => m.ToString());

    /// <summary>Writes a track as a positional array, or nothing (returns false) when the gate refuses it.</summary>
    public static bool WriteTrack(Utf8JsonWriter w, PictureTrack t, ReleaseGate gate)
    {
        if (!gate.Allows(t.Marking))
        {
            return false;
        }

        w.WriteStartArray();
        w.WriteNumberValue(t.Number.Value);
        w.WriteNumberValue(Math.Round(t.Position.LatitudeDeg, 5));
        w.WriteNumberValue(Math.Round(t.Position.LongitudeDeg, 5));
        w.WriteNumberValue(Math.Round(t.Position.HeightM));
        w.WriteNumberValue(Math.Round(t.VelocityEnu.X, 1));
        w.WriteNumberValue(Math.Round(t.VelocityEnu.Y, 1));
        w.WriteNumberValue(Math.Round(t.VelocityEnu.Z, 1));
        w.WriteNumberValue(Math.Round(t.PositionSigmaM));
        w.WriteNumberValue(t.Quality);
        w.WriteNumberValue((int)t.Kind);
        w.WriteNumberValue((int)t.Affiliation);
        w.WriteStringValue(t.ReportingNation.Code);
        w.WriteStringValue(Banner(t.Marking));
        w.WriteStartArray();
        if (!t.Sensors.IsDefault)
        {
            foreach (var s in t.Sensors)
            {
                w.WriteStringValue(s);
            }
        }

        w.WriteEndArray();
        w.WriteNumberValue(t.Identity);
        w.WriteEndArray();
        return true;
    }

    /// <summary>Writes an alert object, or nothing when refused.</summary>
    public static bool WriteAlert(Utf8JsonWriter w, Alert a, ReleaseGate gate)
    {
        if (!gate.Allows(a.Marking))
        {
            return false;
        }

        w.WriteStartObject();
        w.WriteString("id", a.Id);
        w.WriteNumber("time", UnixMs(a.Time));
        w.WriteString("state", StateName(a.State));
        w.WriteString("warned", a.Warned.Code);
        w.WriteNumber("tn", a.Threat.Value);
        w.WriteNumber("kind", (int)a.Kind);
        w.WriteString("asset", a.AssetName);
        w.WriteNumber("lat", Math.Round(a.PredictedImpact.LatitudeDeg, 5));
        w.WriteNumber("lon", Math.Round(a.PredictedImpact.LongitudeDeg, 5));
        w.WriteNumber("semiMajorM", Math.Round(a.EllipseSemiMajorM));
        w.WriteNumber("semiMinorM", Math.Round(a.EllipseSemiMinorM));
        w.WriteNumber("orientationRad", Math.Round(a.EllipseOrientationRad, 4));
        w.WriteNumber("impactTime", UnixMs(a.TimeOfImpact));
        w.WriteString("marking", Banner(a.Marking));
        w.WriteEndObject();
        return true;
    }

    /// <summary>Writes an engagement object, or nothing when refused.</summary>
    public static bool WriteEngagement(Utf8JsonWriter w, Engagement e, ReleaseGate gate)
    {
        if (!gate.Allows(e.Marking))
        {
            return false;
        }

        w.WriteStartObject();
        w.WriteString("id", e.Id);
        w.WriteNumber("time", UnixMs(e.Time));
        w.WriteString("status", StatusName(e.Status));
        w.WriteNumber("tn", e.Threat.Value);
        w.WriteString("battery", e.BatteryId);
        w.WriteString("owner", e.Owner.Code);
        w.WriteString("decidedBy", e.DecidedBy);
        w.WriteNumber("interceptTime", UnixMs(e.PlannedIntercept));
        w.WriteNumber("pk", Math.Round(e.KillProbability, 3));
        w.WriteString("marking", Banner(e.Marking));
        w.WriteEndObject();
        return true;
    }

    /// <summary>Writes the clock object.</summary>
    public static void WriteClock(Utf8JsonWriter w, ClockState c)
    {
        w.WriteStartObject();
        w.WriteNumber("time", UnixMs(c.Time));
        w.WriteBoolean("playing", c.Playing);
        w.WriteNumber("speed", c.Speed);
        w.WriteNumber("start", UnixMs(c.Start));
        w.WriteNumber("end", c.End == DateTime.MaxValue ? 0 : UnixMs(c.End));
        w.WriteBoolean("canPause", c.CanPause);
        w.WriteBoolean("canSeek", c.CanSeek);
        w.WriteEndObject();
    }

    /// <summary>Writes a whole snapshot frame (<c>{"type":"snapshot",…}</c>).</summary>
    public static void WriteSnapshot(Utf8JsonWriter w, PictureSnapshot s, ClockState clock, ReleaseGate gate, HashSet<int>? sentTracks)
    {
        sentTracks?.Clear();
        w.WriteStartObject();
        w.WriteString("type", "snapshot");
        w.WriteNumber("time", UnixMs(s.Time));
        w.WritePropertyName("clock");
        WriteClock(w, clock);
        w.WriteStartArray("tracks");
        foreach (var t in s.Tracks)
        {
            if (WriteTrack(w, t, gate))
            {
                sentTracks?.Add(t.Number.Value);
            }
        }

        w.WriteEndArray();
        WriteArray(w, "alerts", s.Alerts, gate, WriteAlert);
        WriteArray(w, "engagements", s.Engagements, gate, WriteEngagement);
        w.WriteStartArray("sensors");
        foreach (var x in s.Sensors)
        {
            if (gate.Allows(x.Marking))
            {
                w.WriteStartObject();
                w.WriteString("id", x.Id);
                w.WriteString("owner", x.Owner.Code);
                w.WriteNumber("lat", Math.Round(x.Position.LatitudeDeg, 5));
                w.WriteNumber("lon", Math.Round(x.Position.LongitudeDeg, 5));
                w.WriteNumber("rangeM", Math.Round(x.RangeM));
                w.WriteString("marking", Banner(x.Marking));
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("assets");
        foreach (var x in s.Assets)
        {
            if (gate.Allows(x.Marking))
            {
                w.WriteStartObject();
                w.WriteString("name", x.Name);
                w.WriteString("owner", x.Owner.Code);
                w.WriteNumber("lat", Math.Round(x.Position.LatitudeDeg, 5));
                w.WriteNumber("lon", Math.Round(x.Position.LongitudeDeg, 5));
                w.WriteNumber("radiusM", Math.Round(x.RadiusM));
                w.WriteString("marking", Banner(x.Marking));
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("batteries");
        foreach (var x in s.Batteries)
        {
            if (gate.Allows(x.Marking))
            {
                w.WriteStartObject();
                w.WriteString("id", x.Id);
                w.WriteString("owner", x.Owner.Code);
                w.WriteNumber("lat", Math.Round(x.Position.LatitudeDeg, 5));
                w.WriteNumber("lon", Math.Round(x.Position.LongitudeDeg, 5));
                w.WriteString("marking", Banner(x.Marking));
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// Writes a change frame (<c>{"type":"delta",…}</c>). A track refused now that was sent before is
    /// reported as dropped, so a marking change withdraws it from the client.
    /// </summary>
    public static void WriteDelta(Utf8JsonWriter w, PictureDelta d, ClockState clock, ReleaseGate gate, HashSet<int> sentTracks)
    {
        w.WriteStartObject();
        w.WriteString("type", "delta");
        w.WriteNumber("time", UnixMs(d.Time));
        w.WritePropertyName("clock");
        WriteClock(w, clock);
        w.WriteStartArray("tracks");
        List<int>? withdrawn = null;
        foreach (var t in d.Tracks)
        {
            if (WriteTrack(w, t, gate))
            {
                sentTracks.Add(t.Number.Value);
            }
            else if (sentTracks.Remove(t.Number.Value))
            {
                (withdrawn ??= []).Add(t.Number.Value);
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("dropped");
        foreach (var n in d.Dropped)
        {
            if (sentTracks.Remove(n.Value))
            {
                w.WriteNumberValue(n.Value);
            }
        }

        if (withdrawn is not null)
        {
            foreach (var n in withdrawn)
            {
                w.WriteNumberValue(n);
            }
        }

        w.WriteEndArray();
        WriteArray(w, "alerts", d.Alerts, gate, WriteAlert);
        WriteArray(w, "engagements", d.Engagements, gate, WriteEngagement);
        w.WriteEndObject();
    }

    /// <summary>Serialises with <paramref name="write"/> into a new byte array (REST responses).</summary>
    public static byte[] ToBytes(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes <paramref name="items"/> as a named array through <paramref name="write"/>.</summary>
    public static void WriteArray<T>(Utf8JsonWriter w, string name, ImmutableArray<T> items, ReleaseGate gate, Func<Utf8JsonWriter, T, ReleaseGate, bool> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        w.WriteStartArray(name);
        if (!items.IsDefault)
        {
            foreach (var item in items)
            {
                write(w, item, gate);
            }
        }

        w.WriteEndArray();
    }

    private static string StateName(AlertState s) => s switch
    {
        AlertState.Issued => "issued",
        AlertState.Updated => "updated",
        _ => "cleared",
    };

    /// <summary>Lower-case status name as the front end shows it.</summary>
    public static string StatusName(EngagementStatus s) => s switch
    {
        EngagementStatus.Recommended => "recommended",
        EngagementStatus.Approved => "approved",
        EngagementStatus.Denied => "denied",
        EngagementStatus.Ordered => "ordered",
        EngagementStatus.Executing => "executing",
        EngagementStatus.Killed => "killed",
        EngagementStatus.Missed => "missed",
        _ => "cancelled",
    };
}
