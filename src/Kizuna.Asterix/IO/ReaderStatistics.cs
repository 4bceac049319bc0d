namespace Kizuna.Asterix.IO;

/// <summary>
/// Counters of one reader: packets and payloads handed out, and issues per reason with the offsets
/// of the first <see cref="MaxRecordedIssues"/> of them.
/// </summary>
/// <remarks>Thread-safe for one writer (the reader) and any number of readers of the counters.</remarks>
public sealed class ReaderStatistics
{
    private readonly long[] _issues = new long[Enum.GetValues<ReadIssue>().Length];
    private readonly List<ReadIssueEvent> _events = [];
    private readonly Lock _lock = new();
    private long _packets;
    private long _payloads;
    private long _payloadBytes;

    /// <summary>Creates empty statistics that keep at most <paramref name="maxRecordedIssues"/> issue events.</summary>
    public ReaderStatistics(int maxRecordedIssues = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRecordedIssues);
        MaxRecordedIssues = maxRecordedIssues;
    }

    /// <summary>How many issue events are kept with their offsets (all are counted).</summary>
    public int MaxRecordedIssues { get; }

    /// <summary>Captured packets (pcap/pcapng records, UDP datagrams) examined; raw files count blocks.</summary>
    public long Packets => Interlocked.Read(ref _packets);

    /// <summary>Payloads handed to the caller.</summary>
    public long Payloads => Interlocked.Read(ref _payloads);

    /// <summary>Bytes in the payloads handed to the caller.</summary>
    public long PayloadBytes => Interlocked.Read(ref _payloadBytes);

    /// <summary>How many times <paramref name="issue"/> occurred (for <see cref="ReadIssue.ResyncSkipped"/>: bytes skipped).</summary>
    public long Count(ReadIssue issue) => Interlocked.Read(ref _issues[(int)issue]);

    /// <summary>Total of all issue counts that are errors (excludes <see cref="ReadIssue.NotIp"/> and <see cref="ReadIssue.NotUdp"/>).</summary>
    public long ErrorCount
    {
        get
        {
            long sum = 0;
            foreach (var issue in Enum.GetValues<ReadIssue>())
            {
                if (issue is not (ReadIssue.NotIp or ReadIssue.NotUdp))
                {
                    sum += Count(issue);
                }
            }

            return sum;
        }
    }

    /// <summary>A copy of the recorded issue events (at most <see cref="MaxRecordedIssues"/>).</summary>
    public IReadOnlyList<ReadIssueEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    internal void AddPacket() => Interlocked.Increment(ref _packets);

    internal void AddPayload(int bytes)
    {
        Interlocked.Increment(ref _payloads);
        Interlocked.Add(ref _payloadBytes, bytes);
    }

    internal void Add(ReadIssue issue, long offset, long count = 1)
    {
        Interlocked.Add(ref _issues[(int)issue], count);
        if (_events.Count < MaxRecordedIssues)
        {
            lock (_lock)
            {
                if (_events.Count < MaxRecordedIssues)
                {
                    _events.Add(new ReadIssueEvent(issue, offset, count));
                }
            }
        }
    }
}
