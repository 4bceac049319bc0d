using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Kizuna.Asterix;
using Kizuna.Asterix.Cat062;
using Kizuna.Asterix.Detections;
using Kizuna.Asterix.IO;
using Kizuna.Cli.Pipeline;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Cli.Commands;

/// <summary>
/// <c>kizuna track --asterix &lt;file|udp://host:port[@group]&gt;</c>: decodes ASTERIX (CAT048, CAT001, CAT021 target
/// reports; CAT034 / CAT002 service messages), turns the reports into detections with
/// <see cref="AsterixDetectionAdapter"/>, tracks them with the same scan loop as <c>--detections</c>, writes the tracks
/// CSV and, with <c>--out-asterix</c> / <c>--udp-out</c>, publishes every confirmed track each scan as CAT062.
/// </summary>
internal static class TrackAsterix
{
    /// <summary>Default UDP destination of CAT062 inside a <c>--out-asterix x.pcap</c> when no <c>--udp-out</c> is given.</summary>
    public static readonly IPEndPoint DefaultPcapDestination = new(IPAddress.Loopback, 8600);

    /// <summary>Runs the command; <paramref name="listening"/> is told the bound endpoint of a UDP input.</summary>
    public static int Execute(TrackCommand.Settings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken,
        Action<IPEndPoint>? listening = null)
    {
        var source = settings.Asterix ?? "";
        var sites = new List<RadarSite>();
        foreach (var text in settings.Sites)
        {
            if (!RadarSite.TryParse(text, out var site, out var message))
            {
                error.WriteLine($"--site {message}");
                return KizunaApp.InvalidInput;
            }

            sites.Add(site);
        }

        DateOnly? date = null;
        if (settings.Date is { } d)
        {
            if (!DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                error.WriteLine($"--date '{d}': expected YYYY-MM-DD");
                return KizunaApp.InvalidInput;
            }

            date = parsed;
        }

        if (!DataSourceId.TryParse(settings.SystemId, out var systemId))
        {
            error.WriteLine($"--system-id '{settings.SystemId}': expected SAC/SIC");
            return KizunaApp.InvalidInput;
        }

        SystemStereographicPlane? plane = null;
        if (settings.SystemCentre is { } centreText)
        {
            if (!TryCentre(centreText, out var centre))
            {
                error.WriteLine($"--system-centre '{centreText}': expected lat_deg,lon_deg (|lat| < 90)");
                return KizunaApp.InvalidInput;
            }

            plane = SystemStereographicPlane.At(centre);
        }

        IPEndPoint? udpOut = null;
        if (settings.UdpOut is { } u && !TryEndPoint(u, out udpOut))
        {
            error.WriteLine($"--udp-out '{u}': expected host:port");
            return KizunaApp.InvalidInput;
        }

        var isUdp = source.StartsWith("udp://", StringComparison.OrdinalIgnoreCase);
        UdpListenerOptions? listenerOptions = null;
        if (isUdp && !TryUdpSource(source, out listenerOptions))
        {
            error.WriteLine($"--asterix '{source}': expected udp://host:port or udp://host:port@group");
            return KizunaApp.InvalidInput;
        }

        if (listenerOptions is not null)
        {
            listenerOptions = listenerOptions with { Framing = settings.Framing };
        }

        var readerOptions = AsterixReaderOptions.Default with { Framing = settings.Framing };

        if (!isUdp && !File.Exists(source))
        {
            error.WriteLine($"{source}: file not found");
            return KizunaApp.InvalidInput;
        }

        var trackerSettings = settings.Config is null ? TrackCommand.Defaults.Asterix : TrackerConfig.TryLoad(settings.Config, TrackCommand.Defaults.Asterix, error);
        if (trackerSettings is null)
        {
            return KizunaApp.InvalidInput;
        }

        if (!isUdp && date is null && IsRawFile(source))
        {
            // A raw file has no timestamps: its times of day need a date. Any date tracks correctly (only time
            // differences matter); the warning says which one the output uses.
            date = DateOnly.FromDateTime(DateTime.UtcNow);
            error.WriteLine($"warning: {source} has no timestamps and no --date was given; using {date:yyyy-MM-dd}.");
        }

        if (DopplerUse(settings.Doppler) is not { } doppler || !(settings.DopplerStd > 0) || !double.IsFinite(settings.DopplerStd))
        {
            error.WriteLine($"--doppler '{settings.Doppler}' / --doppler-std {settings.DopplerStd}: expected receding, approaching or ignore, and a positive σ in m/s");
            return KizunaApp.InvalidInput;
        }

        var adapter = new AsterixDetectionAdapter(AsterixDetectionOptions.Default with
        {
            Sites = sites,
            Date = date,
            RadialDopplerSpeed = doppler,
            RangeRateStdMps = settings.DopplerStd,
        });
        var encoder = new SystemTrackEncoder(systemId, adapter, plane);
        using var outputs = TrackOutputs.Open(settings.OutAsterix, udpOut);
        var tracker = trackerSettings.Build();
        var decode = new DecodeStatistics();
        ReaderStatistics? readerStats = null;
        TrackCommand.RunResult result;
        if (isUdp)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (settings.Duration > 0)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(settings.Duration));
            }

            var listener = AsterixUdpListener.Start(listenerOptions!, TimeProvider.System);
            try
            {
                readerStats = listener.Statistics;
                listening?.Invoke(listener.LocalEndPoint);
                output.WriteLine($"Listening on {listener.LocalEndPoint}{(listenerOptions!.MulticastGroup is { } g ? $" (group {g})" : "")}; Ctrl+C to stop.");
                result = TrackCommand.Run(tracker, FromUdp(listener, adapter, decode, stop.Token), settings.Out, settings.Scan, DateTime.MinValue,
                    CancellationToken.None, (t, time) => outputs.Publish(encoder, t, time));
            }
            finally
            {
                listener.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        else
        {
            PreScanSites(source, readerOptions, adapter);
            using var reader = AsterixFileReader.Open(source, readerOptions);
            readerStats = reader.Statistics;
            result = TrackCommand.Run(tracker, FromFile(reader, adapter, decode, cancellationToken), settings.Out, settings.Scan, DateTime.MinValue,
                CancellationToken.None, (t, time) => outputs.Publish(encoder, t, time));
        }

        Report(output, settings, adapter, decode, readerStats, result, encoder, tracker.Options);
        return 0;
    }

    private static void Report(TextWriter output, TrackCommand.Settings settings, AsterixDetectionAdapter adapter, DecodeStatistics decode,
        ReaderStatistics? reader, TrackCommand.RunResult result, SystemTrackEncoder encoder, TrackerOptions trackerOptions)
    {
        var a = adapter.Statistics;
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"Read {reader?.Payloads ?? 0:N0} payloads, {decode.Blocks:N0} blocks ({decode.RejectedBlocks:N0} rejected); {a.Records:N0} records → {a.Detections:N0} detections ({a.AssumedHeight:N0} with assumed height), {a.ServiceMessages:N0} service messages, {a.SitesLearned:N0} site(s) learned from CAT034."));
        foreach (var reason in Enum.GetValues<DetectionRejection>())
        {
            if (a.Rejected(reason) > 0)
            {
                output.WriteLine(string.Create(inv, $"  not tracked: {a.Rejected(reason):N0} {reason}"));
            }
        }

        foreach (var (id, count) in a.UnknownSitePlots)
        {
            output.WriteLine(string.Create(inv, $"  radar {id}: {count:N0} plots without a site (give --site {id}=lat,lon,height_m)"));
        }

        if (a.RangeRates > 0 || a.DopplerDoubtful > 0 || DopplerUse(settings.Doppler) != RadialDopplerSpeedUse.PositiveReceding)
        {
            output.WriteLine(string.Create(inv, $"Range rate (I048/120): {a.RangeRates:N0} detections carry it ({DopplerText(settings.Doppler)}, σ_ṙ {settings.DopplerStd:0.###} m/s), {a.DopplerDoubtful:N0} doubtful values not used."));
        }

        var s = result.Statistics;
        output.WriteLine(string.Create(inv, $"Tracked {s.DetectionsReceived:N0} detections ({s.RejectedLate:N0} late, {s.RejectedInvalid:N0} invalid) in {result.Scans:N0} scans: {s.TracksConfirmed:N0} tracks confirmed, {result.Rows:N0} track rows → {settings.Out}."));
        if (TrackCommand.WhyNoneConfirmed(result, trackerOptions) is { } why)
        {
            output.WriteLine(why);
        }
        else if (result.TentativeAtEnd > 0)
        {
            output.WriteLine(string.Create(inv, $"{result.TentativeAtEnd:N0} tentative track(s) at the end (not written)."));
        }

        if (encoder.Blocks > 0 || settings.OutAsterix is not null || settings.UdpOut is not null)
        {
            output.WriteLine(string.Create(inv, $"CAT062: {encoder.Records:N0} track reports in {encoder.Blocks:N0} blocks{(settings.OutAsterix is { } f ? $" → {f}" : "")}{(settings.UdpOut is { } u ? $" → udp {u}" : "")}."));
            if (encoder.Plane is { } p)
            {
                output.WriteLine(string.Create(inv, $"CAT062 I062/100 and I062/185: system stereographic plane centred at {p.Centre.LatitudeDeg:0.######}°, {p.Centre.LongitudeDeg:0.######}°."));
            }
        }

        output.WriteLine(string.Create(inv, $"Latency per scan: median {result.MedianMs:0.###} ms, p99 {result.P99Ms:0.###} ms."));
    }

    /// <summary>The sign convention named by <c>--doppler</c> (receding, approaching, ignore; any case), or null.</summary>
    internal static RadialDopplerSpeedUse? DopplerUse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "receding" => RadialDopplerSpeedUse.PositiveReceding,
        "approaching" => RadialDopplerSpeedUse.PositiveApproaching,
        "ignore" => RadialDopplerSpeedUse.Ignore,
        _ => null,
    };

    private static string DopplerText(string text) => DopplerUse(text) switch
    {
        RadialDopplerSpeedUse.PositiveApproaching => "positive approaching: ṙ = −CAL",
        RadialDopplerSpeedUse.Ignore => "ignored: --doppler ignore",
        _ => "positive receding: ṙ = CAL",
    };

    /// <summary>Learns every CAT034 I034/120 site of a recording first, so plots before their radar's first CAT034 are kept.</summary>
    private static void PreScanSites(string path, AsterixReaderOptions options, AsterixDetectionAdapter adapter)
    {
        using var reader = AsterixFileReader.Open(path, options);
        var sink = new ObserveSink(adapter);
        var scratch = new AsterixRecord();
        var stats = new DecodeStatistics();
        while (reader.TryRead(out var payload))
        {
            AsterixDecoder.DecodeAll(payload.Data.Span, scratch, sink, AsterixDecoderOptions.Default, stats);
        }
    }

    private static IEnumerable<Detection> FromFile(IAsterixPayloadReader reader, AsterixDetectionAdapter adapter, DecodeStatistics stats, CancellationToken cancellationToken)
    {
        var sink = new ConvertSink(adapter);
        var scratch = new AsterixRecord();
        while (!cancellationToken.IsCancellationRequested && reader.TryRead(out var payload))
        {
            sink.Capture = payload.Timestamp;
            AsterixDecoder.DecodeAll(payload.Data.Span, scratch, sink, AsterixDecoderOptions.Default, stats);
            foreach (var d in sink.TakeSorted())
            {
                yield return d;
            }
        }
    }

    private static IEnumerable<Detection> FromUdp(AsterixUdpListener listener, AsterixDetectionAdapter adapter, DecodeStatistics stats, CancellationToken stop)
    {
        var sink = new ConvertSink(adapter);
        var scratch = new AsterixRecord();
        var e = listener.ReadAllAsync(stop).GetAsyncEnumerator(stop);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = e.MoveNextAsync().AsTask().GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                    more = false;
                }

                if (!more)
                {
                    yield break;
                }

                var payload = e.Current;
                sink.Capture = payload.Timestamp;
                AsterixDecoder.DecodeAll(payload.Data.Span, scratch, sink, AsterixDecoderOptions.Default, stats);
                foreach (var d in sink.TakeSorted())
                {
                    yield return d;
                }
            }
        }
        finally
        {
            e.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static bool IsRawFile(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[64];
        var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return AsterixFileReader.Detect(head[..n]) == AsterixSourceFormat.RawAsterix;
    }

    internal static bool TryEndPoint(string text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return false;
        }

        var host = text[..colon].Trim('[', ']');
        if (!IPAddress.TryParse(host, out var address))
        {
            try
            {
                address = Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
            }
            catch (SocketException)
            {
                return false;
            }

            if (address is null)
            {
                return false;
            }
        }

        endPoint = new IPEndPoint(address, port);
        return true;
    }

    internal static bool TryCentre(string text, out Geodetic centre)
    {
        centre = default;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 ||
            !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat) ||
            !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon) ||
            !(Math.Abs(lat) < 90) || !(Math.Abs(lon) <= 180))
        {
            return false;
        }

        centre = Geodetic.FromDegrees(lat, lon);
        return true;
    }

    internal static bool TryUdpSource(string text, out UdpListenerOptions options)
    {
        options = null!;
        var rest = text["udp://".Length..];
        IPAddress? group = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!IPAddress.TryParse(rest[(at + 1)..], out group))
            {
                return false;
            }

            rest = rest[..at];
        }

        if (!TryEndPoint(rest, out var local))
        {
            return false;
        }

        options = new UdpListenerOptions { LocalEndPoint = local, MulticastGroup = group };
        return true;
    }

    private sealed class ObserveSink(AsterixDetectionAdapter adapter) : IAsterixRecordSink
    {
        public void OnRecord(AsterixRecord record) => adapter.Observe(record);

        public void OnRejected(DecodeStatus status, int offset)
        {
        }
    }

    /// <summary>Converts the records of one payload; the payload's detections are handed out in time order.</summary>
    private sealed class ConvertSink(AsterixDetectionAdapter adapter) : IAsterixRecordSink
    {
        private readonly List<Detection> _detections = [];
        private readonly List<Detection> _out = [];

        public DateTime? Capture { get; set; }

        public void OnRecord(AsterixRecord record)
        {
            if (adapter.TryConvert(record, Capture, out var d))
            {
                _detections.Add(d);
            }
        }

        public void OnRejected(DecodeStatus status, int offset)
        {
        }

        public List<Detection> TakeSorted()
        {
            _out.Clear();
            _out.AddRange(_detections);
            _detections.Clear();
            _out.Sort(static (a, b) => a.Time.CompareTo(b.Time));
            return _out;
        }
    }
}
