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

    [Fact]
    public void Load_TrilateralFile_ClassificationGuidesByContent()
    {
        var a = Trilateral();

        foreach (var n in new[] { Usa, Jpn, Aus })
        {
            var g = a.GuideOf(n);
            Assert.Equal(Core.Classification.Secret, g.Measurements);
            Assert.Equal(Core.Classification.Confidential, g.Tracks);
            Assert.Equal(Core.Classification.Confidential, g.TracksWithoutSensors);
            Assert.Equal(Core.Classification.Restricted, g.SanitisedTracks);
            Assert.Equal(500, g.SanitiseRoundingM);
            Assert.Equal(Core.Classification.Restricted, g.TrackNumbers);
        }
    }

    [Fact]
    public void Parse_GuideLevelsOmitted_InheritFromTheFullerContent()
    {
        const string yaml = """
            agreements: []
            classification_guides:
              - nation: USA
                tracks: confidential
            """;

        var g = AgreementFile.Parse(yaml, "g.yaml").GuideOf(Usa);

        Assert.Equal(Core.Classification.Confidential, g.TracksWithoutSensors);
        Assert.Equal(Core.Classification.Confidential, g.SanitisedTracks);
        Assert.Equal(Core.Classification.Confidential, g.TrackNumbers);
        Assert.Equal(Core.Classification.Secret, g.Measurements);
        Assert.Equal(double.PositiveInfinity, g.SanitiseRoundingM);
    }

    [Fact]
    public void Parse_GuideErrors_AreReportedWithFileLineAndColumn()
    {
        const string yaml = """
            agreements: []
            classification_guides:
              - nation: USA
                tracks: cosmic
                sanitise_rounding_m: 0
              - nation: JPN
                tracks: restricted
                sanitised_tracks: secret
              - nation: JPN
                colour: red
            """;

        var ex = Assert.Throws<AgreementFileException>(() => AgreementFile.Parse(yaml, "g.yaml"));
        var text = ex.Errors.Select(e => e.ToString()).ToArray();

        Assert.Contains(text, t => t.StartsWith("g.yaml:4:13: error: classification_guides[0].tracks must be one of", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith("g.yaml:5:26: error: classification_guides[0].sanitise_rounding_m must be a number of metres > 0", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith("g.yaml:6:5: error: classification_guides[1]: A guide never raises the level", StringComparison.Ordinal));
        Assert.Contains(text, t => t.StartsWith("g.yaml:10:5: error: unknown key 'colour' in classification_guides[2]", StringComparison.Ordinal));
    }
}
