using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Simulation.Motion;
using Kizuna.Simulation.Scenario;

namespace Kizuna.Simulation.Tests.Motion;

public sealed class BallisticTests(ITestOutputHelper output)
{
    private const double Sphere = Wgs84.A;

    /// <summary>A burnout state 80 km over (35°N, 130°E), heading east-north-east at γ₀ above the horizontal.</summary>
    private static (Vec3 R, Vec3 V) Burnout(double speed, double gammaDeg)
    {
        var lat = 35 * Math.PI / 180;
        var lon = 130 * Math.PI / 180;
        var up = Navigation.UnitVector(lat, lon);
        var r = up * (Sphere + 80_000);
        var g = gammaDeg * Math.PI / 180;
        var az = 70 * Math.PI / 180;
        var (sinLat, cosLat) = Math.SinCos(lat);
        var (sinLon, cosLon) = Math.SinCos(lon);
        var east = new Vec3(-sinLon, cosLon, 0);
        var north = new Vec3(-sinLat * cosLon, -sinLat * sinLon, cosLat);
        var horizontal = (east * Math.Sin(az)) + (north * Math.Cos(az));
        return (r, ((horizontal * Math.Cos(g)) + (up * Math.Sin(g))) * speed);
    }

    /// <summary>
    /// Closed-form Kepler arc (Bate, Mueller and White, "Fundamentals of Astrodynamics", 1971, ch. 6):
    /// h = r₀v₀cos γ₀, p = h²/μ, a = −μ/(2ε), e = √(1 − p/a), r_a = a(1 + e); cos ν = (p/r − 1)/e;
    /// range angle Λ = ν_impact − ν₀ with ν₀ ∈ (0, π) (climbing) and ν_impact ∈ (π, 2π).
    /// </summary>
    private static (double Range, double Apogee, double Time) Kepler(double r0, double v0, double gamma0, double rImpact)
    {
        const double mu = Wgs84.GM;
        var hMom = r0 * v0 * Math.Cos(gamma0);
        var p = hMom * hMom / mu;
        var energy = (v0 * v0 / 2) - (mu / r0);
        var a = -mu / (2 * energy);
        var e = Math.Sqrt(1 - (p / a));
        var nu0 = Math.Acos(((p / r0) - 1) / e);
        var nu1 = (2 * Math.PI) - Math.Acos(((p / rImpact) - 1) / e);
        double EccentricAnomaly(double nu) => 2 * Math.Atan(Math.Sqrt((1 - e) / (1 + e)) * Math.Tan(nu / 2));
        var e0 = EccentricAnomaly(nu0);
        var e1 = EccentricAnomaly(nu1) + (2 * Math.PI);
        var n = Math.Sqrt(mu / (a * a * a));
        var time = ((e1 - (e * Math.Sin(e1))) - (e0 - (e * Math.Sin(e0)))) / n;
        return ((nu1 - nu0) * rImpact, (a * (1 + e)) - rImpact, time);
    }

    [Theory]
    [InlineData(2_500, 40)]
    [InlineData(3_500, 35)]
    [InlineData(5_000, 30)]
    [InlineData(6_500, 20)]
    public void FreeFlight_KeplerOnly_MatchesClosedFormWithinPointOnePercent(double speed, double gammaDeg)
    {
        var (r0, v0) = Burnout(speed, gammaDeg);
        var res = BallisticFlight.FreeFlight(0, r0, v0, BallisticOptions.KeplerOnly, 0, 0, Sphere);
        var expected = Kepler(r0.Norm, speed, gammaDeg * Math.PI / 180, Sphere);
        var angle = Math.Acos(Math.Clamp(Vec3.Dot(r0.Normalized, res.ImpactPosition.Normalized), -1, 1));
        var range = angle * Sphere;
        output.WriteLine($"v0 {speed} γ0 {gammaDeg}: range {range / 1e3:F3} km vs {expected.Range / 1e3:F3}; apogee {res.ApogeeHeight / 1e3:F3} vs {expected.Apogee / 1e3:F3} km; time {res.ImpactTime:F2} vs {expected.Time:F2} s");
        Assert.True(res.Impacted);
        Assert.InRange(range / expected.Range, 0.999, 1.001);
        Assert.InRange(res.ApogeeHeight / expected.Apogee, 0.999, 1.001);
        Assert.InRange(res.ImpactTime / expected.Time, 0.999, 1.001);
    }

