using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Kizuna.Asterix;
using Kizuna.Asterix.Cat034;
using Kizuna.Asterix.Cat048;
using Kizuna.Asterix.Cat062;
using Kizuna.Asterix.Common;
using Kizuna.Asterix.Detections;
using Kizuna.Asterix.IO;
using Kizuna.Cli.Commands;
using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Cli.Tests;

/// <summary>
/// <c>kizuna track --asterix</c> end to end on a synthetic recording: three notional radars at ASSUMED sites observe
/// four straight-flying Mode S aircraft for 120 s (4 s rotation); their plots are encoded as CAT048 with CAT034
/// north markers into a pcap with <see cref="PcapWriter"/>. The command is called in-process with its own writers
/// (no console swapping), the way <c>TrackCommand.Execute</c> calls it.
/// </summary>
public sealed class AsterixTrackTests : IDisposable
{
    private const double Rotation = 4.0;
    private static readonly DateTime Start = new(2024, 5, 10, 9, 0, 0, DateTimeKind.Utc);
    private static readonly Geodetic Centre = Geodetic.FromDegrees(45.0, 15.0, 0);
    private static readonly (int Sic, Geodetic Site)[] Radars =
        [(1, Geodetic.FromDegrees(45.6, 14.5, 400)), (2, Geodetic.FromDegrees(44.5, 15.8, 250)), (3, Geodetic.FromDegrees(45.3, 16.2, 600))];
    private static readonly (uint Address, Vec3 StartEnu, Vec3 VelocityEnu, int FlightLevel)[] Aircraft =
    [
        (0x3C0001, new(-20_000, 0, 0), new(230, 0, 0), 350),
        (0x3C0002, new(10_000, -30_000, 0), new(0, 200, 0), 300),
        (0x3C0003, new(30_000, 25_000, 0), new(-150, -150, 0), 240),
        (0x3C0004, new(-40_000, 40_000, 0), new(120, -180, 0), 380),
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("kizuna-asterix-track-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Geodetic Truth(int i, double t)
    {
        var a = Aircraft[i];
        var g = new EnuFrame(Centre).ToGeodetic(a.StartEnu + (a.VelocityEnu * t));
        return g with { HeightM = a.FlightLevel * 100 * 0.3048 };
    }

    private static string[] SiteArgs() => [.. Radars.Select(r => FormattableString.Invariant($"25/{r.Sic}={r.Site.LatitudeDeg},{r.Site.LongitudeDeg},{r.Site.HeightM}"))];

    /// <summary>Writes the synthetic recording; returns the datagrams (time, payload) in time order too.</summary>
    private static List<(DateTime Time, byte[] Payload)> WriteRecording(string path)
    {
        var rng = new Random(20240510);
        var datagrams = new List<(DateTime Time, byte[] Payload)>();
        var buffer = new byte[65_536];
        foreach (var (scanStart, sic, _, _, plots) in Scans())
        {
            var records = new List<AsterixRecord>();
            foreach (var (i, t, polar) in plots)
            {
                var r = new AsterixRecord();
                var template = Cat048Template();
                r.Reset(48, template);
                var f = r.Cat048;
                f.Sac = 25;
                f.Sic = sic;
                f.TimeOfDayRaw = (int)Math.Round((Start.AddSeconds(t) - Start.Date).TotalSeconds * 128);
                f.DescriptorOctet1 = 5 << 5;
                f.DescriptorOctet2 = -1;
                f.RhoRaw = (int)Math.Round((polar.RangeM + (Gauss(rng) * 30)) / 1852 * 256);
                f.ThetaRaw = (int)Math.Round((polar.AzimuthRad + (Gauss(rng) * 0.05 * Math.PI / 180)) / (2 * Math.PI) * 65536) & 0xFFFF;
                f.FlightLevelRaw = Aircraft[i].FlightLevel * 4;
                f.AircraftAddress = (int)Aircraft[i].Address;
                r.Present = r.Present.With(Cat048Frn.I010).With(Cat048Frn.I140).With(Cat048Frn.I020).With(Cat048Frn.I040)
                    .With(Cat048Frn.I090).With(Cat048Frn.I220);
                records.Add(r);
            }

            var north = new AsterixRecord();
            north.Reset(34, Cat034Template());
            north.Cat034.Sac = 25;
            north.Cat034.Sic = sic;
            north.Cat034.MessageType = 1;
            north.Cat034.TimeOfDayRaw = (int)Math.Round((Start.AddSeconds(scanStart) - Start.Date).TotalSeconds * 128);
            north.Present = north.Present.With(Cat034Frn.I010).With(Cat034Frn.I000).With(Cat034Frn.I030);
            var n = AsterixEncoder.WriteCat034Block(buffer, [north]);
            n += AsterixEncoder.WriteCat048Block(buffer.AsSpan(n), [.. records]);
            datagrams.Add((Start.AddSeconds(scanStart + Rotation), buffer[..n]));
        }

        WritePcap(path, datagrams);
        return datagrams;
    }

    /// <summary>
    /// Every radar's scans over 120 s (each radar's scan starts 0.7 s × SIC after the rotation's): per scan, the plot of
    /// each aircraft at the time the beam crosses it, as (aircraft, seconds after <see cref="Start"/>, polar position).
    /// </summary>
    private static IEnumerable<(double ScanStart, int Sic, Geodetic Site, EnuFrame Frame, (int Aircraft, double Time, RadarPolar Polar)[] Plots)> Scans()
    {
        for (var scan = 0; scan < (int)(120 / Rotation); scan++)
        {
            foreach (var (sic, site) in Radars)
            {
                var scanStart = (scan * Rotation) + (sic * 0.7);
                var frame = new EnuFrame(site);
                var plots = new (int, double, RadarPolar)[Aircraft.Length];
                for (var i = 0; i < Aircraft.Length; i++)
                {
                    var az0 = RadarPolar.FromEnu(frame.ToEnu(Truth(i, scanStart))).AzimuthRad;
                    var t = scanStart + (az0 / (2 * Math.PI) * Rotation);
                    plots[i] = (i, t, RadarPolar.FromEnu(frame.ToEnu(Truth(i, t))));
                }

                yield return (scanStart, sic, site, frame, plots);
            }
        }
    }

    /// <summary>Writes the datagrams, sorted by time, as UDP from 10.0.0.1:5000 to 239.1.1.1:21111 into a pcap.</summary>
    private static void WritePcap(string path, List<(DateTime Time, byte[] Payload)> datagrams)
    {
        datagrams.Sort((a, b) => a.Time.CompareTo(b.Time));
        using var pcap = PcapWriter.Create(File.Create(path));
        foreach (var (time, payload) in datagrams)
        {
            pcap.WriteUdp(time, PacketEndpoint.Parse("10.0.0.1:5000"), PacketEndpoint.Parse("239.1.1.1:21111"), payload);
        }
    }

    private static double Gauss(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static Uap Cat048Template() => UapOf([48, 0, 6, 0x80, 0, 0]);

    private static Uap Cat034Template() => UapOf([34, 0, 6, 0x80, 0, 0]);

    private static Uap UapOf(byte[] block)
    {
        var sink = new Sink();
        AsterixDecoder.TryDecodeBlock(block, new AsterixRecord(), sink, AsterixDecoderOptions.Default, out _);
        return sink.Records.Count > 0 ? sink.Records[0].Uap : throw new InvalidOperationException("no UAP");
    }

    private (int Code, string Out, string Err) Track(TrackCommand.Settings settings, CancellationToken token = default, Action<IPEndPoint>? listening = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = TrackAsterix.Execute(settings, output, error, token, listening);
        return (code, output.ToString(), error.ToString());
    }

    private static List<Cat062Report> DecodeCat062(IAsterixPayloadReader reader)
    {
        var sink = new Sink();
        var scratch = new AsterixRecord();
        while (reader.TryRead(out var payload))
        {
            AsterixDecoder.DecodeAll(payload.Data.Span, scratch, sink, AsterixDecoderOptions.Default, new DecodeStatistics());
        }

        return [.. sink.Records.Where(r => r.Category == 62).Select(r => r.Report)];
    }

    [Fact]
    public void TrackAsterix_SyntheticPcap_ConfirmedTracksNearTruthAndCat062Decodes()
    {
        var input = Path.Combine(_dir, "radars.pcap");
        WriteRecording(input);
        var tracks = Path.Combine(_dir, "tracks.csv");
        var ast = Path.Combine(_dir, "out.ast");

        var (code, output, err) = Track(new TrackCommand.Settings { Asterix = input, Sites = SiteArgs(), Out = tracks, OutAsterix = ast, Scan = Rotation }, TestContext.Current.CancellationToken);

        Assert.True(code == 0, $"exit {code}\n{output}\n{err}");
        Assert.Contains("360 detections", output, StringComparison.Ordinal);
        using var reader = AsterixFileReader.Open(ast);
        var reports = DecodeCat062(reader);
        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.Equal((0, 1), (r.Sac, r.Sic)));
        // The last scan: one CAT062 report per aircraft, within 300 m of the truth, with the aircraft's address.
        var lastTime = reports.Max(r => r.TimeOfDay);
        var last = reports.Where(r => r.TimeOfDay == lastTime).ToList();
        Assert.Equal(Aircraft.Length, last.Count);
        var t = lastTime - (Start - Start.Date).TotalSeconds;
        for (var i = 0; i < Aircraft.Length; i++)
        {
            var report = Assert.Single(last, r => r.Address == (int)Aircraft[i].Address);
            var truth = Truth(i, t);
            var error = Geodesic.Distance(truth, Geodetic.FromDegrees(report.Lat, report.Lon)).Metres;
            Assert.True(error < 300, $"aircraft {i}: {error:F0} m from truth at t = {t:F1} s");
            Assert.Equal(truth.HeightM, report.HeightFt * 0.3048, 150.0);
            Assert.Equal(Aircraft[i].FlightLevel * 4, report.FlightLevelRaw);
        }

        // Track numbers: the CAT062 numbers of the last scan are the track ids in the CSV at that time.
        var csvIds = File.ReadLines(tracks).Skip(1).Select(l => l.Split(',')).GroupBy(p => p[0]).Last().Select(p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)).Order();
        Assert.Equal(csvIds, last.Select(r => r.TrackNumber).Order());
    }

    /// <summary>
    /// Writes the four aircraft as Mode S plots with I048/120 range rate (the truth's ṙ, σ 1 m/s noise), the CAL
    /// written with the given sign convention: <paramref name="approaching"/> true = positive closing (CAL = −ṙ), as a
    /// sender whose ICD says so would.
    /// </summary>
    private static void WriteDopplerRecording(string path, bool approaching)
    {
        var rng = new Random(120120);
        var buffer = new byte[65_536];
        var datagrams = new List<(DateTime Time, byte[] Payload)>();
        foreach (var (scanStart, sic, site, frame, plots) in Scans())
        {
            var records = new List<AsterixRecord>();
            foreach (var (i, t, polar) in plots)
            {
                var rangeRate = (RadarPolar.FromEnu(frame.ToEnu(Truth(i, t + 0.05))).RangeM - RadarPolar.FromEnu(frame.ToEnu(Truth(i, t - 0.05))).RangeM) / 0.1;
                var measured = rangeRate + Gauss(rng);
                var plot = new Detection(Start.AddSeconds(t), "r", Nation.Usa, MeasurementKind.RangeAzimuthElevation,
                    new Vec3(polar.RangeM + (Gauss(rng) * 30), polar.AzimuthRad + (Gauss(rng) * 0.05 * Math.PI / 180), polar.ElevationRad),
                    Mat3.Diagonal(900, 1e-6, 1e-6), site, i + 1, Aircraft[i].Address, approaching ? -measured : measured, 1);
                var r = new AsterixRecord();
                Assert.True(RadarPlotEncoder.TryFillCat048(r, plot, new DataSourceId(25, sic), new SecondaryReply(-1, Aircraft[i].Address, true), simulated: false, out var doppler));
                Assert.Equal(DopplerEncoding.Encoded, doppler);
                records.Add(r);
            }

            var n = AsterixEncoder.WriteCat048Block(buffer, [.. records]);
            datagrams.Add((Start.AddSeconds(scanStart + Rotation), buffer[..n]));
        }

        WritePcap(path, datagrams);
    }

    /// <summary>
    /// <c>--doppler</c> and <c>--doppler-std</c>: a sender whose CAL is positive when closing. Read with
    /// <c>--doppler approaching</c> the range rates are right and every aircraft is one track near the truth;
    /// with the default (positive receding) the same plots carry the opposite ṙ and the tracker's 4-D gate
    /// refuses them, so the aircraft do not keep one track each; <c>--doppler ignore</c> uses no range rate.
    /// </summary>
    [Fact]
    public void TrackAsterix_DopplerSignOption_DecidesWhetherTheRangeRatesFitTheTracks()
    {
        var input = Path.Combine(_dir, "doppler.pcap");
        WriteDopplerRecording(input, approaching: true);
        var token = TestContext.Current.CancellationToken;

        (int Code, string Out, int LastScanTracks, int TrackIds) Run(string doppler)
        {
            var tracks = Path.Combine(_dir, $"tracks-{doppler}.csv");
            var (code, output, err) = Track(new TrackCommand.Settings { Asterix = input, Sites = SiteArgs(), Out = tracks, Scan = Rotation, Doppler = doppler, DopplerStd = 1.5 }, token);
            Assert.True(code == 0, $"--doppler {doppler}: exit {code}\n{output}\n{err}");
            var rows = File.ReadLines(tracks).Skip(1).Select(l => l.Split(',')).ToList();
            var last = rows.Count == 0 ? 0 : rows.GroupBy(p => p[0]).Last().Count();
            return (code, output, last, rows.Select(p => p[1]).Distinct().Count());
        }

        var right = Run("approaching");
        Assert.Contains("Range rate (I048/120): 360 detections carry it (positive approaching: ṙ = −CAL, σ_ṙ 1.5 m/s)", right.Out, StringComparison.Ordinal);
        Assert.Equal(Aircraft.Length, right.LastScanTracks);
        Assert.Equal(Aircraft.Length, right.TrackIds);

        var wrong = Run("receding");
        Assert.Contains("Range rate (I048/120): 360 detections carry it (positive receding: ṙ = CAL", wrong.Out, StringComparison.Ordinal);
        // Measured: 12 track ids, 2 tracks in the last scan, 35 tentatives left (the right sign: 4, 4, none).
        Assert.True(wrong.TrackIds > Aircraft.Length && wrong.LastScanTracks < Aircraft.Length,
            $"the opposite sign must spoil the tracking (last scan {wrong.LastScanTracks} tracks, {wrong.TrackIds} ids)\n{wrong.Out}");

        var ignored = Run("ignore");
        Assert.Contains("Range rate (I048/120): 0 detections carry it (ignored", ignored.Out, StringComparison.Ordinal);
        Assert.Equal(Aircraft.Length, ignored.LastScanTracks);
    }

    [Theory]
    [InlineData("sideways", 3.0, "--doppler 'sideways'")]
    [InlineData("receding", 0.0, "--doppler-std 0")]
    [InlineData("receding", double.NaN, "--doppler-std NaN")]
    public void TrackSettings_BadDopplerOptions_RefusedNamingTheOption(string doppler, double std, string expected)
    {
        var settings = new TrackCommand.Settings { Asterix = "x.pcap", Doppler = doppler, DopplerStd = std };
        var result = settings.Validate();
        Assert.False(result.Successful);
        Assert.Contains(expected, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrackAsterix_Cat062Pcap_TsharkDecodesWithoutMalformed()
    {
        var input = Path.Combine(_dir, "radars.pcap");
        WriteRecording(input);
        var pcap = Path.Combine(_dir, "out.pcap");
        var (code, output, err) = Track(new TrackCommand.Settings { Asterix = input, Sites = SiteArgs(), Out = Path.Combine(_dir, "t.csv"), OutAsterix = pcap, Scan = Rotation }, TestContext.Current.CancellationToken);
        Assert.True(code == 0, $"exit {code}\n{output}\n{err}");

        using var reader = AsterixFileReader.Open(pcap);
        var ours = DecodeCat062(reader);
        var verbose = Tshark("-r", pcap, "-d", "udp.port==8600,asterix", "-V");
        Assert.DoesNotContain("Malformed", verbose, StringComparison.OrdinalIgnoreCase);
        var fields = Tshark("-r", pcap, "-d", "udp.port==8600,asterix", "-T", "fields", "-e", "asterix.062_040_VALUE");
        var numbers = fields
            .Split(['\n', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => Convert.ToInt32(s, 16)).ToList(); // tshark prints I062/040 as 0x0001
        Assert.NotEmpty(numbers);
        Assert.Equal(ours.Select(r => r.TrackNumber), numbers);
    }

    [Fact]
    public async Task TrackAsterix_UdpInAndOut_Cat062Received()
    {
        var datagrams = WriteRecording(Path.Combine(_dir, "radars.pcap"));
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var outPort = ((IPEndPoint)receiver.Client.LocalEndPoint!).Port;
        using var bound = new ManualResetEventSlim();
        IPEndPoint? input = null;
        var settings = new TrackCommand.Settings
        {
            Asterix = "udp://127.0.0.1:0",
            Sites = SiteArgs(),
            Out = Path.Combine(_dir, "udp.csv"),
            UdpOut = $"127.0.0.1:{outPort}",
            Scan = Rotation,
            Duration = 6,
        };
        var run = Task.Run(() => Track(settings, TestContext.Current.CancellationToken, ep => { input = ep; bound.Set(); }), TestContext.Current.CancellationToken);
        Assert.True(bound.Wait(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken), "listener did not start");
        using (var sender = new UdpClient())
        {
            foreach (var (index, (_, payload)) in datagrams.Index())
            {
                sender.Send(payload, new IPEndPoint(IPAddress.Loopback, input!.Port));
                if (index % 10 == 9)
                {
                    Thread.Sleep(2);
                }
            }
        }

        var received = new List<byte[]>();
        receiver.Client.ReceiveTimeout = 15_000;
        var from = new IPEndPoint(IPAddress.Any, 0);
        received.Add(receiver.Receive(ref from));
        var (code, output, err) = await run;
        while (receiver.Available > 0)
        {
            received.Add(receiver.Receive(ref from));
        }

        Assert.True(code == 0, $"exit {code}\n{output}\n{err}");
        Assert.Contains("360 detections", output, StringComparison.Ordinal);
        var sink = new Sink();
        foreach (var datagram in received)
        {
            AsterixDecoder.DecodeAll(datagram, new AsterixRecord(), sink, AsterixDecoderOptions.Default, new DecodeStatistics());
        }

        Assert.All(sink.Records, r => Assert.Equal(62, r.Category));
        Assert.Equal(Aircraft.Select(a => (int)a.Address).Order(), sink.Records.Select(r => r.Report.Address).Distinct().Order());
    }

    private static string Tshark(params string[] args)
    {
        var psi = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("tshark did not start (apt-get install -y tshark)");
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"tshark exited {process.ExitCode}: {stderr.Result}");
        return stdout;
    }

    private sealed record Cat062Report(int Sac, int Sic, double TimeOfDay, int TrackNumber, double Lat, double Lon, double HeightFt, int Address, int FlightLevelRaw);

    private sealed class Sink : IAsterixRecordSink
    {
        public List<(int Category, Uap Uap, Cat062Report Report)> Records { get; } = [];

        public void OnRecord(AsterixRecord record)
        {
            var f = record.Cat062;
            var report = record.Category == 62
                ? new Cat062Report(f.Sac, f.Sic, f.TimeOfTrackSeconds, f.TrackNumber, f.LatitudeDegrees, f.LongitudeDegrees,
                    f.GeometricAltitudeRaw * 6.25, f.TargetAddress, record.Has(Cat062Frn.I136) ? f.MeasuredFlightLevelRaw : -1)
                : new Cat062Report(0, 0, 0, 0, 0, 0, 0, 0, 0);
            Records.Add((record.Category, record.Uap!, report));
        }

        public void OnRejected(DecodeStatus status, int offset) => throw new InvalidOperationException($"rejected {status} at {offset}");
    }
}
