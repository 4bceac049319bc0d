using System.Globalization;
using System.Net;
using System.Text;
using Kizuna.Core;
using Kizuna.Core.Picture;
using ScottPlot;

namespace Kizuna.Recording;

/// <summary>What <see cref="AfterActionReport.Write"/> produced.</summary>
/// <param name="IndexPath">The report's index.html.</param>
/// <param name="Images">Every PNG written (full paths).</param>
/// <param name="Analysis">The figures shown.</param>
public sealed record AfterActionReportResult(string IndexPath, IReadOnlyList<string> Images, AfterActionAnalysis Analysis);

/// <summary>
/// Writes an after-action report of a recorded run: one self-contained folder with index.html
/// (inline CSS, no script, nothing fetched) and PNG plots drawn with ScottPlot: SIAP completeness,
/// ambiguity and spuriousness over time per nation, warning times, the engagement timeline, the
/// leakers and each nation's picture at the key moments, each with its table.
/// </summary>
/// <remarks>The figures come from <see cref="AfterActionAnalysis"/>; see its remarks for the definitions.</remarks>
public static class AfterActionReport
{
    private const int Width = 900;
    private const int Height = 420;

    /// <summary>Analyses <paramref name="reader"/>'s recording and writes the report into <paramref name="outDir"/> (created if needed).</summary>
    public static AfterActionReportResult Write(RunReader reader, string outDir, AfterActionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new AfterActionOptions();
        Directory.CreateDirectory(outDir);
        var a = AfterActionAnalysis.Compute(reader, options);
        var images = new List<string>();
        var html = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;

        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>After-action report: ")
            .Append(E(a.Metadata.Scenario)).Append("</title>\n<style>")
            .Append("body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;margin:0.5em 0}")
            .Append("td,th{border:1px solid #999;padding:2px 8px;text-align:right}th{background:#eee}")
            .Append(".row{display:flex;gap:2em;align-items:flex-start;flex-wrap:wrap}img{border:1px solid #ccc}")
            .Append("</style></head><body>\n");
        html.Append("<h1>After-action report</h1>\n<table id=\"run\">");
        Row(html, "th", "scenario", "seed", "start (UTC)", "duration (s)", "nations", "versions");
        Row(html, "td", a.Metadata.Scenario, a.Metadata.Seed.ToString(inv), a.Metadata.Start.ToString("yyyy-MM-dd HH:mm:ss", inv),
            F1(a.Range.Duration.TotalSeconds), string.Join(", ", a.Metadata.Nations), a.Metadata.Versions);
        html.Append("</table>\n");

        // SIAP over time.
        html.Append("<h2>SIAP metrics</h2>\n<p>Per nation's picture against recorded truth (association threshold ")
            .Append(F1(options.AssociationThresholdM)).Append(" m; Votruba et al. 2001 definitions as in Stone Soup). Pooled over the run:</p>\n<table id=\"siap\">");
        Row(html, "th", "nation", "completeness", "ambiguity", "spuriousness", "position accuracy (m)", "velocity accuracy (m/s)", "track number changes (/s)", "longest segment", "tracks", "truths");
        foreach (var s in a.Siap)
        {
            var r = s.Siap;
            Row(html, "td", s.Nation.Code, F3(r.Completeness), F3(r.Ambiguity), F3(r.Spuriousness), F1(r.PositionAccuracy), F1(r.VelocityAccuracy),
                F3(r.RateOfTrackNumberChange), F3(r.LongestTrackSegment), r.TrackCount.ToString(inv), r.TruthCount.ToString(inv));
        }

        html.Append("</table>\n<div class=\"row\">");
        foreach (var (name, title, select) in new (string, string, Func<Kizuna.Metrics.SiapTimeStep, double>)[]
        {
            ("siap-completeness.png", "Completeness JT/J", st => st.Completeness),
            ("siap-ambiguity.png", "Ambiguity NA/JT", st => st.Ambiguity),
            ("siap-spuriousness.png", "Spuriousness (N-NA)/N", st => st.Spuriousness),
        })
        {
            var plt = new Plot();
            var palette = new ScottPlot.Palettes.Category10();
            for (var i = 0; i < a.Siap.Count; i++)
            {
                var steps = a.Siap[i].Siap.Steps;
                if (steps.Count == 0)
                {
                    continue;
                }

                var sc = plt.Add.Scatter(steps.Select(st => st.Time).ToArray(), steps.Select(select).ToArray(), palette.GetColor(i));
                sc.LegendText = a.Siap[i].Nation.Code;
                sc.MarkerSize = 0;
            }

            plt.Title(title);
            plt.XLabel("time since start (s)");
            plt.Axes.SetLimitsY(-0.05, title.StartsWith("Ambiguity", StringComparison.Ordinal) ? Math.Max(2, MaxOf(a, select) + 0.1) : 1.05);
            plt.ShowLegend();
            images.Add(Save(plt, outDir, name, Width / 2 + 100, Height));
            Img(html, name, title);
        }

        html.Append("</div>\n");

        // Warning times.
        html.Append("<h2>Warning times</h2>\n<p>First alert to a nation on a track associated with a threat, to the threat's recorded impact.</p>\n<div class=\"row\"><table id=\"warning-times\">");
        Row(html, "th", "nation", "truth", "threat", "first alert (s)", "impact (s)", "warning time (s)", "predicted warning (s)");
        foreach (var w in a.WarningTimes)
        {
            Row(html, "td", w.Nation.Code, w.TruthId.ToString(inv), w.ThreatName, F1(a.Seconds(w.FirstAlert)),
                w.Impact is { } i ? F1(a.Seconds(i)) : "no impact", w.WarningSeconds is { } ws ? F1(ws) : "-", F1(w.PredictedWarningSeconds));
        }

        html.Append("</table>");
        {
            var plt = new Plot();
            var rows = a.WarningTimes.Where(w => w.WarningSeconds is not null).ToList();
            var palette = new ScottPlot.Palettes.Category10();
            var nations = a.Metadata.Nations.ToList();
            var bars = rows.Select((w, i) => new Bar { Position = i, Value = w.WarningSeconds!.Value, FillColor = palette.GetColor(Math.Max(0, nations.IndexOf(w.Nation))) }).ToArray();
            if (bars.Length > 0)
            {
                plt.Add.Bars(bars);
                plt.Axes.Bottom.SetTicks([.. rows.Select((_, i) => (double)i)], [.. rows.Select(w => $"{w.Nation.Code}/{w.ThreatName}")]);
            }

            plt.Title("Warning time per nation and threat");
            plt.YLabel("impact - first alert (s)");
            plt.Axes.Margins(bottom: 0);
            images.Add(Save(plt, outDir, "warning-times.png", Width, Height));
            Img(html, "warning-times.png", "warning times");
        }

        html.Append("</div>\n");

        // Engagement timeline.
        html.Append("<h2>Engagement timeline</h2>\n<p>Bars: recommended to decision (orange), decision to final status (blue); marker: outcome (green killed, red missed, grey denied or cancelled).</p>\n<div class=\"row\"><table id=\"engagements\">");
        Row(html, "th", "engagement", "threat TN", "truth", "battery", "owner", "recommended (s)", "decided (s)", "decided by", "ended (s)", "outcome");
        foreach (var e in a.Engagements)
        {
            Row(html, "td", e.Id, e.Threat.ToString(), e.ThreatTruthId.ToString(inv), e.BatteryId, e.Owner.Code, F1(a.Seconds(e.Recommended)),
                e.Decided is { } d ? F1(a.Seconds(d)) : "-", e.DecidedBy, e.Ended is { } x ? F1(a.Seconds(x)) : "-", e.Outcome.ToString());
        }

        html.Append("</table>");
        {
            var plt = new Plot();
            var end = a.Seconds(a.Range.End);
            for (var i = 0; i < a.Engagements.Count; i++)
            {
                var e = a.Engagements[i];
                var r0 = a.Seconds(e.Recommended);
                var d = e.Decided is { } dt ? a.Seconds(dt) : (e.Ended is { } et0 ? a.Seconds(et0) : end);
                var x = e.Ended is { } et ? a.Seconds(et) : end;
                var l1 = plt.Add.Line(r0, i, d, i);
                l1.LineWidth = 8;
                l1.LineColor = Colors.Orange;
                if (x > d)
                {
                    var l2 = plt.Add.Line(d, i, x, i);
                    l2.LineWidth = 8;
                    l2.LineColor = Colors.SteelBlue;
                }

                var color = e.Outcome switch
                {
                    EngagementStatus.Killed => Colors.Green,
                    EngagementStatus.Missed => Colors.Red,
                    EngagementStatus.Denied or EngagementStatus.Cancelled => Colors.Gray,
                    _ => Colors.Black,
                };
                plt.Add.Marker(x, i, MarkerShape.FilledCircle, 12, color);
            }

            if (a.Engagements.Count > 0)
            {
                plt.Axes.Left.SetTicks([.. a.Engagements.Select((_, i) => (double)i)], [.. a.Engagements.Select(e => $"{e.Id} ({e.Owner.Code})")]);
            }

            plt.Title("Engagements: recommended -> decided -> intercept");
            plt.XLabel("time since start (s)");
            images.Add(Save(plt, outDir, "engagements.png", Width, Math.Max(Height, 60 + (30 * a.Engagements.Count))));
            Img(html, "engagements.png", "engagement timeline");
        }

        html.Append("</div>\n");

        // Leakers.
        html.Append("<h2>Leakers</h2>\n<p>Threats that reached impact: ").Append(a.Leakers.Count.ToString(inv)).Append(".</p>\n<table id=\"leakers\">");
        Row(html, "th", "truth", "threat", "kind", "impact (s)", "lat (deg)", "lon (deg)", "nearest asset", "distance (km)", "engagements", "warned");
        foreach (var l in a.Leakers)
        {
            Row(html, "td", l.TruthId.ToString(inv), l.Name, l.Kind, F1(a.Seconds(l.Impact)), l.ImpactPoint.LatitudeDeg.ToString("0.0000", inv),
                l.ImpactPoint.LongitudeDeg.ToString("0.0000", inv), l.NearestAsset, double.IsNaN(l.NearestAssetDistanceM) ? "-" : (l.NearestAssetDistanceM / 1000).ToString("0.0", inv),
                l.Engagements.ToString(inv), l.WarnedNations.Count == 0 ? "none" : string.Join(", ", l.WarnedNations));
        }

        html.Append("</table>\n");

        // Pictures at key moments.
        html.Append("<h2>Picture at key moments</h2>\n");
        var assets = reader.Assets();
        var kinds = Enum.GetValues<TrackKind>();
        for (var m = 0; m < a.KeyMoments.Count; m++)
        {
            var (label, time) = a.KeyMoments[m];
            html.Append("<h3>").Append(E(label)).Append(" (t = ").Append(F1(a.Seconds(time))).Append(" s)</h3>\n<div class=\"row\">");
            foreach (var nation in a.Metadata.Nations)
            {
                var picture = reader.PictureAt(nation, time, options.TrackTimeout);
                var plt = new Plot();
                var palette = new ScottPlot.Palettes.Category10();
                foreach (var kind in kinds)
                {
                    var ofKind = picture.Where(t => t.Kind == kind).ToList();
                    if (ofKind.Count == 0)
                    {
                        continue;
                    }

                    var pts = plt.Add.ScatterPoints(ofKind.Select(t => t.Position.LongitudeDeg).ToArray(), ofKind.Select(t => t.Position.LatitudeDeg).ToArray(), palette.GetColor((int)kind));
                    pts.LegendText = $"{kind} ({ofKind.Count})";
                    pts.MarkerSize = 7;
                }

                if (assets.Count > 0)
                {
                    var ap = plt.Add.ScatterPoints(assets.Select(x => x.Position.LongitudeDeg).ToArray(), assets.Select(x => x.Position.LatitudeDeg).ToArray(), Colors.Black);
                    ap.MarkerShape = MarkerShape.FilledSquare;
                    ap.MarkerSize = 9;
                    ap.LegendText = "defended asset";
                    foreach (var asset in assets)
                    {
                        var txt = plt.Add.Text(asset.Name, asset.Position.LongitudeDeg, asset.Position.LatitudeDeg);
                        txt.LabelFontSize = 10;
                    }
                }

                plt.Title($"{nation.Code} picture, {label}: {picture.Count} tracks");
                plt.XLabel("longitude (deg)");
                plt.YLabel("latitude (deg)");
                plt.Axes.Margins(0.1, 0.1);
                plt.ShowLegend(Edge.Right);
                var name = string.Create(inv, $"picture-{m}-{nation.Code}.png");
                images.Add(Save(plt, outDir, name, 720, 480));
                Img(html, name, $"{nation.Code} picture at {label}");
                html.Append("<table class=\"picture\">");
                Row(html, "th", "kind", "tracks");
                foreach (var g in picture.GroupBy(t => t.Kind).OrderBy(g => g.Key))
                {
                    Row(html, "td", g.Key.ToString(), g.Count().ToString(inv));
                }

                html.Append("</table>");
            }

            html.Append("</div>\n");
        }

        html.Append("<p>Written by Kizuna.Recording from ").Append(E(Path.GetFileName(reader.Path))).Append(".</p>\n</body></html>\n");
        var index = Path.Combine(outDir, "index.html");
        File.WriteAllText(index, html.ToString());
        return new AfterActionReportResult(index, images, a);
    }

    private static double MaxOf(AfterActionAnalysis a, Func<Kizuna.Metrics.SiapTimeStep, double> select) =>
        a.Siap.SelectMany(s => s.Siap.Steps).Select(select).DefaultIfEmpty(0).Max();

    private static string Save(Plot plt, string dir, string name, int width, int height)
    {
        var path = Path.Combine(dir, name);
        plt.SavePng(path, width, height);
        return path;
    }

    private static void Img(StringBuilder html, string name, string alt) =>
        html.Append("<img src=\"").Append(E(name)).Append("\" alt=\"").Append(E(alt)).Append("\">");

    private static void Row(StringBuilder html, string cell, params string[] values)
    {
        html.Append("<tr>");
        foreach (var v in values)
        {
            html.Append('<').Append(cell).Append('>').Append(E(v)).Append("</").Append(cell).Append('>');
        }

        html.Append("</tr>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F1(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);

    private static string F3(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
