using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Defence.Weapons;

namespace Kizuna.Defence.Tests.Weapons;

public class EngagementWindowTests
{
    private static readonly DateTime T0 = Geometry.T0;

    // Level run at 10 km up, 500 m/s, from 100 km east straight over the battery (200 s).
    private static LinePath LevelRun() =>
        new(Geometry.Frame, new Vec3(100_000, 0, 10_000), new Vec3(0, 0, 10_000), T0, T0.AddSeconds(200));

    private static Battery LowerTierAtSite(DateTime ready) =>
        new("JPN-LT-1", Nation.Japan, Geometry.Site, WeaponCatalogue.LowerTier, 8, ready);

    [Fact]
    public void Window_LevelRunTowardsBattery_MatchesHandGeometry()
    {
        // Slant range r(t) = sqrt((100000 − 500 t)² + 10000²) (ENU, exact: the frame is through ECEF).
        // r = 60 km when x = sqrt(60000² − 10000²) = 59160.8 m, i.e. t = 81.68 s; flyout 50 s, launch 31.68 s
        // ≥ earliest launch 10 s (reaction). Heights stay within 0.05–30 km; r ≥ 10 km ≥ 3 km throughout,
        // so the window runs to the end of the path (t = 200 s): launch-by = 200 − 10000/1200 = 191.67 s.
        var samples = ThreatPathSamples.Create(LevelRun(), T0, TimeSpan.FromSeconds(0.1));
        var w = EngagementWindows.ForDecisionAt(LowerTierAtSite(T0), samples, T0);

        Assert.True(w.IsFeasible);
        Assert.InRange((w.EarliestIntercept - T0).TotalSeconds, 81.68, 81.8);
        Assert.InRange((w.LaunchForEarliest - T0).TotalSeconds, 31.68 - 0.1, 31.8);
        Assert.InRange((w.LatestIntercept - T0).TotalSeconds, 199.9, 200.0);
        Assert.InRange((w.LaunchBy - T0).TotalSeconds, 191.67 - 0.1, 191.67 + 0.01);
        Assert.InRange((w.EarliestInterceptPoint - Wgs84.GeodeticToEcef(Geometry.Site)).Norm, 59_900, 60_000);
    }

    [Fact]
    public void Window_LateEarliestLaunch_InterceptMovesToWhereFlyoutFits()
    {
        // Launch not before 100 s: need t − r(t)/1200 ≥ 100. By hand: t = 130 → x = 35000, r = 36401,
        // flyout 30.33 s, launch 99.67 (too early); t = 131 → x = 34500, r = 35920, flyout 29.93, launch 101.07.
        var samples = ThreatPathSamples.Create(LevelRun(), T0, TimeSpan.FromSeconds(0.05));
        var w = EngagementWindows.Compute(LowerTierAtSite(T0), samples, T0.AddSeconds(100));

        Assert.True(w.IsFeasible);
        Assert.InRange((w.EarliestIntercept - T0).TotalSeconds, 130.0, 131.0);
        Assert.True(w.LaunchForEarliest >= T0.AddSeconds(100));
    }

    [Fact]
    public void Compute_SteadyState_AllocatesNothing()
    {
        var samples = ThreatPathSamples.Create(LevelRun(), T0, TimeSpan.FromSeconds(1));
        var battery = LowerTierAtSite(T0);
        var sink = 0L;

        var bytes = Kizuna.TestSupport.Allocation.SteadyStateBytes(() =>
        {
            for (var k = 0; k < 100; k++)
            {
                sink += EngagementWindows.ForDecisionAt(battery, samples, T0).EarliestIntercept.Ticks;
            }
        });

        Assert.Equal(0, bytes);
        Assert.NotEqual(0, sink);
    }

    [Fact]
    public void Window_ThreatBelowUpperTierFloor_Infeasible()
    {
        var upper = new Battery("USA-UT-1", Nation.Usa, Geometry.Site, WeaponCatalogue.UpperTier, 8, T0);
        var samples = ThreatPathSamples.Create(LevelRun(), T0, TimeSpan.FromSeconds(1));

        Assert.False(EngagementWindows.ForDecisionAt(upper, samples, T0).IsFeasible);
    }

    [Fact]
    public void Window_BatteryReloading_LaunchWaitsForReadyPlusReaction()
    {
        var samples = ThreatPathSamples.Create(LevelRun(), T0, TimeSpan.FromSeconds(0.1));
        var w = EngagementWindows.ForDecisionAt(LowerTierAtSite(T0.AddSeconds(50)), samples, T0);

        Assert.True(w.LaunchForEarliest >= T0.AddSeconds(60)); // ready 50 s + reaction 10 s
    }

    [Fact]
    public void Samples_PathAlreadyEnded_EmptyAndNoWindow()
    {
        var samples = ThreatPathSamples.Create(LevelRun(), T0.AddSeconds(500), TimeSpan.FromSeconds(1));

        Assert.Equal(0, samples.Count);
        Assert.False(EngagementWindows.ForDecisionAt(LowerTierAtSite(T0), samples, T0.AddSeconds(500)).IsFeasible);
    }

    [Fact]
    public void Window_UpperTierAgainstBallisticDescent_InterceptAboveFloorAfterFlyout()
    {
        // Hand estimate (flat): L = t − 670.8 km·(1 − t/300)/3 km/s ≥ 30 s ⇒ t ≥ 145.3 s; height there ≈ 155 km.
        var upper = new Battery("USA-UT-1", Nation.Usa, Geometry.Site, WeaponCatalogue.UpperTier, 8, T0);
        var samples = ThreatPathSamples.Create(Geometry.BallisticDescent(T0), T0, TimeSpan.FromSeconds(0.5));
        var w = EngagementWindows.ForDecisionAt(upper, samples, T0);

        Assert.True(w.IsFeasible);
        Assert.InRange((w.EarliestIntercept - T0).TotalSeconds, 144, 147);
        Assert.InRange(Wgs84.EcefToGeodetic(w.EarliestInterceptPoint).HeightM, 100_000, 200_000);
    }
}

public class WeaponCatalogueTests
{
    [Fact]
    public void Catalogue_EveryClass_HasOneTypeWithNonEmptyEnvelope()
    {
        foreach (var c in Enum.GetValues<WeaponClass>())
        {
            var w = WeaponCatalogue.For(c);
            Assert.Equal(c, w.Class);
            Assert.True(w.MaxRange > w.MinRange);
            Assert.True(w.MaxInterceptAltitude > w.MinInterceptAltitude);
        }

        Assert.Equal(4, WeaponCatalogue.All.Count);
    }

    [Fact]
    public void UpperTier_NonBallisticTarget_NoKillProbability()
    {
        Assert.Equal(0, WeaponCatalogue.UpperTier.KillProbability(TrackKind.Aircraft));
        Assert.Equal(0, WeaponCatalogue.ShortRange.KillProbability(TrackKind.BallisticMissile));
        Assert.True(WeaponCatalogue.UpperTier.KillProbability(TrackKind.BallisticMissile) > 0);
    }

    [Fact]
    public void Create_KillProbabilityAboveOne_Throws()
    {
        Assert.Throws<ArgumentException>(() => WeaponType.Create("bad", WeaponClass.ShortRange,
            Length.FromKilometres(1), Length.FromKilometres(2), Length.FromMetres(0), Length.FromKilometres(1),
            Speed.FromMetresPerSecond(500), TimeSpan.Zero, TimeSpan.Zero, Length.FromMetres(100),
            new Dictionary<TrackKind, double> { [TrackKind.Aircraft] = 1.2 }));
    }
}
