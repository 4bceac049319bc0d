using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Kizuna.Benchmarks.Tracking;

/// <summary>
/// Summary columns for <see cref="TrackerThroughputBenchmarks"/>: time per scan, detections per second
/// and the fitted scaling exponent of each method over the N values of the run.
/// </summary>
/// <remarks>
/// <para>The exponent b is the least-squares slope of ln(mean time per invocation) against ln N over every
/// N of the method (t ≈ a·N^b): b = 1 is linear. The same fit of N·ln N over the same N values is
/// printed beside it as the bound the issue sets ("time per scan grows no worse than N·log N"): over
/// N = 1,000 … 10,000 it is ≈ 1.12 (ln(N ln N) has slope 1 + 1/ln N against ln N). The detections per
/// invocation are counted from the same generator the benchmark steps (it runs in the host process, the
/// benchmark in a child process), once per N.</para>
/// </remarks>
internal sealed class ScalingColumns : IColumn
{
    private static readonly Dictionary<int, long> Detections = [];
    private readonly Kind _kind;

    private ScalingColumns(Kind kind) => _kind = kind;

    private enum Kind
    {
        TimePerScan,
        DetectionsPerSecond,
        Exponent,
    }

    /// <summary>Mean time per scan (ms).</summary>
    public static IColumn TimePerScan { get; } = new ScalingColumns(Kind.TimePerScan);

    /// <summary>Detections per second (millions).</summary>
    public static IColumn DetectionsPerSecond { get; } = new ScalingColumns(Kind.DetectionsPerSecond);

    /// <summary>Fitted exponent b of t ∝ N^b, with the N·ln N bound over the same N values.</summary>
    public static IColumn Exponent { get; } = new ScalingColumns(Kind.Exponent);

    public string Id => $"{nameof(ScalingColumns)}.{_kind}";

    public string ColumnName => _kind switch
    {
        Kind.TimePerScan => "Scan [ms]",
        Kind.DetectionsPerSecond => "Det/s [M]",
        _ => "Exponent (N·lnN)",
    };

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => (int)_kind;

    public bool IsNumeric => _kind != Kind.Exponent;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => _kind switch
    {
        Kind.TimePerScan => "Mean time per measured scan (Mean / measured scans)",
        Kind.DetectionsPerSecond => "Detections per second in millions (detections in the measured scans / Mean)",
        _ => "Least-squares slope b of ln Mean against ln N over the run's N values (t ∝ N^b), and in brackets the same fit of N·ln N (the issue's bound)",
    };

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        var mean = MeanNanoseconds(summary, benchmarkCase);
        if (mean is null)
        {
            return "-";
        }

        var n = (int)benchmarkCase.Parameters["N"];
        switch (_kind)
        {
            case Kind.TimePerScan:
                return (mean.Value / 1e6 / TrackerThroughputBenchmarks.MeasuredScans).ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
            case Kind.DetectionsPerSecond:
                return (DetectionCount(n) / (mean.Value / 1e9) / 1e6).ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
            default:
                var points = new List<(double LnN, double LnT)>();
                foreach (var other in summary.BenchmarksCases)
                {
                    if (other.Descriptor.WorkloadMethod.Name == benchmarkCase.Descriptor.WorkloadMethod.Name && MeanNanoseconds(summary, other) is { } m)
                    {
                        points.Add((Math.Log((int)other.Parameters["N"]), Math.Log(m)));
                    }
                }

                if (points.Select(p => p.LnN).Distinct().Count() < 2)
                {
                    return "-";
                }

                var b = Slope(points);
                var bound = Slope(points.Select(p => (p.LnN, p.LnN + Math.Log(p.LnN))).ToList());
                return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{b:F3} ({bound:F3})");
        }
    }

    public override string ToString() => ColumnName;

    private static double? MeanNanoseconds(Summary summary, BenchmarkCase benchmarkCase) =>
        summary[benchmarkCase]?.ResultStatistics?.Mean;

    /// <summary>Least-squares slope of Y on X (the growth exponent when X = ln N and Y = ln t).</summary>
    internal static double Slope(IEnumerable<(double X, double Y)> points)
    {
        var p = points.ToArray();
        var mx = p.Average(q => q.X);
        var my = p.Average(q => q.Y);
        return p.Sum(q => (q.X - mx) * (q.Y - my)) / p.Sum(q => (q.X - mx) * (q.X - mx));
    }

    private static long DetectionCount(int n)
    {
        lock (Detections)
        {
            if (!Detections.TryGetValue(n, out var count))
            {
                var data = new TutorialScenarioData(n, TrackerThroughputBenchmarks.WarmupScans + TrackerThroughputBenchmarks.MeasuredScans, seed: 1);
                count = data.Scans.Skip(TrackerThroughputBenchmarks.WarmupScans).Sum(s => (long)s.Length);
                Detections.Add(n, count);
            }

            return count;
        }
    }
}
