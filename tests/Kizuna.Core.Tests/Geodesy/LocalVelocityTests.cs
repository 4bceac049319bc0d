using Kizuna.Core.Geodesy;

namespace Kizuna.Core.Tests.Geodesy;

public class LocalVelocityTests
{
    [Fact]
    public void ToEcef_NorthboundAtEquator_PointsAlongPlusZ()
    {
        var v = new LocalVelocity(Speed.FromKnots(450), Angle.Zero, Speed.FromMetresPerSecond(0));

        var ecef = v.ToEcef(Geodetic.FromDegrees(0, 0));

        Assert.Equal(Speed.FromKnots(450).MetresPerSecond, ecef.Z, 1e-9);
        Assert.Equal(0, ecef.X, 1e-9);
        Assert.Equal(0, ecef.Y, 1e-9);
    }

    [Fact]
    public void ToEcef_EastboundAtLongitude90_PointsAlongMinusX()
    {
        var v = new LocalVelocity(Speed.FromMetresPerSecond(100), Angle.FromDegrees(90), Speed.FromMetresPerSecond(0));

        var ecef = v.ToEcef(Geodetic.FromDegrees(0, 90));

        Assert.Equal(-100, ecef.X, 1e-9);
        Assert.Equal(0, ecef.Y, 1e-9);
        Assert.Equal(0, ecef.Z, 1e-9);
    }

    [Fact]
    public void ToEcef_ClimbOnly_IsAlongEllipsoidNormal()
    {
        var at = Geodetic.FromDegrees(35, 139, 9000);
        var v = new LocalVelocity(Speed.FromMetresPerSecond(0), Angle.Zero, Speed.FromMetresPerSecond(10));

        var ecef = v.ToEcef(at);
        var up = at with { HeightM = at.HeightM + 1 };

        Assert.Equal(0, (ecef - ((up.ToEcef() - at.ToEcef()) * 10)).Norm, 1e-6);
    }

    [Fact]
    public void EcefRoundTrip_RandomVelocitiesAndPositions_RecoversSpeedTrackAndClimb()
    {
        var rng = new Random(99);
        for (var i = 0; i < 1000; i++)
        {
            var at = Geodetic.FromDegrees((rng.NextDouble() - 0.5) * 178, (rng.NextDouble() - 0.5) * 360, rng.NextDouble() * 20_000);
            var v = new LocalVelocity(
                Speed.FromMetresPerSecond(1 + (rng.NextDouble() * 1000)),
                Angle.FromRadians(rng.NextDouble() * 2 * Math.PI),
                Speed.FromMetresPerSecond((rng.NextDouble() - 0.5) * 200));

            var back = LocalVelocity.FromEcef(at, v.ToEcef(at));

            Assert.Equal(v.GroundSpeed.MetresPerSecond, back.GroundSpeed.MetresPerSecond, 1e-9);
            Assert.Equal(0, Angle.WrapPi(v.Track.Radians - back.Track.Radians), 1e-12);
            Assert.Equal(v.VerticalRate.MetresPerSecond, back.VerticalRate.MetresPerSecond, 1e-9);
        }
    }

    /// <summary>The ECEF velocity must equal the time derivative of the ECEF position of a point moving along a geodesic.</summary>
    [Fact]
    public void ToEcef_AgainstFiniteDifferenceOfGeodesicMotion_Matches()
    {
        var start = Geodetic.FromDegrees(-33.9, 151.2, 10_000);
        var track = Angle.FromDegrees(300);
        const double speed = 250;
        const double dt = 0.01;

        var before = Geodesic.Direct(start, track + Angle.FromDegrees(180), Length.FromMetres(speed * dt)).Destination;
        var after = Geodesic.Direct(start, track, Length.FromMetres(speed * dt)).Destination;
        var numeric = (after.ToEcef() - before.ToEcef()) / (2 * dt);
        var analytic = new LocalVelocity(Speed.FromMetresPerSecond(speed), track, Speed.FromMetresPerSecond(0)).ToEcef(start);

        // The geodesic is traced on the ellipsoid (h = 0) while the aircraft flies at 10 km: speeds differ by h/R ≈ 0.16 %.
        Assert.True((numeric - (analytic * (1 + (10_000 / 6_371_000.0)))).Norm < 0.05, $"{numeric} vs {analytic}");
    }

    [Fact]
    public void FromEnu_ZeroHorizontal_TrackNorth()
    {
        var v = LocalVelocity.FromEnu(new Vec3(0, 0, -5));

        Assert.Equal(0, v.GroundSpeed.MetresPerSecond);
        Assert.Equal(0, v.Track.Radians);
        Assert.Equal(-5, v.VerticalRate.MetresPerSecond);
    }
}
