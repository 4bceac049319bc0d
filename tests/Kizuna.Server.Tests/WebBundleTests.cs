using System.Security.Cryptography;
using System.Text;
using Kizuna.TestSupport;

namespace Kizuna.Server.Tests;

/// <summary>
/// The built web bundle is committed (a machine with only the .NET SDK still serves the app);
/// these tests fail when it is stale against web/ sources. Fix: <c>cd web &amp;&amp; npm ci &amp;&amp; npm run build</c>.
/// </summary>
public sealed class WebBundleTests
{
    private static string Web => Paths.InRepo("web");

    private static string WwwRoot => Paths.InRepo("src", "Kizuna.Server", "wwwroot");

    /// <summary>Same file list and hash as web/build.mjs (sourceFiles, sourcesHash).</summary>
    internal static string SourcesHash()
    {
        var files = Directory.EnumerateFiles(Path.Combine(Web, "src"), "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(Web, "static"), "*", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(Web, f).Replace('\\', '/'))
            .Concat(["build.mjs", "package.json", "package-lock.json", "tsconfig.json"])
            .Order(StringComparer.Ordinal);
        var all = new StringBuilder();
        foreach (var f in files)
        {
            var text = File.ReadAllText(Path.Combine(Web, f), Encoding.UTF8).Replace("\r\n", "\n", StringComparison.Ordinal);
            var fh = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
            all.Append(f).Append('\0').Append(fh).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(all.ToString())));
    }

    [Fact]
    public void CommittedBundle_HeaderHash_MatchesWebSources()
    {
        var header = File.ReadLines(Path.Combine(WwwRoot, "app.js")).First();

        Assert.True(
            header == $"/* kizuna-web-sources-sha256: {SourcesHash()} */",
            $"src/Kizuna.Server/wwwroot/app.js is stale against web/ (header '{header}'). Rebuild: cd web && npm ci && npm run build, then commit wwwroot/.");
    }

    [Theory]
    [InlineData("index.html")]
    [InlineData("app.css")]
    public void CommittedStaticFile_EqualsWebStatic(string name)
    {
        Assert.Equal(File.ReadAllText(Path.Combine(Web, "static", name)), File.ReadAllText(Path.Combine(WwwRoot, name)));
    }

    [Fact]
    public void EmbeddedWebApp_ServesNothingFromOtherHosts()
    {
        // No CDN: the page and the bundle reference no absolute http(s) URL to fetch.
        var html = File.ReadAllText(Path.Combine(WwwRoot, "index.html"));
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        var js = File.ReadAllText(Path.Combine(WwwRoot, "app.js"));
        Assert.DoesNotContain("fetch(\"http", js, StringComparison.Ordinal);
        Assert.DoesNotContain("fetch(\"https", js, StringComparison.Ordinal);
    }
}
