using System.Buffers.Binary;
using System.Security.Cryptography;
using Kizuna.Core;
using Kizuna.Core.IO;

namespace Kizuna.Simulation.Engine;

/// <summary>
/// Writes a run to CSV files in a folder (docs/formats.md): <c>truth.csv</c>, <c>detections.csv</c>
/// and <c>events.csv</c>. Files are written under temporary names and renamed only by
/// <see cref="Complete"/>, so a failed or cancelled run leaves no half-written output.
/// </summary>
public sealed class CsvOutputSink : ISimulationSink, IDisposable
{
    /// <summary>Truth file header; the first eight columns are the tracker-evaluation truth format.</summary>
    public const string TruthHeader = "time_s,truth_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps,kind,name,side,red,lat_deg,lon_deg,alt_m,boosting";

    /// <summary>Events file header.</summary>
    public const string EventsHeader = "time_s,event,subject";

    private readonly string _directory;
    private readonly DateTime _epoch;
    private readonly CsvRowWriter _truth;
    private readonly CsvRowWriter _detections;
    private readonly CsvRowWriter _events;
    private bool _completed;

    /// <summary>Opens the three files in <paramref name="directory"/> (created if needed).</summary>
    public CsvOutputSink(string directory, DateTime epoch)
    {
        _directory = directory;
        _epoch = epoch;
        Directory.CreateDirectory(directory);
        _truth = CsvRowWriter.Create(Temp("truth.csv"));
        _truth.Header(TruthHeader);
        _detections = CsvRowWriter.Create(Temp("detections.csv"));
        _detections.Header(DetectionCsv.Header);
        _events = CsvRowWriter.Create(Temp("events.csv"));
        _events.Header(EventsHeader);
    }

    /// <inheritdoc/>
    public void OnTruth(double time, ReadOnlySpan<TruthRecord> truth)
    {
        foreach (ref readonly var r in truth)
        {
            if (r.Object.Kind is Motion.ObjectKind.GroundSite or Motion.ObjectKind.Satellite)
            {
                continue; // fixed infrastructure, given by the scenario file; not something to track
            }

            var p = r.State.PositionEcef;
            var v = r.State.VelocityEcef;
            var g = Core.Geodesy.Wgs84.EcefToGeodetic(p);
            _truth.Field(time, 6).Field(r.Object.Id).Field(p.X, 3).Field(p.Y, 3).Field(p.Z, 3).Field(v.X, 4).Field(v.Y, 4).Field(v.Z, 4)
                .Field(KindToken(r.Object.Kind)).Field(r.Object.Name).Field(r.Object.Side.Code).Field(r.Object.IsRed ? 1 : 0)
                .Field(g.LatitudeDeg, 7).Field(g.LongitudeDeg, 7).Field(g.HeightM, 2).Field(r.State.Boosting ? 1 : 0);
            _truth.EndRow();
        }
    }

    /// <inheritdoc/>
    public void OnDetections(double time, ReadOnlySpan<Detection> detections)
    {
        foreach (ref readonly var d in detections)
        {
            DetectionCsv.Write(_detections, d, _epoch);
        }
    }

    /// <inheritdoc/>
    public void OnEvent(SimulationEvent simulationEvent)
    {
        _events.Field(simulationEvent.Time, 6).Field(simulationEvent.Kind.ToString()).Field(simulationEvent.Subject);
        _events.EndRow();
    }

    /// <summary>Flushes and renames the files to their final names.</summary>
    public void Complete()
    {
        _truth.Dispose();
        _detections.Dispose();
        _events.Dispose();
        foreach (var name in new[] { "truth.csv", "detections.csv", "events.csv" })
        {
            File.Move(Temp(name), Path.Combine(_directory, name), overwrite: true);
        }

        _completed = true;
    }

    /// <summary>Closes the files; deletes the temporary files when <see cref="Complete"/> was not called.</summary>
    public void Dispose()
    {
        if (_completed)
        {
            return;
        }

        _truth.Dispose();
        _detections.Dispose();
        _events.Dispose();
        foreach (var name in new[] { "truth.csv", "detections.csv", "events.csv" })
        {
            File.Delete(Temp(name));
        }
    }

    /// <summary>Lower-case file token of an object kind.</summary>
    public static string KindToken(Motion.ObjectKind kind) => kind switch
    {
        Motion.ObjectKind.Aircraft => "aircraft",
        Motion.ObjectKind.CivilAircraft => "civil-aircraft",
        Motion.ObjectKind.CruiseMissile => "cruise-missile",
        Motion.ObjectKind.BallisticMissile => "ballistic-missile",
        Motion.ObjectKind.Ship => "ship",
        Motion.ObjectKind.GroundSite => "ground-site",
        Motion.ObjectKind.Satellite => "satellite",
        Motion.ObjectKind.Interceptor => "interceptor",
        _ => kind.ToString(),
    };

