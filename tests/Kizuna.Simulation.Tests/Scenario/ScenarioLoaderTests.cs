using Kizuna.Core;
using Kizuna.Simulation.Scenario;
using Kizuna.TestSupport;

namespace Kizuna.Simulation.Tests.Scenario;

public sealed class ScenarioLoaderTests
{
    private const string Header = """
        name: test
        epoch_utc: 2025-01-01T00:00:00Z
        duration_s: 600
        seed: 1
        nations: [JPN, USA]

        """;

    // Lines 1-5 are the header (the raw literal drops its last line break); test bodies start on line 6.
    private static ScenarioValidationException Fail(string yaml, string file = "bad.yaml") =>
        Assert.Throws<ScenarioValidationException>(() => ScenarioLoader.Parse(yaml, file));

    private static void AssertSingle(string yaml, string rule, int line, int column, string? messagePart = null)
    {
        var ex = Fail(yaml);
        var error = Assert.Single(ex.Errors);
        Assert.Equal((rule, line, column), (error.Rule, error.Line, error.Column));
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("trilateral-defence.yaml")]
    [InlineData("exercise-usa-jpn-gbr.yaml")]
    public void Load_DefaultScenario_LoadsWithoutError(string file)
    {
        var scenario = ScenarioLoader.Load(Paths.InRepo("scenarios", file));

        Assert.False(string.IsNullOrWhiteSpace(scenario.Name));
        Assert.Equal(DateTimeKind.Utc, scenario.Epoch.Kind);
        Assert.NotEmpty(scenario.Sensors);
        Assert.NotEmpty(scenario.Raids);
        Assert.NotNull(scenario.BackgroundTraffic);
        Assert.All(scenario.Sensors, s => Assert.Contains(s.Nation, scenario.Nations));
        Assert.EndsWith(file, scenario.SourcePath, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TrilateralDefence_HasTheRequiredForces()
    {
        var s = ScenarioLoader.Load(Paths.InRepo("scenarios", "trilateral-defence.yaml"));

        Assert.Equal([Nation.Usa, Nation.Japan, Nation.Australia], s.Nations.ToArray());
        Assert.Equal(3600, s.Duration);
        Assert.True(s.BackgroundTraffic!.AircraftCount >= 300);
        Assert.Contains(s.Sensors, x => x.Type == SensorType.SpaceInfrared && x.Nation == Nation.Usa);
        Assert.Contains(s.Sensors, x => x.Type == SensorType.AirborneRadar && x.Nation == Nation.Australia);
        foreach (var n in s.Nations)
        {
            Assert.Contains(s.Sensors, x => x.Type == SensorType.AdsbReceiver && x.Nation == n);
            Assert.Contains(s.Platforms, p => p.Kind == PlatformKind.Ship && p.Nation == n);
        }

        var aew = Assert.Single(s.Platforms, p => p.Kind == PlatformKind.Aircraft);
        Assert.True(aew.Loop);
        Assert.Equal(9500, aew.Route[0].Position.HeightM);
        Assert.Equal(360 * 1852.0 / 3600.0, aew.Speed, 9);

        var launches = s.Raids.SelectMany(r => r.Launches).ToArray();
        Assert.Contains(launches, l => l.Type == ThreatType.Ballistic && l.MissileClass == "mrbm");
        Assert.Contains(launches, l => l.Type == ThreatType.Ballistic && l.MissileClass == "srbm");
        var cruise = Assert.Single(launches, l => l.Type == ThreatType.Cruise);
        Assert.True(cruise.PopUpHeight > 0 && cruise.Altitude <= 50);
        Assert.Contains(s.Injects, i => i.Kind == InjectKind.SensorOutage);
        Assert.Contains(s.Injects, i => i.Kind == InjectKind.Raid);

        var tokyo = s.DefendedAssets.Single(a => a.Id == "tokyo");
        var first = launches[0];
        Assert.Equal("tokyo", first.TargetAsset);
        Assert.Equal(tokyo.Position, first.To);
    }

    [Fact]
    public void Parse_UnitsInKeys_AreConvertedToSi()
    {
        var yaml = Header + """
            platforms:
              - { id: site, nation: JPN, kind: ground, lat_deg: 35, lon_deg: 139 }
              - { id: geo, nation: USA, kind: geostationary_satellite, lon_deg: 140 }
            sensors:
              - { id: r, platform: site, type: surface_radar, max_range_km: 1000, azimuth_sigma_deg: 0.5, min_elevation_deg: 2 }
              - { id: ir, platform: geo, type: space_infrared, angle_sigma_urad: 30 }
            """;

        var s = ScenarioLoader.Parse(yaml, "units.yaml");

        var radar = s.Sensors[0];
        Assert.Equal(Nation.Japan, radar.Nation); // defaults to the host platform's nation
        Assert.Equal(1_000_000, radar.MaxRange, 6);
        Assert.Equal(0.5 * Math.PI / 180, radar.AzimuthSigma, 12);
        Assert.Equal(2 * Math.PI / 180, radar.MinElevation, 12);
        Assert.Equal(50, radar.RangeSigma); // model default
        Assert.Equal(30e-6, s.Sensors[1].AngleSigma, 12);
        Assert.Equal(ScenarioLoader.SpaceInfraredDefaultMaxRangeM, s.Sensors[1].MaxRange);
        Assert.Equal(ScenarioLoader.GeostationaryHeightM, s.Platforms[1].Position.HeightM);
        Assert.Equal(140, s.Platforms[1].Position.LongitudeDeg, 9);
    }

    [Fact]
    public void Parse_YamlSyntaxError_ReportsPosition()
    {
        AssertSingle(Header + "platforms: [ { id: a\n", ScenarioRules.YamlSyntax, 7, 1);
    }

    [Fact]
    public void Parse_UnknownKey_SuggestsNearestKey()
    {
        AssertSingle(Header + "descripton: typo\n", ScenarioRules.UnknownKey, 6, 1, "did you mean 'description'?");
    }

    [Fact]
    public void Parse_UnknownKeyForPlatformKind_IsReported()
    {
        var yaml = Header + """
            platforms:
              - { id: site, nation: JPN, kind: ground, lat_deg: 35, lon_deg: 139, speed_kt: 10 }
            """;
        AssertSingle(yaml, ScenarioRules.UnknownKey, 7, 71, "kind ground");
    }

    [Fact]
    public void Parse_MissingRequiredKey_PointsAtTheMapping()
    {
        var yaml = """
            name: test
            epoch_utc: 2025-01-01T00:00:00Z
            duration_s: 600
            nations: [JPN]
            """;
        AssertSingle(yaml, ScenarioRules.MissingKey, 1, 1, "'seed'");
    }

    [Fact]
    public void Parse_WrongType_TextForInteger()
    {
        AssertSingle(Header.Replace("seed: 1", "seed: one", StringComparison.Ordinal), ScenarioRules.WrongType, 4, 7);
    }

    [Fact]
    public void Parse_QuotedNumber_IsWrongType()
    {
        AssertSingle(Header.Replace("duration_s: 600", "duration_s: \"600\"", StringComparison.Ordinal), ScenarioRules.WrongType, 3, 13);
    }

    [Fact]
    public void Parse_LatitudeOutOfRange_IsReported()
    {
        var yaml = Header + """
            defended_assets:
              - id: a
                nation: JPN
                lat_deg: 91
                lon_deg: 139
                value: 1
            """;
        AssertSingle(yaml, ScenarioRules.OutOfRange, 9, 14, "[-90, 90]");
    }

    [Fact]
    public void Parse_BadNationCode_IsReported()
    {
        AssertSingle(Header.Replace("[JPN, USA]", "[JPN, Japan]", StringComparison.Ordinal), ScenarioRules.InvalidNation, 5, 16);
    }

    [Fact]
    public void Parse_UndeclaredNation_IsReported()
    {
        var yaml = Header + """
            defended_assets:
              - { id: a, nation: GBR, lat_deg: 51.5, lon_deg: -0.1, value: 1 }
            """;
        AssertSingle(yaml, ScenarioRules.UndeclaredNation, 7, 22, "GBR");
    }

    [Fact]
    public void Parse_DuplicateId_IsReported()
    {
        var yaml = Header + """
            platforms:
              - { id: site, nation: JPN, kind: ground, lat_deg: 35, lon_deg: 139 }
              - { id: site, nation: JPN, kind: ground, lat_deg: 36, lon_deg: 139 }
            """;
        AssertSingle(yaml, ScenarioRules.DuplicateId, 8, 11, "'site'");
    }

    [Fact]
    public void Parse_DuplicateYamlKey_IsReported()
    {
        AssertSingle(Header + "seed: 2\n", ScenarioRules.DuplicateKey, 6, 1);
    }

    [Fact]
    public void Parse_SensorOnUnknownPlatform_IsDanglingReference()
    {
        var yaml = Header + """
            platforms:
              - { id: sado, nation: JPN, kind: ground, lat_deg: 38, lon_deg: 138.4 }
            sensors:
              - { id: r, platform: sadd, type: surface_radar }
            """;
        AssertSingle(yaml, ScenarioRules.DanglingReference, 9, 24, "did you mean 'sado'?");
    }

    [Fact]
    public void Parse_SpaceInfraredOnGroundSite_IsPlatformMismatch()
    {
        var yaml = Header + """
            platforms:
              - { id: sado, nation: JPN, kind: ground, lat_deg: 38, lon_deg: 138.4 }
            sensors:
              - { id: ir, platform: sado, type: space_infrared }
            """;
        AssertSingle(yaml, ScenarioRules.SensorPlatformMismatch, 9, 25, "geostationary_satellite");
    }

    [Fact]
    public void Parse_UnknownAirport_IsReported()
    {
        var yaml = Header + """
            background_traffic:
              aircraft_count: 10
              airports: [RJTT, RJXX]
            """;
        AssertSingle(yaml, ScenarioRules.UnknownAirport, 8, 20, "RJXX");
    }

    [Fact]
    public void Parse_LaunchAfterDuration_IsReported()
    {
        var yaml = Header + """
            raids:
              - id: r1
                launches:
                  - { type: ballistic, time_s: 590, count: 3, interval_s: 10, from: { lat_deg: 39, lon_deg: 132 }, to: { lat_deg: 35, lon_deg: 139 } }
            """;
        AssertSingle(yaml, ScenarioRules.TimeBeyondDuration, 9, 36, "610");
    }

    [Fact]
    public void Parse_ScriptedRaidEndingAfterDuration_IsReportedAtTheInject()
    {
        var yaml = Header + """
            raids:
              - id: r2
                scripted: true
                launches:
                  - { type: ballistic, time_s: 100, from: { lat_deg: 39, lon_deg: 132 }, to: { lat_deg: 35, lon_deg: 139 } }
            injects:
              - { time_s: 550, kind: raid, raid: r2 }
            """;
        AssertSingle(yaml, ScenarioRules.TimeBeyondDuration, 12, 38, "650");
    }

    [Fact]
    public void Parse_InjectOfUnscriptedRaid_IsReported()
    {
        var yaml = Header + """
            raids:
              - id: r1
                launches:
                  - { type: ballistic, time_s: 10, from: { lat_deg: 39, lon_deg: 132 }, to: { lat_deg: 35, lon_deg: 139 } }
            injects:
              - { time_s: 20, kind: raid, raid: r1 }
            """;
        AssertSingle(yaml, ScenarioRules.InjectTargetKind, 11, 37);
    }

    [Fact]
    public void Parse_InjectOfUnknownSensor_IsDanglingReference()
    {
        AssertSingle(Header + "injects:\n  - { time_s: 20, kind: sensor_outage, sensor: nope, duration_s: 60 }\n",
            ScenarioRules.DanglingReference, 7, 48);
    }

    [Theory]
    [InlineData(".nan")]
    [InlineData(".inf")]
    [InlineData("-.inf")]
    [InlineData("1e999")]
    public void Parse_NonFiniteNumber_IsReported(string value)
    {
        AssertSingle(Header.Replace("duration_s: 600", "duration_s: " + value, StringComparison.Ordinal), ScenarioRules.NotFinite, 3, 13);
    }

    [Fact]
    public void Parse_MissingRecordedTrafficFile_IsReported()
    {
        var yaml = Header + """
            recorded_traffic:
              - path: data/does-not-exist.json.gz
            """;
        AssertSingle(yaml, ScenarioRules.FileNotFound, 7, 11, "does-not-exist.json.gz");
    }

    [Fact]
    public void Parse_RecordedTrafficPath_IsResolvedFromTheScenarioFolder()
    {
        var recording = Paths.SharedData("adsb", "opensky", "switzerland.json.gz");
        var scenarioFile = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(recording))!, "virtual.yaml");
        var yaml = Header + """
            recorded_traffic:
              - { path: opensky/switzerland.json.gz, start_utc: 2018-08-01T12:00:00Z, max_aircraft: 50 }
            """;

        var s = ScenarioLoader.Parse(yaml, scenarioFile);

        var r = Assert.Single(s.RecordedTraffic);
        Assert.Equal(Path.GetFullPath(recording), r.Path);
        Assert.Equal(new DateTime(2018, 8, 1, 12, 0, 0, DateTimeKind.Utc), r.TimeOffset);
        Assert.Equal(50, r.MaxAircraft);
        Assert.True(r.Adsb);
    }

