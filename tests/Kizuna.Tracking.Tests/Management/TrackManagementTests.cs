using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.Initiators;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Tracking.Tests.Management;

public class TrackManagementTests
{
    [Theory]
    [InlineData(0.0, 15)]
    [InlineData(10.0, 15)]
    [InlineData(10.001, 14)]
    [InlineData(20.0, 14)]
    [InlineData(20.001, 13)]
    [InlineData(1000.0, 8)] // log2(100) = 6.64 → 7 steps
    [InlineData(163_840.0, 1)] // 10 m · 2¹⁴
    [InlineData(163_840.1, 0)]
    [InlineData(327_680.0, 0)]
    [InlineData(1e9, 0)]
    [InlineData(double.NaN, 0)]
    public void Quality_FromRadius_LogTwoSteps(double radius, int expected) =>
        Assert.Equal(expected, TrackQuality.FromHorizontalRadius(radius).Value);

    [Fact]
    public void Quality_RandomRadii_EqualsCeilingOfLogTwoFormula()
    {
        // The doubling-threshold computation against the definition Q = 15 − ⌈log₂(r / 10 m)⌉,
        // clamped, over radii from 1 m to 1,000 km (log-uniform); radii within 1e-9 of a step are skipped.
        var random = new Random(7);
        var compared = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var radius = Math.Pow(10, random.NextDouble() * 6);
            var log = Math.Log2(radius / TrackQuality.BestRadius);
            if (Math.Abs(log - Math.Round(log)) < 1e-9)
            {
                continue;
            }

            var expected = radius <= TrackQuality.BestRadius ? 15 : (int)Math.Clamp(15 - Math.Ceiling(log), 0, 15);
            Assert.Equal(expected, TrackQuality.FromHorizontalRadius(radius).Value);
            compared++;
        }

        Assert.True(compared > 19_000);
    }

    [Fact]
    public void Quality_FlatFrame_UsesHorizontalBlockOnly()
    {
        // tr P_h = 9 + 16 = 25 → r = 10 m; a huge vertical variance does not matter.
        var p = new Mat3(9, 0, 0, 0, 16, 0, 0, 0, 1e8);
        Assert.Equal(10, TrackQuality.HorizontalRadius(p, Vec3.Zero, ecef: false), 12);
        Assert.Equal(15, TrackQuality.FromPositionCovariance(p, Vec3.Zero, ecef: false).Value);
    }

    [Fact]
    public void Quality_Ecef_RemovesLocalVertical()
    {
        // At a point on the equator at longitude 0, up is +x: the x variance is vertical.
        var p = Mat3.Diagonal(1e8, 9, 16);
        Assert.Equal(10, TrackQuality.HorizontalRadius(p, new Vec3(Wgs84.A, 0, 0), ecef: true), 9);
    }

    [Theory]
    [InlineData(0b1ul, 2, 3, false)]
    [InlineData(0b11ul, 2, 3, true)]
    [InlineData(0b101ul, 2, 3, true)]
    [InlineData(0b1001ul, 2, 3, false)] // the old hit has left the window
    [InlineData(0b1101ul, 3, 4, true)]
    [InlineData(0b1100ul, 3, 4, false)]
    public void MOfN_History_ConfirmsWithinWindow(ulong history, int m, int n, bool expected) =>
        Assert.Equal(expected, new MOfNConfirmation(m, n).IsMet(history));

    [Fact]
    public void MOfN_Invalid_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MOfNConfirmation(4, 3).Validate());

    [Fact]
    public void Initiator_AnglesOnly_DoesNotStartTrack()
    {
        var d = new Detection(DateTime.UnixEpoch, "ir", Nation.Usa, MeasurementKind.AzimuthElevation, new Vec3(0.1, 0.2, 0), Mat3.Identity, new Geodetic(0, 0, 0));
        Assert.False(new SinglePointInitiator(300).TryInitiate(d, out _));
    }

    [Fact]
    public void Initiator_Cartesian_PositionFromDetectionBroadVelocity()
    {
        var r = new Mat3(2, 0.5, 0, 0.5, 3, 0, 0, 0, 1);
        var d = new Detection(DateTime.UnixEpoch, "s", Nation.Usa, MeasurementKind.Cartesian, new Vec3(5, 6, 7), r, default);
        Assert.True(new SinglePointInitiator(20).TryInitiate(d, out var s));
        Assert.Equal(new Vec3(5, 6, 7), s.Position);
        Assert.Equal(Vec3.Zero, s.Velocity);
        Assert.Equal(r, s.PositionCovariance);
        Assert.Equal(Mat3.Diagonal(400, 400, 400), s.VelocityCovariance);
    }

    [Fact]
    public void Initiator_Radar_ConvertsToEcefAtSite()
    {
        var site = new Geodetic(0.6, 2.4, 100);
        var polar = new RadarPolar(50_000, 0.3, 0.05);
        var d = new Detection(DateTime.UnixEpoch, "r", Nation.Japan, MeasurementKind.RangeAzimuthElevation, polar.AsVector(), Mat3.Diagonal(2500, 1e-6, 1e-6), site);
        Assert.True(new SinglePointInitiator(300).TryInitiate(d, out var s));
        var expected = new EnuFrame(site).ToEcef(polar.ToEnu());
        Assert.True((s.Position - expected).Norm < 1e-6);
        Assert.True(s.PositionCovariance.Trace > 2500);
    }
}