    private string Temp(string name) => Path.Combine(_directory, "." + name + ".partial");
}

/// <summary>
/// A SHA-256 over the binary content of every stream (truth, detections, events), for determinism
/// checks: the same scenario and seed must give the same hash.
/// </summary>
public sealed class HashingSink : ISimulationSink, IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _buffer = new byte[256];

    /// <summary>Hex digest of everything seen so far.</summary>
    public string HexDigest => Convert.ToHexString(_hash.GetCurrentHash());

    /// <inheritdoc/>
    public void OnTruth(double time, ReadOnlySpan<TruthRecord> truth)
    {
        foreach (ref readonly var r in truth)
        {
            var s = _buffer.AsSpan();
            BinaryPrimitives.WriteDoubleLittleEndian(s, time);
            BinaryPrimitives.WriteInt32LittleEndian(s[8..], r.Object.Id);
            WriteVec(s[12..], r.State.PositionEcef);
            WriteVec(s[36..], r.State.VelocityEcef);
            s[60] = r.State.Boosting ? (byte)1 : (byte)0;
            _hash.AppendData(s[..61]);
        }
    }

    /// <inheritdoc/>
    public void OnDetections(double time, ReadOnlySpan<Detection> detections)
    {
        foreach (ref readonly var d in detections)
        {
            var s = _buffer.AsSpan();
            BinaryPrimitives.WriteInt64LittleEndian(s, d.Time.Ticks);
            WriteVec(s[8..], d.Value);
            BinaryPrimitives.WriteDoubleLittleEndian(s[32..], d.Covariance.M00);
            BinaryPrimitives.WriteDoubleLittleEndian(s[40..], d.Covariance.M11);
            BinaryPrimitives.WriteDoubleLittleEndian(s[48..], d.Covariance.M22);
            BinaryPrimitives.WriteInt32LittleEndian(s[56..], d.TruthId);
            BinaryPrimitives.WriteUInt32LittleEndian(s[60..], d.Identity);
            s[64] = (byte)d.Kind;
            _hash.AppendData(s[..65]);
            _hash.AppendData(System.Text.Encoding.UTF8.GetBytes(d.SensorId));
        }
    }

    /// <inheritdoc/>
    public void OnEvent(SimulationEvent simulationEvent) =>
        _hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{simulationEvent.Time:R}|{simulationEvent.Kind}|{simulationEvent.Subject}"));

    /// <inheritdoc/>
    public void Dispose() => _hash.Dispose();

    private static void WriteVec(Span<byte> s, Vec3 v)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(s, v.X);
        BinaryPrimitives.WriteDoubleLittleEndian(s[8..], v.Y);
        BinaryPrimitives.WriteDoubleLittleEndian(s[16..], v.Z);
    }
}

/// <summary>Forwards every call to several sinks, in order.</summary>
public sealed class CompositeSink(params ISimulationSink[] sinks) : ISimulationSink
{
    /// <inheritdoc/>
    public void OnTruth(double time, ReadOnlySpan<TruthRecord> truth)
    {
        foreach (var s in sinks)
        {
            s.OnTruth(time, truth);
        }
    }

    /// <inheritdoc/>
    public void OnDetections(double time, ReadOnlySpan<Detection> detections)
    {
        foreach (var s in sinks)
        {
            s.OnDetections(time, detections);
        }
    }

    /// <inheritdoc/>
    public void OnEvent(SimulationEvent simulationEvent)
    {
        foreach (var s in sinks)
        {
            s.OnEvent(simulationEvent);
        }
    }
}

/// <summary>A sink that only counts (for benchmarks and summaries).</summary>
public sealed class CountingSink : ISimulationSink
{
    /// <summary>Detections seen.</summary>
    public long Detections { get; private set; }

    /// <summary>Truth records seen.</summary>
    public long TruthRecords { get; private set; }

    /// <summary>Events seen.</summary>
    public long Events { get; private set; }

    /// <inheritdoc/>
    public void OnTruth(double time, ReadOnlySpan<TruthRecord> truth) => TruthRecords += truth.Length;

    /// <inheritdoc/>
    public void OnDetections(double time, ReadOnlySpan<Detection> detections) => Detections += detections.Length;

    /// <inheritdoc/>
    public void OnEvent(SimulationEvent simulationEvent) => Events++;
}
