using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Network.Messages;
using Kizuna.Network.Wire;
using static Kizuna.Network.Tests.TestData;

namespace Kizuna.Network.Tests.Wire;

/// <summary>The receiver's decode cache and the span fast path for track reports (issue 5, allocation-free receive).</summary>
public sealed class WireDecodeCacheTests
{
    /// <summary>Reports varied over every field the fast path reads (deterministic seed), with notices and a batch in between.</summary>
    private static ICoalitionMessage[] Varied(int count)
    {
        var rng = new Random(5);
        var messages = new List<ICoalitionMessage>();
        for (var i = 0; i < count; i++)
        {
            var reporter = i % 3 == 0 ? Usa : i % 3 == 1 ? Jpn : Aus;
            var sensors = (i % 4) switch
            {
                0 => System.Collections.Immutable.ImmutableArray<string>.Empty,
                1 => ["USA-TPY-2-Guam"],
                2 => ["JPN-FPS-5-Sado", "JPN-E-2D-1"],
                _ => ["AUS-JORN-1", "AUS-E-7-2", "AUS-HOBART-3"],
            };
            messages.Add(Track(reporter, RelAll(reporter, (Classification)(i % 4)), number: i % 5 == 0 ? -i : i * 977) with
            {
                LocalTrackId = i % 7 == 0 ? long.MaxValue - i : i,
                Time = T0.AddTicks(rng.NextInt64(0, TimeSpan.TicksPerDay)),
                PositionEcef = new Vec3(rng.NextDouble() * 7e6, -rng.NextDouble() * 7e6, double.Epsilon * i),
                VelocityEcef = new Vec3(rng.NextDouble() * 300, 0, -0.0),
                Quality = i % 16,
                Kind = (TrackKind)(i % ((int)TrackKind.Interceptor + 1)),
                Affiliation = (Affiliation)(i % ((int)Affiliation.Hostile + 1)),
                Identity = i % 2 == 0 ? 0u : uint.MaxValue - (uint)i,
                Sensors = sensors,
            });
            if (i % 50 == 25)
            {
                messages.Add(Notice(Usa));
                messages.Add(Batch(Jpn, i));
            }
        }

        return [.. messages];
    }

    private static byte[] Frame(ICoalitionMessage[] messages, long firstSequence = 1)
    {
        var writer = new WireFrameWriter(256);
        for (var i = 0; i < messages.Length; i++)
        {
            writer.Add(Usa, firstSequence + (i * 300L), messages[i]);
        }

        return writer.Complete().ToArray();
    }

    [Fact]
    public void TryDecodeFrame_WithCache_DecodesTheSameMessagesAsWithout()
    {
        var messages = Varied(400);
        var bytes = Frame(messages);
        var cache = new WireDecodeCache();
        var plain = new List<WireEnvelope>();
        var cold = new List<WireEnvelope>();
        var warm = new List<WireEnvelope>();

        Assert.Equal(WireStatus.Ok, WireCodec.TryDecodeFrame(bytes, plain));
        Assert.Equal(WireStatus.Ok, WireCodec.TryDecodeFrame(bytes, cold, cache));
        Assert.Equal(WireStatus.Ok, WireCodec.TryDecodeFrame(bytes, warm, cache));

        Assert.Equal(messages.Length, warm.Count);
        for (var i = 0; i < messages.Length; i++)
        {
            var expected = WireCodec.Encode(Usa, plain[i].Sequence, plain[i].Message);
            Assert.Equal(expected, WireCodec.Encode(Usa, cold[i].Sequence, cold[i].Message));
            Assert.Equal(expected, WireCodec.Encode(warm[i].Sender, warm[i].Sequence, warm[i].Message));
            Assert.Equal(plain[i].SchemaVersion, warm[i].SchemaVersion);
            Assert.Equal(plain[i].Type, warm[i].Type);
            Assert.Equal(plain[i].Message.Marking, warm[i].Message.Marking);
        }

        // The second pass took (nearly) everything from the cache.
        Assert.True(cache.Hits > cache.Misses, $"hits {cache.Hits}, misses {cache.Misses}");
    }

