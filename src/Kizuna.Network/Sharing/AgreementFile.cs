using System.Globalization;
using Kizuna.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kizuna.Network.Sharing;

/// <summary>One problem in an agreements file, located as <c>file:line:col</c> (1-based).</summary>
/// <param name="File">File path as given.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Message">What is wrong.</param>
public readonly record struct AgreementError(string File, int Line, int Column, string Message)
{
    /// <summary>"file:line:col: error: message".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: error: {Message}");
}

/// <summary>Thrown by <see cref="AgreementFile.Load"/> with every error found in the file.</summary>
public sealed class AgreementFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AgreementFileException(IReadOnlyList<AgreementError> errors)
        : base(string.Join(Environment.NewLine, errors ?? throw new ArgumentNullException(nameof(errors))))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public AgreementFileException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public AgreementFileException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public AgreementFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>The errors, in file order.</summary>
    public IReadOnlyList<AgreementError> Errors { get; }
}

/// <summary>
/// Reads sharing agreements from YAML (format in docs/network.md, "Agreements"). All errors are
/// collected in one pass and reported with their position.
/// </summary>
public static class AgreementFile
{
    private static readonly string[] TopKeys = ["agreements", "classification_guides", "track_number_gateway"];
    private static readonly string[] GatewayKeys = ["first", "last", "key"];
    private static readonly string[] GuideKeys = ["nation", "measurements", "measurements_without_sites", "tracks", "tracks_without_sensors", "sanitised_tracks", "sanitise_rounding_m", "track_numbers"];
    private static readonly string[] AgreementKeys = ["from", "to", "share", "position_rounding_m", "max_classification", "forward_to", "track_numbers"];

    private static readonly Dictionary<string, ShareCategories> Categories = new(StringComparer.Ordinal)
    {
        ["measurements"] = ShareCategories.Measurements,
        ["tracks"] = ShareCategories.Tracks,
        ["identities"] = ShareCategories.Identities,
        ["sensor_positions"] = ShareCategories.SensorPositions,
        ["sensor_identities"] = ShareCategories.SensorIdentities,
        ["engagement_status"] = ShareCategories.EngagementStatus,
        ["alerts"] = ShareCategories.Alerts,
    };

    private static readonly Dictionary<string, Classification> Classifications = new(StringComparer.Ordinal)
    {
        ["unclassified"] = Classification.Unclassified,
        ["restricted"] = Classification.Restricted,
        ["confidential"] = Classification.Confidential,
        ["secret"] = Classification.Secret,
        ["top_secret"] = Classification.TopSecret,
    };

