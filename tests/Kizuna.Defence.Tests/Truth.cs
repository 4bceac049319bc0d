using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Simulation.Motion;
using Kizuna.Tracking.Models.Measurement;
using Kizuna.Tracking.Models.Transition;
using Kizuna.Tracking.Predictors;
using Kizuna.Tracking.Types;
using Kizuna.Tracking.Updaters;

namespace Kizuna.Defence.Tests;

/// <summary>Simulator truth shared by the tests: the default scenario's ballistic launches (scenarios/trilateral-defence.yaml).</summary>
internal static class Truth
{
    public static readonly DateTime Epoch = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>(name, class, launch, aim) of the scenario's distinct ballistic launches.</summary>
    public static readonly (string Name, string Class, Geodetic From, Geodetic To)[] Launches =
    [
        ("tokyo", "mrbm", Geodetic.FromDegrees(39.50, 132.00), Geodetic.FromDegrees(35.6895, 139.6917)),
        ("yokota", "mrbm", Geodetic.FromDegrees(39.70, 132.30), Geodetic.FromDegrees(35.7485, 139.3485)),
        ("misawa", "mrbm", Geodetic.FromDegrees(42.00, 134.50), Geodetic.FromDegrees(40.7032, 141.3681)),
        ("kadena", "srbm", Geodetic.FromDegrees(29.50, 125.50), Geodetic.FromDegrees(26.3516, 127.7692)),
        ("osaka", "mrbm", Geodetic.FromDegrees(39.20, 131.80), Geodetic.FromDegrees(34.6937, 135.5023)),
        ("iwakuni", "mrbm", Geodetic.FromDegrees(39.40, 131.60), Geodetic.FromDegrees(34.1464, 132.2358)),
        ("fukuoka", "srbm", Geodetic.FromDegrees(36.50, 131.00), Geodetic.FromDegrees(33.5904, 130.4017)),
    ];

    private static readonly Lazy<BallisticTrajectory[]> Flown = new(() =>
        [.. Launches.Select(l => BallisticTrajectory.Create(l.From, l.To, l.Class, 0))]);

    public static BallisticTrajectory[] Trajectories => Flown.Value;

    public static KinematicState State(BallisticTrajectory t, double s)
    {
        Assert.True(t.TryGetState(s, out var k));
        return k;
    }

    /// <summary>
    /// A filtered track state: an EKF with the tracker's WGS-84/J₂ ballistic model, white-noise acceleration q = 0.1 m²/s³, started at burnout
    /// + 4 s from a perturbed truth (σ 1 km, 50 m/s) and updated every 2 s with ECEF position plots of
    /// 1-σ <paramref name="sigmaM"/> per axis, for <paramref name="trackS"/> seconds.
    /// </summary>
    public static GaussianState Filter(BallisticTrajectory t, Random rng, double sigmaM, double trackS, out double time, double q = 0.1)
    {
        var model = Ballistic.Wgs84Ecef(q);
        var meas = new PositionMeasurementModel(Mat3.Diagonal(sigmaM * sigmaM, sigmaM * sigmaM, sigmaM * sigmaM));
        time = t.BurnoutTime + 4;
        var k = State(t, time);
        var s = GaussianState.FromPositionVelocity(k.PositionEcef + Noise(rng, 1_000), k.VelocityEcef + Noise(rng, 50), 1e6, 2_500);
        for (var dt = 0.0; dt <= trackS; dt += 2)
        {
            if (dt > 0)
            {
                KalmanPredictor.Predict(model, ref s, 2);
            }

            var z = State(t, time + dt).PositionEcef + Noise(rng, sigmaM);
            KalmanUpdater.Update(meas, ref s, z);
        }

        time += trackS;
        return s;
    }

    public static Vec3 Noise(Random rng, double sigma) => new(Gauss(rng) * sigma, Gauss(rng) * sigma, Gauss(rng) * sigma);

    public static double Gauss(Random rng)
    {
        var u1 = 1 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
