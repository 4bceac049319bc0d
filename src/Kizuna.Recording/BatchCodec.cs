using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;

namespace Kizuna.Recording;

/// <summary>
/// Encodes a batch of high-volume rows (truth, detections, picture tracks) into one blob of a
/// <c>*_batch</c> table (docs/recording.md "Batch blobs"): a string table, then the rows,
/// little-endian. Reused by the recorder's writer thread: no allocation per row once its buffers
/// have grown to the largest batch.
/// </summary>
/// <remarks>
/// Blob layout: <c>u16 n</c>, then n strings as <c>u16 byteLength, UTF-8 bytes</c>, then the rows;
/// a row refers to a string by its <c>u16</c> index. Times are <c>i64</c> microseconds since the
/// Unix epoch, reals IEEE 754 <c>f64</c>; geodetic angles are stored in radians so a read-back
/// position is bit-identical.
/// </remarks>
internal sealed class BatchEncoder
{
    /// <summary>Rows per blob at most (keeps a blob around 100–160 KB).</summary>
    public const int MaxRows = 1024;

    private readonly Dictionary<string, ushort> _index = new(StringComparer.Ordinal);
    private readonly List<string> _strings = [];
    private byte[] _rows = new byte[64 * 1024];
    private byte[] _blob = new byte[64 * 1024];
    private int _length;

    public int Count { get; private set; }

    public long MinTime { get; private set; }

    public long MaxTime { get; private set; }

    public void Reset()
    {
        _index.Clear();
        _strings.Clear();
        _length = 0;
        Count = 0;
        MinTime = long.MaxValue;
        MaxTime = long.MinValue;
    }

    /// <summary>Starts a row stamped <paramref name="micros"/> (written as its first field).</summary>
    public void BeginRow(long micros)
    {
        Count++;
        MinTime = Math.Min(MinTime, micros);
        MaxTime = Math.Max(MaxTime, micros);
        Int64(micros);
    }

    public void Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);
        _length += 8;
    }

    public void Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);
        _length += 4;
    }

    public void UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);
        _length += 4;
    }

    public void Double(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), value);
        _length += 8;
    }

    public void Byte(byte value)
    {
        Reserve(1)[0] = value;
        _length += 1;
    }

    public void String(string value)
    {
        if (!_index.TryGetValue(value, out var i))
        {
            if (_strings.Count == ushort.MaxValue)
            {
                throw new InvalidOperationException("Too many distinct strings in one batch.");
            }

            i = (ushort)_strings.Count;
            _strings.Add(value);
            _index[value] = i;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), i);
        _length += 2;
    }

    /// <summary>The finished blob (valid until the next <see cref="Reset"/>).</summary>
    public ReadOnlySpan<byte> Finish()
    {
        var size = 2 + _length;
        foreach (var s in _strings)
        {
            size += 2 + Encoding.UTF8.GetByteCount(s);
        }

        if (_blob.Length < size)
        {
            _blob = new byte[Math.Max(size, _blob.Length * 2)];
        }

        var span = _blob.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)_strings.Count);
        var at = 2;
        foreach (var s in _strings)
        {
            var n = Encoding.UTF8.GetBytes(s, span[(at + 2)..]);
            if (n > ushort.MaxValue)
            {
                throw new InvalidOperationException("A string longer than 65,535 UTF-8 bytes cannot be recorded in a batch.");
            }

            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)n);
            at += 2 + n;
        }

        _rows.AsSpan(0, _length).CopyTo(span[at..]);
        return span[..(at + _length)];
    }

    private Span<byte> Reserve(int bytes)
    {
        if (_length + bytes > _rows.Length)
        {
            Array.Resize(ref _rows, _rows.Length * 2);
        }

        return _rows.AsSpan(_length, bytes);
    }
}

