using Kizuna.Network.Sharing;
using static Kizuna.Network.Tests.TestData;

namespace Kizuna.Network.Tests.Sharing;

public sealed class AgreementFileTests
{
    [Fact]
    public void Load_TrilateralFile_HasThePairsTheBriefAsksFor()
    {
        var a = Trilateral();

        Assert.True(a.TryGet(Usa, Jpn, out var usaJpn) && usaJpn.Allows(ShareCategories.Measurements));
        Assert.True(a.TryGet(Jpn, Usa, out var jpnUsa) && jpnUsa.Allows(ShareCategories.Measurements));
        Assert.True(a.TryGet(Usa, Aus, out var usaAus) && usaAus.Allows(ShareCategories.Measurements));
        Assert.True(a.TryGet(Aus, Usa, out var ausUsa) && ausUsa.Allows(ShareCategories.Measurements));
        Assert.True(a.TryGet(Jpn, Aus, out var jpnAus) && !jpnAus.Allows(ShareCategories.Measurements) && jpnAus.Allows(ShareCategories.Tracks));
        Assert.Equal(100, jpnAus.PositionRoundingM);
        Assert.True(a.TryGet(Usa, Gbr, out var usaGbr) && usaGbr.Share == ShareCategories.Tracks);
        Assert.False(a.TryGet(Jpn, Gbr, out _));
        Assert.Equal([Aus], usaJpn.ForwardTo);
        Assert.Equal([Aus, Gbr, Jpn, Usa], a.Nations);
    }

    [Fact]
    public void Parse_Errors_AreReportedWithFileLineAndColumn()
    {
        const string yaml = """
            agreements:
              - from: USA
                to: JPN
                share: [measurements, telepathy]
              - from: USA
                too: AUS
                share: []
              - from: USA
                to: JPN
                share: [tracks]
                position_rounding_m: -5
            """;

        var ex = Assert.Throws<AgreementFileException>(() => AgreementFile.Parse(yaml, "bad.yaml"));
        var text = ex.Errors.Select(e => e.ToString()).ToArray();

        Assert.Contains("bad.yaml:4:27: error: agreements[0].share: 'telepathy' is not a category; known: measurements, tracks, identities, sensor_positions, sensor_identities, engagement_status, alerts", text);
        Assert.Contains(text, t => t.StartsWith("bad.yaml:6:5: error: unknown key 'too'", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith("bad.yaml:5:5: error: agreements[1] needs 'to'", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith("bad.yaml:11:26: error: agreements[2].position_rounding_m", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith("bad.yaml:8:5: error: agreements[2]: a second agreement USA -> JPN (the first is at line 2)", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_InvalidYaml_ReportsThePosition()
    {
        var ex = Assert.Throws<AgreementFileException>(() => AgreementFile.Parse("agreements: [ {from: USA\n", "x.yaml"));
        var e = Assert.Single(ex.Errors);
        Assert.Equal("x.yaml", e.File);
        Assert.StartsWith("invalid YAML", e.Message, StringComparison.Ordinal);
        Assert.True(e.Line >= 1);
    }
}
