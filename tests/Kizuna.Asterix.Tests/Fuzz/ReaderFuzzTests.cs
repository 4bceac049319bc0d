using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Kizuna.Asterix.IO;
using Kizuna.Asterix.Tests.IO;
using Kizuna.TestSupport;

namespace Kizuna.Asterix.Tests.Fuzz;

/// <summary>
/// Feeds random and mutated bytes (bit flips, truncations, length-field edits, splices of real blocks
/// and captures from ../shared/data) to the file/capture readers, the link/IP/UDP parser, the
/// ORADIS framer and the decoder. Nothing may throw (except the documented
/// <see cref="InvalidDataException"/> of <see cref="AsterixFileReader.Open(Stream, AsterixReaderOptions?, bool)"/>
/// for an unrecognised format) and nothing may hang: each input runs under a watchdog.
/// </summary>
/// <remarks>
/// Input i is a pure function of (seed, i) and the fixed corpus, so a failure is reproduced by its
/// seed and index (both printed, with the input as hex). The first <see cref="MinimumInputs"/> inputs
/// always run; then inputs continue until the budget: KIZUNA_FUZZ_SECONDS (default 8 s so the whole
/// suite stays near 20 s; set e.g. 600 for a long run), seed KIZUNA_FUZZ_SEED (default 20261126).
/// </remarks>
public sealed class ReaderFuzzTests
{
    private const int MinimumInputs = 3000;
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

    [Fact]
    public void Fuzz_RandomAndMutatedInputs_NothingThrowsOrHangs()
    {
        var seconds = double.TryParse(Environment.GetEnvironmentVariable("KIZUNA_FUZZ_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 8.0;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("KIZUNA_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var sd) ? sd : 20261126;
        var corpus = Corpus();
        var budget = TimeSpan.FromSeconds(seconds);

        var state = new WorkerState();
        var worker = new Thread(() => Work(seed, corpus, budget, state)) { IsBackground = true, Name = "fuzz" };
        worker.Start();
        while (!worker.Join(200))
        {
            var started = Volatile.Read(ref state.CurrentStarted);
            if (started != 0 && Stopwatch.GetElapsedTime(started) > HangLimit)
            {
                Assert.Fail($"Hang: input {Volatile.Read(ref state.CurrentIndex)} (seed {seed}) ran over {HangLimit.TotalSeconds} s. Input hex: {Convert.ToHexString(state.CurrentInput ?? [])}");
            }
        }

        if (state.Failure is { } failure)
        {
            Assert.Fail($"Input {state.CurrentIndex} (seed {seed}) threw {failure.GetType().Name}: {failure.Message}\nInput hex: {Convert.ToHexString(state.CurrentInput ?? [])}\n{failure}");
        }

        Assert.True(state.Inputs >= MinimumInputs, $"only {state.Inputs} inputs ran");
        var rate = state.Inputs / Math.Max(state.Elapsed.TotalSeconds, 1e-3);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"fuzz: seed {seed}, {state.Inputs} inputs ({state.Bytes / 1e6:F1} MB) in {state.Elapsed.TotalSeconds:F1} s = {rate:F0} inputs/s; {state.Payloads} payloads, {state.Records} records decoded");
    }

    private sealed class WorkerState
    {
        public long CurrentStarted;
        public int CurrentIndex;
        public byte[]? CurrentInput;
        public Exception? Failure;
        public long Inputs;
        public long Bytes;
        public long Payloads;
        public long Records;
        public TimeSpan Elapsed;
    }

    private static void Work(int seed, byte[][] corpus, TimeSpan budget, WorkerState state)
    {
        var start = Stopwatch.GetTimestamp();
        var sink = new CountingSink();
        var scratch = new AsterixRecord();
        try
        {
            for (var i = 0; i < MinimumInputs || Stopwatch.GetElapsedTime(start) < budget; i++)
            {
                var rng = new Random(HashCode.Combine(seed, i));
                var input = Make(rng, corpus);
                state.CurrentInput = input;
                Volatile.Write(ref state.CurrentIndex, i);
                Volatile.Write(ref state.CurrentStarted, Stopwatch.GetTimestamp());
                state.Payloads += RunOne(input, rng, scratch, sink);
                state.Inputs++;
                state.Bytes += input.Length;
            }
        }
        catch (Exception ex)
        {
            state.Failure = ex;
        }

        state.Records = sink.Records;
        state.Elapsed = Stopwatch.GetElapsedTime(start);
        Volatile.Write(ref state.CurrentStarted, 0);
    }

