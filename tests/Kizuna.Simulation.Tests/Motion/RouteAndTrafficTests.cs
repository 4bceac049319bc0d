using System.Collections.Immutable;
using System.Text;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Simulation.Motion;
using Kizuna.Simulation.Scenario;
using Kizuna.TestSupport;

namespace Kizuna.Simulation.Tests.Motion;

public sealed class RouteAndTrafficTests(ITestOutputHelper output)
{
    private static Waypoint Wp(double lat, double lon, double h = 9_000, double speed = 0) => new(Geodetic.FromDegrees(lat, lon, h), speed);

    [Fact]
    public void Route_RightAngleCorner_TurnRadiusMatchesBankLimitAndSpeedConstant()
    {
        const double v = 200;
        var route = new[] { Wp(35, 135), Wp(35, 137), Wp(37, 137) };
        var tr = TrajectoryBuilder.Route(route, 0, v, loop: false, RouteLimits.Aircraft);
        var expected = v * v / (9.80665 * Math.Tan(25 * Math.PI / 180));
        var frame = new EnuFrame(Geodetic.FromDegrees(35, 137, 9_000));
        var radii = new List<double>();
        for (var t = tr.StartTime; t < tr.EndTime - 2; t += 1)
        {
            Assert.True(tr.TryGetState(t, out var s));
            Assert.InRange(s.VelocityEcef.Norm, v - 0.5, v + 0.5);
            Assert.True(tr.TryGetState(t + 1, out var s1));
            Assert.True(tr.TryGetState(t + 2, out var s2));
            var r = Circumradius(frame.ToEnu(s.PositionEcef), frame.ToEnu(s1.PositionEcef), frame.ToEnu(s2.PositionEcef));
            if (r < 3 * expected)
            {
                radii.Add(r);
            }
        }

        var turning = radii.Where(r => r < 1.1 * expected).ToArray();
        output.WriteLine($"expected r {expected:F1} m; measured median {turning.Order().ElementAt(turning.Length / 2):F1} m over {turning.Length} s of turn");
        Assert.True(turning.Length > 60, "the 90° turn should take ~90 s");
        foreach (var r in turning.Skip(2).SkipLast(2))
        {
            Assert.InRange(r / expected, 0.98, 1.02);
        }
    }

    private static double Circumradius(Vec3 a, Vec3 b, Vec3 c)
    {
        var ab = (b - a).Norm;
        var bc = (c - b).Norm;
        var ca = (a - c).Norm;
        var area2 = Vec3.Cross(b - a, c - a).Norm;
        return area2 < 1e-9 ? double.PositiveInfinity : ab * bc * ca / (2 * area2);
    }

    [Fact]
    public void Route_Climb_RespectsVerticalRateLimit()
    {
        var route = new[] { Wp(35, 135, 1_000), Wp(35, 137, 10_000) };
        var tr = TrajectoryBuilder.Route(route, 0, 220, loop: false, RouteLimits.Aircraft);
        var maxRate = 0.0;
        var prevH = double.NaN;
        for (var t = tr.StartTime; t <= tr.EndTime; t += 1)
        {
            Assert.True(tr.TryGetState(t, out var s));
            var h = Wgs84.EcefToGeodetic(s.PositionEcef).HeightM;
            if (!double.IsNaN(prevH))
            {
                maxRate = Math.Max(maxRate, h - prevH);
            }

            prevH = h;
        }

        Assert.True(tr.TryGetState(tr.EndTime, out var end));
        output.WriteLine($"max climb {maxRate:F2} m/s, final height {Wgs84.EcefToGeodetic(end.PositionEcef).HeightM:F1} m");
        Assert.InRange(maxRate, 12.0, 12.7 + 0.05);
        Assert.InRange(Wgs84.EcefToGeodetic(end.PositionEcef).HeightM, 9_990, 10_010);
    }