    /// <summary>Loads a file; throws <see cref="AgreementFileException"/> listing every error.</summary>
    public static SharingAgreements Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new AgreementFileException([new AgreementError(path, 1, 1, $"cannot read the file: {ex.Message}")]);
        }

        return Parse(text, path);
    }

    /// <summary>Parses YAML text; <paramref name="fileName"/> names it in errors.</summary>
    public static SharingAgreements Parse(string yaml, string fileName)
    {
        var errors = new List<AgreementError>();
        var result = ParseCore(yaml ?? string.Empty, fileName, errors);
        if (errors.Count > 0 || result is null)
        {
            throw new AgreementFileException([.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column)]);
        }

        return result;
    }

    private static SharingAgreements? ParseCore(string yaml, string file, List<AgreementError> errors)
    {
        void Add(Mark at, string message) => errors.Add(new AgreementError(file, (int)at.Line, (int)at.Column, message));

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            var m = ex.Message;
            var i = m.LastIndexOf("): ", StringComparison.Ordinal);
            Add(ex.Start, "invalid YAML: " + (i >= 0 ? m[(i + 3)..] : m));
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(new AgreementError(file, 1, 1, "an agreements file is a mapping with the key 'agreements'"));
            return null;
        }

        CheckKeys(root, TopKeys, "the file", Add);
        if (!TryGet(root, "agreements", out var listNode) || listNode is not YamlSequenceNode list)
        {
            Add(root.Start, "'agreements' must be a list of agreements");
            return null;
        }

        var agreements = new List<SharingAgreement>();
        var numbersAt = new Dictionary<(Nation, Nation), Mark>();
        var seen = new Dictionary<(Nation, Nation), Mark>();
        for (var index = 0; index < list.Children.Count; index++)
        {
            var node = list.Children[index];
            var where = string.Create(CultureInfo.InvariantCulture, $"agreements[{index}]");
            if (node is not YamlMappingNode map)
            {
                Add(node.Start, $"{where} must be a mapping");
                continue;
            }

            var before = errors.Count;
            CheckKeys(map, AgreementKeys, where, Add);
            var from = ReadNation(map, "from", where, Add, required: true);
            var to = ReadNation(map, "to", where, Add, required: true);
            var share = ShareCategories.None;
            if (TryGet(map, "share", out var shareNode))
            {
                if (shareNode is YamlSequenceNode shareList)
                {
                    foreach (var item in shareList.Children)
                    {
                        if (item is YamlScalarNode { Value: { } s } && Categories.TryGetValue(s, out var c))
                        {
                            share |= c;
                        }
                        else
                        {
                            Add(item.Start, $"{where}.share: '{(item as YamlScalarNode)?.Value}' is not a category; known: {string.Join(", ", Categories.Keys)}");
                        }
                    }
                }
                else
                {
                    Add(shareNode.Start, $"{where}.share must be a list of categories");
                }
            }
            else
            {
                Add(map.Start, $"{where} needs 'share' (a list; [] shares nothing)");
            }

            double rounding = 0;
            if (TryGet(map, "position_rounding_m", out var roundNode))
            {
                if (roundNode is not YamlScalarNode { Value: { } rs } || !double.TryParse(rs, NumberStyles.Float, CultureInfo.InvariantCulture, out rounding) || !double.IsFinite(rounding) || rounding < 0)
                {
                    Add(roundNode.Start, $"{where}.position_rounding_m must be a number of metres >= 0");
                }
            }

            var maxClass = Classification.Secret;
            if (TryGet(map, "max_classification", out var classNode))
            {
                if (classNode is not YamlScalarNode { Value: { } cs } || !Classifications.TryGetValue(cs, out maxClass))
                {
                    Add(classNode.Start, $"{where}.max_classification must be one of {string.Join(", ", Classifications.Keys)}");
                }
            }

            var forward = new List<Nation>();
            if (TryGet(map, "forward_to", out var fwdNode))
            {
                if (fwdNode is YamlSequenceNode fwdList)
                {
                    foreach (var item in fwdList.Children)
                    {
                        if (item is YamlScalarNode { Value: { } s } && s.Length == 3 && Nation.TryParse(s, out var n) && n.Code == s)
                        {
                            if (n == from || n == to)
                            {
                                Add(item.Start, $"{where}.forward_to names third nations only, not {s}");
                            }
                            else
                            {
                                forward.Add(n);
                            }
                        }
                        else
                        {
                            Add(item.Start, $"{where}.forward_to: '{(item as YamlScalarNode)?.Value}' is not a nation code (three upper-case letters)");
                        }
                    }
                }
                else
                {
                    Add(fwdNode.Start, $"{where}.forward_to must be a list of nation codes");
                }
            }

            var numbers = TrackNumberRelease.Coalition;
            if (TryGet(map, "track_numbers", out var numbersNode))
            {
                switch ((numbersNode as YamlScalarNode)?.Value)
                {
                    case "coalition":
                        break;
                    case "alias":
                        numbers = TrackNumberRelease.Alias;
                        break;
                    default:
                        Add(numbersNode.Start, $"{where}.track_numbers must be coalition or alias");
                        break;
                }
            }

            if (from is { } f && to is { } t)
            {
                if (f == t)
                {
                    Add(map.Start, $"{where}: from and to are both {f}");
                }
                else if (seen.TryGetValue((f, t), out var first))
                {
                    Add(map.Start, $"{where}: a second agreement {f} -> {t} (the first is at line {first.Line})");
                }
                else
                {
                    seen[(f, t)] = map.Start;
                }
            }

            if (errors.Count == before && from is { } ff && to is { } tt)
            {
                agreements.Add(SharingAgreement.Create(ff, tt, share, rounding, maxClass, forward, numbers));
                numbersAt[(ff, tt)] = map.Start;
            }
        }

        var guides = ReadGuides(root, Add);
        var gateway = ReadGateway(root, Add);
        foreach (var a in agreements.Where(a => a.TrackNumbers == TrackNumberRelease.Alias))
        {
            foreach (var other in agreements.Where(o => o.To == a.To && o.TrackNumbers != TrackNumberRelease.Alias && o.Allows(ShareCategories.Tracks)))
            {
                Add(numbersAt[(other.From, other.To)], $"{other.From} -> {other.To} releases coalition track numbers but {a.From} -> {a.To} releases aliases: every agreement towards {a.To} needs the same track_numbers");
            }
        }

        if (gateway is null && agreements.Any(a => a.TrackNumbers == TrackNumberRelease.Alias) && errors.Count == 0)
        {
            Add(root.Start, "an agreement has track_numbers: alias but the file has no track_number_gateway (first, last, key)");
        }

        if (errors.Count > 0)
        {
            return null;
        }

        try
        {
            return SharingAgreements.Create(agreements, guides, gateway);
        }
        catch (ArgumentException ex)
        {
            var at = TryGet(root, "track_number_gateway", out var g) ? g.Start : root.Start;
            Add(at, ex.Message);
            return null;
        }
    }

    private static TrackNumberGatewaySettings? ReadGateway(YamlMappingNode root, Action<Mark, string> add)
    {
        if (!TryGet(root, "track_number_gateway", out var node))
        {
            return null;
        }

        if (node is not YamlMappingNode map)
        {
            add(node.Start, "'track_number_gateway' must be a mapping with first, last and key");
            return null;
        }

        CheckKeys(map, GatewayKeys, "track_number_gateway", add);
        var failed = false;
        int Number(string key, int fallback)
        {
            if (!TryGet(map, key, out var v))
            {
                return fallback;
            }

            if (v is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }

            add(v.Start, $"track_number_gateway.{key} must be a track number (1-{Picture.TrackNumberBlock.MaxNumber})");
            failed = true;
            return fallback;
        }

        var first = Number("first", TrackNumberGatewaySettings.DefaultFirst);
        var last = Number("last", TrackNumberGatewaySettings.DefaultLast);
        byte[] key = [];
        if (!TryGet(map, "key", out var keyNode))
        {
            add(map.Start, "track_number_gateway needs 'key' (at least 32 hex digits; held by the releasing nations only)");
            failed = true;
        }
        else
        {
            try
            {
                key = Convert.FromHexString((keyNode as YamlScalarNode)?.Value ?? string.Empty);
            }
            catch (FormatException)
            {
                key = [];
            }

            if (key.Length < 16)
            {
                add(keyNode.Start, "track_number_gateway.key must be at least 32 hex digits (16 bytes)");
                failed = true;
            }
        }

        return failed ? null : new TrackNumberGatewaySettings(first, last, [.. key]);
    }

    private static Dictionary<Nation, ClassificationGuide> ReadGuides(YamlMappingNode root, Action<Mark, string> add)
    {
        var guides = new Dictionary<Nation, ClassificationGuide>();
        if (!TryGet(root, "classification_guides", out var listNode))
        {
            return guides;
        }

        if (listNode is not YamlSequenceNode list)
        {
            add(listNode.Start, "'classification_guides' must be a list of guides (one per nation)");
            return guides;
        }

        for (var index = 0; index < list.Children.Count; index++)
        {
            var node = list.Children[index];
            var where = string.Create(CultureInfo.InvariantCulture, $"classification_guides[{index}]");
            if (node is not YamlMappingNode map)
            {
                add(node.Start, $"{where} must be a mapping");
                continue;
            }

            CheckKeys(map, GuideKeys, where, add);
            var nation = ReadNation(map, "nation", where, add, required: true);
            var failed = false;
            Classification Level(string key, Classification fallback)
            {
                if (!TryGet(map, key, out var v))
                {
                    return fallback;
                }

                if (v is YamlScalarNode { Value: { } text } && Classifications.TryGetValue(text, out var c))
                {
                    return c;
                }

                add(v.Start, $"{where}.{key} must be one of {string.Join(", ", Classifications.Keys)}");
                failed = true;
                return fallback;
            }

            // Unset levels inherit from the next fuller content, so a guide lists only what it lowers.
            var measurements = Level("measurements", Classification.Secret);
            var withoutSites = Level("measurements_without_sites", measurements);
            var tracks = Level("tracks", Classification.Secret);
            var withoutSensors = Level("tracks_without_sensors", tracks);
            var sanitised = Level("sanitised_tracks", withoutSensors);
            var numbers = Level("track_numbers", sanitised);
            var rounding = double.PositiveInfinity;
            if (TryGet(map, "sanitise_rounding_m", out var roundNode)
                && (roundNode is not YamlScalarNode { Value: { } rs } || !double.TryParse(rs, NumberStyles.Float, CultureInfo.InvariantCulture, out rounding) || !double.IsFinite(rounding) || rounding <= 0))
            {
                add(roundNode.Start, $"{where}.sanitise_rounding_m must be a number of metres > 0");
                failed = true;
            }

            if (nation is not { } n || failed)
            {
                continue;
            }

            var guide = new ClassificationGuide
            {
                Measurements = measurements,
                MeasurementsWithoutSites = withoutSites,
                Tracks = tracks,
                TracksWithoutSensors = withoutSensors,
                SanitisedTracks = sanitised,
                SanitiseRoundingM = rounding,
                TrackNumbers = numbers,
            };
            try
            {
                guide.Validate();
            }
            catch (ArgumentException ex)
            {
                add(map.Start, $"{where}: {ex.Message}");
                continue;
            }

            if (!guides.TryAdd(n, guide))
            {
                add(map.Start, $"{where}: a second classification guide for {n}");
            }
        }

        return guides;
    }

    private static Nation? ReadNation(YamlMappingNode map, string key, string where, Action<Mark, string> add, bool required)
    {
        if (!TryGet(map, key, out var node))
        {
            if (required)
            {
                add(map.Start, $"{where} needs '{key}' (a nation code such as USA)");
            }

            return null;
        }

        if (node is YamlScalarNode { Value: { } s } && s.Length == 3 && Nation.TryParse(s, out var n) && n.Code == s)
        {
            return n;
        }

        add(node.Start, $"{where}.{key}: '{(node as YamlScalarNode)?.Value}' is not a nation code (three upper-case letters)");
        return null;
    }

    private static bool TryGet(YamlMappingNode map, string key, out YamlNode value)
    {
        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode { Value: { } s } && s == key)
            {
                value = v;
                return true;
            }
        }

        value = null!;
        return false;
    }

    private static void CheckKeys(YamlMappingNode map, string[] known, string where, Action<Mark, string> add)
    {
        foreach (var (k, _) in map.Children)
        {
            if (k is not YamlScalarNode { Value: { } s } || Array.IndexOf(known, s) < 0)
            {
                add(k.Start, $"unknown key '{(k as YamlScalarNode)?.Value}' in {where}; known keys: {string.Join(", ", known)}");
            }
        }
    }
}
