using System.Text.Json;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Network.Node;

namespace Kizuna.Cli.Distributed;

/// <summary>
/// Writes a node's picture, one JSON line per cycle:
/// <c>{"cycle":k,"t":s,"hash":"…","pub":µs,"done":µs,"partitioned":false,"behind":ms,"absent":["JPN"],"tracks":[[number,truth(,classification,[releasable-to…])],…],"notices":[[kind,kept,retired],…]}</c>.
/// A track carries the marking of the node's own local track on it (<see cref="NodeCycle.ReportMarkings"/>:
/// classification 0–4 and the releasable-to nations) when it has one, so released-pair commonality can be
/// computed afterwards (<see cref="PictureAnalysis.Consistency"/>).
/// <c>pub</c> is the wall time (µs since 0001-01-01 UTC) the node's batch k was acknowledged, <c>done</c>
/// the wall time its step k finished (latency figures), <c>behind</c> how far (wall ms) the cycle started
/// behind the pace schedule (0 on schedule or unpaced), <c>absent</c> the partners declared absent when the
/// cycle's inputs were taken (diagnostics of the lock-step protocol); <c>truth</c> labels each picture track with the
/// nearest truth object within <see cref="LabelDistanceM"/> (−1 when none), for tests and figures only.
/// </summary>
/// <remarks>
/// Labelling follows the SIAP convention of track-to-truth association by distance (SIAP Technical
/// Report 2001-001, §3): the track's position is extrapolated with its velocity to the cycle time
/// and compared with every truth object at that time.
/// </remarks>
internal sealed class PictureLogWriter : IDisposable
{
    /// <summary>Association distance for truth labels (m).</summary>
    public const double LabelDistanceM = 3_000;

    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _json;

    public PictureLogWriter(string path)
    {
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _json = new Utf8JsonWriter(_stream);
    }

    public void Write(long cycle, double simTime, NodeCycle output, TruthPoint[] truth, long publishedMicros, long doneMicros, bool partitioned, ReadOnlySpan<Nation> absent = default, long behindMs = 0)
    {
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteNumber("cycle", cycle);
        _json.WriteNumber("t", simTime);
        _json.WriteString("hash", output.TrackTableHash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
        _json.WriteNumber("pub", publishedMicros);
        _json.WriteNumber("done", doneMicros);
        _json.WriteBoolean("partitioned", partitioned);
        _json.WriteNumber("behind", behindMs);
        _json.WriteStartArray("absent");
        foreach (var n in absent)
        {
            _json.WriteStringValue(n.Code);
        }

        _json.WriteEndArray();
        _json.WriteStartArray("tracks");
        for (var i = 0; i < output.Picture.Length; i++)
        {
            var p = output.Picture[i];
            var ecef = Wgs84.GeodeticToEcef(p.Position) + (new EnuFrame(p.Position).RotateToEcef(p.VelocityEnu) * (output.Time - p.Time).TotalSeconds);
            _json.WriteStartArray();
            _json.WriteNumberValue(p.Number.Value);
            _json.WriteNumberValue(Nearest(ecef, truth));
            if (i < output.ReportMarkings.Length && output.ReportMarkings[i] is { } m)
            {
                _json.WriteNumberValue((int)m.Classification);
                _json.WriteStartArray();
                foreach (var n in m.ReleasableTo)
                {
                    _json.WriteStringValue(n.Code);
                }

                _json.WriteEndArray();
            }

            _json.WriteEndArray();
        }

        _json.WriteEndArray();
        _json.WriteStartArray("notices");
        foreach (var n in output.Notices)
        {
            _json.WriteStartArray();
            _json.WriteNumberValue((int)n.Kind);
            _json.WriteNumberValue(n.Kept.Value);
            _json.WriteNumberValue(n.Retired.Value);
            _json.WriteEndArray();
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        _stream.WriteByte((byte)'\n');
        _stream.Flush();
    }

    private static int Nearest(Vec3 ecef, TruthPoint[] truth)
    {
        var best = -1;
        var bestD2 = LabelDistanceM * LabelDistanceM;
        foreach (var t in truth)
        {
            var d = t.Ecef - ecef;
            var d2 = (d.X * d.X) + (d.Y * d.Y) + (d.Z * d.Z);
            if (d2 < bestD2)
            {
                bestD2 = d2;
                best = t.Id;
            }
        }

        return best;
    }

    public void Dispose()
    {
        _json.Dispose();
        _stream.Dispose();
    }
}
