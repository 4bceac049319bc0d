using System.Text.RegularExpressions;
using Kizuna.TestSupport;

namespace Kizuna.Architecture.Tests;

/// <summary>
/// docs/architecture.md "Build policy": no unsafe code except the one measured exception,
/// <c>src/Kizuna.Tracking/Trackers/CachePrefetch.cs</c> (a prefetch hint needs an address).
/// </summary>
public partial class UnsafeCodeTests
{
    /// <summary>The files allowed to contain the <c>unsafe</c> keyword, relative to the repository root.</summary>
    public static readonly string[] Allowed = ["src/Kizuna.Tracking/Trackers/CachePrefetch.cs"];

    [Fact]
    public void SourceFiles_UseUnsafe_OnlyInTheAllowedFiles()
    {
        var root = Paths.InRepo(".");
        var offenders = Directory.EnumerateFiles(Paths.InRepo("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !Allowed.Contains(f) && UsesUnsafe(File.ReadAllText(Path.Combine(root, f))))
            .ToArray();
        Assert.True(offenders.Length == 0, $"unsafe code outside the allowed files: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void Checker_FindsUnsafeKeyword_NotTheWordInComments()
    {
        Assert.True(UsesUnsafe("internal static unsafe void Read(ref int v) { }"));
        Assert.True(UsesUnsafe("void M() { unsafe { } }"));
        Assert.False(UsesUnsafe("// this is not unsafe code\n/// <summary>The only unsafe code.</summary>\nvar x = \"unsafe\";"));
        Assert.True(UsesUnsafe(File.ReadAllText(Paths.InRepo(Allowed[0]))), "the allowed file is where the prefetch lives");
    }

    /// <summary>True when <paramref name="source"/> has the keyword <c>unsafe</c> outside comments and string literals.</summary>
    private static bool UsesUnsafe(string source)
    {
        var code = CommentsAndStrings().Replace(source, " ");
        return UnsafeKeyword().IsMatch(code);
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|""(?:\\.|[^""\\\n])*""", RegexOptions.Singleline)]
    private static partial Regex CommentsAndStrings();

    [GeneratedRegex(@"\bunsafe\b")]
    private static partial Regex UnsafeKeyword();
}
