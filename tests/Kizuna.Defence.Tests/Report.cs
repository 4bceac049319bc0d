namespace Kizuna.Defence.Tests;

/// <summary>Measured figures: to the test output, and appended to the file named by KIZUNA_DEFENCE_REPORT when set (for docs/benchmarks.md).</summary>
internal static class Report
{
    public static void Write(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        var path = Environment.GetEnvironmentVariable("KIZUNA_DEFENCE_REPORT");
        if (!string.IsNullOrEmpty(path))
        {
            File.AppendAllText(path, line + Environment.NewLine);
        }
    }
}