    [Fact]
    public void Route_LoopingRacetrack_IsPeriodicAndContinuous()
    {
        var route = new[] { Wp(36, 134), Wp(36, 136), Wp(35.5, 136), Wp(35.5, 134) };
        var tr = TrajectoryBuilder.Route(route, 100, 180, loop: true, RouteLimits.Aircraft);
        Assert.Equal(double.PositiveInfinity, tr.EndTime);
        Assert.False(tr.TryGetState(99, out _));
        var frame = new EnuFrame(Geodetic.FromDegrees(35.75, 135, 9_000));
        var maxJump = 0.0;
        Assert.True(tr.TryGetState(100, out var prev));
        for (var t = 100.5; t < 100 + (5 * 3_600); t += 0.5)
        {
            Assert.True(tr.TryGetState(t, out var s));
            maxJump = Math.Max(maxJump, Math.Abs((s.PositionEcef - prev.PositionEcef).Norm - (0.5 * 180)));
            var enu = frame.ToEnu(s.PositionEcef);
            Assert.InRange(Math.Abs(enu.X), 0, 105_000);
            Assert.InRange(Math.Abs(enu.Y), 0, 45_000);
            prev = s;
        }

        output.WriteLine($"largest deviation of a 0.5 s displacement from 90 m over 5 h: {maxJump:F3} m");
        Assert.True(maxJump < 1.0);
    }

