using System.Text.RegularExpressions;
using Kizuna.Core;
using Kizuna.Core.Picture;

namespace Kizuna.Recording.Tests;

public sealed partial class AfterActionReportTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Analysis_SyntheticRun_FiguresMatchHandComputed()
    {
        var path = _dir.File("run.db");
        SyntheticRun.Write(path);
        using var reader = RunReader.Open(path);
        var a = AfterActionAnalysis.Compute(reader);

        var jpn = a.Siap.Single(s => s.Nation == Nation.Japan).Siap;
        Assert.Equal((22, 17, 17, 17), (jpn.SumJ, jpn.SumJT, jpn.SumN, jpn.SumNA));
        Assert.Equal(17.0 / 22, jpn.Completeness, 12);
        Assert.Equal(1.0, jpn.Ambiguity, 12);
        Assert.Equal(0.0, jpn.Spuriousness, 12);
        var aus = a.Siap.Single(s => s.Nation == Nation.Australia).Siap;
        Assert.Equal((22, 11, 22, 11), (aus.SumJ, aus.SumJT, aus.SumN, aus.SumNA));
        Assert.Equal(0.5, aus.Spuriousness, 12);

        Assert.Collection(
            a.WarningTimes,
            w => Assert.Equal((Nation.Australia, 1, 4.0, 5.0), (w.Nation, w.TruthId, w.WarningSeconds!.Value, w.PredictedWarningSeconds)),
            w => Assert.Equal((Nation.Japan, 1, 8.0, 9.0), (w.Nation, w.TruthId, w.WarningSeconds!.Value, w.PredictedWarningSeconds)));

        var e = Assert.Single(a.Engagements);
        Assert.Equal((SyntheticRun.At(3), SyntheticRun.At(4), "JPN/commander", SyntheticRun.At(9), EngagementStatus.Missed, 1),
            (e.Recommended, e.Decided, e.DecidedBy, e.Ended, e.Outcome, e.ThreatTruthId));

        var leaker = Assert.Single(a.Leakers);
        Assert.Equal((1, "threat-1", 1, "Tokyo"), (leaker.TruthId, leaker.Name, leaker.Engagements, leaker.NearestAsset));
        Assert.Equal([Nation.Australia, Nation.Japan], leaker.WarnedNations);
        Assert.Equal(["first alert", "first engagement decision", "first impact", "end of run"], a.KeyMoments.Select(m => m.Label));
    }

    [Fact]
    public void Write_SyntheticRun_ValidPngsReferencedAndTablesMatchHandComputed()
    {
        var path = _dir.File("run.db");
        SyntheticRun.Write(path);
        var outDir = _dir.File("report");
        using var reader = RunReader.Open(path);
        var result = AfterActionReport.Write(reader, outDir);

        var html = File.ReadAllText(result.IndexPath);
        // 3 SIAP plots, warning times, engagements, 4 key moments × 2 nations.
        Assert.Equal(3 + 1 + 1 + 8, result.Images.Count);
        foreach (var image in result.Images)
        {
            var bytes = File.ReadAllBytes(image);
            Assert.True(bytes.Length > 1000, $"{image}: {bytes.Length} bytes");
            Assert.Equal(PngSignature, bytes[..8]);
            Assert.Contains($"<img src=\"{Path.GetFileName(image)}\"", html, StringComparison.Ordinal);
        }

        Assert.Equal(result.Images.Count, ImgTag().Matches(html).Count);
        Assert.DoesNotContain("http", html, StringComparison.OrdinalIgnoreCase);

        Assert.Contains("<tr><td>JPN</td><td>0.773</td><td>1.000</td><td>0.000</td>", Table(html, "siap"), StringComparison.Ordinal);
        Assert.Contains("<tr><td>AUS</td><td>0.500</td><td>1.000</td><td>0.500</td>", Table(html, "siap"), StringComparison.Ordinal);
        Assert.Contains("<tr><td>JPN</td><td>1</td><td>threat-1</td><td>2.0</td><td>10.0</td><td>8.0</td><td>9.0</td></tr>", Table(html, "warning-times"), StringComparison.Ordinal);
        Assert.Contains("<tr><td>AUS</td><td>1</td><td>threat-1</td><td>6.0</td><td>10.0</td><td>4.0</td><td>5.0</td></tr>", Table(html, "warning-times"), StringComparison.Ordinal);
        Assert.Contains("<td>E1</td><td>00101</td><td>1</td><td>PAC3-A</td><td>JPN</td><td>3.0</td><td>4.0</td><td>JPN/commander</td><td>9.0</td><td>Missed</td>", Table(html, "engagements"), StringComparison.Ordinal);
        var leakers = Table(html, "leakers");
        Assert.Equal(2, RowTag().Matches(leakers).Count); // header + one leaker
        Assert.Contains("<td>1</td><td>threat-1</td><td>BallisticMissile</td><td>10.0</td>", leakers, StringComparison.Ordinal);
        Assert.Contains("<td>AUS, JPN</td>", leakers, StringComparison.Ordinal);
    }

    private static string Table(string html, string id)
    {
        var start = html.IndexOf($"<table id=\"{id}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"table {id} missing");
        return html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex("<img src=")]
    private static partial Regex ImgTag();

    [GeneratedRegex("<tr>")]
    private static partial Regex RowTag();
}