/// <summary>Reads one blob written by <see cref="BatchEncoder"/>; throws <see cref="RecordingFormatException"/> on a damaged blob.</summary>
internal ref struct BatchDecoder
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string[] _strings;
    private int _at;

    public BatchDecoder(ReadOnlySpan<byte> blob)
    {
        _data = blob;
        var n = UInt16();
        _strings = new string[n];
        for (var i = 0; i < n; i++)
        {
            var length = UInt16();
            _strings[i] = Encoding.UTF8.GetString(Take(length));
        }
    }

    public readonly bool End => _at >= _data.Length;

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public byte Byte() => Take(1)[0];

    public string String()
    {
        var i = UInt16();
        return i < _strings.Length ? _strings[i] : throw new RecordingFormatException($"Damaged batch blob: string index {i} of {_strings.Length}.");
    }

    private ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    private ReadOnlySpan<byte> Take(int bytes)
    {
        if (bytes > _data.Length - _at)
        {
            throw new RecordingFormatException($"Damaged batch blob: {bytes} bytes wanted at offset {_at} of {_data.Length}.");
        }

        var s = _data.Slice(_at, bytes);
        _at += bytes;
        return s;
    }
}

/// <summary>The row layouts inside batch blobs (docs/recording.md "Batch blobs").</summary>
internal static class BatchRows
{
    private const byte DiagonalCovariance = 1;

    /// <summary>Detection flags bit 1 (schema version 4): the row ends with ṙ, σ²_ṙ and the sensor's ECEF velocity.</summary>
    private const byte HasRangeRate = 2;

    /// <summary>truth: time, truth_id i32, x y z vx vy vz f64 (ECEF m, m/s), identity u32.</summary>
    public static void Write(BatchEncoder e, in TruthState t)
    {
        e.BeginRow(RecordingSchema.ToMicros(t.Time));
        e.Int32(t.TruthId);
        e.Double(t.PositionEcef.X);
        e.Double(t.PositionEcef.Y);
        e.Double(t.PositionEcef.Z);
        e.Double(t.VelocityEcef.X);
        e.Double(t.VelocityEcef.Y);
        e.Double(t.VelocityEcef.Z);
        e.UInt32(t.Identity);
    }

    public static TruthState ReadTruth(ref BatchDecoder d) =>
        new(RecordingSchema.FromMicros(d.Int64()), d.Int32(), new Vec3(d.Double(), d.Double(), d.Double()), new Vec3(d.Double(), d.Double(), d.Double()), d.UInt32());

    /// <summary>
    /// detection: time, sensor_id str, nation str, kind i32, z0 z1 z2 f64, flags u8 (bit 0: R diagonal;
    /// bit 1: range rate), R as r00 r11 r22 when diagonal else r00 r01 r02 r11 r12 r22, site lat lon (rad)
    /// height (m) f64, truth_id i32, identity u32, then when bit 1 is set range_rate (m/s, positive
    /// receding) f64, range_rate_var (m²/s²) f64, sensor velocity vx vy vz (ECEF m/s) f64.
    /// </summary>
    /// <remarks>
    /// Bit 1 is set when any of <see cref="Detection.RangeRate"/> (not NaN), <see cref="Detection.RangeRateVariance"/>
    /// (not 0) or <see cref="Detection.SensorVelocity"/> (not zero) differs from its default, so every detection reads
    /// back bit-identical. Schema version 3 blobs never set bit 1 and read unchanged (no range rate).
    /// </remarks>
    public static void Write(BatchEncoder e, in Detection d)
    {
        e.BeginRow(RecordingSchema.ToMicros(d.Time));
        e.String(d.SensorId);
        e.String(d.Nation.Code);
        e.Int32((int)d.Kind);
        e.Double(d.Value.X);
        e.Double(d.Value.Y);
        e.Double(d.Value.Z);
        var r = d.Covariance;
        var diagonal = r.M01 == 0 && r.M02 == 0 && r.M12 == 0 && r.M10 == 0 && r.M20 == 0 && r.M21 == 0;
        var rangeRate = !double.IsNaN(d.RangeRate) || d.RangeRateVariance != 0 || d.SensorVelocity != default;
        e.Byte((byte)((diagonal ? DiagonalCovariance : 0) | (rangeRate ? HasRangeRate : 0)));
        e.Double(r.M00);
        if (!diagonal)
        {
            e.Double(r.M01);
            e.Double(r.M02);
        }

        e.Double(r.M11);
        if (!diagonal)
        {
            e.Double(r.M12);
        }

        e.Double(r.M22);
        e.Double(d.SensorSite.LatitudeRad);
        e.Double(d.SensorSite.LongitudeRad);
        e.Double(d.SensorSite.HeightM);
        e.Int32(d.TruthId);
        e.UInt32(d.Identity);
        if (rangeRate)
        {
            e.Double(d.RangeRate);
            e.Double(d.RangeRateVariance);
            e.Double(d.SensorVelocity.X);
            e.Double(d.SensorVelocity.Y);
            e.Double(d.SensorVelocity.Z);
        }
    }