    [Fact]
    public void TryDecodeFrame_WarmCache_AllocatesOnlyTheReports()
    {
        ICoalitionMessage[] reports = [.. Enumerable.Range(1, 200).Select(i => Track(Usa, number: i))];
        var bytes = Frame(reports);
        var cache = new WireDecodeCache();
        var envelopes = new List<WireEnvelope>(256);
        Assert.Equal(WireStatus.Ok, WireCodec.TryDecodeFrame(bytes, envelopes, cache));
        envelopes.Clear();
        Assert.Equal(WireStatus.Ok, WireCodec.TryDecodeFrame(bytes, envelopes, cache));
        envelopes.Clear();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var status = WireCodec.TryDecodeFrame(bytes, envelopes, cache);
        var perReport = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)reports.Length;

        Assert.Equal(WireStatus.Ok, status);
        Assert.Equal(200, envelopes.Count);

        // One TrackReport object (≈ 270 B: 24 doubles, a marking, a sensor list, …) and nothing else;
        // without the cache a report cost ≈ 950 B (markings, nation and sensor strings, lists).
        Assert.InRange(perReport, 1, 320);
        Assert.Same(envelopes[0].Message.Marking, envelopes[199].Message.Marking);
    }

    [Fact]
    public void TryDecodeFrame_WithCache_EveryTruncationAndBitFlipGivesTheSameStatusAsWithout()
    {
        var bytes = Frame(Varied(12));
        var cache = new WireDecodeCache();
        var a = new List<WireEnvelope>();
        var b = new List<WireEnvelope>();
        Assert.Equal(WireStatus.Ok, WireCodec.TryDecodeFrame(bytes, b, cache));
        for (var n = 0; n < bytes.Length; n++)
        {
            a.Clear();
            b.Clear();
            Assert.Equal(WireCodec.TryDecodeFrame(bytes.AsMemory(0, n), a), WireCodec.TryDecodeFrame(bytes.AsMemory(0, n), b, cache));
            Assert.Empty(b);
        }

        var flipped = (byte[])bytes.Clone();
        for (var n = 0; n < bytes.Length; n++)
        {
            flipped[n] ^= 0x41;
            a.Clear();
            b.Clear();
            var plain = WireCodec.TryDecodeFrame(flipped, a);
            var cached = WireCodec.TryDecodeFrame(flipped, b, cache);
            Assert.Equal(plain, cached);
            Assert.Equal(a.Count, b.Count);
            for (var i = 0; i < a.Count; i++)
            {
                Assert.Equal(WireCodec.Encode(Usa, a[i].Sequence, a[i].Message), WireCodec.Encode(Usa, b[i].Sequence, b[i].Message));
            }

            flipped[n] = bytes[n];
        }
    }

    [Fact]
    public void WireDecodeCache_EverNewSensorIds_DecodesCorrectlyAndCachesAtMostItsBound()
    {
        ICoalitionMessage[] reports = [.. Enumerable.Range(1, 1_000).Select(i => Track(Usa, number: i) with { Sensors = ["S-" + i] })];
        var bytes = Frame(reports);
        var cache = new WireDecodeCache();
        var envelopes = new List<WireEnvelope>();

        Assert.Equal(WireStatus.Ok, WireCodec.TryDecodeFrame(bytes, envelopes, cache));
        envelopes.Clear();
        Assert.Equal(WireStatus.Ok, WireCodec.TryDecodeFrame(bytes, envelopes, cache));

        Assert.Equal(Enumerable.Range(1, 1_000).Select(i => "S-" + i), envelopes.Select(e => ((TrackReport)e.Message).Sensors[0]));

        // Second pass: the last 64 sensor ids (and lists) of the first pass were cached, nothing older,
        // so at least 2 × (1,000 − 64) lookups missed.
        Assert.True(cache.Misses >= 2 * 2 * (1_000 - WireDecodeCache.MaxEntries), $"misses {cache.Misses}");
    }
}
