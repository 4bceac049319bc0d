namespace Kizuna.Cli.Tests;

/// <summary>Writes measured figures to the test output and to a text file beside the test binary (for docs/benchmarks.md).</summary>
internal sealed class FigureLog(ITestOutputHelper helper, string fileName)
{
    private readonly string _path = Path.Combine(AppContext.BaseDirectory, fileName);
    private bool _started;

    public void WriteLine(string line)
    {
        helper.WriteLine(line);
        if (!_started)
        {
            File.WriteAllText(_path, "");
            _started = true;
        }

        File.AppendAllText(_path, line + Environment.NewLine);
    }
}
