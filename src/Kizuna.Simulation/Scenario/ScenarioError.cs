using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;

namespace Kizuna.Simulation.Scenario;

/// <summary>
/// One problem found in a scenario file, located by file, line and column (both 1-based, as
/// YamlDotNet reports them) and tagged with the stable id of the rule it breaks (see
/// <see cref="ScenarioRules"/> and docs/scenarios.md).
/// </summary>
/// <param name="File">File name as given to the loader.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Rule">Rule id, e.g. <c>KZ002</c>.</param>
/// <param name="Message">What is wrong and, where possible, how to fix it.</param>
public sealed record ScenarioError(string File, int Line, int Column, string Rule, string Message)
{
    /// <summary>Compiler-style text: <c>file:line:col: error RULE: message</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: error {Rule}: {Message}");
}

/// <summary>
/// Thrown by <see cref="ScenarioLoader"/> when a scenario file is not valid. It carries every
/// error found (the loader does not stop at the first); the message lists them one per line.
/// </summary>
public sealed class ScenarioValidationException : Exception
{
    /// <summary>Creates the exception from the collected errors (at least one).</summary>
    public ScenarioValidationException(IReadOnlyList<ScenarioError> errors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates an exception with a message and no located errors (for serializers and tooling).</summary>
    public ScenarioValidationException()
        : this([])
    {
    }

    /// <summary>Creates an exception with a message and no located errors (for serializers and tooling).</summary>
    public ScenarioValidationException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public ScenarioValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>All errors, in file order (line, then column).</summary>
    public IReadOnlyList<ScenarioError> Errors { get; }

    private static string FormatMessage(IReadOnlyList<ScenarioError> errors) =>
        errors.Count == 0 ? "The scenario is not valid." : string.Join('\n', errors.Select(e => e.ToString()));
}

/// <summary>
/// The stable ids of the scenario validation rules. Ids never change meaning; new rules get new ids.
/// </summary>
public static class ScenarioRules
{
    /// <summary>KZ001 yaml-syntax: the text is not well-formed YAML (or not exactly one document).</summary>
    public const string YamlSyntax = "KZ001";

    /// <summary>KZ002 unknown-key: a key the format does not define here (the nearest known key is suggested).</summary>
    public const string UnknownKey = "KZ002";

    /// <summary>KZ003 missing-key: a required key is absent.</summary>
    public const string MissingKey = "KZ003";

    /// <summary>KZ004 wrong-type: a value of the wrong YAML type (e.g. text where a number is needed).</summary>
    public const string WrongType = "KZ004";

    /// <summary>KZ005 not-finite: a number is NaN or infinite.</summary>
    public const string NotFinite = "KZ005";

    /// <summary>KZ006 out-of-range: a number or list length outside its allowed range.</summary>
    public const string OutOfRange = "KZ006";

    /// <summary>KZ007 invalid-nation: not an ISO 3166-1 alpha-3 code (three upper-case letters).</summary>
    public const string InvalidNation = "KZ007";

    /// <summary>KZ008 undeclared-nation: a nation used but not listed under <c>nations</c>.</summary>
    public const string UndeclaredNation = "KZ008";

    /// <summary>KZ009 duplicate-id: an id (or nation, or airport) appears twice in the same list.</summary>
    public const string DuplicateId = "KZ009";

    /// <summary>KZ010 dangling-reference: a reference to a platform, asset, sensor or raid that does not exist.</summary>
    public const string DanglingReference = "KZ010";

    /// <summary>KZ011 unknown-airport: an ICAO code not in the built-in <see cref="Airports"/> table.</summary>
    public const string UnknownAirport = "KZ011";

    /// <summary>KZ012 time-beyond-duration: a launch or inject after the end of the scenario.</summary>
    public const string TimeBeyondDuration = "KZ012";

    /// <summary>KZ013 sensor-platform-mismatch: a sensor type its host platform kind cannot carry.</summary>
    public const string SensorPlatformMismatch = "KZ013";

    /// <summary>KZ014 file-not-found: the scenario file or a recorded-traffic file does not exist.</summary>
    public const string FileNotFound = "KZ014";

    /// <summary>KZ015 conflicting-keys: keys that exclude each other (e.g. speed_kt and speed_mps) are both given.</summary>
    public const string ConflictingKeys = "KZ015";

    /// <summary>KZ016 duplicate-key: a key repeated in one YAML mapping.</summary>
    public const string DuplicateKey = "KZ016";

    /// <summary>KZ017 inconsistent-values: values that contradict each other (min above max, loop with one waypoint ...).</summary>
    public const string InconsistentValues = "KZ017";

    /// <summary>KZ018 invalid-value: a text value that is not one of the allowed words or formats (enum, id, timestamp).</summary>
    public const string InvalidValue = "KZ018";

    /// <summary>KZ019 inject-target-kind: a raid inject names a raid that is not <c>scripted</c>.</summary>
    public const string InjectTargetKind = "KZ019";

    /// <summary>Rule id → short name, for documentation and tools.</summary>
    public static FrozenDictionary<string, string> Names { get; } = new Dictionary<string, string>
    {
        [YamlSyntax] = "yaml-syntax",
        [UnknownKey] = "unknown-key",
        [MissingKey] = "missing-key",
        [WrongType] = "wrong-type",
        [NotFinite] = "not-finite",
        [OutOfRange] = "out-of-range",
        [InvalidNation] = "invalid-nation",
        [UndeclaredNation] = "undeclared-nation",
        [DuplicateId] = "duplicate-id",
        [DanglingReference] = "dangling-reference",
        [UnknownAirport] = "unknown-airport",
        [TimeBeyondDuration] = "time-beyond-duration",
        [SensorPlatformMismatch] = "sensor-platform-mismatch",
        [FileNotFound] = "file-not-found",
        [ConflictingKeys] = "conflicting-keys",
        [DuplicateKey] = "duplicate-key",
        [InconsistentValues] = "inconsistent-values",
        [InvalidValue] = "invalid-value",
        [InjectTargetKind] = "inject-target-kind",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>All rule ids in order.</summary>
    public static ImmutableArray<string> All { get; } = [.. Names.Keys.Order(StringComparer.Ordinal)];
}
