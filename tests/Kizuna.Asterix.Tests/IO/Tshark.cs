using System.Diagnostics;
using System.Text.Json;

namespace Kizuna.Asterix.Tests.IO;

/// <summary>One ASTERIX record as tshark dissected it: its category and every leaf field (name → values in order).</summary>
internal sealed record TsharkRecord(int Frame, int Category, Dictionary<string, List<string>> Fields)
{
    public string? this[string field] => Fields.TryGetValue(field, out var v) ? v[0] : null;
}

/// <summary>What tshark made of a capture: the records, and how many malformed / expert-warning items it flagged.</summary>
internal sealed record TsharkResult(int Packets, List<TsharkRecord> Records, int Malformed, int ExpertWarnings, string FirstProblem);

/// <summary>
/// Runs Wireshark's tshark as an independent ASTERIX oracle: <c>tshark -r file -d udp.port==PORTS,asterix -T json</c>,
/// then walks the JSON (which repeats keys: one "asterix" per data block, one "asterix.message" per record).
/// A missing tshark fails the test with how to install it — never a skip.
/// </summary>
internal static class Tshark
{
    public static TsharkResult Dissect(string pcapPath, string ports, params string[] extraArgs)
    {
        var args = new List<string> { "-r", pcapPath, "-d", $"udp.port=={ports},asterix", "-T", "json" };
        args.AddRange(extraArgs);
        var json = Run(args);
        using var doc = JsonDocument.Parse(json);
        var records = new List<TsharkRecord>();
        var malformed = 0;
        var expert = 0;
        var firstProblem = "";
        var packets = 0;
        foreach (var packet in doc.RootElement.EnumerateArray())
        {
            packets++;
            var layers = packet.GetProperty("_source").GetProperty("layers");
            var frame = int.Parse(layers.GetProperty("frame").GetProperty("frame.number").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
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
                                category = int.Parse(p.Value.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                            }
                            else if (p.Name == "asterix.message")
                            {
                                foreach (var message in AsArray(p.Value))
                                {
                                    var fields = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                                    Collect(message, fields);
                                    records.Add(new TsharkRecord(frame, category, fields));
                                }
                            }
                        }
                    }
                }

                CountProblems(layer.Name, layer.Value, frame, ref malformed, ref expert, ref firstProblem);
            }
        }

        return new TsharkResult(packets, records, malformed, expert, firstProblem);
    }

    /// <summary>Runs tshark with the arguments; returns stdout. Fails clearly when tshark is missing or exits non-zero.</summary>
    public static string Run(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("tshark")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
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

    private static IEnumerable<JsonElement> AsArray(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray() : [e];

    private static void Collect(JsonElement e, Dictionary<string, List<string>> fields)
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
                    if (!fields.TryGetValue(p.Name, out var list))
                    {
                        fields[p.Name] = list = [];
                    }

                    list.Add(v.GetString()!);
                }
            }
        }
    }

    private static void CountProblems(string name, JsonElement e, int frame, ref int malformed, ref int expert, ref string first)
    {
        if (name.StartsWith("_ws.malformed", StringComparison.Ordinal))
        {
            malformed++;
            if (first.Length == 0)
            {
                first = $"frame {frame}: {name} {e}";
            }
        }
        else if (name == "_ws.expert.severity" && e.ValueKind == JsonValueKind.String &&
                 int.TryParse(e.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var severity) && severity >= 0x00600000)
        {
            // 0x00600000 = PI_WARN, 0x00800000 = PI_ERROR (epan/proto.h severity masks)
            expert++;
            if (first.Length == 0)
            {
                first = $"frame {frame}: expert severity 0x{severity:X}";
            }
        }

        foreach (var child in AsArray(e))
        {
            if (child.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in child.EnumerateObject())
                {
                    CountProblems(p.Name, p.Value, frame, ref malformed, ref expert, ref first);
                }
            }
        }
    }
}
