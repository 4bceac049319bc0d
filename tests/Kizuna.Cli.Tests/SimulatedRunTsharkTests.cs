using System.Globalization;
using Kizuna.Asterix;
using Kizuna.Asterix.Cat034;
using Kizuna.Asterix.Cat048;
using Kizuna.Asterix.Cat062;
using Kizuna.Asterix.Common;
using Kizuna.Asterix.Detections;
using Kizuna.Asterix.IO;
using Kizuna.Cli.Commands;
using Kizuna.Cli.Pipeline;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Motion;
using Kizuna.Simulation.Scenario;
using Kizuna.TestSupport;

namespace Kizuna.Cli.Tests;

/// <summary>
/// Issue 4, Wireshark check on a simulated run: the first 60 s of scenarios/trilateral-defence.yaml run through the
/// exercise engine and the default tracker exactly as <c>kizuna demo</c> wires them (<see cref="TrackingSink"/>).
/// The plots of one destroyer radar are encoded as CAT048 (with CAT034 north markers, sector crossings and the
/// ship's position each revisit) by <see cref="RadarPlotEncoder"/>, the confirmed system tracks every 15 s as CAT062
/// by <see cref="SystemTrackEncoder"/>; all go into one pcap. tshark must dissect every record without a malformed
/// packet or an expert warning, and print the same values as our decoder, record by record.
/// </summary>
public sealed class SimulatedRunTsharkTests(ITestOutputHelper output) : IDisposable
{
    private const double Duration = 60;
    private const double PublishEvery = 15;
    private static readonly string[] Candidates = ["jpn-ddg-north-spy", "jpn-ddg-south-spy", "usa-ddg-spy", "aus-ddg-spy"];
    private static readonly DataSourceId Radar = new(1, 20);
    private static readonly DataSourceId System = new(1, 1);
    private static readonly Geodetic Centre = Geodetic.FromDegrees(36.0, 135.0);
    private readonly string _dir = Directory.CreateTempSubdirectory("kizuna-sim-tshark-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TrilateralRun_Cat034Cat048Cat062Pcap_TsharkAgreesRecordByRecord()
    {
        var scenario = ScenarioLoader.Load(Paths.InRepo("scenarios", "trilateral-defence.yaml"));
        var world = ExerciseWorld.Build(scenario);
        var icao = world.Objects.ToDictionary(o => o.Id, o => o.Icao);
        var sink = new PublishingSink(new TrackingSink(TrackCommand.Defaults.Ecef.Build(), scenario.Epoch, sampleInterval: PublishEvery), scenario.Epoch);
        await new ExerciseEngine(world, new ExerciseOptions { Duration = Duration }).RunAsync(sink, null, TestContext.Current.CancellationToken);

        // The destroyer radar with the most plots; its revisit period is its "scan".
        var radarId = Candidates.MaxBy(c => sink.Plots.Count(d => d.SensorId == c))!;
        var plots = sink.Plots.Where(d => d.SensorId == radarId).OrderBy(d => d.Time).ToList();
        var period = world.Sensors.Single(s => s.Definition.Id == radarId).Definition.RevisitPeriod;
        Assert.True(plots.Count >= 50, $"{radarId}: only {plots.Count} plots in {Duration} s");

        var datagrams = new List<(DateTime Time, bool Tracks, byte[] Payload)>();
        var encoded = new List<(Detection Plot, SecondaryReply Reply)>();
        var buffer = new byte[65_507];
        var records = Enumerable.Range(0, 512).Select(_ => new AsterixRecord()).ToArray();
        var site = plots[0].SensorSite;
        for (var k = 0; k * period < Duration; k++)
        {
            var start = scenario.Epoch.AddSeconds(k * period);
            var inPeriod = plots.Where(d => d.Time >= start && d.Time < start.AddSeconds(period)).ToList();
            site = inPeriod.Count > 0 ? inPeriod[0].SensorSite : site;
            RadarPlotEncoder.FillCat034(records[0], Radar, start, null, period, site);
            for (var s = 1; s < 8; s++)
            {
                RadarPlotEncoder.FillCat034(records[s], Radar, start.AddSeconds(s * period / 8), s * 45.0, null, null);
            }

            var n = AsterixEncoder.WriteCat034Block(buffer, records.AsSpan(0, 8));
            var count = 0;
            foreach (var d in inPeriod)
            {
                var reply = d.TruthId > 0 && icao[d.TruthId] != 0
                    ? new SecondaryReply((d.TruthId * 7) & 0xFFF, icao[d.TruthId], ReportsAltitude: true) // notional squawk per object
                    : SecondaryReply.None;
                Assert.True(RadarPlotEncoder.TryFillCat048(records[count++], d, Radar, reply, simulated: true), $"plot at {d.Time:O} not encodable");
                encoded.Add((d, reply));
            }

            if (count > 0)
            {
                n += AsterixEncoder.WriteCat048Block(buffer.AsSpan(n), records.AsSpan(0, count));
            }

            datagrams.Add((start.AddSeconds(period), false, buffer[..n]));
        }

        datagrams.AddRange(sink.Cat062.Select(b => (b.Time, true, b.Block)));
        datagrams.Sort((a, b) => a.Time.CompareTo(b.Time));
        var pcap = Path.Combine(_dir, "simulated.pcap");
        using (var writer = PcapWriter.Create(File.Create(pcap)))
        {
            foreach (var (time, tracks, payload) in datagrams)
            {
                writer.WriteUdp(time, PacketEndpoint.Parse(tracks ? "10.1.0.2:40001" : "10.1.0.1:40000"),
                    PacketEndpoint.Parse(tracks ? "239.1.62.1:21001" : "239.1.48.1:21000"), payload);
            }
        }

        // Our decode of the capture: the values tshark must print, in the same record order.
        var expected = new List<(int Category, Dictionary<string, string> Fields)>();
        var decoded = new ExpectSink(expected);
        using (var reader = AsterixFileReader.Open(pcap))
        {
            var scratch = new AsterixRecord();
            while (reader.TryRead(out var payload))
            {
                AsterixDecoder.DecodeAll(payload.Data.Span, scratch, decoded, AsterixDecoderOptions.Default, new DecodeStatistics());
            }
        }

        // Our encoding against its sources: every plot, at its range, azimuth and time within half an LSB.
        var cat048 = decoded.Cat048;
        Assert.Equal(encoded.Count, cat048.Count);
        for (var i = 0; i < encoded.Count; i++)
        {
            var (d, reply) = encoded[i];
            var (tod, rhoM, thetaRad, mode3A, address) = cat048[i];
            Assert.Equal(d.Time.TimeOfDay.TotalSeconds, tod, 0.5 / 128 + 1e-9);
            Assert.Equal(d.Value.X, rhoM, (1852.0 / 512) + 1e-6);
            Assert.True(Math.Abs(Math.IEEERemainder(d.Value.Y - thetaRad, 2 * Math.PI)) <= (Math.PI / 65536) + 1e-9, $"plot {i}: azimuth");
            Assert.Equal(reply.Mode3A, mode3A);
            Assert.Equal((int)reply.Address, address);
        }

        // I062/100 is the I062/105 position in the system plane (within the LSBs: 0.5 m and 180/2^25 deg ≈ 0.6 m).
        var plane = SystemStereographicPlane.At(Centre);
        foreach (var (lat, lon, x, y) in decoded.Cat062Positions)
        {
            var back = plane.FromPlane(x, y);
            Assert.True(Geodesic.Distance(back, Geodetic.FromDegrees(lat, lon)).Metres < 1.5, $"I062/100 ({x}, {y}) is not I062/105 ({lat}, {lon})");
        }

        var (dissected, problems, firstProblem) = TsharkJson.Dissect(pcap, "21000-21001");
        Assert.True(problems == 0, $"tshark: {problems} malformed / warning item(s); first: {firstProblem}");
        Assert.Equal(expected.Count, dissected.Count);
        var mismatches = new List<string>();
        for (var i = 0; i < expected.Count && mismatches.Count < 20; i++)
        {
            Assert.Equal(expected[i].Category, dissected[i].Category);
            foreach (var (field, value) in expected[i].Fields)
            {
                var actual = dissected[i].Fields.GetValueOrDefault(field);
                if (actual is null || !TsharkJson.SameValue(value, actual))
                {
                    mismatches.Add($"record {i} (frame {dissected[i].Frame}, CAT{dissected[i].Category:D3}) {field}: tshark '{actual}', ours '{value}'");
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        var byCategory = expected.GroupBy(e => e.Category).ToDictionary(g => g.Key, g => g.Count());
        var cooperative = encoded.Count(e => e.Reply.IsCooperative);
        var withPlanePosition = expected.Count(e => e.Fields.ContainsKey("asterix.062_100_X"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{radarId}: {plots.Count} plots ({cooperative} with Mode 3/A, Mode C and Mode S address), {datagrams.Count} datagrams; records CAT034 {byCategory.GetValueOrDefault(34)}, CAT048 {byCategory.GetValueOrDefault(48)}, CAT062 {byCategory.GetValueOrDefault(62)} ({withPlanePosition} with I062/100); tshark agreed on {expected.Sum(e => e.Fields.Count)} values"));
        Assert.True(cooperative > 0, "no cooperative plot: mode codes were not exercised");
        Assert.True(byCategory.GetValueOrDefault(62) > 0, "no confirmed system track");
        Assert.Equal(byCategory[62], withPlanePosition);
    }

    /// <summary>Feeds the tracker as the CLI does and publishes CAT062 every <see cref="PublishEvery"/> s; keeps every radar plot.</summary>
    private sealed class PublishingSink(TrackingSink tracking, DateTime epoch) : ISimulationSink
    {
        private readonly SystemTrackEncoder _encoder = new(System, null, SystemStereographicPlane.At(Centre));

        public List<Detection> Plots { get; } = [];

        public List<(DateTime Time, byte[] Block)> Cat062 { get; } = [];

        public void OnTruth(double time, ReadOnlySpan<TruthRecord> truth) => tracking.OnTruth(time, truth);

        public void OnDetections(double time, ReadOnlySpan<Detection> detections)
        {
            foreach (ref readonly var d in detections)
            {
                if (d.Kind == MeasurementKind.RangeAzimuthElevation)
                {
                    Plots.Add(d);
                }
            }

            tracking.OnDetections(time, detections);
            if (time > 0 && Math.Abs(time - (Math.Round(time / PublishEvery) * PublishEvery)) < 1e-6)
            {
                var at = epoch.AddSeconds(time);
                _encoder.Publish(tracking.Tracker, at, block => Cat062.Add((at, block.ToArray())));
            }
        }

        public void OnEvent(SimulationEvent simulationEvent) => tracking.OnEvent(simulationEvent);
    }

    /// <summary>Builds the tshark field values of each decoded record (field names as in <c>tshark -G fields</c>).</summary>
    private sealed class ExpectSink(List<(int Category, Dictionary<string, string> Fields)> expected) : IAsterixRecordSink
    {
        public List<(double Tod, double RhoM, double ThetaRad, int Mode3A, int Address)> Cat048 { get; } = [];

        public List<(double Lat, double Lon, double X, double Y)> Cat062Positions { get; } = [];

        public void OnRecord(AsterixRecord r)
        {
            var d = new Dictionary<string, string>(StringComparer.Ordinal);
            switch (r.Category)
            {
                case 34:
                {
                    var f = r.Cat034;
                    d["asterix.034_010_SAC"] = I(f.Sac);
                    d["asterix.034_010_SIC"] = I(f.Sic);
                    d["asterix.034_000_VALUE"] = I(f.MessageType);
                    d["asterix.034_030_VALUE"] = F(f.TimeOfDaySeconds);
                    if (r.Has(Cat034Frn.I020)) { d["asterix.034_020_VALUE"] = F(f.SectorDegrees); }
                    if (r.Has(Cat034Frn.I041)) { d["asterix.034_041_VALUE"] = F(f.AntennaRotationSeconds); }
                    if (r.Has(Cat034Frn.I120))
                    {
                        d["asterix.034_120_HGT"] = I(f.SiteHeightMetres);
                        d["asterix.034_120_LAT"] = F(f.SiteLatitudeDegrees);
                        d["asterix.034_120_LON"] = F(f.SiteLongitudeDegrees);
                    }

                    break;
                }

                case 48:
                {
                    var f = r.Cat048;
                    d["asterix.048_010_SAC"] = I(f.Sac);
                    d["asterix.048_010_SIC"] = I(f.Sic);
                    d["asterix.048_140_VALUE"] = F(f.TimeOfDaySeconds);
                    d["asterix.048_020_TYP"] = I(f.Typ);
                    d["asterix.048_020_SIM"] = f.Simulated ? "1" : "0";
                    d["asterix.048_040_RHO"] = F(f.RangeNauticalMiles);
                    d["asterix.048_040_THETA"] = F(f.AzimuthDegrees);
                    if (r.Has(Cat048Frn.I070)) { d["asterix.048_070_MODE3A"] = I(f.Mode3ACode); }
                    if (r.Has(Cat048Frn.I090)) { d["asterix.048_090_FL"] = F(f.FlightLevel); }
                    if (r.Has(Cat048Frn.I220)) { d["asterix.048_220_VALUE"] = I(f.AircraftAddress); }
                    Cat048.Add((f.TimeOfDaySeconds, f.RangeMetres, f.AzimuthDegrees * Math.PI / 180,
                        r.Has(Cat048Frn.I070) ? f.Mode3ACode : -1, r.Has(Cat048Frn.I220) ? f.AircraftAddress : 0));
                    break;
                }

                case 62:
                {
                    var f = r.Cat062;
                    d["asterix.062_010_SAC"] = I(f.Sac);
                    d["asterix.062_010_SIC"] = I(f.Sic);
                    d["asterix.062_070_VALUE"] = F(f.TimeOfTrackSeconds);
                    d["asterix.062_105_LAT"] = F(f.LatitudeDegrees);
                    d["asterix.062_105_LON"] = F(f.LongitudeDegrees);
                    d["asterix.062_185_VX"] = F(f.VxRaw * 0.25);
                    d["asterix.062_185_VY"] = F(f.VyRaw * 0.25);
                    d["asterix.062_040_VALUE"] = I(f.TrackNumber);
                    d["asterix.062_130_VALUE"] = F(f.GeometricAltitudeRaw * 6.25);
                    if (r.Has(Cat062Frn.I100))
                    {
                        d["asterix.062_100_X"] = F(f.XRaw * 0.5);
                        d["asterix.062_100_Y"] = F(f.YRaw * 0.5);
                        Cat062Positions.Add((f.LatitudeDegrees, f.LongitudeDegrees, f.XRaw * 0.5, f.YRaw * 0.5));
                    }

                    if (r.Has(Cat062Frn.I380) && f.TargetAddress >= 0) { d["asterix.062_380_ADR_VALUE"] = I(f.TargetAddress); }
                    break;
                }

                default:
                    throw new InvalidOperationException($"unexpected CAT{r.Category:D3}");
            }

            expected.Add((r.Category, d));
        }

        public void OnRejected(DecodeStatus status, int offset) => throw new InvalidOperationException($"our own capture: rejected {status} at {offset}");

        private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

        private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    }
}
