using System.Globalization;
using Kizuna.Core;

namespace Kizuna.Cli.Distributed;

/// <summary><c>kizuna demo --transport nats</c>: the demo with every nation as its own node process.</summary>
internal static class DistributedDemo
{
    /// <summary>Runs the nodes to the end, prints per-node figures and the coalition consistency; 0 on success.</summary>
    public static async Task<int> RunAsync(string scenarioPath, double? duration, string? natsUrl, CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("kizuna-demo-nats-").FullName;
        await using var run = await DistributedCoalition.StartAsync(scenarioPath, dir, natsUrl, ct).ConfigureAwait(false);
        Console.Out.WriteLine($"NATS coalition at {run.Url}; nodes {string.Join(", ", run.Nations)}; outputs in {run.OutputDirectory}");
        var extra = duration is { } d ? new[] { "--duration", d.ToString(CultureInfo.InvariantCulture) } : [];
        var nodes = run.Nations.Select(n => (Nation: n, Process: run.StartNode(scenarioPath, n, extra))).ToList();
        var ok = true;
        foreach (var (nation, process) in nodes)
        {
            if (!await DistributedCoalition.WaitAsync(process, TimeSpan.FromHours(2), ct).ConfigureAwait(false))
            {
                Console.Error.WriteLine($"node {nation} failed; see {Path.Combine(dir, nation.Code + ".log")}");
                ok = false;
            }
        }

        foreach (var (nation, _) in nodes)
        {
            if (run.ReadSummary(nation) is { } s)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{s.Nation}: {s.Cycles} cycles, {s.LateCycles} late, {s.PictureTracks} picture tracks, {s.MessagesPublished} messages published, {s.BytesSent:N0} bytes sent, {s.MessagesReceived} received, {s.WallSeconds:0.0} s"));
            }
        }

        var pictures = run.ReadPictures();
        var c = PictureAnalysis.Consistency(pictures, from: 30);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Coalition picture after 30 s: ambiguity {c.Ambiguity:0.000}, commonality {c.Commonality:0.000} ({c.ObjectCycles} object-cycles)."));
        return ok ? 0 : 1;
    }
}
