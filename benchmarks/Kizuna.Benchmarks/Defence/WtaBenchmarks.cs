using BenchmarkDotNet.Attributes;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Defence;
using Kizuna.Defence.Assignment;
using Kizuna.Defence.Command;
using Kizuna.Defence.Weapons;

namespace Kizuna.Benchmarks.Defence;

/// <summary>
/// Weapon–target assignment at raid scale: 100 threats × 50 batteries (issue 6 goal: planned in
/// &lt; 50 ms). <see cref="Solve"/> times the WTA solver alone (MMR greedy + local search; the instance is
/// too large for the exact search) on an instance with the sparsity of a theatre (each battery
/// reaches ≈ 30 % of the threats, 8 rounds, salvos ≤ 2). <see cref="Plan"/> times the whole planner:
/// path sampling (1 s), 5,000 engagement windows, ROE, WTA and shoot-look-shoot staging, on 100
/// ballistic-like descents and 50 mixed batteries spread over a 600 km square. Seeded (42).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class WtaBenchmarks
{
    private static readonly DateTime T0 = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private WtaInstance _instance = null!;
    private List<Threat> _threats = null!;
    private List<Battery> _batteries = null!;
    private Dictionary<TrackNumber, Affiliation> _identities = null!;
    private RulesOfEngagement _roe = null!;
    private EngagementPlanner _planner = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        const int targets = 100;
        const int weapons = 50;
        var values = new double[targets];
        for (var j = 0; j < targets; j++)
        {
            values[j] = 1 + (99 * rng.NextDouble());
        }

        var pk = new double[weapons * targets];
        for (var k = 0; k < pk.Length; k++)
        {
            pk[k] = rng.NextDouble() < 0.3 ? 0.4 + (0.5 * rng.NextDouble()) : 0;
        }

        _instance = new WtaInstance(values, Enumerable.Repeat(8, weapons).ToArray(), pk, maxPerPair: 2);

        var centre = Geodetic.FromDegrees(35.0, 137.0, 0);
        var frame = new EnuFrame(centre);
        _threats = [];
        _identities = [];
        for (var j = 0; j < targets; j++)
        {
            var aim = new Vec3(rng.Next(-300_000, 300_000), rng.Next(-300_000, 300_000), 0);
            var bearing = rng.NextDouble() * 2 * Math.PI;
            var from = aim + new Vec3(600_000 * Math.Cos(bearing), 600_000 * Math.Sin(bearing), 300_000);
            var start = T0.AddSeconds(rng.Next(0, 60));
            var tn = new TrackNumber(1000 + j);
            _threats.Add(new Threat(tn, TrackKind.BallisticMissile, new LinePath(frame, from, aim, start, start.AddSeconds(300)),
                "asset", Nation.Japan, values[j], values[j]));
            _identities[tn] = Affiliation.Hostile;
        }

        Nation[] nations = [Nation.Usa, Nation.Japan, Nation.Australia];
        _batteries = [];
        for (var i = 0; i < weapons; i++)
        {
            var enu = new Vec3(rng.Next(-300_000, 300_000), rng.Next(-300_000, 300_000), 0);
            var type = WeaponCatalogue.All[i % 3]; // upper, lower, ship: the ballistic-capable layers
            _batteries.Add(new Battery($"B{i:D2}", nations[i % 3], frame.ToGeodetic(enu) with { HeightM = 0 }, type, 8, T0));
        }

        _roe = RulesOfEngagement.AllHold.WithStatus(Nation.Usa, WeaponControlStatus.Free)
            .WithStatus(Nation.Japan, WeaponControlStatus.Tight).WithStatus(Nation.Australia, WeaponControlStatus.Free);
        _planner = new EngagementPlanner();
        var plan = Plan();
        Console.WriteLine($"// plan: {plan.Shots.Length} rounds, {plan.FeasiblePairs} feasible pairs, expected rounds {plan.ExpectedRounds:F1}, method {plan.Method}");
        var s = Solve();
        Console.WriteLine($"// solve: value {s.Value:F2}, method {s.Method}");
    }

    [Benchmark(Description = "WTA solve, 100 threats x 50 batteries")]
    public WtaSolution Solve() => WtaSolver.Solve(_instance);

    [Benchmark(Description = "Engagement plan (windows + ROE + WTA + SLS), 100 x 50")]
    public EngagementPlan Plan() => _planner.Plan(T0.AddSeconds(30), _threats, _batteries, _roe, _identities);

    private sealed class LinePath(EnuFrame frame, Vec3 from, Vec3 to, DateTime start, DateTime end) : IThreatPath
    {
        public DateTime Start => start;

        public DateTime End => end;

        public Vec3 PositionEcefAt(DateTime time)
        {
            var f = (time - start).TotalSeconds / (end - start).TotalSeconds;
            return frame.ToEcef(from + ((to - from) * f));
        }
    }
}
