using BenchmarkDotNet.Attributes;
using Kizuna.Asterix;
using Kizuna.Asterix.Cat062;

namespace Kizuna.Benchmarks.Asterix;

/// <summary>
/// Decode throughput from memory: CAT048 (256 copies of the cat048.raw record, in MB/s), CAT021 (256 copies of the jASTERIX
/// ed. 2.1 record) and CAT062 (128 copies each of the two CroatiaControl system tracks), the last two per record
/// (OperationsPerInvoke = 256, so Mean is the time of one record); and CAT062 encode of one track.
/// </summary>
[MemoryDiagnoser]
public class AsterixDecodeBenchmarks
{
    private readonly AsterixRecord _scratch = new();
    private readonly NullSink _sink = new();
    private readonly DecodeStatistics _stats = new();
    private readonly AsterixRecord[] _tracks = [new AsterixRecord()];
    private readonly byte[] _out = new byte[1024];
    private readonly AsterixDecoderOptions _cat021Options = AsterixDecoderOptions.Default with { Cat021 = Cat021Edition.Ed2_1 };
    private byte[] _cat048 = [];
    private byte[] _cat021 = [];
    private byte[] _cat062 = [];

    [GlobalSetup]
    public void Setup()
    {
        // 256 copies of one 45-octet CAT048 record (cat048.raw, SAC 25 / SIC 201) in blocks of 32 records.
        var block = File.ReadAllBytes(FindData("asterix", "croatiacontrol", "cat048.raw"));
        var record = block.AsSpan(3).ToArray();
        var one = new List<byte> { 48, 0, 0 };
        for (var i = 0; i < 32; i++) { one.AddRange(record); }
        one[1] = (byte)(one.Count >> 8);
        one[2] = (byte)one.Count;
        _cat048 = Enumerable.Repeat(one, 8).SelectMany(x => x).ToArray();
        _cat021 = Repeat(File.ReadAllBytes(FindData("asterix", "jasterix", "cat021ed2.1.bin")).AsSpan(3).ToArray(), 21, 256);
        // cat062cat065.raw: one CAT062 block (LEN 183) holding two tracks (66 and 114 octets), then a CAT065 block.
        var raw = File.ReadAllBytes(FindData("asterix", "croatiacontrol", "cat062cat065.raw"));
        var len = (raw[1] << 8) | raw[2];
        _cat062 = Repeat(raw.AsSpan(3, len - 3).ToArray(), 62, 128);
        var t = _tracks[0];
        t.Reset(62, Cat062Uap.Ed1_19);
        t.Cat062.Sac = 25; t.Cat062.Sic = 100; t.Cat062.TimeOfTrackRaw = 45827 * 128; t.Cat062.LatitudeRaw = 7674000; t.Cat062.LongitudeRaw = 2928000;
        t.Cat062.VxRaw = 915; t.Cat062.VyRaw = -189; t.Cat062.TrackNumber = 4713; t.Cat062.SetCallsign("RYR174C"); t.Cat062.TargetAddress = 0x4CA7A8;
        foreach (var frn in new[] { Cat062Frn.I010, Cat062Frn.I070, Cat062Frn.I105, Cat062Frn.I185, Cat062Frn.I040, Cat062Frn.I380 }) { t.Present = t.Present.With(frn); }
        t.SetItemBytes(Cat062Frn.I080, [0x41, 0x00]);
    }

    /// <summary>Bytes per CAT048 decode invocation (for MB/s).</summary>
    public int Cat048Bytes => _cat048.Length;

    [Benchmark]
    public void DecodeCat048_256Records() => AsterixDecoder.DecodeAll(_cat048, _scratch, _sink, AsterixDecoderOptions.Default, _stats);

    [Benchmark(OperationsPerInvoke = 256)]
    public void DecodeCat021_PerRecord() => AsterixDecoder.DecodeAll(_cat021, _scratch, _sink, _cat021Options, _stats);

    [Benchmark(OperationsPerInvoke = 256)]
    public void DecodeCat062_PerRecord() => AsterixDecoder.DecodeAll(_cat062, _scratch, _sink, AsterixDecoderOptions.Default, _stats);

    [Benchmark]
    public int EncodeCat062_OneTrack() => AsterixEncoder.WriteCat062Block(_out, _tracks);

    /// <summary>Blocks of <paramref name="category"/> holding <paramref name="copies"/> copies of <paramref name="records"/>, 32 copies per block.</summary>
    private static byte[] Repeat(byte[] records, int category, int copies)
    {
        var all = new List<byte>();
        for (var done = 0; done < copies; done += 32)
        {
            var block = new List<byte> { (byte)category, 0, 0 };
            for (var i = 0; i < 32 && done + i < copies; i++) { block.AddRange(records); }
            block[1] = (byte)(block.Count >> 8);
            block[2] = (byte)block.Count;
            all.AddRange(block);
        }

        return [.. all];
    }

    private static string FindData(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            var candidate = Path.Combine([dir.FullName, "shared", "data", .. parts]);
            if (File.Exists(candidate)) { return candidate; }
            candidate = Path.Combine([dir.FullName, "..", "shared", "data", .. parts]);
            if (File.Exists(candidate)) { return candidate; }
            dir = dir.Parent;
        }

        return Path.Combine(["/work/shared/data", .. parts]);
    }

    private sealed class NullSink : IAsterixRecordSink
    {
        public void OnRecord(AsterixRecord record)
        {
        }

        public void OnRejected(DecodeStatus status, int offset)
        {
        }
    }
}
