namespace Kizuna.Recording.Tests;

/// <summary>A fresh temporary folder per test, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("kizuna-rec-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by an abandoned writer; the OS temp cleaner removes it.
        }
    }
}
