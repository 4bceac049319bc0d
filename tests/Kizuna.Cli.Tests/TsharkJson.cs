using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Kizuna.Cli.Tests;

/// <summary>One ASTERIX record as tshark dissected it: frame number, category and every leaf field (first value).</summary>
internal sealed record TsharkAsterixRecord(int Frame, int Category, Dictionary<string, string> Fields);

/// <summary>
/// Wireshark's tshark as an independent ASTERIX oracle for the CLI tests: <c>tshark -r f.pcap -d udp.port==P,asterix -T json</c>,
/// walked record by record (the JSON repeats keys: one "asterix" per data block, one "asterix.message" per record), with
/// malformed-packet markers and expert warnings counted. A missing tshark fails with how to install it.
/// </summary>
internal static class TsharkJson
{
    public static (List<TsharkAsterixRecord> Records, int Problems, string FirstProblem) Dissect(string pcap, string ports)
    {
        var json = Run(["-r", pcap, "-d", $"udp.port=={ports},asterix", "-T", "json"]);
        using var doc = JsonDocument.Parse(json);
        var records = new List<TsharkAsterixRecord>();
        var problems = 0;
        var first = "";
        foreach (var packet in doc.RootElement.EnumerateArray())
        {
            var layers = packet.GetProperty("_source").GetProperty("layers");
            var frame = int.Parse(layers.GetProperty("frame").GetProperty("frame.number").GetString()!, CultureInfo.InvariantCulture);
            foreach (var layer in layers.EnumerateObject())
            {
                if (layer.Name == "asterix")
                {
                    foreach (var block in AsArray(layer.Value))
                    {
                        var category = 0;
                        foreach (var p in block.EnumerateObject())
                        {
                            if (p.Name == "asterix.category")
                            {
                                category = int.Parse(p.Value.GetString()!, CultureInfo.InvariantCulture);
                            }
                            else if (p.Name == "asterix.message")
                            {
                                foreach (var message in AsArray(p.Value))
                                {
                                    var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                                    Collect(message, fields);
                                    records.Add(new TsharkAsterixRecord(frame, category, fields));
                                }
                            }
                        }
                    }
                }

                CountProblems(layer.Name, layer.Value, frame, ref problems, ref first);
            }
        }

        return (records, problems, first);
    }

    /// <summary>Same value as tshark printed it: equal strings, or equal numbers (tshark prints integers in decimal or 0x-hex, reals to ~15 digits).</summary>
    public static bool SameValue(string ours, string tshark)
    {
        if (ours == tshark)
        {
            return true;
        }

        if (!double.TryParse(ours, NumberStyles.Float, CultureInfo.InvariantCulture, out var a))
        {
            return false;
        }

        double b;
        if (tshark.StartsWith("0x", StringComparison.Ordinal))
        {
            if (!long.TryParse(tshark.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var h))
            {
                return false;
            }

            b = h;
        }
        else if (!double.TryParse(tshark, NumberStyles.Float, CultureInfo.InvariantCulture, out b))
        {
            return false;
        }

        return Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(a));
    }

    private static string Run(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("tshark did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Fail($"tshark is required for this test and was not found ({ex.Message}). Install the Debian package: apt-get install -y tshark (test.sh does this).");
            throw;
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"tshark exited {process.ExitCode}: {stderr.Result}");
            return stdout;
        }
    }

    private static IEnumerable<JsonElement> AsArray(JsonElement e) => e.ValueKind == JsonValueKind.Array ? e.EnumerateArray() : [e];

    private static void Collect(JsonElement e, Dictionary<string, string> fields)
    {
        foreach (var p in e.EnumerateObject())
        {
            foreach (var v in AsArray(p.Value))
            {
                if (v.ValueKind == JsonValueKind.Object)
                {
                    Collect(v, fields);
                }
                else if (v.ValueKind == JsonValueKind.String)
                {
                    fields.TryAdd(p.Name, v.GetString()!);
                }
            }
        }
    }

    private static void CountProblems(string name, JsonElement e, int frame, ref int problems, ref string first)
    {
        var bad = name.StartsWith("_ws.malformed", StringComparison.Ordinal) ||
                  (name == "_ws.expert.severity" && e.ValueKind == JsonValueKind.String &&
                   int.TryParse(e.GetString(), CultureInfo.InvariantCulture, out var severity) && severity >= 0x00600000); // PI_WARN and above (epan/proto.h)
        if (bad)
        {
            problems++;
            if (first.Length == 0)
            {
                first = $"frame {frame}: {name} {e}";
            }
        }

        foreach (var child in AsArray(e))
        {
            if (child.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in child.EnumerateObject())
                {
                    CountProblems(p.Name, p.Value, frame, ref problems, ref first);
                }
            }
        }
    }
}