    [Fact]
    public void Route_Ship_StaysAtSeaLevelAndHoldsAtEnd()
    {
        var route = new[] { Wp(30, 130, 500), Wp(30.2, 130.2, 500) };
        var tr = TrajectoryBuilder.Route(route, 0, 12, loop: false, RouteLimits.Ship);
        Assert.Equal(double.PositiveInfinity, tr.EndTime);
        Assert.True(tr.TryGetState(1_000, out var mid));
        Assert.InRange(Wgs84.EcefToGeodetic(mid.PositionEcef).HeightM, -0.01, 0.01);
        Assert.True(tr.TryGetState(100_000, out var late));
        Assert.Equal(0, late.VelocityEcef.Norm, 9);
        Assert.True((late.PositionEcef - Geodetic.FromDegrees(30.2, 130.2).ToEcef()).Norm < 1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    public void CruiseMissile_SeaSkimming_StaysLowExceptPopUpAndEndsOnTarget(double popUp)
    {
        var target = Geodetic.FromDegrees(34.0, 135.0, 0);
        var launch = new LaunchDefinition
        {
            Type = ThreatType.Cruise,
            Time = 0,
            From = Geodetic.FromDegrees(33.0, 133.0),
            To = target,
            Via = [Geodetic.FromDegrees(33.2, 134.0)],
            Speed = 250,
            Altitude = 30,
            PopUpHeight = popUp,
            PopUpDistance = 15_000,
        };
        var tr = TrajectoryBuilder.CruiseMissile(launch, 60);
        Assert.Equal(60, tr.StartTime);
        var maxH = 0.0;
        for (var t = tr.StartTime; t <= tr.EndTime; t += 0.5)
        {
            Assert.True(tr.TryGetState(t, out var s));
            var g = Wgs84.EcefToGeodetic(s.PositionEcef);
            var toGo = Navigation.Distance(g.LatitudeRad, g.LongitudeRad, target.LatitudeRad, target.LongitudeRad);
            maxH = Math.Max(maxH, g.HeightM);
            var terminal = toGo < (popUp > 0 ? launch.PopUpDistance + 1_500 : 200);
            if (!terminal)
            {
                Assert.InRange(g.HeightM, 10, 50);
            }

            Assert.InRange(s.VelocityEcef.Norm, 249, 251);
        }

        Assert.True(tr.TryGetState(tr.EndTime, out var end));
        Assert.True((end.PositionEcef - target.ToEcef()).Norm < 1);
        Assert.False(tr.TryGetState(tr.EndTime + 0.01, out _));
        if (popUp > 0)
        {
            Assert.InRange(maxH, popUp - 20, popUp + 15); // overshoot of the rate-limited climb is a few metres
        }
    }

    [Fact]
    public void FixedAndGeostationary_AreEarthFixed()
    {
        var geo = TrajectoryBuilder.Geostationary(140 * Math.PI / 180);
        Assert.True(geo.TryGetState(12_345, out var s));
        Assert.Equal(42_164_000, s.PositionEcef.Norm, 1);
        Assert.Equal(0, s.PositionEcef.Z);
        Assert.Equal(Vec3.Zero, s.VelocityEcef);
        var site = TrajectoryBuilder.Fixed(Geodetic.FromDegrees(35, 139, 40));
        Assert.True(site.TryGetState(-5, out var f));
        Assert.Equal(Geodetic.FromDegrees(35, 139, 40).ToEcef(), f.PositionEcef);
        Assert.False(site.TryGetState(double.NaN, out _));
    }

    private static BackgroundTrafficDefinition Def(int n) => new(n, ["RJTT", "RJAA", "RJBB", "RJFF", "RJCC", "ROAH", "RKSI", "RCTP", "RKPC", "RJGG"], 0.8, 9_000, 12_000);

    [Fact]
    public void CivilTraffic_SameSeed_SameFlights_DifferentSeed_Different()
    {
        var a = CivilTraffic.Generate(Def(40), 1_800, 7);
        var b = CivilTraffic.Generate(Def(40), 1_800, 7);
        var c = CivilTraffic.Generate(Def(40), 1_800, 8);
        Assert.Equal(a.Count, b.Count);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal((a[i].Icao, a[i].Callsign, a[i].From, a[i].To), (b[i].Icao, b[i].Callsign, b[i].From, b[i].To));
            Assert.True(a[i].Trajectory.TryGetState(Math.Max(a[i].Trajectory.StartTime, 0) + 10, out var sa));
            Assert.True(b[i].Trajectory.TryGetState(Math.Max(b[i].Trajectory.StartTime, 0) + 10, out var sb));
            Assert.Equal(sa, sb);
        }

        Assert.NotEqual(a.Select(f => f.Icao), c.Select(f => f.Icao));
        Assert.Equal(a.Count, a.Select(f => f.Icao).Distinct().Count());
    }

    [Fact]
    public void CivilTraffic_AirborneCount_NearRequested()
    {
        const int n = 60;
        const double duration = 4 * 3_600;
        var flights = CivilTraffic.Generate(Def(n), duration, 11);
        var counts = new List<int>();
        for (var t = 0.0; t <= duration; t += 600)
        {
            counts.Add(flights.Count(f => f.Trajectory.TryGetState(t, out _)));
        }

        var mean = counts.Average();
        output.WriteLine($"{flights.Count} flights; airborne counts {string.Join(' ', counts)}; mean {mean:F1}");
        Assert.Equal(n, counts[0]);
        Assert.InRange(mean, 0.8 * n, 1.2 * n);
        foreach (var f in flights.Take(20))
        {
            Assert.True(f.Trajectory.TryGetState(f.Trajectory.StartTime + ((f.Trajectory.EndTime - f.Trajectory.StartTime) / 2), out var mid));
            Assert.InRange(Wgs84.EcefToGeodetic(mid.PositionEcef).HeightM, 0, 12_100);
        }
    }

    [Fact]
    public void RecordedTraffic_Switzerland_LoadsAllAircraftAndPassesThroughSamples()
    {
        var path = Paths.SharedData("adsb", "opensky", "switzerland.json.gz");
        var load = RecordedTraffic.LoadWithReport(path, new DateTime(2018, 8, 1, 5, 0, 0, DateTimeKind.Utc), null, 0);
        output.WriteLine($"rows {load.RowsRead}, malformed {load.MalformedRows}, duplicates {load.DuplicateRows}, aircraft {load.Aircraft}, flights (segments) {load.Flights.Count}");
        Assert.Equal(139_098, load.RowsRead);
        Assert.Equal(0, load.MalformedRows);
        Assert.Equal(842, load.Aircraft);
        Assert.Equal(842, load.Flights.Select(f => f.Icao).Distinct().Count());
        Assert.Equal(1_244, load.Flights.Count); // 842 aircraft split at gaps > 5 min
        Assert.False(load.Truncated);

        // First sample of the file: DLH8JW / 3003ae at 45.8189849854, 9.2295455933, 34,975 ft.
        var dlh = load.Flights.First(f => f.Icao == 0x3003ae);
        Assert.Equal("DLH8JW", dlh.Callsign);
        var t0 = (1533101250000 - 1533099600000) / 1000.0;
        Assert.True(dlh.Trajectory.TryGetState(t0, out var s0));
        Assert.True((s0.PositionEcef - Geodetic.FromDegrees(45.8189849854, 9.2295455933, 34_975 * 0.3048).ToEcef()).Norm < 1e-6);
        Assert.True(dlh.Trajectory.TryGetState(t0 + 10, out var s1));
        Assert.True((s1.PositionEcef - Geodetic.FromDegrees(45.8323059082, 9.2276447575, 35_100 * 0.3048).ToEcef()).Norm < 1e-6);

        // Between samples: smooth, close to but not on the chord.
        Assert.True(dlh.Trajectory.TryGetState(t0 + 5, out var sm));
        var chordMid = (s0.PositionEcef + s1.PositionEcef) / 2;
        var off = (sm.PositionEcef - chordMid).Norm;
        output.WriteLine($"midpoint off the chord by {off:F2} m");
        Assert.InRange(off, 1e-3, 200);
        Assert.False(dlh.Trajectory.TryGetState(dlh.Trajectory.StartTime - 1, out _));
        Assert.False(dlh.Trajectory.TryGetState(dlh.Trajectory.EndTime + 1, out _));
    }

    [Fact]
    public void RecordedTraffic_MalformedRowsAndTruncation_SkippedAndCounted()
    {
        const string json = """
            [{"timestamp":1000,"icao24":"abc123","callsign":"X1","latitude":46,"longitude":7,"altitude":10000,"groundspeed":400,"track":90,"vertical_rate":0},
             {"timestamp":11000,"icao24":"abc123","callsign":"X1","latitude":46,"longitude":7.02,"altitude":10000,"groundspeed":400,"track":90,"vertical_rate":0},
             {"timestamp":21000,"icao24":"zzz","latitude":46,"longitude":7.04,"altitude":10000},
             {"timestamp":21000,"icao24":"abc123","latitude":95,"longitude":7.04,"altitude":10000},
             {"timestamp":"x","icao24":"abc123","latitude":46,"longitude":7.04,"altitude":10000},
             42,
             {"timestamp":21000,"icao24":"abc123","callsign":"X1","latitude":46,"longitude":7.04,"altitude":10000,"groundspeed":null,"track":null,"vertical_rate":null},
             {"timestamp":31000,"icao24":"abc1
            """;
        var load = RecordedTraffic.Parse(Encoding.UTF8.GetBytes(json), DateTime.UnixEpoch, null, 0);
        Assert.True(load.Truncated);
        Assert.Equal(5, load.MalformedRows);
        var flight = Assert.Single(load.Flights);
        Assert.True(flight.Trajectory.TryGetState(20, out var s));
        Assert.True(s.VelocityEcef.Norm > 100);
        Assert.Equal(20, flight.Trajectory.EndTime);
    }

    [Fact]
    public void RecordedTraffic_MaxAircraft_KeepsFirstAppearing()
    {
        const string json = """
            [{"timestamp":5000,"icao24":"000002","latitude":46,"longitude":7,"altitude":1000,"groundspeed":100,"track":0,"vertical_rate":0},
             {"timestamp":1000,"icao24":"000001","latitude":46,"longitude":7,"altitude":1000,"groundspeed":100,"track":0,"vertical_rate":0},
             {"timestamp":2000,"icao24":"000001","latitude":46.0005,"longitude":7,"altitude":1000,"groundspeed":100,"track":0,"vertical_rate":0}]
            """;
        var load = RecordedTraffic.Parse(Encoding.UTF8.GetBytes(json), DateTime.UnixEpoch, null, 1);
        var flight = Assert.Single(load.Flights);
        Assert.Equal(1u, flight.Icao);
        Assert.Equal(0, flight.Trajectory.StartTime);
    }
}
