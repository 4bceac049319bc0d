using Kizuna.Core.IO;
using Kizuna.TestSupport;

namespace Kizuna.Cli.Tests;

/// <summary>
/// End-to-end tests of the <c>kizuna</c> commands, run in-process. They swap the process-wide
/// console writers, so they live in one class (xUnit runs a class's tests one at a time).
/// </summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kizuna-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var oldOut = Console.Out;
        var oldErr = Console.Error;
        using var outWriter = new StringWriter();
        using var errWriter = new StringWriter();
        Console.SetOut(outWriter);
        Console.SetError(errWriter);
        try
        {
            var code = KizunaApp.Run(args);
            return (code, outWriter.ToString(), errWriter.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    [Fact]
    public void ScenarioValidate_DefaultScenarios_ExitZero()
    {
        foreach (var name in new[] { "trilateral-defence.yaml", "exercise-usa-jpn-gbr.yaml" })
        {
            var (code, output, err) = Run("scenario", "validate", Paths.InRepo("scenarios", name));
            Assert.True(code == 0, $"{name}: exit {code}\n{err}");
            Assert.Contains("valid", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ScenarioValidate_BadFile_ExitTwoWithFileLineColumnAndRule()
    {
        var path = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(path, """
            name: Bad
            epoch_utc: 2026-01-01T00:00:00Z
            duration_s: 600
            seed: 1
            nations: [USA]
            platforms:
              - { id: site, name: Site, nation: USA, kind: ground, lat_deg: 95, lon_deg: 140 }
            """);
        var (code, _, err) = Run("scenario", "validate", path);
        Assert.Equal(2, code);
        Assert.Contains("bad.yaml:7:", err, StringComparison.Ordinal);
        Assert.Contains("KZ006", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_BadScenario_ExitTwoAndWritesNothing()
    {
        var path = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(path, "name: [unclosed\n");
        var outDir = Path.Combine(_dir, "out");
        var (code, _, err) = Run("simulate", path, "--out", outDir);
        Assert.Equal(2, code);
        Assert.Contains("KZ001", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir), "no output folder may be created for an invalid scenario");
    }

    [Fact]
    public void Simulate_ShortRun_WritesReadableCsv()
    {
        var outDir = Path.Combine(_dir, "run");
        var (code, output, err) = Run("simulate", Paths.InRepo("scenarios", "exercise-usa-jpn-gbr.yaml"), "--out", outDir, "--duration", "30");
        Assert.True(code == 0, err);
        Assert.Contains("detections", output, StringComparison.Ordinal);
        foreach (var f in new[] { "truth.csv", "detections.csv", "events.csv" })
        {
            Assert.True(File.Exists(Path.Combine(outDir, f)), f);
        }

        Assert.Empty(Directory.GetFiles(outDir, "*.partial", SearchOption.AllDirectories));
        var errors = new List<RowError>();
        var detections = DetectionCsv.Read(Path.Combine(outDir, "detections.csv"), errors).ToList();
        Assert.Empty(errors);
        Assert.True(detections.Count > 100, $"only {detections.Count} detections in 30 s");
        Assert.StartsWith("time_s,truth_id,x_m,y_m,z_m,vx_mps,vy_mps,vz_mps", File.ReadLines(Path.Combine(outDir, "truth.csv")).First(), StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_NegativeSpeed_Rejected()
    {
        var (code, _, _) = Run("simulate", Paths.InRepo("scenarios", "exercise-usa-jpn-gbr.yaml"), "--speed", "-2", "--out", Path.Combine(_dir, "x"));
        Assert.NotEqual(0, code);
    }
}
