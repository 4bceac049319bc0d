using Kizuna.Simulation.Scenario;
using Kizuna.TestSupport;

namespace Kizuna.Simulation.Tests.Scenario;

public sealed class ScenarioDocsTests
{
    private static readonly string Docs = File.ReadAllText(Paths.InRepo("docs", "scenarios.md"));

    [Fact]
    public void Docs_ExampleScenario_Loads()
    {
        var start = Docs.IndexOf("## Example", StringComparison.Ordinal);
        var open = Docs.IndexOf("```yaml\n", start, StringComparison.Ordinal) + "```yaml\n".Length;
        var close = Docs.IndexOf("```", open, StringComparison.Ordinal);

        var s = ScenarioLoader.Parse(Docs[open..close], "docs/scenarios.md");

        Assert.Equal("Minimal", s.Name);
        Assert.Equal(2, s.Raids[0].Launches.Length);
    }

    [Fact]
    public void Docs_EveryRule_IsDocumentedWithItsName()
    {
        Assert.All(ScenarioRules.Names, r => Assert.Contains($"| {r.Key} | {r.Value} |", Docs, StringComparison.Ordinal));
    }

    [Fact]
    public void Docs_EveryAirport_IsListed()
    {
        Assert.All(Airports.All, a => Assert.Contains(a.Icao, Docs, StringComparison.Ordinal));
    }
}
