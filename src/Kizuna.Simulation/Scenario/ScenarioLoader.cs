using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kizuna.Simulation.Scenario;

/// <summary>
/// Reads and validates scenario files (YAML, format in docs/scenarios.md, JSON Schema in
/// docs/scenario.schema.json) into a <see cref="ScenarioDefinition"/>.
/// </summary>
/// <remarks>
/// The file is parsed with YamlDotNet's representation model so that every node keeps its start
/// mark; every error names the file, the 1-based line and column, and the rule broken
/// (<see cref="ScenarioRules"/>). All errors are collected in one pass. Nothing is half-loaded:
/// the result is either a complete, valid definition or a <see cref="ScenarioValidationException"/>.
/// Units in the file are those named in each key (<c>_deg</c>, <c>_km</c>, <c>_kt</c> ...); in memory
/// everything is SI (m, s, rad, m/s). Knots use the international nautical mile (1 kt = 1852/3600 m/s).
/// A geostationary satellite's position is its sub-satellite point at the geostationary height
/// above the ellipsoid, <see cref="GeostationaryHeightM"/>.
/// </remarks>
public static partial class ScenarioLoader
{
    /// <summary>
    /// Height of the geostationary orbit above the equator (m): orbit radius 42,164 km (Kepler's
    /// third law with GM = 3.986004418e14 m³/s² and one sidereal day, 86,164.1 s) minus the WGS-84
    /// equatorial radius 6,378.137 km.
    /// </summary>
    public const double GeostationaryHeightM = 35_786_000;

    /// <summary>Default maximum range of a space infrared sensor (m): beyond the ~41,700 km slant range to the Earth's limb from GEO.</summary>
    public const double SpaceInfraredDefaultMaxRangeM = 50_000_000;

    /// <summary>Ballistic missile classes with notional booster parameters (docs/scenarios.md).</summary>
    public static ImmutableArray<string> MissileClasses { get; } = ["srbm", "mrbm", "irbm"];

    private const double DegToRad = Math.PI / 180.0;
    private const double KnotToMps = 1852.0 / 3600.0;

    private static readonly NumberRange Altitude = new(-500, 100_000);
    private static readonly NumberRange Speed = new(0, 10_000, MinOpen: true);
    private static readonly NumberRange Elevation = new(-90, 90);

    private static readonly SensorDefinition SensorDefaults = new()
    {
        Id = "",
        Nation = default,
        Platform = "",
        Type = SensorType.SurfaceRadar,
    };

    private static readonly LaunchDefinition LaunchDefaults = new()
    {
        Type = ThreatType.Ballistic,
        Time = 0,
        From = default,
        To = default,
    };

    private static readonly string[] RootKeys =
    [
        "name", "description", "epoch_utc", "duration_s", "seed", "truth_interval_s", "nations",
        "defended_assets", "platforms", "sensors", "raids", "background_traffic", "recorded_traffic", "injects",
        "batteries", "command", "agreements",
    ];

    /// <summary>Weapon class tokens a battery may name (the catalogue is Kizuna.Defence's; docs/defence.md).</summary>
    public static readonly ImmutableArray<string> WeaponClasses = ["upper_tier", "lower_tier", "ship_area", "short_range"];

