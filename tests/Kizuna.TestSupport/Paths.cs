namespace Kizuna.TestSupport;

/// <summary>
/// Locates the repository root and the shared real-data folder (../shared/data beside the repo).
/// A missing folder fails the test with a message saying where it was looked for — never a skip.
/// </summary>
public static class Paths
{
    private static readonly Lazy<string> Root = new(FindRepoRoot);

    /// <summary>The repository root (the folder holding Kizuna.slnx).</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>A path inside the repository.</summary>
    public static string InRepo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    /// <summary>The shared data folder: $KIZUNA_SHARED_DATA, else ../shared/data beside the repository.</summary>
    public static string SharedDataRoot
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("KIZUNA_SHARED_DATA");
            var dir = !string.IsNullOrEmpty(env) ? env : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));
            if (!Directory.Exists(dir))
            {
                throw new InvalidOperationException(
                    $"The shared real-data folder was not found at '{dir}'. Tests read recorded data from ../shared/data " +
                    "beside the repository (or set KIZUNA_SHARED_DATA).");
            }

            return dir;
        }
    }

    /// <summary>A file in the shared data folder; fails clearly when it is missing.</summary>
    public static string SharedData(params string[] parts)
    {
        var path = Path.Combine([SharedDataRoot, .. parts]);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Shared data file '{path}' is missing (see ../shared/data/README.md).", path);
        }

        return path;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kizuna.slnx")))
            {
                return dir.FullName;
            }

            dir = dir.Parent;
        }

        throw new InvalidOperationException($"Kizuna.slnx not found above {AppContext.BaseDirectory}.");
    }
}
