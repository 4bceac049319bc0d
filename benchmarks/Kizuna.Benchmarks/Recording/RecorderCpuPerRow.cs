using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Recording;

namespace Kizuna.Benchmarks.Recording;

/// <summary>
/// Process CPU (user + sys, all threads) per recorded row: 200,000 detections, picture tracks,
/// truth states or release decisions, Create → Record* → Dispose, three rounds. CPU rather than
/// wall time because the machine is shared (docs/benchmarks.md "Recording").
/// Run: <c>dotnet bin/Release/net10.0/Kizuna.Benchmarks.dll recording-cpu</c>.
/// </summary>
internal static class RecorderCpuPerRow
{
    private const int Rows = 200_000;
    private static readonly DateTime Epoch = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    public static int Run()
    {
        var site = Geodetic.FromDegrees(35, 139, 100);
        var detections = Enumerable.Range(0, Rows).Select(i => new Detection(
            Epoch.AddMilliseconds(i), "JPN-FPS5", Nation.Japan, MeasurementKind.RangeAzimuthElevation,
            new Vec3(100_000 + i, 0.5, 0.05), Mat3.Diagonal(2500, 1e-6, 1e-6), site, i % 500)).ToArray();
        var marking = Marking.RelTo(Nation.Japan, Classification.Secret, Nation.Australia, Nation.Usa);
        ImmutableArray<string> sensors = ["JPN-FPS5", "USA-TPY2"];
        var tracks = Enumerable.Range(0, Rows).Select(i => new PictureTrack(
            new TrackNumber(1 + (i % 2000)), Epoch.AddMilliseconds(i), Geodetic.FromDegrees(35 + (i * 1e-6), 139, 9000),
            new Vec3(200, 10, 0), 80, 12, TrackKind.Aircraft, Affiliation.Friend, Nation.Japan, marking, sensors)).ToArray();
        var truth = Enumerable.Range(0, Rows).Select(i => new TruthState(Epoch.AddMilliseconds(i), i % 300, new Vec3(1e6 + i, 2e6, 3e6), new Vec3(100, 200, 300))).ToArray();
        var releases = Enumerable.Range(0, Rows).Select(i => new ReleaseDecisionRecord(Epoch.AddMilliseconds(i), Nation.Japan, Nation.Australia, "track", "originator JPN", true, "JPN->AUS tracks")).ToArray();
        var dir = Directory.CreateTempSubdirectory("kizuna-rec-cpu-").FullName;
        var file = 0;
        try
        {
            for (var round = 0; round < 3; round++)
            {
                Measure("detection", rec => { foreach (ref readonly var d in detections.AsSpan()) { rec.RecordDetection(in d); } });
                Measure("track", rec => { foreach (var t in tracks) { rec.RecordTrack(Nation.Japan, t); } });
                Measure("truth", rec => { foreach (ref readonly var t in truth.AsSpan()) { rec.RecordTruth(in t); } });
                Measure("release", rec => { foreach (var r in releases) { rec.RecordRelease(r); } });
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        return 0;

        void Measure(string what, Action<RunRecorder> fill)
        {
            GC.Collect();
            var path = Path.Combine(dir, $"r{file++}.db");
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var rec = RunRecorder.Create(path, new RunMetadata("bench", 1, Epoch, [Nation.Japan], "bench"));
            fill(rec);
            rec.Dispose();
            wall.Stop();
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{what,-10} cpu {used.TotalMicroseconds / Rows,6:0.00} us/row  wall {wall.Elapsed.TotalMicroseconds / Rows,6:0.00} us/row  file {new FileInfo(path).Length / (double)Rows,6:0.0} B/row"));
        }
    }
}
