using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Network.Bus;
using Kizuna.Network.Messages;
using Kizuna.Network.Node;
using Kizuna.Network.Sharing;
using Microsoft.Extensions.Time.Testing;
using static Kizuna.Network.Tests.Node.NodeHarness;

namespace Kizuna.Network.Tests.Node;

/// <summary>
/// An embedded coalition run (USA, JPN, AUS nodes on the in-process bus, the trilateral agreements
/// file) in which JPN originates every number and AUS later takes the objects over with its own,
/// JPN-free tracks — the case that sent JPN-block numbers to GBR before aliases.
/// </summary>
public sealed class AliasedReceiverRunTests
{
    private static readonly Nation[] Nodes = [Nation.Australia, Nation.Japan, Nation.Usa];

    [Fact]
    public async Task TrilateralRun_Gbr_ReceivesNoCoalitionBlockNumber()
    {
        var run = await RunAsync(TestData.Trilateral());

        Assert.True(run.GbrReports.Count > 20, $"only {run.GbrReports.Count} reports reached GBR");
        Assert.All(run.GbrReports, r => Assert.InRange(r.Number.Value, 40_000, 79_999));
        Assert.All(run.GbrNotices, n => Assert.True(!n.Kept.IsAssigned || n.Kept.Value is >= 40_000 and <= 79_999, $"notice number {n.Kept}"));
        Assert.All(run.GbrNotices, n => Assert.True(!n.Retired.IsAssigned || n.Retired.Value is >= 40_000 and <= 79_999, $"notice number {n.Retired}"));
        Assert.DoesNotContain(run.GbrNotices, n => n.Kind == TrackNumberNoticeKind.Takeover);
        Assert.All(run.GbrReports, r => Assert.Equal([Nation.UnitedKingdom], r.Marking.ReleasableTo));
    }

    [Fact]
    public async Task TrilateralRunWithCoalitionNumbers_Gbr_ReceivesJpnBlockNumbers()
    {
        // The same run with aliasing switched off: the leak the aliases close is really exercised.
        var run = await RunAsync(WithoutAliases(TestData.Trilateral()));

        Assert.Contains(run.GbrReports, r => r.Number.Value is >= 10_000 and <= 17_999);
    }

    [Fact]
    public async Task TrilateralRun_FullPartners_OneIdenticalCoalitionNumberPerObject()
    {
        var run = await RunAsync(TestData.Trilateral());

        var pictures = Nodes.Select(n => run.Final[n].Picture.Select(p => p.Number).Order().ToList()).ToList();
        Assert.Equal(6, pictures[0].Count);
        Assert.All(pictures, p => Assert.Equal(pictures[0], p));
        Assert.All(pictures[0], n => Assert.InRange(n.Value, 10_000, 17_999)); // JPN originated every number
    }

    [Fact]
    public async Task TrilateralRun_GbrAliases_OneStableAliasPerObject()
    {
        var run = await RunAsync(TestData.Trilateral());

        // Each object's reports at GBR (by truth: the nearest target) carry one alias for the whole run.
        // (Here AUS makes every GBR report; stability across reporters is Decide_HandoverUsaJpnUsa_….)
        var byObject = run.GbrReports.GroupBy(r => NearestTarget(r)).ToList();
        Assert.Equal(6, byObject.Count);
        Assert.All(byObject, g => Assert.Single(g.Select(r => r.Number).Distinct()));
    }

    private static int NearestTarget(TrackReport r)
    {
        var t = (r.Time - T0).TotalSeconds;
        return Enumerable.Range(0, 6).MinBy(k => (Position(k, t) - r.PositionEcef).Norm);
    }

    private static SharingAgreements WithoutAliases(SharingAgreements a) => SharingAgreements.Create(
        a.All.Select(x => SharingAgreement.Create(x.From, x.To, x.Share, x.PositionRoundingM, x.MaxClassification, x.ForwardTo)),
        a.Guides,
        a.GatewaySettings);

    private sealed record RunResult(List<TrackReport> GbrReports, List<TrackNumberNotice> GbrNotices, Dictionary<Nation, NodeCycle> Final);

