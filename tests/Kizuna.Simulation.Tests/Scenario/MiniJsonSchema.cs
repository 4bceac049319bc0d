using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kizuna.Simulation.Tests.Scenario;

/// <summary>
/// A small JSON Schema (draft 2020-12) checker for the keywords docs/scenario.schema.json uses:
/// type, properties, additionalProperties (false), required, items, minItems, uniqueItems, enum,
/// const, minimum, maximum, exclusiveMinimum, exclusiveMaximum, pattern, $ref (local), oneOf,
/// anyOf, allOf, not. Any other keyword throws, so the check can never pass by ignoring a rule.
/// </summary>
internal static class MiniJsonSchema
{
    private static readonly HashSet<string> Annotations = ["$schema", "$id", "title", "description", "$defs"];

    public static List<string> Validate(JsonNode schemaRoot, JsonNode? instance)
    {
        var errors = new List<string>();
        Check(schemaRoot, schemaRoot, instance, "$", errors);
        return errors;
    }

    private static void Check(JsonNode root, JsonNode schema, JsonNode? x, string path, List<string> errors)
    {
        var s = schema.AsObject();
        foreach (var (keyword, value) in s)
        {
            switch (keyword)
            {
                case var k when Annotations.Contains(k):
                    break;
                case "$ref":
                    var target = root;
                    foreach (var part in ((string)value!).TrimStart('#', '/').Split('/'))
                    {
                        target = target![part];
                    }

                    Check(root, target!, x, path, errors);
                    break;
                case "type":
                    if (!HasType(x, (string)value!))
                    {
                        errors.Add($"{path}: expected {value}");
                    }

                    break;
                case "properties":
                    if (x is JsonObject o)
                    {
                        foreach (var (name, sub) in value!.AsObject())
                        {
                            if (o.TryGetPropertyValue(name, out var child))
                            {
                                Check(root, sub!, child, $"{path}.{name}", errors);
                            }
                        }
                    }

                    break;
                case "additionalProperties":
                    if ((bool)value! is false && x is JsonObject ao)
                    {
                        var known = s["properties"]?.AsObject().Select(p => p.Key).ToHashSet() ?? [];
                        errors.AddRange(ao.Where(p => !known.Contains(p.Key)).Select(p => $"{path}: additional property '{p.Key}'"));
                    }

                    break;
                case "required":
                    if (x is JsonObject ro)
                    {
                        errors.AddRange(value!.AsArray().Select(r => (string)r!).Where(r => !ro.ContainsKey(r)).Select(r => $"{path}: missing '{r}'"));
                    }

                    break;
                case "items":
                    if (x is JsonArray items)
                    {
                        for (var i = 0; i < items.Count; i++)
                        {
                            Check(root, value!, items[i], $"{path}[{i}]", errors);
                        }
                    }

                    break;
                case "minItems":
                    if (x is JsonArray mi && mi.Count < (int)value!)
                    {
                        errors.Add($"{path}: fewer than {value} items");
                    }

                    break;
                case "uniqueItems":
                    if ((bool)value! && x is JsonArray ui && ui.Select(n => n?.ToJsonString()).Distinct().Count() != ui.Count)
                    {
                        errors.Add($"{path}: items not unique");
                    }

                    break;
                case "enum":
                    if (!value!.AsArray().Any(e => JsonNode.DeepEquals(e, x)))
                    {
                        errors.Add($"{path}: not one of {value.ToJsonString()}");
                    }

                    break;
                case "const":
                    if (!JsonNode.DeepEquals(value, x))
                    {
                        errors.Add($"{path}: not {value!.ToJsonString()}");
                    }

                    break;
                case "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum":
                    if (x is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
                    {
                        var d = AsDouble(v);
                        var limit = AsDouble(value!);
                        var ok = keyword switch
                        {
                            "minimum" => d >= limit,
                            "maximum" => d <= limit,
                            "exclusiveMinimum" => d > limit,
                            _ => d < limit,
                        };
                        if (!ok)
                        {
                            errors.Add($"{path}: {d} breaks {keyword} {limit}");
                        }
                    }

                    break;
                case "pattern":
                    if (x is JsonValue pv && pv.GetValueKind() == JsonValueKind.String && !Regex.IsMatch(pv.GetValue<string>(), (string)value!))
                    {
                        errors.Add($"{path}: does not match {value}");
                    }

                    break;
                case "oneOf" or "anyOf" or "allOf":
                    var passing = value!.AsArray().Count(sub => Validate(root, sub!, x).Count == 0);
                    var count = value.AsArray().Count;
                    if ((keyword == "oneOf" && passing != 1) || (keyword == "anyOf" && passing == 0) || (keyword == "allOf" && passing != count))
                    {
                        errors.Add($"{path}: {keyword} matched {passing} of {count} subschemas");
                    }

                    break;
                case "not":
                    if (Validate(root, value!, x).Count == 0)
                    {
                        errors.Add($"{path}: matches a 'not' subschema");
                    }

                    break;
                default:
                    throw new NotSupportedException($"Schema keyword '{keyword}' is not supported by the test checker.");
            }
        }
    }

    private static List<string> Validate(JsonNode root, JsonNode schema, JsonNode? x)
    {
        var errors = new List<string>();
        Check(root, schema, x, "$", errors);
        return errors;
    }

    private static double AsDouble(JsonNode n) => double.Parse(n.ToJsonString(), CultureInfo.InvariantCulture);

    private static bool HasType(JsonNode? x, string type) => type switch
    {
        "object" => x is JsonObject,
        "array" => x is JsonArray,
        "null" => x is null,
        "string" => x is JsonValue v && v.GetValueKind() == JsonValueKind.String,
        "boolean" => x is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "number" => x is JsonValue v && v.GetValueKind() == JsonValueKind.Number,
        "integer" => x is JsonValue v && v.GetValueKind() == JsonValueKind.Number && Math.Floor(AsDouble(v)) == AsDouble(v),
        _ => throw new NotSupportedException(type),
    };

    /// <summary>Converts a YAML node to JSON with the YAML 1.2 core schema (plain scalars typed; quoted ones strings).</summary>
    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode s => new JsonArray([.. s.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: var v } => Plain(v ?? ""),
        YamlScalarNode sc => JsonValue.Create(sc.Value),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static JsonNode? Plain(string v)
    {
        if (v is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (v is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(v.Equals("true", StringComparison.OrdinalIgnoreCase));
        }

        if (Regex.IsMatch(v, "^[-+]?[0-9]+$"))
        {
            return JsonValue.Create(long.Parse(v, CultureInfo.InvariantCulture));
        }

        if (Regex.IsMatch(v, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"))
        {
            return JsonValue.Create(double.Parse(v, CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(v);
    }
}
