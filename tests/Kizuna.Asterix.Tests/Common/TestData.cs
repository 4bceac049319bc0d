using System.Buffers.Binary;
using Kizuna.TestSupport;

namespace Kizuna.Asterix.Tests.Common;

/// <summary>Test-only helpers: a minimal classic-pcap UDP payload extractor and a collecting sink.</summary>
internal static class TestData
{
    public static string Asterix(params string[] parts) => Paths.SharedData(["asterix", .. parts]);

    /// <summary>UDP payloads of an Ethernet/IPv4 classic pcap (little-endian header, as the recordings are).</summary>
    public static List<byte[]> UdpPayloads(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var list = new List<byte[]>();
        var pos = 24;
        while (pos + 16 <= bytes.Length)
        {
            var incl = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(pos + 8));
            var frame = bytes.AsSpan(pos + 16, incl);
            pos += 16 + incl;
            var eth = 14;
            if (BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) == 0x8100)
            {
                eth = 18;
            }

            var ihl = (frame[eth] & 0x0F) * 4;
            var udp = eth + ihl;
            var udpLen = BinaryPrimitives.ReadUInt16BigEndian(frame[(udp + 4)..]);
            list.Add(frame.Slice(udp + 8, udpLen - 8).ToArray());
        }

        return list;
    }
}

internal sealed class CollectingSink : IAsterixRecordSink
{
    public List<(int Category, byte[] Raw)> Records { get; } = [];

    public List<(DecodeStatus Status, int Offset)> Rejected { get; } = [];

    public Action<AsterixRecord>? OnEach { get; set; }

    public void OnRecord(AsterixRecord record)
    {
        Records.Add((record.Category, record.RawBytes.ToArray()));
        OnEach?.Invoke(record);
    }

    public void OnRejected(DecodeStatus status, int offset) => Rejected.Add((status, offset));
}

internal sealed class CountingSink : IAsterixRecordSink
{
    public int Count { get; set; }

    public long Sum { get; set; }

    public void OnRecord(AsterixRecord record)
    {
        Count++;
        Sum += record.Cat048.RhoRaw;
    }

    public void OnRejected(DecodeStatus status, int offset)
    {
    }
}

/// <summary>Parses the CroatiaControl text decode: per data record its hex bytes and "item|field" → raw value.</summary>
internal static class ReferenceText
{
    public sealed record RefRecord(int Category, string Hex, Dictionary<string, string> Values);

    public static List<RefRecord> Parse(string path)
    {
        var list = new List<RefRecord>();
        var category = 0;
        RefRecord? current = null;
        var item = "";
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("Category: ", StringComparison.Ordinal))
            {
                category = int.Parse(line[10..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("Data Record", StringComparison.Ordinal))
            {
                current = new RefRecord(category, "", []);
                list.Add(current);
            }
            else if (current is not null && line.StartsWith("HexData: ", StringComparison.Ordinal) && current.Hex.Length == 0)
            {
                list[^1] = current = current with { Hex = line[9..].Trim() };
            }
            else if (line.StartsWith("Item ", StringComparison.Ordinal))
            {
                item = line.Substring(5, 3);
            }
            else if (current is not null && line.StartsWith('\t'))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    var key = item + "|" + line[1..colon].Trim();
                    var value = line[(colon + 1)..].Trim();
                    var paren = value.IndexOf(" (", StringComparison.Ordinal);
                    current.Values.TryAdd(key, paren > 0 ? value[..paren] : value);
                }
            }
        }

        return list;
    }
}