    /// <summary>
    /// 90 one-second cycles, six targets: JPN's radar sees them from the start and stops at 40 s; AUS's
    /// sees them from 15 s. JPN originates the numbers; AUS adopts them from JPN's reports and takes
    /// over when JPN falls silent, so AUS reports JPN-block numbers with AUS-only tracks.
    /// </summary>
    private static async Task<RunResult> RunAsync(SharingAgreements agreements)
    {
        var policy = new ReleasePolicy(agreements, NullReleaseAuditLog.Instance, new FakeTimeProvider(new DateTimeOffset(T0)));
        await using var bus = new InProcessBus(policy);
        var everyone = ImmutableSortedSet.Create(Nation.Australia, Nation.Japan, Nation.Usa, Nation.UnitedKingdom);
        var nodes = Nodes.ToDictionary(n => n, n => new NationalNode(new NodeOptions
        {
            Nation = n,
            // USA confirms later than JPN (which sees the targets first), so it adopts JPN's numbers.
            Tracker = n == Nation.Usa ? new Kizuna.Tracking.Trackers.TrackerSettings { ConfirmHits = 6 } : new Kizuna.Tracking.Trackers.TrackerSettings(),
            Rules = FastRules with { ReportInterval = TimeSpan.FromSeconds(2) },
            ReleasableTo = everyone.Remove(n),
            Agreements = agreements,
        }));
        var subs = new Dictionary<Nation, IBusSubscription>();
        foreach (var n in everyone)
        {
            subs[n] = await bus.SubscribeAsync(n, new SubscriptionOptions(1 << 16), TestContext.Current.CancellationToken);
        }

        var rng = new Random(5);
        var gbrReports = new List<TrackReport>();
        var gbrNotices = new List<TrackNumberNotice>();
        var final = new Dictionary<Nation, NodeCycle>();
        for (var s = 0; s < 90; s++)
        {
            var time = T0.AddSeconds(s);
            foreach (var n in Nodes)
            {
                var plots = new List<Detection>();
                for (var k = 0; k < 6; k++)
                {
                    if (n == Nation.Japan && s < 40)
                    {
                        plots.Add(Plot(s, "JPN-R1", n, Position(k, s), 60, rng, k + 1));
                    }
                    else if (n == Nation.Australia && s >= 15)
                    {
                        plots.Add(Plot(s, "AUS-R1", n, Position(k, s), 40, rng, k + 1));
                    }
                }

                nodes[n].ReceiveDetections(plots.ToArray());
                await bus.PublishAsync(n, new DetectionBatch(n, time, s + 1, [.. plots], new Marking(Classification.Secret, n, everyone.Remove(n))), TestContext.Current.CancellationToken);
            }

            foreach (var (nation, sub) in subs)
            {
                while (sub.Reader.TryRead(out var d))
                {
                    if (nation == Nation.UnitedKingdom)
                    {
                        if (d.Message is TrackReport gr)
                        {
                            gbrReports.Add(gr);
                        }
                        else if (d.Message is TrackNumberNotice gn)
                        {
                            gbrNotices.Add(gn);
                        }

                        continue;
                    }

                    switch (d.Message)
                    {
                        case DetectionBatch b when b.Source != nation:
                            nodes[nation].Receive(b);
                            break;
                        case TrackReport r:
                            nodes[nation].Receive(r);
                            break;
                        case TrackNumberNotice nn:
                            nodes[nation].Receive(nn);
                            break;
                    }
                }
            }

            foreach (var n in Nodes)
            {
                var cycle = nodes[n].Step(time);
                final[n] = cycle;
                foreach (var m in cycle.Notices)
                {
                    await bus.PublishAsync(n, m, TestContext.Current.CancellationToken);
                }

                foreach (var r in cycle.Reports)
                {
                    await bus.PublishAsync(n, r, TestContext.Current.CancellationToken);
                }
            }
        }

        return new RunResult(gbrReports, gbrNotices, final);
    }
}
