using Kizuna.Asterix.Common;

namespace Kizuna.Asterix.Tests.Common;

public sealed class RecordWalkerTests
{
    private static readonly Uap[] Uaps =
    [
        Kizuna.Asterix.Cat048.Cat048Uap.Ed1_31, Kizuna.Asterix.Cat034.Cat034Uap.Ed1_29, Kizuna.Asterix.Cat062.Cat062Uap.Ed1_19,
        Kizuna.Asterix.Cat021.Cat021Uap.Ed2_6, Kizuna.Asterix.Cat021.Cat021Uap.Ed2_1, Kizuna.Asterix.Cat021.Cat021Uap.Ed0_26,
        Kizuna.Asterix.Cat001.Cat001Uap.Ed1_2Plot, Kizuna.Asterix.Cat001.Cat001Uap.Ed1_2Track, Kizuna.Asterix.Cat002.Cat002Uap.Ed1_1,
        Kizuna.Asterix.Cat065.Cat065Uap.Ed1_5,
    ];

    /// <summary>The plain walk of ASTERIX Part 1 §4.3: FSPEC octets, then every present item in FRN order through the general shape walker.</summary>
    private static DecodeStatus Reference(ReadOnlySpan<byte> data, Uap uap, int[] offsets, int[] lengths, out ulong present, out int consumed)
    {
        present = 0;
        consumed = 0;
        var maxFspec = (uap.Count + 6) / 7;
        var fspecLen = 0;
        while (true)
        {
            if (fspecLen >= data.Length) { return DecodeStatus.FspecOverrun; }
            var b = data[fspecLen++];
            if ((b & 1) == 0) { break; }
            if (fspecLen >= maxFspec) { return DecodeStatus.FspecOverrun; }
        }

        var pos = fspecLen;
        for (var i = 0; i < fspecLen; i++)
        {
            for (var bit = 0; bit < 7; bit++)
            {
                if ((data[i] & (0x80 >> bit)) == 0) { continue; }
                var index = (i * 7) + bit;
                if (index >= uap.Count) { return DecodeStatus.FspecOverrun; }
                var status = RecordWalker.ItemLength(data[pos..], uap.Items[index], uap, out var len);
                if (status != DecodeStatus.Ok) { return status; }
                offsets[index] = pos;
                lengths[index] = len;
                present |= 1UL << index;
                pos += len;
            }
        }

        consumed = pos;
        return DecodeStatus.Ok;
    }

    [Fact]
    public void Walk_RandomRecordsOfEveryUap_SameResultAsGeneralShapeWalker()
    {
        var rng = new Random(7007);
        var buffer = new byte[160];
        var fastOffsets = new int[RecordWalker.MaxFrn];
        var fastLengths = new int[RecordWalker.MaxFrn];
        var refOffsets = new int[RecordWalker.MaxFrn];
        var refLengths = new int[RecordWalker.MaxFrn];
        var ok = 0;
        var byStatus = new Dictionary<DecodeStatus, int>();
        for (var i = 0; i < 40000; i++)
        {
            var uap = Uaps[rng.Next(Uaps.Length)];
            // Sparse FSPEC (each FRN present with probability 1/3), then small item octets so FX chains and REP counts stay short.
            var octets = rng.Next(1, ((uap.Count + 6) / 7) + 1);
            for (var o = 0; o < octets; o++)
            {
                var v = 0;
                for (var bit = 0; bit < 7; bit++) { if (rng.Next(3) == 0) { v |= 0x80 >> bit; } }
                buffer[o] = (byte)(v | (o < octets - 1 ? 1 : 0));
            }

            for (var k = octets; k < buffer.Length; k++) { buffer[k] = (byte)(rng.Next(5) == 0 ? rng.Next(256) : rng.Next(4)); }
            var length = rng.Next(octets, buffer.Length + 1);
            var data = buffer.AsSpan(0, length);

            var fast = RecordWalker.Walk(data, uap, fastOffsets, fastLengths, out var fastPresent, out var fastConsumed);
            var reference = Reference(data, uap, refOffsets, refLengths, out var refPresent, out var refConsumed);
            Assert.Equal(reference, fast);
            byStatus[fast] = byStatus.GetValueOrDefault(fast) + 1;
            if (fast != DecodeStatus.Ok) { continue; }
            ok++;
            Assert.Equal(refPresent, fastPresent);
            Assert.Equal(refConsumed, fastConsumed);
            for (var index = 0; index < uap.Count; index++)
            {
                if ((refPresent & (1UL << index)) == 0) { continue; }
                Assert.Equal((refOffsets[index], refLengths[index]), (fastOffsets[index], fastLengths[index]));
            }
        }

        // Both outcomes are exercised: many records walk to the end, and several kinds of damage are met.
        Assert.True(ok > 5000, $"only {ok} records walked to the end");
        Assert.True(byStatus.Count >= 3, string.Join(", ", byStatus.Select(kv => $"{kv.Key}={kv.Value}")));
    }

    [Fact]
    public void DecodeAll_Cat021RecordWithUndefinedFrn_InvalidValue()
    {
        // FSPEC octets 1..6 with FX, seventh octet sets FRN 43 (an undefined slot of the ed. 2.6 UAP).
        byte[] block = [21, 0, 10, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x80];
        var sink = new CollectingSink();
        AsterixDecoder.TryDecodeBlock(block, new AsterixRecord(), sink, AsterixDecoderOptions.Default, out _);
        Assert.Equal(DecodeStatus.InvalidValue, Assert.Single(sink.Rejected).Status);
    }
}