    [Fact]
    public void FreeFlight_EachPerturbation_ChangesRangeByPlausibleAmount()
    {
        var (r0, v0) = Burnout(3_500, 35);
        var baseline = Fly(BallisticOptions.KeplerOnly);
        var j2 = Fly(BallisticOptions.KeplerOnly with { J2 = true });
        var rotation = Fly(BallisticOptions.KeplerOnly with { EarthRotation = true });
        var drag = Fly(BallisticOptions.KeplerOnly with { Drag = true });
        var full = Fly(BallisticOptions.Full);
        foreach (var (name, r) in new[] { ("kepler", baseline), ("J2", j2), ("rotation", rotation), ("drag", drag), ("all", full) })
        {
            output.WriteLine($"{name,-9} range {r.Range / 1e3:F3} km ({(r.Range - baseline.Range) / 1e3:+0.000;-0.000} km), apogee {r.Apogee / 1e3:F3} km ({(r.Apogee - baseline.Apogee) / 1e3:+0.000;-0.000}), time {r.Time:F2} s ({r.Time - baseline.Time:+0.00;-0.00}), impact speed {r.ImpactSpeed:F0} m/s");
        }

        // J2 at ~1,000 km range: hundreds of metres to a few tens of km.
        Assert.InRange(Math.Abs(j2.Miss), 200, 30_000);
        // Coriolis over a ~700 s flight: tens to hundreds of km of displacement.
        Assert.InRange(Math.Abs(rotation.Miss), 10_000, 400_000);
        // Re-entry drag with β = 6,000 kg/m²: short by 0.1–20 km and a much slower impact.
        Assert.InRange(baseline.Range - drag.Range, 100, 20_000);
        Assert.True(drag.ImpactSpeed < baseline.ImpactSpeed - 300, "drag must slow the re-entry vehicle");

        (double Range, double Apogee, double Time, double ImpactSpeed, double Miss) Fly(BallisticOptions o)
        {
            var res = BallisticFlight.FreeFlight(0, r0, v0, o, 6_000, 0, Sphere);
            var angle = Math.Acos(Math.Clamp(Vec3.Dot(r0.Normalized, res.ImpactPosition.Normalized), -1, 1));
            var kepler = BallisticFlight.FreeFlight(0, r0, v0, BallisticOptions.KeplerOnly, 6_000, 0, Sphere);
            return (angle * Sphere, res.ApogeeHeight, res.ImpactTime, res.ImpactVelocity.Norm, (res.ImpactPosition - kepler.ImpactPosition).Norm);
        }
    }

    [Theory]
    [InlineData("srbm", 39.0, 125.0, 37.0, 129.0)]
    [InlineData("mrbm", 40.0, 124.5, 35.0, 135.0)]
    [InlineData("irbm", 36.0, 118.0, 24.0, 144.0)]
    public void Ballistic_EachClass_HitsAimWithinFiftyMetres(string cls, double lat0, double lon0, double lat1, double lon1)
    {
        var launch = new LaunchDefinition
        {
            Type = ThreatType.Ballistic,
            Time = 100,
            From = Geodetic.FromDegrees(lat0, lon0),
            To = Geodetic.FromDegrees(lat1, lon1, 20),
            MissileClass = cls,
        };
        var b = (BallisticTrajectory)TrajectoryBuilder.Ballistic(launch, 100);
        output.WriteLine($"{cls}: range {b.GroundRange / 1e3:F1} km, miss {b.MissDistance:F2} m, apogee {b.ApogeeHeight / 1e3:F1} km, burnout {b.BurnoutSpeed:F0} m/s γ {b.BurnoutFlightPathAngleRad * 180 / Math.PI:F1}°, flight {b.ImpactTime - b.LaunchTime:F0} s, kick {b.PitchKickRad * 180 / Math.PI:F3}°, az {b.LaunchAzimuthRad * 180 / Math.PI:F3}°, evals {b.SolverEvaluations}");
        Assert.True(b.MissDistance < 50, $"miss {b.MissDistance:F1} m");
        Assert.True(b.TryGetState(b.EndTime, out var end));
        Assert.InRange(Wgs84.EcefToGeodetic(end.PositionEcef).HeightM, 19, 21);
    }

    [Fact]
    public void Ballistic_BoostFlag_TrueOnlyWhileMotorsBurn()
    {
        var launch = new LaunchDefinition { Type = ThreatType.Ballistic, Time = 0, From = Geodetic.FromDegrees(40, 124.5), To = Geodetic.FromDegrees(35, 135), MissileClass = "mrbm" };
        var b = (BallisticTrajectory)TrajectoryBuilder.Ballistic(launch, 50);
        Assert.Equal(50 + BallisticClass.Mrbm.BurnTime, b.BurnoutTime, 6);
        for (var t = b.StartTime; t <= b.EndTime; t += 0.5)
        {
            Assert.True(b.TryGetState(t, out var s));
            Assert.Equal(t < b.BurnoutTime, s.Boosting);
        }
    }

    [Fact]
    public void Ballistic_OutsideFlight_ReturnsFalse()
    {
        var launch = new LaunchDefinition { Type = ThreatType.Ballistic, Time = 0, From = Geodetic.FromDegrees(39, 125), To = Geodetic.FromDegrees(37, 129), MissileClass = "srbm" };
        var b = TrajectoryBuilder.Ballistic(launch, 10);
        Assert.False(b.TryGetState(9.999, out _));
        Assert.False(b.TryGetState(b.EndTime + 0.001, out _));
        Assert.False(b.TryGetState(double.NaN, out _));
        Assert.True(b.TryGetState(10, out var s0));
        Assert.Equal(0, s0.VelocityEcef.Norm, 6);
    }
}