    private static readonly string[] BatteryKeys = ["id", "name", "nation", "weapon", "lat_deg", "lon_deg", "alt_m", "platform", "inventory"];
    private static readonly string[] CommandKeys = ["nation", "roe", "auto_approve"];
    private static readonly FrozenDictionary<string, RulesOfEngagement> RoeNames = new Dictionary<string, RulesOfEngagement>
    {
        ["weapons_free"] = RulesOfEngagement.WeaponsFree,
        ["weapons_tight"] = RulesOfEngagement.WeaponsTight,
        ["weapons_hold"] = RulesOfEngagement.WeaponsHold,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly string[] AssetKeys = ["id", "name", "nation", "lat_deg", "lon_deg", "alt_m", "radius_km", "value"];
    private static readonly string[] PlatformCommonKeys = ["id", "name", "nation", "kind"];
    private static readonly FrozenDictionary<PlatformKind, string[]> PlatformKeys = new Dictionary<PlatformKind, string[]>
    {
        [PlatformKind.Ground] = [.. PlatformCommonKeys, "lat_deg", "lon_deg", "alt_m"],
        [PlatformKind.Ship] = [.. PlatformCommonKeys, "lat_deg", "lon_deg", "speed_kt", "speed_mps", "loop", "route"],
        [PlatformKind.Aircraft] = [.. PlatformCommonKeys, "lat_deg", "lon_deg", "alt_m", "speed_kt", "speed_mps", "loop", "route"],
        [PlatformKind.GeostationarySatellite] = [.. PlatformCommonKeys, "lon_deg"],
    }.ToFrozenDictionary();

    private static readonly string[] ShipWaypointKeys = ["lat_deg", "lon_deg", "speed_kt", "speed_mps"];
    private static readonly string[] AircraftWaypointKeys = ["lat_deg", "lon_deg", "alt_m", "speed_kt", "speed_mps"];
    private static readonly string[] PointKeys = ["name", "lat_deg", "lon_deg", "alt_m"];

    private static readonly string[] SensorCommonKeys =
        ["id", "nation", "platform", "type", "revisit_s", "max_range_km", "antenna_height_m", "latency_s", "detection_probability"];

    private static readonly string[] RadarKeys =
    [
        "rotating", "min_elevation_deg", "max_elevation_deg", "range_sigma_m", "azimuth_sigma_deg", "elevation_sigma_deg",
        "reference_range_km", "reference_rcs_m2", "reference_snr_db", "false_alarm_probability", "clutter_per_scan",
        "range_rate_sigma_mps", "unambiguous_range_rate_mps",
    ];

    private static readonly FrozenDictionary<SensorType, string[]> SensorKeys = new Dictionary<SensorType, string[]>
    {
        [SensorType.SurfaceRadar] = [.. SensorCommonKeys, .. RadarKeys],
        [SensorType.AirborneRadar] = [.. SensorCommonKeys, .. RadarKeys],
        [SensorType.SpaceInfrared] = [.. SensorCommonKeys, "angle_sigma_urad"],
        [SensorType.AdsbReceiver] = [.. SensorCommonKeys, "position_sigma_m", "altitude_sigma_m"],
    }.ToFrozenDictionary();

    private static readonly string[] RaidKeys = ["id", "name", "scripted", "launches"];
    private static readonly string[] LaunchCommonKeys = ["type", "time_s", "count", "interval_s", "from", "to", "target", "rcs_m2"];
    private static readonly string[] SpeedKeys = ["speed_kt", "speed_mps", "speed_mach"];

    private static readonly FrozenDictionary<ThreatType, string[]> LaunchKeys = new Dictionary<ThreatType, string[]>
    {
        [ThreatType.Ballistic] = [.. LaunchCommonKeys, "missile_class"],
        [ThreatType.Cruise] = [.. LaunchCommonKeys, "via", .. SpeedKeys, "alt_m", "pop_up_height_m", "pop_up_distance_km"],
        [ThreatType.Aircraft] = [.. LaunchCommonKeys, "via", .. SpeedKeys, "alt_m"],
    }.ToFrozenDictionary();

    private static readonly string[] BackgroundKeys = ["aircraft_count", "airports", "adsb_fraction", "cruise_alt_min_m", "cruise_alt_max_m"];
    private static readonly string[] RecordedKeys = ["path", "start_utc", "max_aircraft", "adsb"];
    private static readonly string[] InjectCommonKeys = ["time_s", "kind"];

    private static readonly FrozenDictionary<InjectKind, string[]> InjectKeys = new Dictionary<InjectKind, string[]>
    {
        [InjectKind.SensorOutage] = [.. InjectCommonKeys, "sensor", "duration_s"],
        [InjectKind.Raid] = [.. InjectCommonKeys, "raid"],
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, PlatformKind> PlatformKindNames = new Dictionary<string, PlatformKind>
    {
        ["ground"] = PlatformKind.Ground,
        ["ship"] = PlatformKind.Ship,
        ["aircraft"] = PlatformKind.Aircraft,
        ["geostationary_satellite"] = PlatformKind.GeostationarySatellite,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, SensorType> SensorTypeNames = new Dictionary<string, SensorType>
    {
        ["surface_radar"] = SensorType.SurfaceRadar,
        ["airborne_radar"] = SensorType.AirborneRadar,
        ["space_infrared"] = SensorType.SpaceInfrared,
        ["adsb_receiver"] = SensorType.AdsbReceiver,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, ThreatType> ThreatTypeNames = new Dictionary<string, ThreatType>
    {
        ["ballistic"] = ThreatType.Ballistic,
        ["cruise"] = ThreatType.Cruise,
        ["aircraft"] = ThreatType.Aircraft,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, InjectKind> InjectKindNames = new Dictionary<string, InjectKind>
    {
        ["sensor_outage"] = InjectKind.SensorOutage,
        ["raid"] = InjectKind.Raid,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Which platform kinds may host each sensor type.</summary>
    private static readonly FrozenDictionary<SensorType, PlatformKind[]> AllowedHosts = new Dictionary<SensorType, PlatformKind[]>
    {
        [SensorType.SurfaceRadar] = [PlatformKind.Ground, PlatformKind.Ship],
        [SensorType.AirborneRadar] = [PlatformKind.Aircraft],
        [SensorType.SpaceInfrared] = [PlatformKind.GeostationarySatellite],
        [SensorType.AdsbReceiver] = [PlatformKind.Ground, PlatformKind.Ship, PlatformKind.Aircraft],
    }.ToFrozenDictionary();

    /// <summary>Reads and validates the scenario file at <paramref name="path"/>.</summary>
    /// <exception cref="ScenarioValidationException">The file is missing, unreadable as YAML, or breaks a rule.</exception>
    public static ScenarioDefinition Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new ScenarioValidationException([new ScenarioError(path, 1, 1, ScenarioRules.FileNotFound, $"scenario file '{path}' does not exist")]);
        }

        var definition = Parse(File.ReadAllText(path), path);
        return definition with { SourcePath = Path.GetFullPath(path) };
    }

    /// <summary>
    /// Validates scenario YAML text. <paramref name="fileName"/> names the file in errors and is the
    /// base for relative recorded-traffic paths (its directory; the current directory when it has none).
    /// </summary>
    /// <exception cref="ScenarioValidationException">The text breaks one or more rules; all are listed.</exception>
    public static ScenarioDefinition Parse(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(fileName);
        var errors = new ErrorSink(fileName);
        var root = ReadDocument(yaml, errors);
        ScenarioDefinition? definition = null;
        if (root is not null)
        {
            var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(fileName)) ?? Directory.GetCurrentDirectory();
            definition = new Reader(errors, baseDirectory).Read(root);
        }

        if (errors.Count > 0 || definition is null)
        {
            throw new ScenarioValidationException(errors.Sorted());
        }

        return definition;
    }

    private static YamlObject? ReadDocument(string yaml, ErrorSink errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            var duplicate = ex.Message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase) ||
                            ex.InnerException is ArgumentException;
            errors.Add(ex.Start, duplicate ? ScenarioRules.DuplicateKey : ScenarioRules.YamlSyntax,
                duplicate ? "a key is repeated in the same mapping" : CleanYamlMessage(ex));
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            var message = stream.Documents.Count == 0
                ? "the file is empty; a scenario is a mapping with at least name, epoch_utc, duration_s, seed and nations"
                : $"a scenario file holds exactly one YAML document, found {stream.Documents.Count}";
            if (stream.Documents.Count > 1)
            {
                errors.Add(stream.Documents[1].RootNode, ScenarioRules.YamlSyntax, message);
            }
            else
            {
                errors.Add(1, 1, ScenarioRules.YamlSyntax, message);
            }

            return null;
        }

        var rootNode = stream.Documents[0].RootNode;
        if (YamlObject.IsNull(rootNode))
        {
            errors.Add(rootNode, ScenarioRules.YamlSyntax, "the file is empty; a scenario is a mapping with at least name, epoch_utc, duration_s, seed and nations");
            return null;
        }

        return YamlObject.From(rootNode, "the scenario", errors);
    }

    private static string CleanYamlMessage(YamlException ex)
    {
        // YamlDotNet prefixes its messages with "(Line: .., Col: .., Idx: ..) - (..): "; the position is ours to report.
        var m = ex.Message;
        var i = m.LastIndexOf("): ", StringComparison.Ordinal);
        return "invalid YAML: " + (i >= 0 ? m[(i + 3)..] : m);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex NationPattern();

    /// <summary>One pass over one document: reads, checks, and cross-checks.</summary>
    private sealed class Reader(ErrorSink errors, string baseDirectory)
    {
        private readonly HashSet<Nation> _declared = [];
        private readonly Dictionary<string, DefendedAsset> _assets = new(StringComparer.Ordinal);
        private readonly Dictionary<string, PlatformDefinition> _platforms = new(StringComparer.Ordinal);
        private readonly Dictionary<string, SensorDefinition> _sensors = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (RaidDefinition Raid, YamlNode Node, List<(LaunchDefinition Launch, YamlNode TimeNode)> Launches)> _raids = new(StringComparer.Ordinal);

        public ScenarioDefinition? Read(YamlObject root)
        {
            root.CheckKeys(RootKeys);
            var name = root.String("name");
            var description = root.String("description", "");
            var epoch = ReadEpoch(root);
            var duration = root.Number("duration_s", null, NumberRange.Positive);
            var seed = root.Integer("seed", null);
            var truthInterval = root.Number("truth_interval_s", 1.0, NumberRange.Positive);
            if (root.Get("truth_interval_s") is { } ti && double.IsFinite(duration) && truthInterval > duration)
            {
                errors.Add(ti, ScenarioRules.InconsistentValues, $"truth_interval_s ({truthInterval} s) is longer than duration_s ({duration} s)");
            }

            var nations = ReadNations(root);
            var assets = ReadList(root, "defended_assets", ReadAsset);
            var platforms = ReadList(root, "platforms", ReadPlatform);
            var sensors = ReadList(root, "sensors", ReadSensor);
            var raids = ReadList(root, "raids", ReadRaid);
            var background = root.Get("background_traffic") is { } bg ? ReadBackground(bg) : null;
            var recorded = ReadList(root, "recorded_traffic", ReadRecorded);
            var injects = ReadList(root, "injects", (node, path) => ReadInject(node, path, duration));
            var batteries = ReadList(root, "batteries", ReadBattery);
            var command = ReadList(root, "command", ReadCommand);
            var agreements = ReadAgreementsPath(root);
            CheckUnscriptedLaunchTimes(duration);

            if (errors.Count > 0)
            {
                return null;
            }

            return new ScenarioDefinition
            {
                Name = name,
                Description = description,
                Epoch = epoch,
                Duration = duration,
                Seed = seed,
                TruthInterval = truthInterval,
                Nations = nations,
                DefendedAssets = assets,
                Platforms = platforms,
                Sensors = sensors,
                Raids = raids,
                BackgroundTraffic = background,
                RecordedTraffic = recorded,
                Injects = injects,
                Batteries = batteries,
                Command = command,
                AgreementsPath = agreements,
            };
        }

        private readonly HashSet<string> _batteryIds = new(StringComparer.Ordinal);
        private readonly HashSet<Nation> _commandNations = [];

        private BatteryDefinition? ReadBattery(YamlNode node, string path)
        {
            if (YamlObject.From(node, path, errors) is not { } o)
            {
                return null;
            }

            o.CheckKeys(BatteryKeys);
            var id = ReadId(o, _batteryIds);
            _batteryIds.Add(id);
            var name = o.String("name", id);
            var nation = NationOf(o);
            var weapon = o.String("weapon");
            if (o.Get("weapon") is { } wNode && weapon.Length > 0 && !WeaponClasses.Contains(weapon))
            {
                errors.Add(wNode, ScenarioRules.InvalidValue, $"'weapon' in {path} must be one of {string.Join(", ", WeaponClasses)}, found '{weapon}'");
            }

            string? platform = null;
            var position = default(Geodetic);
            if (o.Get("platform") is { } pNode)
            {
                platform = o.String("platform");
                if (o.Has("lat_deg") || o.Has("lon_deg"))
                {
                    errors.Add(pNode, ScenarioRules.ConflictingKeys, $"{path} gives both 'platform' and a position (lat_deg/lon_deg); a battery is either on a platform or at a site");
                }
                else if (!_platforms.TryGetValue(platform, out var host))
                {
                    errors.Add(pNode, ScenarioRules.DanglingReference, $"platform '{platform}' in {path} is not defined under 'platforms' (define platforms before batteries)");
                }
                else if (host.Nation != nation && !nation.IsUnset)
                {
                    errors.Add(pNode, ScenarioRules.InconsistentValues, $"battery {id} of {nation} is on platform '{platform}' of {host.Nation}");
                }
            }
            else
            {
                position = ReadPosition(o, withAltitude: true);
            }

            var inventory = o.Integer("inventory", null, 0, 10_000);
            return new BatteryDefinition(id, name, nation, weapon, position, platform, inventory);
        }

        private NationCommandDefinition? ReadCommand(YamlNode node, string path)
        {
            if (YamlObject.From(node, path, errors) is not { } o)
            {
                return null;
            }

            o.CheckKeys(CommandKeys);
            var nation = NationOf(o);
            if (!nation.IsUnset && !_commandNations.Add(nation) && o.Get("nation") is { } nNode)
            {
                errors.Add(nNode, ScenarioRules.DuplicateId, $"nation {nation} has two entries under 'command'");
            }

            var roe = ReadEnum(o, "roe", RoeNames) ?? RulesOfEngagement.WeaponsHold;
            var auto = ImmutableArray.CreateBuilder<string>();
            foreach (var item in o.Sequence("auto_approve"))
            {
                if (item is YamlScalarNode { Value: { } w } && WeaponClasses.Contains(w))
                {
                    auto.Add(w);
                }
                else
                {
                    errors.Add(item, ScenarioRules.InvalidValue, $"entries of 'auto_approve' in {path} must be weapon classes ({string.Join(", ", WeaponClasses)}), found {YamlObject.Describe(item)}");
                }
            }

            return new NationCommandDefinition(nation, roe, auto.DrainToImmutable());
        }

        private string? ReadAgreementsPath(YamlObject root)
        {
            if (root.Get("agreements") is not { } node)
            {
                return null;
            }

            var relative = root.String("agreements");
            if (relative.Length == 0)
            {
                return null;
            }

            var full = Path.GetFullPath(Path.Combine(baseDirectory, relative));
            if (!File.Exists(full))
            {
                errors.Add(node, ScenarioRules.FileNotFound, $"agreements file '{relative}' does not exist (looked for '{full}')");
            }

            return full;
        }

        private ImmutableArray<T> ReadList<T>(YamlObject parent, string key, Func<YamlNode, string, T?> read)
            where T : class
        {
            var items = parent.Sequence(key);
            var result = ImmutableArray.CreateBuilder<T>(items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                if (read(items[i], $"{key}[{i}]") is { } item)
                {
                    result.Add(item);
                }
            }

            return result.DrainToImmutable();
        }

        private DateTime ReadEpoch(YamlObject root)
        {
            var node = root.Get("epoch_utc");
            if (node is null)
            {
                root.Missing("epoch_utc", "UTC timestamp such as 2025-06-01T00:00:00Z");
                return default;
            }

            return ReadUtc(node, "'epoch_utc'") ?? default;
        }

        private DateTime? ReadUtc(YamlNode node, string what)
        {
            if (node is YamlScalarNode { Value: { } text } &&
                text.EndsWith('Z') &&
                DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
            {
                return DateTime.SpecifyKind(t, DateTimeKind.Utc);
            }

            errors.Add(node, ScenarioRules.InvalidValue, $"{what} must be an ISO 8601 UTC timestamp ending in Z (e.g. 2025-06-01T00:00:00Z), found {YamlObject.Describe(node)}");
            return null;
        }

        private ImmutableArray<Nation> ReadNations(YamlObject root)
        {
            var items = root.Sequence("nations", required: true);
            if (root.Get("nations") is YamlSequenceNode && items.Count == 0)
            {
                errors.Add(root.Get("nations")!, ScenarioRules.OutOfRange, "'nations' must list at least one nation");
            }

            var result = ImmutableArray.CreateBuilder<Nation>();
            foreach (var item in items)
            {
                if (ReadNation(item, "an entry of 'nations'", checkDeclared: false) is { } n)
                {
                    if (!_declared.Add(n))
                    {
                        errors.Add(item, ScenarioRules.DuplicateId, $"nation {n} is listed twice in 'nations'");
                    }
                    else
                    {
                        result.Add(n);
                    }
                }
            }

            return result.DrainToImmutable();
        }

        private Nation? ReadNation(YamlNode node, string what, bool checkDeclared = true)
        {
            if (node is not YamlScalarNode { Value: { } text } || YamlObject.IsNull(node))
            {
                errors.Add(node, ScenarioRules.WrongType, $"{what} must be a nation code, found {YamlObject.Describe(node)}");
                return null;
            }

            if (!NationPattern().IsMatch(text) || !Nation.TryParse(text, out var nation))
            {
                errors.Add(node, ScenarioRules.InvalidNation, $"'{text}' in {what} is not an ISO 3166-1 alpha-3 nation code (three upper-case letters, e.g. USA, JPN, AUS, GBR)");
                return null;
            }

            if (checkDeclared && !_declared.Contains(nation))
            {
                errors.Add(node, ScenarioRules.UndeclaredNation, $"nation {nation} in {what} is not declared under 'nations'");
            }

            return nation;
        }

        private Nation NationOf(YamlObject o, Nation? fallback = null)
        {
            if (o.Get("nation") is { } node)
            {
                return ReadNation(node, $"'nation' in {o.Path}") ?? default;
            }

            if (fallback is null)
            {
                o.Missing("nation", "ISO 3166-1 alpha-3 code");
            }

            return fallback ?? default;
        }

        private string ReadId(YamlObject o, ICollection<string> existing)
        {
            var id = o.String("id");
            if (o.Get("id") is not { } node || id.Length == 0)
            {
                return id;
            }

            if (!IdPattern().IsMatch(id))
            {
                errors.Add(node, ScenarioRules.InvalidValue, $"id '{id}' in {o.Path} must start with a letter or digit and hold only letters, digits, '_', '-' and '.'");
            }
            else if (existing.Contains(id))
            {
                errors.Add(node, ScenarioRules.DuplicateId, $"id '{id}' in {o.Path} is already used by another entry of the same list");
            }

            return id;
        }

        private static T? ReadEnum<T>(YamlObject o, string key, FrozenDictionary<string, T> names)
            where T : struct
        {
            var node = o.Get(key);
            if (node is null)
            {
                o.Missing(key, string.Join(" | ", names.Keys.Order(StringComparer.Ordinal)));
                return null;
            }

            if (node is YamlScalarNode { Value: { } text } && names.TryGetValue(text, out var value))
            {
                return value;
            }

            var allowed = string.Join(", ", names.Keys.Order(StringComparer.Ordinal));
            var suggestion = node is YamlScalarNode { Value: { } t } ? YamlObject.Suggest(t, names.Keys) : null;
            o.Errors.Add(node, ScenarioRules.InvalidValue,
                $"'{key}' in {o.Path} must be one of {allowed}, found {YamlObject.Describe(node)}{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}");
            return null;
        }

        private static Geodetic ReadPosition(YamlObject o, bool withAltitude, double altitudeDefault = 0)
        {
            var lat = o.Number("lat_deg", null, NumberRange.Latitude);
            var lon = o.Number("lon_deg", null, NumberRange.Longitude);
            var alt = withAltitude ? o.Number("alt_m", altitudeDefault, Altitude) : altitudeDefault;
            return Geodetic.FromDegrees(lat, lon, alt);
        }

        /// <summary>Reads speed_kt / speed_mps (/ speed_mach) into m/s; at most one may be given.</summary>
        private static double ReadSpeed(YamlObject o, double? defaultMps, bool allowMach = false)
        {
            var key = allowMach ? o.OneOf(SpeedKeys) : o.OneOf("speed_kt", "speed_mps");
            switch (key)
            {
                case "speed_kt":
                    return o.Number(key, null, Speed) * KnotToMps;
                case "speed_mps":
                    return o.Number(key, null, Speed);
                case "speed_mach":
                    // Notional: ISA sea-level speed of sound, as Kizuna.Core.Speed.FromMach.
                    return Core.Speed.FromMach(o.Number(key, null, new NumberRange(0, 30, MinOpen: true))).MetresPerSecond;
                default:
                    if (defaultMps is null)
                    {
                        o.Missing(allowMach ? "speed_kt, speed_mps or speed_mach" : "speed_kt or speed_mps", "speed");
                    }

                    return defaultMps ?? double.NaN;
            }
        }

        private DefendedAsset? ReadAsset(YamlNode node, string path)
        {
            if (YamlObject.From(node, path, errors) is not { } o)
            {
                return null;
            }

            o.CheckKeys(AssetKeys);
            var id = ReadId(o, _assets.Keys);
            var name = o.String("name", id);
            var nation = NationOf(o);
            var position = ReadPosition(o, withAltitude: true);
            var radius = o.Number("radius_km", 0, NumberRange.NonNegative) * 1000;
            var value = o.Number("value", null, NumberRange.Positive);
            var asset = new DefendedAsset(id, name, nation, position, radius, value);
            _assets.TryAdd(id, asset);
            return asset;
        }

        private PlatformDefinition? ReadPlatform(YamlNode node, string path)
        {
            if (YamlObject.From(node, path, errors) is not { } o)
            {
                return null;
            }

            var id = ReadId(o, _platforms.Keys);
            var kind = ReadEnum(o, "kind", PlatformKindNames);
            if (kind is not { } k)
            {
                o.CheckKeys(PlatformKeys.Values.SelectMany(x => x).Distinct().ToArray());
                return null;
            }

            o.CheckKeys(PlatformKeys[k], $"kind {o.String("kind")}");
            var name = o.String("name", id);
            var nation = NationOf(o);
            Geodetic position;
            var route = ImmutableArray<Waypoint>.Empty;
            double speed = 0;
            var loop = false;
            switch (k)
            {
                case PlatformKind.Ground:
                    position = ReadPosition(o, withAltitude: true);
                    break;
                case PlatformKind.GeostationarySatellite:
                    position = Geodetic.FromDegrees(0, o.Number("lon_deg", null, NumberRange.Longitude), GeostationaryHeightM);
                    break;
                default:
                    var aircraft = k == PlatformKind.Aircraft;
                    var cruiseAlt = aircraft ? o.Number("alt_m", null, new NumberRange(0, 25_000, MinOpen: true)) : 0;
                    speed = ReadSpeed(o, null);
                    loop = o.Boolean("loop", false);
                    route = ReadRoute(o, aircraft, cruiseAlt);
                    if (loop && route.Length < 2 && o.Has("route"))
                    {
                        errors.Add(o.KeyNode("loop"), ScenarioRules.InconsistentValues, $"{o.Path} loops over its route, which needs at least 2 waypoints (has {route.Length})");
                    }

                    position = o.Has("lat_deg") || o.Has("lon_deg")
                        ? ReadPosition(o, withAltitude: false, aircraft ? cruiseAlt : 0)
                        : route.Length > 0 ? route[0].Position : default;
                    break;
            }

            var platform = new PlatformDefinition(id, name, nation, k, position, route, speed, loop);
            _platforms.TryAdd(id, platform);
            return platform;
        }

        private ImmutableArray<Waypoint> ReadRoute(YamlObject o, bool aircraft, double cruiseAlt)
        {
            var items = o.Sequence("route", required: true);
            if (o.Get("route") is YamlSequenceNode seq && items.Count == 0)
            {
                errors.Add(seq, ScenarioRules.OutOfRange, $"'route' in {o.Path} must hold at least one waypoint");
            }

            var result = ImmutableArray.CreateBuilder<Waypoint>(items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                if (YamlObject.From(items[i], $"{o.Path}.route[{i}]", errors) is not { } w)
                {
                    continue;
                }

                w.CheckKeys(aircraft ? AircraftWaypointKeys : ShipWaypointKeys);
                var position = ReadPosition(w, withAltitude: aircraft, aircraft ? cruiseAlt : 0);
                var speed = ReadSpeed(w, 0);
                result.Add(new Waypoint(position, speed));
            }

            return result.DrainToImmutable();
        }

        private SensorDefinition? ReadSensor(YamlNode node, string path)
        {
            if (YamlObject.From(node, path, errors) is not { } o)
            {
                return null;
            }

            var id = ReadId(o, _sensors.Keys);
            var type = ReadEnum(o, "type", SensorTypeNames);
            if (type is not { } t)
            {
                o.CheckKeys(SensorKeys.Values.SelectMany(x => x).Distinct().ToArray());
                return null;
            }

            o.CheckKeys(SensorKeys[t], $"type {o.String("type")}");
            var platformId = o.String("platform");
            PlatformDefinition? host = null;
            if (o.Get("platform") is { } pNode && platformId.Length > 0)
            {
                if (!_platforms.TryGetValue(platformId, out host))
                {
                    var suggestion = YamlObject.Suggest(platformId, _platforms.Keys);
                    errors.Add(pNode, ScenarioRules.DanglingReference,
                        $"sensor '{id}' names platform '{platformId}', which is not defined under 'platforms'{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}");
                }
                else if (!AllowedHosts[t].Contains(host.Kind))
                {
                    errors.Add(pNode, ScenarioRules.SensorPlatformMismatch,
                        $"a {o.String("type")} sensor cannot be carried by platform '{platformId}' of kind {KindName(host.Kind)}; allowed: {string.Join(", ", AllowedHosts[t].Select(KindName))}");
                }
            }

            var nation = NationOf(o, host?.Nation ?? (o.Has("platform") ? default(Nation) : null));
            var d = SensorDefaults;
            var radar = t is SensorType.SurfaceRadar or SensorType.AirborneRadar;
            var minEl = radar ? o.Number("min_elevation_deg", d.MinElevation / DegToRad, Elevation) * DegToRad : d.MinElevation;
            var maxEl = radar ? o.Number("max_elevation_deg", d.MaxElevation / DegToRad, Elevation) * DegToRad : d.MaxElevation;
            if (minEl >= maxEl)
            {
                errors.Add(o.Get("max_elevation_deg") ?? o.Get("min_elevation_deg") ?? o.Node, ScenarioRules.InconsistentValues,
                    $"min_elevation_deg must be below max_elevation_deg in {o.Path}");
            }

            var defaultMaxRange = t == SensorType.SpaceInfrared ? SpaceInfraredDefaultMaxRangeM : d.MaxRange;
            var sensor = new SensorDefinition
            {
                Id = id,
                Nation = nation,
                Platform = platformId,
                Type = t,
                RevisitPeriod = o.Number("revisit_s", d.RevisitPeriod, NumberRange.Positive),
                Rotating = radar && o.Boolean("rotating", d.Rotating),
                MaxRange = o.Number("max_range_km", defaultMaxRange / 1000, NumberRange.Positive) * 1000,
                MinElevation = minEl,
                MaxElevation = maxEl,
                AntennaHeight = o.Number("antenna_height_m", d.AntennaHeight, new NumberRange(0, 1000)),
                RangeSigma = radar ? o.Number("range_sigma_m", d.RangeSigma, NumberRange.Positive) : d.RangeSigma,
                AzimuthSigma = radar ? o.Number("azimuth_sigma_deg", d.AzimuthSigma / DegToRad, new NumberRange(0, 10, MinOpen: true)) * DegToRad : d.AzimuthSigma,
                ElevationSigma = radar ? o.Number("elevation_sigma_deg", d.ElevationSigma / DegToRad, new NumberRange(0, 10, MinOpen: true)) * DegToRad : d.ElevationSigma,
                ReferenceRange = radar ? o.Number("reference_range_km", d.ReferenceRange / 1000, NumberRange.Positive) * 1000 : d.ReferenceRange,
                ReferenceRcs = radar ? o.Number("reference_rcs_m2", d.ReferenceRcs, NumberRange.Positive) : d.ReferenceRcs,
                ReferenceSnrDb = radar ? o.Number("reference_snr_db", d.ReferenceSnrDb, new NumberRange(-50, 100)) : d.ReferenceSnrDb,
                FalseAlarmProbability = radar ? o.Number("false_alarm_probability", d.FalseAlarmProbability, new NumberRange(0, 1, MinOpen: true, MaxOpen: true)) : d.FalseAlarmProbability,
                ClutterPerScan = radar ? o.Number("clutter_per_scan", d.ClutterPerScan, NumberRange.NonNegative) : d.ClutterPerScan,
                RangeRateSigma = radar ? o.OptionalNumber("range_rate_sigma_mps", NumberRange.Positive) : null,
                UnambiguousRangeRate = radar ? o.Number("unambiguous_range_rate_mps", d.UnambiguousRangeRate, NumberRange.Positive) : d.UnambiguousRangeRate,
                FixedDetectionProbability = o.OptionalNumber("detection_probability", NumberRange.Probability),
                Latency = o.Number("latency_s", d.Latency, NumberRange.NonNegative),
                PositionSigma = t == SensorType.AdsbReceiver ? o.Number("position_sigma_m", d.PositionSigma, NumberRange.Positive) : d.PositionSigma,
                AltitudeSigma = t == SensorType.AdsbReceiver ? o.Number("altitude_sigma_m", d.AltitudeSigma, NumberRange.Positive) : d.AltitudeSigma,
                AngleSigma = t == SensorType.SpaceInfrared ? o.Number("angle_sigma_urad", d.AngleSigma * 1e6, NumberRange.Positive) * 1e-6 : d.AngleSigma,
            };
            _sensors.TryAdd(id, sensor);
            return sensor;
        }

        private static string KindName(PlatformKind kind) => PlatformKindNames.First(p => p.Value == kind).Key;

        private RaidDefinition? ReadRaid(YamlNode node, string path)
        {
            if (YamlObject.From(node, path, errors) is not { } o)
            {
                return null;
            }

            o.CheckKeys(RaidKeys);
            var id = ReadId(o, _raids.Keys);
            var name = o.String("name", id);
            var scripted = o.Boolean("scripted", false);
            var items = o.Sequence("launches", required: true);
            if (o.Get("launches") is YamlSequenceNode seq && items.Count == 0)
            {
                errors.Add(seq, ScenarioRules.OutOfRange, $"'launches' in {o.Path} must hold at least one launch");
            }

            var launches = new List<(LaunchDefinition, YamlNode)>();
            for (var i = 0; i < items.Count; i++)
            {
                if (ReadLaunch(items[i], $"{o.Path}.launches[{i}]") is { } l)
                {
                    launches.Add(l);
                }
            }

            var raid = new RaidDefinition(id, name, [.. launches.Select(l => l.Item1)], scripted);
            _raids.TryAdd(id, (raid, node, launches));
            return raid;
        }

        private (LaunchDefinition, YamlNode)? ReadLaunch(YamlNode node, string path)
        {
            if (YamlObject.From(node, path, errors) is not { } o)
            {
                return null;
            }

            var type = ReadEnum(o, "type", ThreatTypeNames);
            if (type is not { } t)
            {
                o.CheckKeys(LaunchKeys.Values.SelectMany(x => x).Distinct().ToArray());
                return null;
            }

            o.CheckKeys(LaunchKeys[t], $"type {o.String("type")}");
            var d = LaunchDefaults;
            var time = o.Number("time_s", null, NumberRange.NonNegative);
            var count = o.Integer("count", d.Count, 1, 1000);
            var interval = o.Number("interval_s", d.Interval, NumberRange.NonNegative);
            var from = ReadPoint(o, "from", required: true);
            Geodetic to = default;
            string? targetAsset = null;
            switch (o.OneOf("to", "target"))
            {
                case "to":
                    to = ReadPoint(o, "to", required: true);
                    break;
                case "target":
                    targetAsset = o.String("target");
                    if (_assets.TryGetValue(targetAsset, out var asset))
                    {
                        to = asset.Position;
                    }
                    else
                    {
                        var suggestion = YamlObject.Suggest(targetAsset, _assets.Keys);
                        errors.Add(o.Get("target") ?? o.KeyNode("target"), ScenarioRules.DanglingReference,
                            $"target '{targetAsset}' in {o.Path} is not a defended asset id{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}");
                    }

                    break;
                default:
                    o.Missing("to or target", "aim point or defended asset id");
                    break;
            }

            var via = ImmutableArray.CreateBuilder<Geodetic>();
            if (t != ThreatType.Ballistic)
            {
                var items = o.Sequence("via");
                for (var i = 0; i < items.Count; i++)
                {
                    if (YamlObject.From(items[i], $"{o.Path}.via[{i}]", errors) is { } p)
                    {
                        p.CheckKeys(PointKeys);
                        via.Add(ReadPosition(p, withAltitude: true));
                    }
                }
            }

            var missileClass = d.MissileClass;
            if (t == ThreatType.Ballistic && o.Get("missile_class") is { } mc)
            {
                missileClass = o.String("missile_class");
                if (!MissileClasses.Contains(missileClass))
                {
                    errors.Add(mc, ScenarioRules.InvalidValue, $"'missile_class' in {o.Path} must be one of {string.Join(", ", MissileClasses)}, found {YamlObject.Describe(mc)}");
                }
            }

            var launch = new LaunchDefinition
            {
                Type = t,
                Time = time,
                Count = count,
                Interval = interval,
                From = from,
                To = to,
                TargetAsset = targetAsset,
                Via = via.DrainToImmutable(),
                Speed = t == ThreatType.Ballistic ? d.Speed : ReadSpeed(o, t == ThreatType.Cruise ? d.Speed : null, allowMach: true),
                Altitude = t switch
                {
                    ThreatType.Cruise => o.Number("alt_m", d.Altitude, new NumberRange(0, 25_000, MinOpen: true)),
                    ThreatType.Aircraft => o.Number("alt_m", null, new NumberRange(0, 25_000, MinOpen: true)),
                    _ => d.Altitude,
                },
                PopUpHeight = t == ThreatType.Cruise ? o.Number("pop_up_height_m", d.PopUpHeight, new NumberRange(0, 10_000)) : d.PopUpHeight,
                PopUpDistance = t == ThreatType.Cruise ? o.Number("pop_up_distance_km", d.PopUpDistance / 1000, NumberRange.Positive) * 1000 : d.PopUpDistance,
                MissileClass = missileClass,
                RcsM2 = o.Number("rcs_m2", d.RcsM2, NumberRange.Positive),
            };
            return (launch, o.Get("time_s") ?? o.Node);
        }

        private static Geodetic ReadPoint(YamlObject parent, string key, bool required)
        {
            var node = parent.Get(key);
            if (node is null)
            {
                if (required)
                {
                    parent.Missing(key, "point with lat_deg and lon_deg");
                }

                return default;
            }

            if (YamlObject.From(node, $"{parent.Path}.{key}", parent.Errors) is not { } p)
            {
                return default;
            }

            p.CheckKeys(PointKeys);
            return ReadPosition(p, withAltitude: true);
        }

        private BackgroundTrafficDefinition? ReadBackground(YamlNode node)
        {
            if (YamlObject.From(node, "background_traffic", errors) is not { } o)
            {
                return null;
            }

            o.CheckKeys(BackgroundKeys);
            var count = o.Integer("aircraft_count", null, 0, 100_000);
            var codes = ImmutableArray.CreateBuilder<string>();
            var items = o.Sequence("airports", required: true);
            foreach (var item in items)
            {
                if (item is not YamlScalarNode { Value: { } code } || YamlObject.IsNull(item))
                {
                    errors.Add(item, ScenarioRules.WrongType, $"an entry of background_traffic.airports must be an ICAO code, found {YamlObject.Describe(item)}");
                    continue;
                }

                if (!Airports.TryGet(code, out _))
                {
                    var suggestion = YamlObject.Suggest(code, Airports.All.Select(a => a.Icao));
                    errors.Add(item, ScenarioRules.UnknownAirport,
                        $"airport '{code}' is not in the built-in airport table{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")} (see docs/scenarios.md)");
                }
                else if (codes.Contains(code))
                {
                    errors.Add(item, ScenarioRules.DuplicateId, $"airport '{code}' is listed twice in background_traffic.airports");
                }
                else
                {
                    codes.Add(code);
                }
            }

            if (o.Get("airports") is YamlSequenceNode seq && items.Count < 2)
            {
                errors.Add(seq, ScenarioRules.OutOfRange, "background_traffic.airports must list at least 2 airports (flights go between them)");
            }

            var fraction = o.Number("adsb_fraction", 1.0, NumberRange.Probability);
            var altRange = new NumberRange(0, 20_000, MinOpen: true);
            var min = o.Number("cruise_alt_min_m", 9_000, altRange);
            var max = o.Number("cruise_alt_max_m", 12_000, altRange);
            if (min > max)
            {
                errors.Add(o.Get("cruise_alt_min_m") ?? o.Node, ScenarioRules.InconsistentValues,
                    $"cruise_alt_min_m ({min} m) is above cruise_alt_max_m ({max} m)");
            }

            return new BackgroundTrafficDefinition(count, codes.DrainToImmutable(), fraction, min, max);
        }

        private RecordedTrafficDefinition? ReadRecorded(YamlNode node, string path)
        {
            if (YamlObject.From(node, path, errors) is not { } o)
            {
                return null;
            }

            o.CheckKeys(RecordedKeys);
            var relative = o.String("path");
            var full = relative;
            if (o.Get("path") is { } pNode && relative.Length > 0)
            {
                full = Path.GetFullPath(Path.Combine(baseDirectory, relative));
                if (!File.Exists(full))
                {
                    errors.Add(pNode, ScenarioRules.FileNotFound, $"recorded traffic file '{relative}' does not exist (looked for '{full}')");
                }
            }

            DateTime? start = o.Get("start_utc") is { } s ? ReadUtc(s, $"'start_utc' in {path}") : null;
            var max = o.Integer("max_aircraft", 0, 0, 1_000_000);
            var adsb = o.Boolean("adsb", true);
            return new RecordedTrafficDefinition(full, start, max, adsb);
        }

        private InjectDefinition? ReadInject(YamlNode node, string path, double duration)
        {
            if (YamlObject.From(node, path, errors) is not { } o)
            {
                return null;
            }

            var kind = ReadEnum(o, "kind", InjectKindNames);
            if (kind is not { } k)
            {
                o.CheckKeys(InjectKeys.Values.SelectMany(x => x).Distinct().ToArray());
                return null;
            }

            o.CheckKeys(InjectKeys[k], $"kind {o.String("kind")}");
            var time = o.Number("time_s", null, NumberRange.NonNegative);
            if (o.Get("time_s") is { } timeNode && double.IsFinite(duration) && time > duration)
            {
                errors.Add(timeNode, ScenarioRules.TimeBeyondDuration, $"inject at {time} s in {path} is after the end of the scenario ({duration} s)");
            }

            if (k == InjectKind.SensorOutage)
            {
                var sensor = o.String("sensor");
                if (o.Get("sensor") is { } sNode && !_sensors.ContainsKey(sensor))
                {
                    var suggestion = YamlObject.Suggest(sensor, _sensors.Keys);
                    errors.Add(sNode, ScenarioRules.DanglingReference,
                        $"inject names sensor '{sensor}', which is not defined under 'sensors'{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}");
                }

                var outage = o.Number("duration_s", null, NumberRange.Positive);
                return new InjectDefinition(time, k, sensor, outage);
            }

            var raidId = o.String("raid");
            if (o.Get("raid") is { } rNode)
            {
                if (!_raids.TryGetValue(raidId, out var raid))
                {
                    var suggestion = YamlObject.Suggest(raidId, _raids.Keys);
                    errors.Add(rNode, ScenarioRules.DanglingReference,
                        $"inject names raid '{raidId}', which is not defined under 'raids'{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}");
                }
                else if (!raid.Raid.Scripted)
                {
                    errors.Add(rNode, ScenarioRules.InjectTargetKind,
                        $"raid '{raidId}' is not scripted (its launches already run from t = 0); set 'scripted: true' on it to start it by inject");
                }
                else if (double.IsFinite(duration) && double.IsFinite(time))
                {
                    foreach (var (launch, launchTimeNode) in raid.Launches)
                    {
                        var last = time + launch.Time + ((launch.Count - 1) * launch.Interval);
                        if (last > duration)
                        {
                            errors.Add(rNode, ScenarioRules.TimeBeyondDuration,
                                $"raid '{raidId}' started at {time} s launches its last round at {last} s (launch at line {launchTimeNode.Start.Line}), after the end of the scenario ({duration} s)");
                        }
                    }
                }
            }

            return new InjectDefinition(time, k, raidId, 0);
        }

        private void CheckUnscriptedLaunchTimes(double duration)
        {
            if (!double.IsFinite(duration))
            {
                return;
            }

            foreach (var (raid, _, launches) in _raids.Values)
            {
                if (raid.Scripted)
                {
                    continue;
                }

                foreach (var (launch, timeNode) in launches)
                {
                    var last = launch.Time + ((launch.Count - 1) * launch.Interval);
                    if (double.IsFinite(last) && last > duration)
                    {
                        errors.Add(timeNode, ScenarioRules.TimeBeyondDuration,
                            launch.Count == 1
                                ? $"launch at {launch.Time} s in raid '{raid.Id}' is after the end of the scenario ({duration} s)"
                                : $"the last of {launch.Count} rounds in raid '{raid.Id}' launches at {last} s, after the end of the scenario ({duration} s)");
                    }
                }
            }
        }
    }
}
