using System.ComponentModel;
using System.Diagnostics;
using Kizuna.Core;
using Kizuna.Core.IO;
using Kizuna.Tracking.Trackers;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Kizuna.Cli.Commands;

/// <summary>
/// <c>kizuna track --detections &lt;csv&gt; [--config tracker.yaml] --out tracks.csv</c>: runs the
/// tracker over a detections file (the simulator's format, or plain <c>time_s,x_m,y_m[,z_m]</c>)
/// and writes every confirmed track at every scan time.
/// </summary>
internal sealed class TrackCommand : Command<TrackCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--detections <CSV>")]
        [Description("Detections: the simulator's detections.csv, or a plain time_s,x_m,y_m[,z_m] file.")]
        public string Detections { get; init; } = "";

        [CommandOption("--asterix <SOURCE>")]
        [Description("ASTERIX input instead of --detections: a .ast / pcap / pcapng file, or udp://host:port[@group] (CAT048, CAT001, CAT021; CAT034 sites).")]
        public string? Asterix { get; init; }

        [CommandOption("--site <SITE>")]
        [Description("Radar site SAC/SIC=lat_deg,lon_deg,height_m[,range_std_m,azimuth_std_deg] (repeatable; wins over CAT034 I034/120).")]
        public string[] Sites { get; init; } = [];

        [CommandOption("--date <YYYY-MM-DD>")]
        [Description("UTC date of a raw .ast file's times of day (pcap and UDP use their timestamps).")]
        public string? Date { get; init; }

        [CommandOption("--duration <SECONDS>")]
        [Description("UDP input: stop after this many seconds (default: until Ctrl+C).")]
        public double Duration { get; init; }

        [CommandOption("--out-asterix <FILE>")]
        [Description("Write CAT062 system tracks, one block per scan: raw blocks (.ast) or a pcap (.pcap, UDP to --udp-out or 127.0.0.1:8600).")]
        public string? OutAsterix { get; init; }

        [CommandOption("--udp-out <HOST:PORT>")]
        [Description("Send CAT062 system tracks, one datagram per scan, to this UDP address (unicast or multicast).")]
        public string? UdpOut { get; init; }

        [CommandOption("--framing <MODE>")]
        [Description("ASTERIX captures and UDP: block framing inside each UDP payload, auto (default), none or oradis.")]
        public Kizuna.Asterix.IO.AsterixFraming Framing { get; init; } = Kizuna.Asterix.IO.AsterixFraming.Auto;

        [CommandOption("--system-centre <LAT,LON>")]
        [Description("Centre (degrees) of the system stereographic plane of CAT062 I062/100 and I062/185 (default: mean of the radar sites, else the first track).")]
        public string? SystemCentre { get; init; }

        [CommandOption("--system-id <SAC/SIC>")]
        [Description("I062/010 of our system tracks (default 0/1).")]
        public string SystemId { get; init; } = "0/1";

        [CommandOption("--doppler <SIGN>")]
        [Description("ASTERIX input: how I048/120 Doppler speed becomes range rate — receding (positive = moving away, the spec's recommendation; default), approaching (positive = closing, as some senders' ICDs define it) or ignore.")]
        public string Doppler { get; init; } = "receding";

        [CommandOption("--doppler-std <M/S>")]
        [Description("ASTERIX input: σ of the radars' Doppler speed, which ASTERIX does not carry (default 3 m/s; I048/120's 1 m/s rounding adds 1/12 m²/s²).")]
        public double DopplerStd { get; init; } = 3.0;

        [CommandOption("--config <YAML>")]
        [Description("Tracker configuration (docs/tracking.md); defaults suit the file's frame.")]
        public string? Config { get; init; }

        [CommandOption("-o|--out <CSV>")]
        [Description("Tracks file to write (time_s,track_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps,quality).")]
        public string Out { get; init; } = "tracks.csv";

        [CommandOption("--measurement-std <METRES>")]
        [Description("Plain files only: measurement noise σ per axis (default 1 m).")]
        public double MeasurementStd { get; init; } = 1.0;

        [CommandOption("--scan <SECONDS>")]
        [Description("Scan interval: the tracker is stepped and tracks are written every this many seconds (default 1).")]
        public double Scan { get; init; } = 1.0;

        public override ValidationResult Validate() =>
            string.IsNullOrEmpty(Detections) == string.IsNullOrEmpty(Asterix) ? ValidationResult.Error("give exactly one of --detections and --asterix")
            : !(MeasurementStd > 0) || !(Scan > 0) ? ValidationResult.Error("--measurement-std and --scan must be positive")
            : TrackAsterix.DopplerUse(Doppler) is null ? ValidationResult.Error($"--doppler '{Doppler}': expected receding, approaching or ignore")
            : !(DopplerStd > 0) || !double.IsFinite(DopplerStd) ? ValidationResult.Error($"--doppler-std {DopplerStd}: must be a positive number of m/s")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(settings.Asterix))
        {
            return TrackAsterix.Execute(settings, Console.Out, Console.Error, cancellationToken);
        }

        if (!File.Exists(settings.Detections))
        {
            Console.Error.WriteLine($"{settings.Detections}: file not found");
            return KizunaApp.InvalidInput;
        }

        var firstLine = File.ReadLines(settings.Detections).FirstOrDefault() ?? "";
        var plain = PlainCartesianCsv.LooksLike(firstLine) || (firstLine.Length > 0 && char.IsDigit(firstLine[0]));
        var defaults = plain ? Defaults.Flat : Defaults.Ecef;
        var trackerSettings = settings.Config is null ? defaults : TrackerConfig.TryLoad(settings.Config, defaults, Console.Error);
        if (trackerSettings is null)
        {
            return KizunaApp.InvalidInput;
        }

        var errors = new List<RowError>();
        var epoch = plain ? PlainCartesianCsv.Epoch : EpochOf(settings.Detections);
        var detections = plain
            ? PlainCartesianCsv.Read(settings.Detections, settings.MeasurementStd, errors, trackerSettings.OutOfSequenceLagSeconds)
            : DetectionCsv.Read(settings.Detections, errors);

        var tracker = trackerSettings.Build();
        var result = Run(tracker, detections, settings.Out, settings.Scan, epoch, cancellationToken);
        foreach (var e in errors.Take(20))
        {
            Console.Error.WriteLine(e.ToString());
        }

        if (errors.Count > 0)
        {
            Console.Error.WriteLine($"{errors.Count} row(s) rejected; tracked the good rows.");
        }

        var stats = result.Statistics;
        AnsiConsole.MarkupLineInterpolated(
            $"Tracked {stats.DetectionsReceived:N0} detections ({errors.Count:N0} bad rows, {stats.RejectedLate:N0} late, {stats.RejectedInvalid:N0} invalid) in {result.Scans:N0} scans: {stats.TracksConfirmed:N0} tracks confirmed, {result.Rows:N0} track rows → {settings.Out}.");
        if (WhyNoneConfirmed(result, tracker.Options) is { } why)
        {
            Console.Out.WriteLine(why);
        }

        AnsiConsole.MarkupLineInterpolated(
            $"Latency per scan: median {result.MedianMs:0.###} ms, p99 {result.P99Ms:0.###} ms; {result.DetectionsPerSecond:N0} detections/s.");
        return 0;
    }

    /// <summary>
    /// The scenario epoch of a simulator detections file: time_utc − time_s of its first data row,
    /// so the tracks' time_s is on the same clock as truth.csv. Falls back to the first day's midnight.
    /// </summary>
    internal static DateTime EpochOf(string path)
    {
        foreach (var line in File.ReadLines(path).Skip(1).Take(1))
        {
            var parts = line.Split(',');
            if (parts.Length > 2 &&
                double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) &&
                DateTime.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var utc))
            {
                return utc.AddTicks(-(long)Math.Round(seconds * TimeSpan.TicksPerSecond));
            }
        }

        return DateTime.MinValue;
    }

    /// <summary>Outcome of a tracking run.</summary>
    internal sealed record RunResult(TrackerStatistics Statistics, int Scans, long Rows, double MedianMs, double P99Ms, double DetectionsPerSecond)
    {
        /// <summary>Tentative (unconfirmed) tracks alive after the last scan.</summary>
        public int TentativeAtEnd { get; init; }

        /// <summary>The most updates (hits) any of those tentative tracks received.</summary>
        public int MaxTentativeHits { get; init; }

        /// <summary>Time from the first to the last detection of the input (s).</summary>
        public double DetectionSpanSeconds { get; init; }

        /// <summary>Time of the last scan (null when there was no detection).</summary>
        public DateTime? EndTime { get; init; }
    }

    /// <summary>
    /// Why no track was confirmed, in words, or null when some were (or nothing was tracked): the confirmation rule
    /// of the tracker against what the input allowed (its time span and the most updates a tentative track got).
    /// </summary>
    internal static string? WhyNoneConfirmed(RunResult result, TrackerOptions options)
    {
        if (result.Statistics.TracksConfirmed > 0 || result.Statistics.TracksStarted == 0)
        {
            return null;
        }

        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var rule = options.Management == TrackManagement.Time
            ? string.Create(inv, $"{options.TimeManagement.ConfirmHits} updates within {options.TimeManagement.ConfirmWithin.TotalSeconds:0.###} s of a track's start")
            : string.Create(inv, $"{options.Confirmation.Hits} hits in {options.Confirmation.Window} frames");
        var needed = options.Management == TrackManagement.Time ? options.TimeManagement.ConfirmHits : options.Confirmation.Hits;
        var cause = result.MaxTentativeHits < needed
            ? string.Create(inv, $"the input spans {result.DetectionSpanSeconds:0.###} s and no tentative track got more than {result.MaxTentativeHits} update(s) (a radar revisits a target once per antenna rotation, typically 4–12 s)")
            : string.Create(inv, $"the input spans {result.DetectionSpanSeconds:0.###} s; tracks got {result.MaxTentativeHits} update(s) but not within the window");
        return string.Create(inv, $"No track confirmed: confirmation needs {rule}; {cause}. {result.TentativeAtEnd:N0} tentative track(s) at the end ({result.Statistics.TracksStarted:N0} started); tentative tracks are not written.");
    }

    /// <summary>Steps <paramref name="tracker"/> every <paramref name="scan"/> seconds over time-ordered detections and writes the tracks CSV.</summary>
    internal static RunResult Run(MultiTargetTracker tracker, IEnumerable<Detection> detections, string outPath, double scan, DateTime epoch,
        CancellationToken cancellationToken, Action<MultiTargetTracker, DateTime>? afterScan = null)
    {
        var temp = outPath + ".partial";
        var batch = new List<Detection>(4096);
        var latencies = new List<double>();
        long rows = 0;
        long total = 0;
        double busy = 0;
        DateTime? boundary = null;
        DateTime? firstDetection = null;
        DateTime? lastDetection = null;
        DateTime? lastTime = null;
        var scanSpan = TimeSpan.FromSeconds(scan);
        using (var writer = CsvRowWriter.Create(temp))
        {
            writer.Header(TrackCsv.Header);
            foreach (var d in detections)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (epoch == DateTime.MinValue)
                {
                    epoch = d.Time.Date;
                }

                boundary ??= d.Time + scanSpan;
                firstDetection = firstDetection is { } f0 && f0 <= d.Time ? f0 : d.Time;
                lastDetection = lastDetection is { } l0 && l0 >= d.Time ? l0 : d.Time;
                while (d.Time >= boundary)
                {
                    Flush(boundary.Value);
                    boundary += scanSpan;
                }

                batch.Add(d);
                total++;
            }

            if (boundary is { } last)
            {
                Flush(last);

                // End of input: nothing later can arrive, so step on until the out-of-sequence lag has passed and
                // every buffered detection is processed (else the last `lag` seconds of a file are never tracked).
                var end = last + tracker.Options.OutOfSequenceLag;
                var t = last;
                while (t < end)
                {
                    t += scanSpan;
                    Flush(t);
                }

                lastTime = t;
            }

            void Flush(DateTime time)
            {
                var start = Stopwatch.GetTimestamp();
                tracker.Step(time, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(batch));
                var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                busy += elapsed;
                latencies.Add(elapsed);
                batch.Clear();
                rows += TrackCsv.WriteConfirmed(writer, tracker, time, epoch);
                afterScan?.Invoke(tracker, time);
            }
        }

        File.Move(temp, outPath, overwrite: true);
        latencies.Sort();
        var median = latencies.Count > 0 ? latencies[latencies.Count / 2] : 0;
        var p99 = latencies.Count > 0 ? latencies[Math.Min(latencies.Count - 1, (int)(latencies.Count * 0.99))] : 0;
        var tentative = 0;
        var maxHits = 0;
        foreach (var track in tracker.Tracks)
        {
            if (!track.IsConfirmed)
            {
                tentative++;
                maxHits = Math.Max(maxHits, track.Hits);
            }
        }

        var span = firstDetection is { } a && lastDetection is { } b ? (b - a).TotalSeconds : 0;
        return new RunResult(tracker.Statistics, latencies.Count, rows, median, p99, busy > 0 ? total / (busy / 1000) : 0)
        {
            TentativeAtEnd = tentative,
            MaxTentativeHits = maxHits,
            DetectionSpanSeconds = span,
            EndTime = lastTime,
        };
    }

    /// <summary>Default tracker settings per input frame.</summary>
    internal static class Defaults
    {
        /// <summary>Plain Cartesian files: the Stone Soup tutorial family (one scanning sensor, frame-based M-of-N).</summary>
        public static TrackerSettings Flat { get; } = new()
        {
            Frame = TrackFrame.Flat,
            ProcessNoise = 0.05,
            FastProcessNoise = 0,
            VelocityStd = 2,
            ClutterDensity = 1e-3,
            Management = TrackManagement.Frames,
            LazyPrediction = false,
            MaxPositionStd = 50,
        };

        /// <summary>Simulator / live detections in ECEF from several asynchronous sensors.</summary>
        public static TrackerSettings Ecef { get; } = new();

        /// <summary>
        /// ASTERIX feeds: as <see cref="Ecef"/>, with a 2 s out-of-sequence lag because radars deliver plots by
        /// sector and several radars interleave in one recording or network.
        /// </summary>
        public static TrackerSettings Asterix { get; } = new() { OutOfSequenceLagSeconds = 2 };
    }
}
