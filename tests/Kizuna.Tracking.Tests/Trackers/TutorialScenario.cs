using Kizuna.Core;

namespace Kizuna.Tracking.Tests.Trackers;

/// <summary>
/// The Stone Soup tutorial scenario family, seeded: N targets with 2-D nearly-constant-velocity
/// motion (q = 0.05 m²/s³, exact discrete noise), start speed 1 m/s in a random direction, placed
/// on a square grid with spacing <see cref="Spacing"/> so that they rarely cross; 1 s scans;
/// Cartesian detections (x, y, 0) with R = diag(1, 1, 1) m², P_D = 0.9; Poisson clutter with mean
/// 10 per scan, uniform over the area (the grid plus one spacing of margin), z = 0.
/// </summary>
internal sealed class TutorialScenario
{
    public const double Spacing = 300;
    public const double ProcessNoise = 0.05;
    public const double DetectionProbability = 0.9;
    public const double ClutterPerScan = 10;

    public TutorialScenario(int targets, int scans, int seed)
    {
        var rng = new Stochastic(seed);
        var uniform = new Random(seed + 1);
        var side = (int)Math.Ceiling(Math.Sqrt(targets));
        Min = -Spacing;
        Max = side * Spacing;
        var area = (Max - Min) * (Max - Min);
        ClutterDensity = ClutterPerScan / area;
        var pos = new Vec3[targets];
        var vel = new Vec3[targets];
        for (var i = 0; i < targets; i++)
        {
            var heading = uniform.NextDouble() * 2 * Math.PI;
            pos[i] = new Vec3((i % side) * Spacing, (i / side) * Spacing, 0);
            vel[i] = new Vec3(Math.Cos(heading), Math.Sin(heading), 0);
        }

        var r = Mat3.Identity;
        var l11 = Math.Sqrt(ProcessNoise / 3);
        var l21 = Math.Sqrt(3 * ProcessNoise) / 2;
        var l22 = Math.Sqrt(ProcessNoise / 4);
        for (var k = 0; k < scans; k++)
        {
            var time = Epoch.AddSeconds(k);
            var truths = new List<(int Id, Vec3 Position, Vec3 Velocity)>(targets);
            var detections = new List<Detection>(targets + 20);
            for (var i = 0; i < targets; i++)
            {
                if (k > 0)
                {
                    double e1 = rng.Normal(), e2 = rng.Normal(), e3 = rng.Normal(), e4 = rng.Normal();
                    pos[i] = new Vec3(pos[i].X + vel[i].X + (l11 * e1), pos[i].Y + vel[i].Y + (l11 * e3), 0);
                    vel[i] = new Vec3(vel[i].X + (l21 * e1) + (l22 * e2), vel[i].Y + (l21 * e3) + (l22 * e4), 0);
                }

                truths.Add((i + 1, pos[i], vel[i]));
                if (uniform.NextDouble() < DetectionProbability)
                {
                    var z = new Vec3(pos[i].X + rng.Normal(), pos[i].Y + rng.Normal(), 0);
                    detections.Add(new Detection(time, "radar-1", Nation.Usa, MeasurementKind.Cartesian, z, r, default, i + 1));
                }
            }

            var clutter = Poisson(uniform, ClutterPerScan);
            for (var c = 0; c < clutter; c++)
            {
                var z = new Vec3(Min + (uniform.NextDouble() * (Max - Min)), Min + (uniform.NextDouble() * (Max - Min)), 0);
                detections.Add(new Detection(time, "radar-1", Nation.Usa, MeasurementKind.Cartesian, z, r, default, Detection.FalseAlarm));
            }

            // Shuffle so that detection order carries no truth information.
            var array = detections.ToArray();
            uniform.Shuffle(array);
            Scans.Add(array);
            Truths.Add(truths);
        }
    }

    public static DateTime Epoch { get; } = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public double Min { get; }

    public double Max { get; }

    /// <summary>λ per m² of the x–y plane (used as the per-m³ density with the 1 m² z variance).</summary>
    public double ClutterDensity { get; }

    public List<Detection[]> Scans { get; } = [];

    public List<List<(int Id, Vec3 Position, Vec3 Velocity)>> Truths { get; } = [];

    public int DetectionCount => Scans.Sum(s => s.Length);

    private static int Poisson(Random random, double mean)
    {
        // Knuth's multiplication method (fine for small means).
        var limit = Math.Exp(-mean);
        var k = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }

        return k;
    }
}
