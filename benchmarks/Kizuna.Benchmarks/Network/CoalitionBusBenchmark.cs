using System.Buffers;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Network.Bus;
using Kizuna.Network.Messages;
using Kizuna.Network.Sharing;
using Kizuna.Network.Wire;

namespace Kizuna.Benchmarks.Network;

/// <summary>
/// Per-message cost of the coalition bus (issue 5), with allocations (MemoryDiagnoser via
/// <see cref="KizunaConfig"/>): one USA track report published on the <see cref="InProcessBus"/>
/// with the trilateral agreements (released to JPN full precision, to AUS full precision, to GBR
/// rounded to 500 m) and applied by the three receivers to their picture tables; and the wire
/// path of one released copy (encode, decode + apply). The end-to-end 10,000-track latency run is
/// <see cref="CoalitionNetworkRun"/> (<c>-- network [--nats]</c>).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class CoalitionBusBenchmark
{
    private const int FrameReports = 280;
    private static readonly Nation[] Receivers = [Nation.Japan, Nation.Australia, Nation.UnitedKingdom];
    private readonly Dictionary<(Nation, long), (DateTime Time, Vec3 Position)> _picture = new(1024);
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private InProcessBus _bus = null!;
    private IBusSubscription[] _subscriptions = [];
    private TrackReport _report = null!;
    private ICoalitionMessage _releasedToJapan = null!;
    private byte[] _encoded = [];
    private byte[] _frame = [];
    private readonly List<WireEnvelope> _envelopes = new(FrameReports);
    private readonly WireDecodeCache _cache = new();

    [GlobalSetup]
    public void Setup()
    {
        var agreements = AgreementFile.Load(RepoFiles.Find("scenarios/agreements-trilateral.yaml"));
        var policy = new ReleasePolicy(agreements, NullReleaseAuditLog.Instance, TimeProvider.System);
        _bus = new InProcessBus(policy);
        _subscriptions = [.. Receivers.Select(n => _bus.SubscribeAsync(n).AsTask().GetAwaiter().GetResult())];
        var marking = Marking.RelTo(Nation.Usa, Classification.Restricted, Receivers);
        var gen = new SyntheticCoalition(Nation.Usa, Geodetic.FromDegrees(13.45, 144.79, 100), 1, seed: 1, marking);
        _report = gen.Report(0, new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc));
        _releasedToJapan = policy.Decide(Nation.Usa, Nation.Japan, _report).Released!;
        _encoded = WireCodec.Encode(Nation.Usa, 1, _releasedToJapan);
        var frame = new WireFrameWriter();
        for (var i = 0; i < FrameReports; i++)
        {
            frame.Add(Nation.Usa, i + 1, gen.Report(0, _report.Time.AddSeconds(i)));
        }

        _frame = frame.Complete().ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _bus.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Publish one track report in-process: 3 release decisions (one degraded copy for GBR), 3 queued deliveries, 3 picture updates.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> InProcess_PublishDeliverApply_OneReportToThreePartners()
    {
        await _bus.PublishAsync(Nation.Usa, _report).ConfigureAwait(false);
        var applied = 0;
        foreach (var sub in _subscriptions)
        {
            while (sub.Reader.TryRead(out var d))
            {
                if (d.Message is TrackReport r)
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(_picture, (r.Reporter, r.LocalTrackId), out _) = (r.Time, r.PositionEcef);
                    applied++;
                }
            }
        }

        return applied;
    }

    /// <summary>Encode one released track report (envelope + payload) into a reused buffer.</summary>
    [Benchmark]
    public int Wire_EncodeReleasedReport()
    {
        _buffer.ResetWrittenCount();
        WireCodec.Encode(_buffer, Nation.Usa, 1, _releasedToJapan);
        return _buffer.WrittenCount;
    }

    /// <summary>Decode one track report from its bytes and apply it to a picture table (the NATS receive path without the client).</summary>
    [Benchmark]
    public int Wire_DecodeAndApplyReport()
    {
        if (WireCodec.TryDecode(_encoded, out var envelope) == WireStatus.Ok && envelope.Message is TrackReport r)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_picture, (r.Reporter, r.LocalTrackId), out _) = (r.Time, r.PositionEcef);
            return 1;
        }

        return 0;
    }

    /// <summary>Per report: decode a frame of 280 track reports as a NATS receiver does (wip/natscore: warm <see cref="WireDecodeCache"/> + span fast path).</summary>
    [Benchmark(OperationsPerInvoke = FrameReports)]
    public int Wire_DecodeFrameWithCache_PerReport()
    {
        _envelopes.Clear();
        return WireCodec.TryDecodeFrame(_frame, _envelopes, _cache) == WireStatus.Ok ? _envelopes.Count : 0;
    }

    /// <summary>Per report: the same frame without a cache (the general MessagePack reader; before wip/natscore).</summary>
    [Benchmark(OperationsPerInvoke = FrameReports)]
    public int Wire_DecodeFrameWithoutCache_PerReport()
    {
        _envelopes.Clear();
        return WireCodec.TryDecodeFrame(_frame, _envelopes) == WireStatus.Ok ? _envelopes.Count : 0;
    }
}