    public static Detection ReadDetection(ref BatchDecoder d)
    {
        var time = RecordingSchema.FromMicros(d.Int64());
        var sensor = string.Intern(d.String());
        var nation = Nation.Parse(d.String());
        var kind = (MeasurementKind)d.Int32();
        var z = new Vec3(d.Double(), d.Double(), d.Double());
        Mat3 r;
        var flags = d.Byte();
        if ((flags & DiagonalCovariance) != 0)
        {
            r = Mat3.Diagonal(d.Double(), d.Double(), d.Double());
        }
        else
        {
            double r00 = d.Double(), r01 = d.Double(), r02 = d.Double(), r11 = d.Double(), r12 = d.Double(), r22 = d.Double();
            r = new Mat3(r00, r01, r02, r01, r11, r12, r02, r12, r22);
        }

        var site = new Geodetic(d.Double(), d.Double(), d.Double());
        var truthId = d.Int32();
        var identity = d.UInt32();
        if ((flags & HasRangeRate) == 0)
        {
            return new Detection(time, sensor, nation, kind, z, r, site, truthId, identity);
        }

        var rangeRate = d.Double();
        var variance = d.Double();
        var sensorVelocity = new Vec3(d.Double(), d.Double(), d.Double());
        return new Detection(time, sensor, nation, kind, z, r, site, truthId, identity, rangeRate, variance, sensorVelocity);
    }

    /// <summary>
    /// track: time, track_number i32, lat lon (rad) height (m) f64, ve vn vu f64 (m/s, ENU), sigma_m f64,
    /// quality u8, kind u8, affiliation u8, reporting_nation str, classification u8, originator str,
    /// releasable_to str (comma-separated), sensors str (comma-separated), identity u32.
    /// </summary>
    public static void Write(BatchEncoder e, PictureTrack t, string releasableTo, string sensors)
    {
        e.BeginRow(RecordingSchema.ToMicros(t.Time));
        e.Int32(t.Number.Value);
        e.Double(t.Position.LatitudeRad);
        e.Double(t.Position.LongitudeRad);
        e.Double(t.Position.HeightM);
        e.Double(t.VelocityEnu.X);
        e.Double(t.VelocityEnu.Y);
        e.Double(t.VelocityEnu.Z);
        e.Double(t.PositionSigmaM);
        e.Byte((byte)t.Quality);
        e.Byte((byte)t.Kind);
        e.Byte((byte)t.Affiliation);
        e.String(t.ReportingNation.Code);
        e.Byte((byte)t.Marking.Classification);
        e.String(t.Marking.Originator.Code);
        e.String(releasableTo);
        e.String(sensors);
        e.UInt32(t.Identity);
    }

