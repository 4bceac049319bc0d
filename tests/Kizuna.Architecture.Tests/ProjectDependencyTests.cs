using System.Xml.Linq;
using Kizuna.TestSupport;

namespace Kizuna.Architecture.Tests;

/// <summary>
/// Enforces the dependency arrows of ../shared/DESIGN.md ("Projects"): a project under src/ may
/// reference only the projects its row allows. Server and Cli compose everything.
/// </summary>
public class ProjectDependencyTests
{
    /// <summary>The DESIGN.md table: project → projects it may use.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        ["Kizuna.Core"] = [],
        ["Kizuna.Tracking"] = ["Kizuna.Core"],
        ["Kizuna.Metrics"] = ["Kizuna.Core"],
        ["Kizuna.Simulation"] = ["Kizuna.Core"],
        ["Kizuna.Asterix"] = ["Kizuna.Core"],
        ["Kizuna.Network"] = ["Kizuna.Core", "Kizuna.Tracking"],
        ["Kizuna.Defence"] = ["Kizuna.Core", "Kizuna.Tracking"],
        ["Kizuna.Recording"] = ["Kizuna.Core", "Kizuna.Metrics"],
        ["Kizuna.Server"] = ["*"],
        ["Kizuna.Cli"] = ["*"],
    };

    public static TheoryData<string> SourceProjects()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Paths.InRepo("src")).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            if (File.Exists(Path.Combine(dir, name + ".csproj")))
            {
                data.Add(name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void SourceProject_References_OnlyAllowedProjects(string project)
    {
        Assert.True(Allowed.TryGetValue(project, out var allowed),
            $"src/{project} is not in the DESIGN.md project table; add it there and to this test.");

        var references = ReferencedProjects(project);
        if (allowed.Contains("*"))
        {
            return;
        }

        var forbidden = references.Where(r => !allowed.Contains(r)).ToArray();
        Assert.True(forbidden.Length == 0,
            $"src/{project} references {string.Join(", ", forbidden)}, which DESIGN.md does not allow (allowed: {string.Join(", ", allowed.DefaultIfEmpty("nothing"))}).");
    }

    [Fact]
    public void Checker_DetectsForbiddenReference()
    {
        // The rule itself must be able to fail: Core referencing Simulation is forbidden.
        Assert.DoesNotContain("Kizuna.Simulation", Allowed["Kizuna.Core"]);
        Assert.Contains("Kizuna.Core", ReferencedProjects("Kizuna.Simulation"));
    }

    [Fact]
    public void EverySourceProject_IsInTheSolution()
    {
        var slnx = File.ReadAllText(Paths.InRepo("Kizuna.slnx"));
        foreach (var row in SourceProjects())
        {
            var name = row.Data;
            Assert.Contains($"src/{name}/{name}.csproj", slnx, StringComparison.Ordinal);
        }
    }

    private static string[] ReferencedProjects(string project)
    {
        var doc = XDocument.Load(Paths.InRepo("src", project, project + ".csproj"));
        return doc.Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension((string?)e.Attribute("Include") ?? ""))
            .Where(n => n.Length > 0)
            .ToArray();
    }
}
