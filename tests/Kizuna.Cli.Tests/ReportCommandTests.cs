using Kizuna.Cli.Commands;
using Kizuna.Core;
using Kizuna.Recording;
using Microsoft.Data.Sqlite;

namespace Kizuna.Cli.Tests;

/// <summary><c>kizuna report</c> error paths, through the command's explicit-writer entry (no console swapping).</summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kizuna-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Report_MissingFile_ExitTwoWithMessage()
    {
        using var err = new StringWriter();
        var code = ReportCommand.Run(Path.Combine(_dir, "nope.db"), Path.Combine(_dir, "out"), 2000, TextWriter.Null, err);
        Assert.Equal(2, code);
        Assert.Contains("nope.db: recording not found", err.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void Report_NotARecording_ExitTwoWithMessage()
    {
        var path = Path.Combine(_dir, "text.db");
        File.WriteAllText(path, "definitely not an SQLite database, only some text to fill the header.....");
        using var err = new StringWriter();
        Assert.Equal(2, ReportCommand.Run(path, Path.Combine(_dir, "out"), 2000, TextWriter.Null, err));
        Assert.Contains("text.db", err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_OtherSchemaVersion_ExitTwoNamingBothVersions()
    {
        var path = Path.Combine(_dir, "old.db");
        RunRecorder.Create(path, new RunMetadata("s", 1, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), [Nation.Japan], "test")).Dispose();
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE schema_version SET version = 0";
            cmd.ExecuteNonQuery();
        }

        using var err = new StringWriter();
        Assert.Equal(2, ReportCommand.Run(path, Path.Combine(_dir, "out"), 2000, TextWriter.Null, err));
        Assert.Contains($"schema version 0, but this build of Kizuna reads version {RecordingSchema.Version}", err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_EmptyRecording_ExitZeroAndWritesIndex()
    {
        var path = Path.Combine(_dir, "empty.db");
        RunRecorder.Create(path, new RunMetadata("s", 1, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), [Nation.Japan], "test")).Dispose();
        using var output = new StringWriter();
        Assert.Equal(0, ReportCommand.Run(path, Path.Combine(_dir, "out"), 2000, output, TextWriter.Null));
        Assert.True(File.Exists(Path.Combine(_dir, "out", "index.html")));
        Assert.Contains("0 leakers", output.ToString(), StringComparison.Ordinal);
    }
}
