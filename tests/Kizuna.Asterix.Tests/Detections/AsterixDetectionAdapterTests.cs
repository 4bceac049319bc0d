using Kizuna.Asterix.Cat034;
using Kizuna.Asterix.Cat048;
using Kizuna.Asterix.Detections;
using Kizuna.Asterix.IO;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.TestSupport;

namespace Kizuna.Asterix.Tests.Detections;

public sealed class AsterixDetectionAdapterTests
{
    private static readonly DataSourceId Radar = new(25, 12);
    private static readonly Geodetic Site = Geodetic.FromDegrees(45.0, 15.0, 500);
    private static readonly DateTime Day = new(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    private static AsterixRecord Plot(int rhoRaw, int thetaRaw, int? flightLevelRaw, double timeOfDay, int address = 0)
    {
        var r = new AsterixRecord();
        r.Reset(48, Cat048Uap.Ed1_31);
        var f = r.Cat048;
        f.Sac = Radar.Sac;
        f.Sic = Radar.Sic;
        f.TimeOfDayRaw = (int)Math.Round(timeOfDay * 128);
        f.DescriptorOctet1 = 5 << 5;
        f.DescriptorOctet2 = -1;
        f.RhoRaw = rhoRaw;
        f.ThetaRaw = thetaRaw;
        f.FlightLevelFlags = 0;
        f.FlightLevelRaw = flightLevelRaw ?? 0;
        f.AircraftAddress = address;
        var present = r.Present.With(Cat048Frn.I010).With(Cat048Frn.I140).With(Cat048Frn.I020).With(Cat048Frn.I040);
        present = flightLevelRaw is null ? present : present.With(Cat048Frn.I090);
        r.Present = address == 0 ? present : present.With(Cat048Frn.I220);
        return r;
    }

    private static AsterixDetectionAdapter Adapter(double k = 1.0) => new(AsterixDetectionOptions.Default with
    {
        Sites = [RadarSite.Create(Radar, Site, Nation.Parse("GBR"))],
        Date = DateOnly.FromDateTime(Day),
        EffectiveEarthRadiusFactor = k,
    });

    [Fact]
    public void Cat048Plot_WithSite_PolarEqualsRhoThetaAndPointAtFlightLevelHeight()
    {
        var adapter = Adapter();
        var rhoRaw = (int)Math.Round(120.0 * 256); // 120 NM
        var thetaRaw = (int)Math.Round(63.5 / 360.0 * 65536);
        Assert.True(adapter.TryConvert(Plot(rhoRaw, thetaRaw, 330 * 4, 43_200.5, 0x3C660C), null, out var d));

        Assert.Equal(MeasurementKind.RangeAzimuthElevation, d.Kind);
        Assert.Equal(Site, d.SensorSite);
        Assert.Equal(0x3C660Cu, d.Identity);
        Assert.Equal("radar:25/12", d.SensorId);
        Assert.Equal(Day.AddSeconds(43_200.5), d.Time);
        // Round trip: the detection's point, seen from the site, has range RHO and azimuth THETA.
        var frame = new EnuFrame(Site);
        var ecef = frame.ToEcef(new RadarPolar(d.Value.X, d.Value.Y, d.Value.Z).ToEnu());
        var polar = RadarPolar.FromEnu(frame.ToEnu(ecef));
        Assert.Equal(rhoRaw / 256.0 * 1852.0, polar.RangeM, 1e-6);
        Assert.Equal(thetaRaw * (2 * Math.PI / 65536), polar.AzimuthRad, 1e-9);
        // With k = 1 the elevation places the point at the flight level's height (FL330 = 10,058.4 m).
        Assert.Equal(330 * 100 * 0.3048, Wgs84.EcefToGeodetic(ecef).HeightM, 3.0);
        Assert.Equal(50.0 * 50.0, d.Covariance.M00, 1e-9);
        Assert.Equal(Math.Pow(0.08 * Math.PI / 180, 2), d.Covariance.M11, 1e-15);
        Assert.True(d.Covariance.M22 > 0 && d.Covariance.M22 < 1e-4, $"σ_el² = {d.Covariance.M22}");
    }

    [Theory]
    [InlineData(50_000.0, 0.0, 9_000.0)]
    [InlineData(200_000.0, 137.0, 11_000.0)]
    [InlineData(370_000.0, 271.0, 12_500.0)]
    [InlineData(20_000.0, 10.0, 300.0)]
    public void Elevation_TargetAtKnownGeometry_MatchesTrueElevation(double groundRangeM, double azimuthDeg, double heightM)
    {
        // A target placed on the ellipsoid at a known height; its true polar coordinates from the site.
        var target = Geodesic.Direct(Site, Angle.FromDegrees(azimuthDeg), Length.FromMetres(groundRangeM)).Destination with { HeightM = heightM };
        var truth = RadarPolar.FromEnu(new EnuFrame(Site).ToEnu(target));
        var radius = PlotElevation.EulerRadius(Site.LatitudeRad, truth.AzimuthRad);

        Assert.True(PlotElevation.TryCompute(truth.RangeM, Site.HeightM, heightM, 100, radius, 1.0, out var el));
        Assert.Equal(truth.ElevationRad, el.ElevationRad, 2e-5);
        // σ_el ≈ σ_h / (ρ cos el) for a flat geometry; the curvature factor r_t/r_s is within 0.2 %.
        Assert.Equal(100 / (truth.RangeM * Math.Cos(el.ElevationRad)), el.StdRad, 100 / truth.RangeM * 0.01);
    }

    [Fact]
    public void Elevation_FourThirdsEarth_MatchesSmallHeightApproximation()
    {
        // sin el ≈ (h_t − h_s)/ρ − ρ/(2kRₑ) (Skolnik §8.3) when h ≪ kRₑ.
        const double rho = 150_000, hs = 100, ht = 8_000, re = 6_371_000;
        Assert.True(PlotElevation.TryCompute(rho, hs, ht, 100, re, 4.0 / 3.0, out var el));
        var approx = ((ht - hs) / rho) - (rho / (2 * (4.0 / 3.0) * re));
        Assert.Equal(approx, Math.Sin(el.ElevationRad), 2e-4);
        Assert.True(el.ElevationRad > 0);
    }

    [Fact]
    public void Cat048Plot_HeightAboveRange_RejectedAsInconsistentHeight()
    {
        var adapter = Adapter();
        Assert.False(adapter.TryConvert(Plot(256, 0, 400 * 4, 100), null, out _)); // 1 NM, FL400
        Assert.Equal(1, adapter.Statistics.Rejected(DetectionRejection.InconsistentHeight));
    }

    [Fact]
    public void Cat048Plot_NoModeC_AssumedHeightWithLargeSigma()
    {
        var adapter = Adapter();
        Assert.True(adapter.TryConvert(Plot(80 * 256, 1000, null, 100), null, out var d));
        Assert.Equal(1, adapter.Statistics.AssumedHeight);
        var elStd = Math.Sqrt(d.Covariance.M22);
        Assert.True(elStd > 2_000 / (80 * 1852.0), $"σ_el {elStd}");
    }

    [Fact]
    public void Cat048Plot_UnknownSite_CountedPerRadarNotConverted()
    {
        var adapter = new AsterixDetectionAdapter(AsterixDetectionOptions.Default with { Date = DateOnly.FromDateTime(Day) });
        Assert.False(adapter.TryConvert(Plot(10_000, 100, 1200, 100), null, out _));
        Assert.False(adapter.TryConvert(Plot(10_000, 100, 1200, 101), null, out _));
        Assert.Equal(2, adapter.Statistics.UnknownSitePlots[Radar]);
        Assert.Equal(2, adapter.Statistics.Rejected(DetectionRejection.UnknownSite));
    }

    [Fact]
    public void Cat048Plot_NoCaptureTimeNoDate_RejectedAsNoDate()
    {
        var adapter = new AsterixDetectionAdapter(AsterixDetectionOptions.Default with { Sites = [RadarSite.Create(Radar, Site)] });
        Assert.False(adapter.TryConvert(Plot(10_000, 100, 1200, 100), null, out _));
        Assert.Equal(1, adapter.Statistics.Rejected(DetectionRejection.NoDate));
        Assert.True(adapter.TryConvert(Plot(10_000, 100, 1200, 100), Day.AddHours(5), out var d));
        Assert.Equal(Day.AddSeconds(100), d.Time);
    }

    [Fact]
    public void TimeOfDay_AcrossMidnight_NearestDay()
    {
        var justAfter = new DateTime(2024, 3, 2, 0, 0, 1, DateTimeKind.Utc);
        Assert.Equal(new DateTime(2024, 3, 1, 23, 59, 59, 500, DateTimeKind.Utc), TimeOfDay.ToUtc(86_399.5, justAfter));
        var justBefore = new DateTime(2024, 3, 1, 23, 59, 59, DateTimeKind.Utc);
        Assert.Equal(new DateTime(2024, 3, 2, 0, 0, 0, 500, DateTimeKind.Utc), TimeOfDay.ToUtc(0.5, justBefore));
        Assert.Equal(DateTimeKind.Utc, TimeOfDay.ToUtc(0.5, justBefore).Kind);
        // CAT001 truncated time (mod 512 s) near a reference.
        Assert.Equal(new DateTime(2024, 3, 2, 0, 0, 3, DateTimeKind.Utc), TimeOfDay.FromTruncated((86_403 % 512), 512, justBefore));
    }

    [Fact]
    public void Adapter_RawFileAcrossMidnight_SecondPlotOnNextDay()
    {
        var adapter = Adapter();
        Assert.True(adapter.TryConvert(Plot(40 * 256, 0, 1200, 86_399), null, out var before));
        Assert.True(adapter.TryConvert(Plot(40 * 256, 100, 1200, 3), null, out var after));
        Assert.Equal(Day.AddSeconds(86_399), before.Time);
        Assert.Equal(Day.AddDays(1).AddSeconds(3), after.Time);
    }

    [Fact]
    public void Cat034WithI120_SiteLearned_LaterPlotConverted()
    {
        var adapter = new AsterixDetectionAdapter(AsterixDetectionOptions.Default with { Date = DateOnly.FromDateTime(Day) });
        var r = new AsterixRecord();
        r.Reset(34, Cat034Uap.Ed1_29);
        r.Cat034.Sac = Radar.Sac;
        r.Cat034.Sic = Radar.Sic;
        r.Cat034.SiteHeightMetres = 780;
        r.Cat034.SiteLatitudeRaw = 2030557;
        r.Cat034.SiteLongitudeRaw = 764578;
        r.Present = r.Present.With(Cat034Frn.I010).With(Cat034Frn.I120);
        Assert.False(adapter.TryConvert(r, null, out _));
        Assert.Equal(1, adapter.Statistics.SitesLearned);
        Assert.True(adapter.TryGetSite(Radar, out var site));
        // LSB 180/2^23° (ASTERIX CAT034 ed. 1.29, I034/120): 2030557 → 43.571026°, 764578 → 16.406063°.
        Assert.Equal(2030557 * 180.0 / 8388608, site.Position.LatitudeDeg, 1e-9);
        Assert.Equal(764578 * 180.0 / 8388608, site.Position.LongitudeDeg, 1e-9);
        Assert.Equal(780, site.Position.HeightM);
        Assert.True(adapter.TryConvert(Plot(50 * 256, 0, 1200, 100), null, out var d));
        Assert.Equal(site.Position, d.SensorSite);
    }

    [Fact]
    public void Cat021Jasterix_BecomesGeodeticDetectionWithAddressAndHeight()
    {
        var bytes = File.ReadAllBytes(Paths.SharedData("asterix", "jasterix", "cat021ed2.1.bin"));
        var adapter = new AsterixDetectionAdapter(AsterixDetectionOptions.Default with { Date = DateOnly.FromDateTime(Day) });
        var detections = Convert(adapter, bytes, null, AsterixDecoderOptions.Default with { Cat021 = Cat021Edition.Ed2_1 });

        var d = Assert.Single(detections);
        Assert.Equal(MeasurementKind.Geodetic, d.Kind);
        Assert.Equal(46.84420108795166, d.Value.X * 180 / Math.PI, 6);
        Assert.Equal(12.298529148101807, d.Value.Y * 180 / Math.PI, 6);
        Assert.Equal(34_750 * 0.3048, d.Value.Z, 3);
        Assert.Equal(0x1A4B65u, d.Identity);
        Assert.Equal(Day, d.Time.Date);
        Assert.True(d.Covariance.M00 > 0 && d.Covariance.M22 > 0);
        Assert.True(adapter.TryGetIdentity(0x1A4B65, out var id));
        Assert.Equal("EZS14ZH ", id.Callsign);
        Assert.Equal(350 * 4, id.FlightLevelRaw);
    }

    [Fact]
    public void CroatiaRecording_EveryPlotWithASite_DetectionAtRhoTheta()
    {
        // cat_034_048.pcap: SAC 25, SICs 11, 12, 13, 14, 201, 204, 205. Only SIC 12 sends CAT034 I034/120 (43.571022°,
        // 16.4060624°, 780 m). The other sites are not published in the data: the positions below are ASSUMED
        // (plausible Croatian sites, chosen for the test only) and passed as configuration.
        Geodetic[] assumed = [Geodetic.FromDegrees(45.74, 16.07, 200), Geodetic.FromDegrees(45.02, 14.57, 600), Geodetic.FromDegrees(42.56, 18.27, 700),
            Geodetic.FromDegrees(44.11, 15.35, 150), Geodetic.FromDegrees(45.50, 18.60, 300), Geodetic.FromDegrees(43.34, 17.80, 900)];
        int[] sics = [11, 13, 14, 201, 204, 205];
        var options = AsterixDetectionOptions.Default with
        {
            Sites = [.. sics.Select((sic, i) => RadarSite.Create(new DataSourceId(25, sic), assumed[i]))],
        };
        var adapter = new AsterixDetectionAdapter(options);
        var path = Paths.SharedData("asterix", "croatiacontrol", "cat_034_048.pcap");

        // Pass 1 learns the CAT034 site; pass 2 converts, keeping RHO/THETA of every CAT048 plot to compare.
        var scratch = new AsterixRecord();
        var plots = new List<(DataSourceId Source, double Rho, double Theta)>();
        var detections = new List<Detection>();
        var cat048 = 0;
        var payloadDate = DateTime.MinValue;
        foreach (var pass in new[] { 1, 2 })
        {
            using var reader = AsterixFileReader.Open(path);
            while (reader.TryRead(out var payload))
            {
                payloadDate = payload.Timestamp!.Value.Date;
                var sink = new Sink(rec =>
                {
                    if (pass == 1)
                    {
                        adapter.Observe(rec);
                        return;
                    }

                    if (rec.Category == 48)
                    {
                        cat048++;
                    }

                    if (rec.Category == 48 && rec.Cat048.Typ != 0)
                    {
                        plots.Add((new DataSourceId(rec.Cat048.Sac, rec.Cat048.Sic), rec.Cat048.RangeMetres, rec.Cat048.AzimuthDegrees * Math.PI / 180));
                    }

                    if (adapter.TryConvert(rec, payload.Timestamp, out var d))
                    {
                        detections.Add(d);
                    }
                });
                AsterixDecoder.DecodeAll(payload.Data.Span, scratch, sink, AsterixDecoderOptions.Default, new DecodeStatistics());
            }
        }

        // 128 CAT048 records, 2 of them TYP = 0 ("no detection": track-only reports), counted, not converted.
        Assert.Equal(128, cat048);
        Assert.Equal(126, plots.Count);
        Assert.Equal(2, adapter.Statistics.Rejected(DetectionRejection.NotATargetReport));
        Assert.True(adapter.TryGetSite(new DataSourceId(25, 12), out var learned));
        Assert.Equal(780, learned.Position.HeightM);
        Assert.Equal(0, adapter.Statistics.Rejected(DetectionRejection.UnknownSite));
        // Every plot becomes a detection, except those whose Mode C height cannot be reached at their range (none here).
        var reasons = string.Join(", ", Enum.GetValues<DetectionRejection>().Select(r => $"{r}={adapter.Statistics.Rejected(r)}"));
        Assert.Equal(cat048, detections.Count + adapter.Statistics.RejectedTotal);
        Assert.True(plots.Count == detections.Count, reasons);
        for (var i = 0; i < plots.Count; i++)
        {
            var d = detections[i];
            Assert.Equal($"radar:{plots[i].Source}", d.SensorId);
            var frame = new EnuFrame(d.SensorSite);
            var polar = RadarPolar.FromEnu(frame.ToEnu(frame.ToEcef(new RadarPolar(d.Value.X, d.Value.Y, d.Value.Z).ToEnu())));
            Assert.Equal(plots[i].Rho, polar.RangeM, 1e-6);
            Assert.Equal(plots[i].Theta, polar.AzimuthRad, 1e-9);
            Assert.Equal(payloadDate, d.Time.Date);
        }
    }

    private static List<Detection> Convert(AsterixDetectionAdapter adapter, byte[] data, DateTime? capture, AsterixDecoderOptions options)
    {
        var list = new List<Detection>();
        AsterixDecoder.DecodeAll(data, new AsterixRecord(), new Sink(r =>
        {
            if (adapter.TryConvert(r, capture, out var d))
            {
                list.Add(d);
            }
        }), options, new DecodeStatistics());
        return list;
    }

    private sealed class Sink(Action<AsterixRecord> onRecord) : IAsterixRecordSink
    {
        public void OnRecord(AsterixRecord record) => onRecord(record);

        public void OnRejected(DecodeStatus status, int offset)
        {
        }
    }
}