    public static PictureTrack ReadTrack(ref BatchDecoder d, Func<long, string, string, Marking> marking, Func<string, ImmutableArray<string>> sensors)
    {
        var time = RecordingSchema.FromMicros(d.Int64());
        var number = new TrackNumber(d.Int32());
        var position = new Geodetic(d.Double(), d.Double(), d.Double());
        var velocity = new Vec3(d.Double(), d.Double(), d.Double());
        var sigma = d.Double();
        int quality = d.Byte();
        var kind = (TrackKind)d.Byte();
        var affiliation = (Affiliation)d.Byte();
        var reporting = Nation.Parse(d.String());
        long classification = d.Byte();
        var originator = d.String();
        var releasable = d.String();
        var sensorList = d.String();
        return new PictureTrack(number, time, position, velocity, sigma, quality, kind, affiliation, reporting,
            marking(classification, originator, releasable), sensors(sensorList), d.UInt32());
    }

    /// <summary>
    /// alert: time, id str, state u8, warned str, threat_tn i32, kind u8, asset str, impact lat lon (rad)
    /// height (m) f64, ellipse major minor (m) f64, orientation (rad, clockwise from north) f64,
    /// impact_us i64, classification u8, originator str, releasable_to str (comma-separated).
    /// </summary>
    public static void Write(BatchEncoder e, Alert a, string releasableTo)
    {
        e.BeginRow(RecordingSchema.ToMicros(a.Time));
        e.String(a.Id);
        e.Byte((byte)a.State);
        e.String(a.Warned.Code);
        e.Int32(a.Threat.Value);
        e.Byte((byte)a.Kind);
        e.String(a.AssetName);
        e.Double(a.PredictedImpact.LatitudeRad);
        e.Double(a.PredictedImpact.LongitudeRad);
        e.Double(a.PredictedImpact.HeightM);
        e.Double(a.EllipseSemiMajorM);
        e.Double(a.EllipseSemiMinorM);
        e.Double(a.EllipseOrientationRad);
        e.Int64(RecordingSchema.ToMicros(a.TimeOfImpact));
        e.Byte((byte)a.Marking.Classification);
        e.String(a.Marking.Originator.Code);
        e.String(releasableTo);
    }

    public static Alert ReadAlert(ref BatchDecoder d, Func<long, string, string, Marking> marking)
    {
        var time = RecordingSchema.FromMicros(d.Int64());
        var id = d.String();
        var state = (AlertState)d.Byte();
        var warned = Nation.Parse(d.String());
        var threat = new TrackNumber(d.Int32());
        var kind = (TrackKind)d.Byte();
        var asset = d.String();
        var impact = new Geodetic(d.Double(), d.Double(), d.Double());
        double major = d.Double(), minor = d.Double(), orientation = d.Double();
        var impactTime = RecordingSchema.FromMicros(d.Int64());
        long classification = d.Byte();
        var originator = d.String();
        var releasable = d.String();
        return new Alert(id, time, state, warned, threat, kind, asset, impact, major, minor, orientation, impactTime,
            marking(classification, originator, releasable));
    }

    /// <summary>release: time, from str, to str, item_kind str, item_id str, released u8 (0/1), rule str.</summary>
    public static void Write(BatchEncoder e, in ReleaseRow r)
    {
        e.BeginRow(r.Micros);
        e.String(r.From.Code);
        e.String(r.To.Code);
        e.String(r.ItemKind);
        e.String(r.ItemId);
        e.Byte(r.Released ? (byte)1 : (byte)0);
        e.String(r.Rule);
    }

    public static ReleaseDecisionRecord ReadRelease(ref BatchDecoder d)
    {
        var time = RecordingSchema.FromMicros(d.Int64());
        var from = Nation.Parse(d.String());
        var to = Nation.Parse(d.String());
        var kind = d.String();
        var id = d.String();
        var released = d.Byte() != 0;
        return new ReleaseDecisionRecord(time, from, to, kind, id, released, d.String());
    }
}

/// <summary>A queued release decision (a value: recording one allocates nothing).</summary>
internal readonly record struct ReleaseRow(long Micros, Nation From, Nation To, string ItemKind, string ItemId, bool Released, string Rule);
