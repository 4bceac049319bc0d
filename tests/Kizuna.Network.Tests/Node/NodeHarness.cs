using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Network.Messages;
using Kizuna.Network.Node;

namespace Kizuna.Network.Tests.Node;

/// <summary>Straight-line targets near Tokyo, seeded noisy ECEF plots and hand-made remote reports.</summary>
internal static class NodeHarness
{
    public static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly Vec3 Origin = Geodetic.FromDegrees(35.0, 139.0, 9_000).ToEcef();

    public static PictureRules FastRules => PictureRules.Default with { ReportInterval = TimeSpan.Zero };

    public static NationalNode NewNode(Nation nation, params Nation[] cluster) => new(new NodeOptions
    {
        Nation = nation,
        MeasurementCluster = [.. cluster],
        Rules = FastRules,
    });

    /// <summary>Target <paramref name="k"/>: 5 km apart, 220 m/s, at time t.</summary>
    public static Vec3 Position(int k, double t) => Origin + new Vec3(5_000.0 * k, 0, 0) + (Velocity(k) * t);

    public static Vec3 Velocity(int k) => new(0, 220, k % 2 == 0 ? 0 : 10);

    public static Detection Plot(double t, string sensor, Nation nation, Vec3 truth, double sigma, Random rng, int truthId = 1) =>
        new(T0.AddSeconds(t), sensor, nation, MeasurementKind.PositionEcef,
            truth + new Vec3(Gauss(rng) * sigma, Gauss(rng) * sigma, Gauss(rng) * sigma),
            Mat3.Diagonal(sigma * sigma, sigma * sigma, sigma * sigma), default, truthId);

    public static TrackReport Report(Nation reporter, int number, double t, Vec3 position, Vec3 velocity, int quality, double sigma = 40) =>
        new(reporter, new TrackNumber(number), 7, T0.AddSeconds(t), position, velocity,
            Mat3.Diagonal(sigma * sigma, sigma * sigma, sigma * sigma), Mat3.Diagonal(25, 25, 25), quality,
            TrackKind.Aircraft, Affiliation.Unknown, 0, ["SPY-1"], Marking.RelTo(reporter, Classification.Secret, Nation.Japan, Nation.Australia, Nation.Usa));

    public static double Gauss(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Runs a JPN node alone on target 0 seen by one sensor and returns its local track quality after each step.</summary>
    public static int[] LocalQualities(int steps, double sigma, int seed)
    {
        var node = NewNode(Nation.Japan);
        var rng = new Random(seed);
        var q = new int[steps];
        for (var s = 0; s < steps; s++)
        {
            node.ReceiveDetections([Plot(s, "JPN-R1", Nation.Japan, Position(0, s), sigma, rng)]);
            node.Step(T0.AddSeconds(s));
            q[s] = node.Tracker.Tracks.Length > 0 ? node.Tracker.Tracks[0].Quality.Value : -1;
        }

        return q;
    }

    public static ImmutableArray<TrackNumberNotice> Notices(IEnumerable<NodeCycle> cycles, TrackNumberNoticeKind kind) =>
        [.. cycles.SelectMany(c => c.Notices).Where(n => n.Kind == kind)];
}