    private static long RunOne(byte[] input, Random rng, AsterixRecord scratch, CountingSink sink)
    {
        var options = AsterixReaderOptions.Default with
        {
            Framing = (AsterixFraming)rng.Next(3),
            Resync = rng.Next(4) == 0 ? ResyncPolicy.Stop : ResyncPolicy.ScanForward,
            MaxPacketLength = rng.Next(3) == 0 ? 64 + rng.Next(2048) : 262_144,
            MaxBlockLength = rng.Next(3) == 0 ? 64 + rng.Next(4096) : 1 << 20,
        };
        var decoder = AsterixDecoderOptions.Default with
        {
            Damage = rng.Next(2) == 0 ? DamagePolicy.SkipRecord : DamagePolicy.RejectBlock,
            Cat062 = rng.Next(2) == 0 ? Cat062Edition.Ed1_19 : Cat062Edition.Ed1_16,
        };
        long payloads = 0;

        // Auto-detected reader (the path `kizuna asterix dump` takes).
        IAsterixPayloadReader? reader = null;
        try
        {
            reader = AsterixFileReader.Open(new MemoryStream(input), options);
        }
        catch (InvalidDataException)
        {
            // documented: unrecognised format
        }

        if (reader is not null)
        {
            payloads += Drain(reader, scratch, sink, decoder);
        }

        // The raw reader on anything (it must resynchronise or stop on garbage).
        payloads += Drain(AstFileReader.Open(new MemoryStream(input), options), scratch, sink, decoder);

        // The frame parser on the input as a frame of every supported link type (and one unsupported).
        foreach (var linkType in (ReadOnlySpan<int>)[1, 113, 276, 101, 0, 147])
        {
            UdpFrameParser.TryParse(linkType, input, out var info);
            Assert.InRange(info.PayloadOffset + info.PayloadLength, 0, input.Length);
        }

        // The decoder directly on the bytes.
        AsterixDecoder.DecodeAll(input, scratch, sink, decoder, new DecodeStatistics());
        return payloads;
    }

    private static long Drain(IAsterixPayloadReader reader, AsterixRecord scratch, CountingSink sink, AsterixDecoderOptions decoder)
    {
        using (reader)
        {
            long n = 0;
            var stats = new DecodeStatistics();
            while (reader.TryRead(out var p))
            {
                n++;
                AsterixDecoder.DecodeAll(p.Data.Span, scratch, sink, decoder, stats);
            }

            return n;
        }
    }

    private static byte[] Make(Random rng, byte[][] corpus)
    {
        byte[] data;
        if (rng.Next(8) == 0)
        {
            data = new byte[rng.Next(0, 2048)];
            rng.NextBytes(data);
            if (data.Length >= 4 && rng.Next(2) == 0)
            {
                ReadOnlySpan<uint> magics = [0xA1B2C3D4, 0xD4C3B2A1, 0xA1B23C4D, 0x0A0D0D0A];
                BinaryPrimitives.WriteUInt32LittleEndian(data, magics[rng.Next(magics.Length)]);
            }

            return data;
        }

        data = (byte[])corpus[rng.Next(corpus.Length)].Clone();
        var mutations = 1 + rng.Next(3);
        for (var m = 0; m < mutations; m++)
        {
            data = rng.Next(6) switch
            {
                0 => FlipBits(data, rng),
                1 => data[..rng.Next(data.Length + 1)],
                2 => EditLength(data, rng),
                3 => Splice(data, corpus[rng.Next(corpus.Length)], rng),
                4 => Delete(data, rng),
                _ => Insert(data, rng),
            };
        }

        return data;
    }

    private static byte[] FlipBits(byte[] d, Random rng)
    {
        if (d.Length == 0)
        {
            return d;
        }

        for (var k = 1 + rng.Next(8); k > 0; k--)
        {
            d[rng.Next(d.Length)] ^= (byte)(1 << rng.Next(8));
        }

        return d;
    }

    private static byte[] EditLength(byte[] d, Random rng)
    {
        if (d.Length < 4)
        {
            return d;
        }

        ReadOnlySpan<uint> interesting = [0, 1, 2, 3, 4, 5, 8, 12, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF];
        var value = rng.Next(3) == 0 ? (uint)rng.Next() : interesting[rng.Next(interesting.Length)];
        var at = rng.Next(d.Length - 3);
        switch (rng.Next(3))
        {
            case 0: BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(at), (ushort)value); break;
            case 1: BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(at), value); break;
            default: BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(at), value); break;
        }

        return d;
    }

    private static byte[] Splice(byte[] a, byte[] b, Random rng) => [.. a.AsSpan(0, rng.Next(a.Length + 1)), .. b.AsSpan(rng.Next(b.Length + 1))];

    private static byte[] Delete(byte[] d, Random rng)
    {
        if (d.Length == 0)
        {
            return d;
        }

        var at = rng.Next(d.Length);
        var n = Math.Min(d.Length - at, 1 + rng.Next(16));
        return [.. d.AsSpan(0, at), .. d.AsSpan(at + n)];
    }

    private static byte[] Insert(byte[] d, Random rng)
    {
        var extra = new byte[1 + rng.Next(16)];
        rng.NextBytes(extra);
        var at = rng.Next(d.Length + 1);
        return [.. d.AsSpan(0, at), .. extra, .. d.AsSpan(at)];
    }

    private static byte[][] Corpus()
    {
        var list = new List<byte[]>();
        foreach (var folder in new[] { "croatiacontrol", "jasterix" })
        {
            foreach (var f in Directory.GetFiles(Path.Combine(Paths.SharedDataRoot, "asterix", folder)).Order(StringComparer.Ordinal))
            {
                if (!f.EndsWith(".txt", StringComparison.Ordinal))
                {
                    list.Add(File.ReadAllBytes(f));
                }
            }
        }

        var pcap = File.ReadAllBytes(TestData.Croatia("cat_034_048.pcap"));
        list.Add(PcapNg.FromPcap(pcap, bigEndian: false));
        list.Add(PcapNg.FromPcap(File.ReadAllBytes(TestData.Croatia("cat_001_002.pcap")), bigEndian: true));
        Assert.True(list.Count >= 19, $"corpus has {list.Count} files");
        return [.. list];
    }

    private sealed class CountingSink : IAsterixRecordSink
    {
        public long Records;
        public long Rejections;

        public void OnRecord(AsterixRecord record) => Records++;

        public void OnRejected(DecodeStatus status, int offset) => Rejections++;
    }
}