    [Fact]
    public void Load_MissingScenarioFile_IsFileNotFound()
    {
        var ex = Assert.Throws<ScenarioValidationException>(() => ScenarioLoader.Load("no/such/scenario.yaml"));
        Assert.Equal(ScenarioRules.FileNotFound, Assert.Single(ex.Errors).Rule);
    }

    [Fact]
    public void Parse_SeveralErrors_AreAllCollectedInFileOrder()
    {
        var yaml = """
            name: test
            epoch_utc: 2025-01-01 00:00
            duration_s: -5
            seed: 1
            nations: [JPN, JPN]
            colour: red
            defended_assets:
              - { id: a, nation: JPN, lat_deg: 35, lon_deg: 200, value: 0 }
            """;

        var ex = Fail(yaml);

        Assert.Equal(
            [
                (ScenarioRules.InvalidValue, 2, 12),
                (ScenarioRules.OutOfRange, 3, 13),
                (ScenarioRules.DuplicateId, 5, 16),
                (ScenarioRules.UnknownKey, 6, 1),
                (ScenarioRules.OutOfRange, 8, 49),
                (ScenarioRules.OutOfRange, 8, 61),
            ],
            ex.Errors.Select(e => (e.Rule, e.Line, e.Column)).ToArray());
        Assert.Equal(ex.Errors.Count, ex.Message.Split('\n').Length);
    }

    [Fact]
    public void ScenarioError_ToString_IsCompilerStyle()
    {
        var e = new ScenarioError("s.yaml", 3, 7, ScenarioRules.UnknownKey, "unknown key 'x'");
        Assert.Equal("s.yaml:3:7: error KZ002: unknown key 'x'", e.ToString());
    }

    [Fact]
    public void ScenarioRules_Ids_AreUniqueAndNamed()
    {
        Assert.Equal(19, ScenarioRules.All.Length);
        Assert.Equal(ScenarioRules.All.Length, ScenarioRules.Names.Values.Distinct().Count());
        Assert.Equal("unknown-key", ScenarioRules.Names[ScenarioRules.UnknownKey]);
    }
}
