using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kizuna.Simulation.Scenario;

/// <summary>A closed numeric interval check with optional open ends, used by the scenario loader.</summary>
internal readonly record struct NumberRange(double Min, double Max, bool MinOpen = false, bool MaxOpen = false)
{
    public static NumberRange Any { get; } = new(double.NegativeInfinity, double.PositiveInfinity);

    public static NumberRange Positive { get; } = new(0, double.PositiveInfinity, MinOpen: true);

    public static NumberRange NonNegative { get; } = new(0, double.PositiveInfinity);

    public static NumberRange Latitude { get; } = new(-90, 90);

    public static NumberRange Longitude { get; } = new(-180, 180);

    public static NumberRange Probability { get; } = new(0, 1);

    public bool Contains(double x) =>
        (MinOpen ? x > Min : x >= Min) && (MaxOpen ? x < Max : x <= Max);

    public string Describe()
    {
        if (double.IsPositiveInfinity(Max))
        {
            return MinOpen ? $"> {F(Min)}" : $">= {F(Min)}";
        }

        return $"{(MinOpen ? "(" : "[")}{F(Min)}, {F(Max)}{(MaxOpen ? ")" : "]")}";
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>Collects located errors for one file.</summary>
internal sealed class ErrorSink(string file)
{
    private readonly List<ScenarioError> _errors = [];

    public string File { get; } = file;

    public int Count => _errors.Count;

    public void Add(Mark at, string rule, string message) =>
        _errors.Add(new ScenarioError(File, (int)at.Line, (int)at.Column, rule, message));

    public void Add(YamlNode at, string rule, string message) => Add(at.Start, rule, message);

    /// <summary>Errors in file order; a stable sort keeps the discovery order for errors at one position.</summary>
    public IReadOnlyList<ScenarioError> Sorted() =>
        [.. _errors.OrderBy(e => e.Line).ThenBy(e => e.Column)];
}

/// <summary>
/// A YAML mapping read with typed, validating accessors. Every accessor records an error (with the
/// position of the offending node) instead of throwing, and returns a placeholder, so the loader
/// can collect every error in one pass; the definition is only built when no error was recorded.
/// </summary>
internal sealed class YamlObject
{
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);

    private YamlObject(YamlMappingNode node, string path, ErrorSink errors)
    {
        Node = node;
        Path = path;
        Errors = errors;
        foreach (var (key, value) in node.Children)
        {
            if (key is YamlScalarNode scalar && scalar.Value is not null)
            {
                _entries[scalar.Value] = (scalar, value);
            }
            else
            {
                errors.Add(key, ScenarioRules.WrongType, $"keys in {path} must be plain text, found a {Describe(key)}");
            }
        }
    }

    public YamlMappingNode Node { get; }

    /// <summary>Where this mapping sits, for messages (e.g. <c>platforms[2].route[0]</c>).</summary>
    public string Path { get; }

    public ErrorSink Errors { get; }

    /// <summary>Wraps <paramref name="node"/> when it is a mapping; records a wrong-type error otherwise.</summary>
    public static YamlObject? From(YamlNode node, string path, ErrorSink errors)
    {
        if (node is YamlMappingNode map)
        {
            return new YamlObject(map, path, errors);
        }

        errors.Add(node, ScenarioRules.WrongType, $"{path} must be a mapping of keys to values, found {Describe(node)}");
        return null;
    }

    /// <summary>Reports every key not in <paramref name="known"/>, suggesting the nearest known key.</summary>
    public void CheckKeys(IReadOnlyCollection<string> known, string? context = null)
    {
        foreach (var (name, (key, _)) in _entries)
        {
            if (known.Contains(name))
            {
                continue;
            }

            var where = context is null ? Path : $"{Path} ({context})";
            var suggestion = Suggest(name, known);
            var hint = suggestion is null ? $"; known keys: {string.Join(", ", known)}" : $"; did you mean '{suggestion}'?";
            Errors.Add(key, ScenarioRules.UnknownKey, $"unknown key '{name}' in {where}{hint}");
        }
    }

    public bool Has(string key) => _entries.ContainsKey(key);

    /// <summary>The value node of <paramref name="key"/>, or null when absent or an explicit YAML null.</summary>
    public YamlNode? Get(string key) =>
        _entries.TryGetValue(key, out var e) && !IsNull(e.Value) ? e.Value : null;

    /// <summary>The key node (for positions of errors about the entry as a whole).</summary>
    public YamlNode KeyNode(string key) => _entries[key].Key;

    public void Missing(string key, string what) =>
        Errors.Add(Node, ScenarioRules.MissingKey, $"{Path} is missing required key '{key}' ({what})");

    /// <summary>A required or defaulted text value.</summary>
    public string String(string key, string? defaultValue = null)
    {
        var node = Get(key);
        if (node is null)
        {
            if (defaultValue is null)
            {
                Missing(key, "text");
            }

            return defaultValue ?? "";
        }

        if (node is YamlScalarNode s)
        {
            return s.Value ?? "";
        }

        Errors.Add(node, ScenarioRules.WrongType, $"'{key}' in {Path} must be text, found {Describe(node)}");
        return "";
    }

    /// <summary>A number checked for finiteness and range; NaN when missing or wrong (an error is then recorded).</summary>
    public double Number(string key, double? defaultValue, NumberRange range) =>
        Get(key) is { } node ? NumberValue(node, $"'{key}' in {Path}", range) : Default(key, defaultValue, "number");

    /// <summary>An optional number: null when absent.</summary>
    public double? OptionalNumber(string key, NumberRange range) =>
        Get(key) is { } node ? NumberValue(node, $"'{key}' in {Path}", range) : null;

    /// <summary>Reads a scalar node as a finite number within <paramref name="range"/>.</summary>
    public double NumberValue(YamlNode node, string what, NumberRange range)
    {
        if (!TryNumber(node, out var value))
        {
            Errors.Add(node, ScenarioRules.WrongType, $"{what} must be a number, found {Describe(node)}");
            return double.NaN;
        }

        if (!double.IsFinite(value))
        {
            Errors.Add(node, ScenarioRules.NotFinite, $"{what} must be a finite number, found {((YamlScalarNode)node).Value}");
            return double.NaN;
        }

        if (!range.Contains(value))
        {
            Errors.Add(node, ScenarioRules.OutOfRange, $"{what} must be {range.Describe()}, found {((YamlScalarNode)node).Value}");
            return double.NaN;
        }

        return value;
    }

    /// <summary>A 32-bit integer in [min, max].</summary>
    public int Integer(string key, int? defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        var node = Get(key);
        if (node is null)
        {
            if (defaultValue is null)
            {
                Missing(key, "integer");
            }

            return defaultValue ?? 0;
        }

        if (node is not YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text } ||
            !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Errors.Add(node, ScenarioRules.WrongType, $"'{key}' in {Path} must be an integer, found {Describe(node)}");
            return 0;
        }

        if (value < min || value > max)
        {
            Errors.Add(node, ScenarioRules.OutOfRange, $"'{key}' in {Path} must be in [{min}, {max}], found {text}");
            return 0;
        }

        return (int)value;
    }

    /// <summary>A YAML 1.2 core-schema boolean (true/false in any of its three spellings).</summary>
    public bool Boolean(string key, bool defaultValue)
    {
        var node = Get(key);
        if (node is null)
        {
            return defaultValue;
        }

        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text })
        {
            switch (text)
            {
                case "true" or "True" or "TRUE":
                    return true;
                case "false" or "False" or "FALSE":
                    return false;
            }
        }

        Errors.Add(node, ScenarioRules.WrongType, $"'{key}' in {Path} must be true or false, found {Describe(node)}");
        return defaultValue;
    }

    /// <summary>The items of a sequence value; empty when absent (or missing-key when required).</summary>
    public IReadOnlyList<YamlNode> Sequence(string key, bool required = false)
    {
        var node = Get(key);
        if (node is null)
        {
            if (required)
            {
                Missing(key, "list");
            }

            return [];
        }

        if (node is YamlSequenceNode seq)
        {
            return [.. seq.Children];
        }

        Errors.Add(node, ScenarioRules.WrongType, $"'{key}' in {Path} must be a list, found {Describe(node)}");
        return [];
    }

    /// <summary>Records a conflict when more than one of <paramref name="keys"/> is present; returns the present key or null.</summary>
    public string? OneOf(params string[] keys)
    {
        string? found = null;
        foreach (var k in keys)
        {
            if (!Has(k))
            {
                continue;
            }

            if (found is not null)
            {
                Errors.Add(KeyNode(k), ScenarioRules.ConflictingKeys, $"'{k}' and '{found}' in {Path} exclude each other; give only one");
                continue;
            }

            found = k;
        }

        return found;
    }

    private double Default(string key, double? defaultValue, string what)
    {
        if (defaultValue is { } d)
        {
            return d;
        }

        Missing(key, what);
        return double.NaN;
    }

    /// <summary>YAML 1.2 core schema null: empty, ~, null (plain scalars only).</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: "" or "~" or "null" or "Null" or "NULL" or null };

    /// <summary>Parses a plain scalar as a number, including the YAML 1.2 .inf/.nan forms.</summary>
    public static bool TryNumber(YamlNode node, out double value)
    {
        value = double.NaN;
        if (node is not YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: { Length: > 0 } text })
        {
            return false;
        }

        switch (text)
        {
            case ".nan" or ".NaN" or ".NAN":
                value = double.NaN;
                return true;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                value = double.PositiveInfinity;
                return true;
            case "-.inf" or "-.Inf" or "-.INF":
                value = double.NegativeInfinity;
                return true;
        }

        // NumberStyles.Float also accepts "NaN"/"Infinity" in the invariant culture: they are then
        // reported as not finite, which is the most useful message for them.
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A short description of a node for "found ..." messages.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "nothing (null)",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "an unsupported node",
    };

    /// <summary>The known key nearest to <paramref name="name"/> by edit distance, if near enough to be a typo.</summary>
    public static string? Suggest(string name, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var k in known)
        {
            var d = EditDistance(name, k);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = k;
            }
        }

        var limit = Math.Max(2, name.Length / 3);
        return bestDistance <= limit ? best : null;
    }

    /// <summary>Levenshtein distance (insert, delete, substitute each cost 1), two-row dynamic programme.</summary>
    public static int EditDistance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }

            (prev, cur) = (cur, prev);
        }

        return prev[b.Length];
    }
}
