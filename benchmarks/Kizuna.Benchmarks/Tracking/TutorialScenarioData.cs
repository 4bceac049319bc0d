using Kizuna.Core;

namespace Kizuna.Benchmarks.Tracking;

/// <summary>
/// Pre-generated detections of the Stone Soup tutorial scenario family at benchmark scale: N
/// targets with 2-D NCV motion (q = 0.05), 1 m/s start speed, on a 300 m grid; R = I m², P_D = 0.9;
/// Poisson clutter at the tutorial density (10 per scan over the N = 10 area, 1.2 km × 1.2 km),
/// i.e. scaled with the area; 1 s scans. Same generator as the accuracy tests.
/// </summary>
internal sealed class TutorialScenarioData
{
    public const double Spacing = 300;
    public static readonly double ClutterDensity = 10 / (4 * Spacing * 4 * Spacing);
    public static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public TutorialScenarioData(int targets, int scans, int seed)
    {
        var random = new Random(seed);
        var side = (int)Math.Ceiling(Math.Sqrt(targets));
        var min = -Spacing;
        var max = side * Spacing;
        var clutterMean = ClutterDensity * (max - min) * (max - min);
        var pos = new Vec3[targets];
        var vel = new Vec3[targets];
        for (var i = 0; i < targets; i++)
        {
            var heading = random.NextDouble() * 2 * Math.PI;
            pos[i] = new Vec3((i % side) * Spacing, (i / side) * Spacing, 0);
            vel[i] = new Vec3(Math.Cos(heading), Math.Sin(heading), 0);
        }

        const double q = 0.05;
        var l11 = Math.Sqrt(q / 3);
        var l21 = Math.Sqrt(3 * q) / 2;
        var l22 = Math.Sqrt(q / 4);
        var r = Mat3.Identity;
        for (var k = 0; k < scans; k++)
        {
            var time = Epoch.AddSeconds(k);
            var list = new List<Detection>(targets + (int)(2 * clutterMean) + 10);
            for (var i = 0; i < targets; i++)
            {
                if (k > 0)
                {
                    double e1 = Normal(random), e2 = Normal(random), e3 = Normal(random), e4 = Normal(random);
                    pos[i] = new Vec3(pos[i].X + vel[i].X + (l11 * e1), pos[i].Y + vel[i].Y + (l11 * e3), 0);
                    vel[i] = new Vec3(vel[i].X + (l21 * e1) + (l22 * e2), vel[i].Y + (l21 * e3) + (l22 * e4), 0);
                }

                if (random.NextDouble() < 0.9)
                {
                    list.Add(new Detection(time, "radar-1", Nation.Usa, MeasurementKind.Cartesian,
                        new Vec3(pos[i].X + Normal(random), pos[i].Y + Normal(random), 0), r, default, i + 1));
                }
            }

            // Poisson by normal approximation for large means (exact enough for a load generator).
            var clutter = Math.Max(0, (int)Math.Round(clutterMean + (Math.Sqrt(clutterMean) * Normal(random))));
            for (var c = 0; c < clutter; c++)
            {
                list.Add(new Detection(time, "radar-1", Nation.Usa, MeasurementKind.Cartesian,
                    new Vec3(min + (random.NextDouble() * (max - min)), min + (random.NextDouble() * (max - min)), 0), r, default, Detection.FalseAlarm));
            }

            var array = list.ToArray();
            random.Shuffle(array);
            Scans.Add(array);
        }
    }

    public List<Detection[]> Scans { get; } = [];

    private static double Normal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
