using Kizuna.Core;
using Kizuna.Simulation.Scenario;
using Kizuna.TestSupport;

namespace Kizuna.Simulation.Tests.Scenario;

/// <summary>The <c>batteries</c>, <c>command</c> and <c>agreements</c> sections of a scenario.</summary>
public sealed class ScenarioDefenceSectionTests
{
    private const string Header = """
        name: test
        epoch_utc: 2025-01-01T00:00:00Z
        duration_s: 600
        seed: 1
        nations: [JPN, USA]
        platforms:
          - { id: ddg, nation: JPN, kind: ship, speed_kt: 10, route: [{ lat_deg: 38, lon_deg: 137 }] }

        """;

    private static ScenarioError Single(string yaml)
    {
        var ex = Assert.Throws<ScenarioValidationException>(() => ScenarioLoader.Parse(Header + yaml, "bad.yaml"));
        return Assert.Single(ex.Errors);
    }

    [Fact]
    public void Load_TrilateralDefence_HasBatteriesOfEveryNationAndCommandSettings()
    {
        var s = ScenarioLoader.Load(Paths.InRepo("scenarios", "trilateral-defence.yaml"));

        foreach (var n in s.Nations)
        {
            Assert.Contains(s.Batteries, b => b.Nation == n && b.Inventory > 0);
            Assert.Contains(s.Command, c => c.Nation == n);
        }

        var ship = s.Batteries.Single(b => b.Id == "jpn-ddg-north-ut");
        Assert.Equal(("upper_tier", "jpn-ddg-north"), (ship.Weapon, ship.PlatformId));
        var site = s.Batteries.Single(b => b.Id == "jpn-lt-tokyo");
        Assert.Null(site.PlatformId);
        Assert.Equal(35.6930, site.Position.LatitudeDeg, 9);
        Assert.Equal(RulesOfEngagement.WeaponsTight, s.Command.Single(c => c.Nation == Nation.Japan).Roe);
        Assert.Equal(["short_range"], s.Command.Single(c => c.Nation == Nation.Japan).AutoApprove.ToArray());
    }

    [Fact]
    public void Parse_BatteryOnShipAndAtSite_ReadsBoth()
    {
        var s = ScenarioLoader.Parse(Header + """
            batteries:
              - { id: b1, nation: JPN, weapon: upper_tier, platform: ddg, inventory: 4 }
              - { id: b2, name: Site, nation: USA, weapon: lower_tier, lat_deg: 35, lon_deg: 139, alt_m: 12, inventory: 8 }
            command:
              - { nation: USA, roe: weapons_free, auto_approve: [lower_tier, short_range] }
            """, "ok.yaml");

        Assert.Equal(2, s.Batteries.Length);
        Assert.Equal("ddg", s.Batteries[0].PlatformId);
        Assert.Equal(12, s.Batteries[1].Position.HeightM);
        Assert.Equal(RulesOfEngagement.WeaponsFree, s.Command[0].Roe);
        Assert.Equal(2, s.Command[0].AutoApprove.Length);
        Assert.Null(s.AgreementsPath);
    }

    [Fact]
    public void Parse_UnknownWeaponClass_IsInvalidValueAtTheValue()
    {
        var e = Single("batteries:\n  - { id: b1, nation: JPN, weapon: laser, lat_deg: 35, lon_deg: 139, inventory: 4 }\n");
        Assert.Equal((ScenarioRules.InvalidValue, 9, 36), (e.Rule, e.Line, e.Column));
        Assert.Contains("upper_tier", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BatteryOnMissingPlatform_IsDanglingReference()
    {
        var e = Single("batteries:\n  - { id: b1, nation: JPN, weapon: upper_tier, platform: nowhere, inventory: 4 }\n");
        Assert.Equal(ScenarioRules.DanglingReference, e.Rule);
        Assert.Contains("nowhere", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BatteryOfOtherNationOnShip_IsInconsistent()
    {
        var e = Single("batteries:\n  - { id: b1, nation: USA, weapon: upper_tier, platform: ddg, inventory: 4 }\n");
        Assert.Equal(ScenarioRules.InconsistentValues, e.Rule);
    }

    [Fact]
    public void Parse_BatteryWithPlatformAndPosition_IsConflicting()
    {
        var e = Single("batteries:\n  - { id: b1, nation: JPN, weapon: upper_tier, platform: ddg, lat_deg: 1, lon_deg: 2, inventory: 4 }\n");
        Assert.Equal(ScenarioRules.ConflictingKeys, e.Rule);
    }

    [Fact]
    public void Parse_DuplicateCommandNationAndBadRoe_AreBothReported()
    {
        var ex = Assert.Throws<ScenarioValidationException>(() => ScenarioLoader.Parse(Header + """
            command:
              - { nation: JPN, roe: weapons_tight }
              - { nation: JPN, roe: weapons_loose, auto_approve: [bazooka] }
            """, "bad.yaml"));
        Assert.Equal(
            [ScenarioRules.DuplicateId, ScenarioRules.InvalidValue, ScenarioRules.InvalidValue],
            ex.Errors.Select(e => e.Rule).ToArray());
    }

    [Fact]
    public void Parse_MissingAgreementsFile_IsFileNotFound()
    {
        var e = Single("agreements: no-such-agreements.yaml\n");
        Assert.Equal((ScenarioRules.FileNotFound, 8, 13), (e.Rule, e.Line, e.Column));
    }
}
