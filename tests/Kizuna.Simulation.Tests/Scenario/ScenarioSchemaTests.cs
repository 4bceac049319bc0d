using System.Text.Json.Nodes;
using Kizuna.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Kizuna.Simulation.Tests.Scenario;

public sealed class ScenarioSchemaTests
{
    private static JsonNode Schema() => JsonNode.Parse(File.ReadAllText(Paths.InRepo("docs", "scenario.schema.json")))!;

    private static JsonNode? YamlFileAsJson(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Paths.InRepo("scenarios", file));
        stream.Load(reader);
        return MiniJsonSchema.ToJson(stream.Documents[0].RootNode);
    }

    [Fact]
    public void Schema_DeclaresDraft202012()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)Schema()["$schema"]);
    }

    [Theory]
    [InlineData("trilateral-defence.yaml")]
    [InlineData("exercise-usa-jpn-gbr.yaml")]
    public void Schema_DefaultScenario_IsAccepted(string file)
    {
        var errors = MiniJsonSchema.Validate(Schema(), YamlFileAsJson(file));
        Assert.Empty(errors);
    }

    [Fact]
    public void Schema_ScenarioWithUnknownKeyAndBadLatitude_IsRejected()
    {
        var json = YamlFileAsJson("trilateral-defence.yaml")!;
        json["colour"] = "red";
        json["defended_assets"]![0]!["lat_deg"] = 91;

        var errors = MiniJsonSchema.Validate(Schema(), json);

        Assert.Contains("$: additional property 'colour'", errors);
        Assert.Contains(errors, e => e.StartsWith("$.defended_assets[0].lat_deg: 91 breaks maximum 90", StringComparison.Ordinal));
    }

    [Fact]
    public void Schema_PlatformOfUnknownKind_IsRejected()
    {
        var json = YamlFileAsJson("exercise-usa-jpn-gbr.yaml")!;
        json["platforms"]![0]!["kind"] = "submarine";

        Assert.Contains("$.platforms[0]: oneOf matched 0 of 4 subschemas", MiniJsonSchema.Validate(Schema(), json));
    }
}
