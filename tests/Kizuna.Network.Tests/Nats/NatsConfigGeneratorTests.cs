using Kizuna.Network.Nats;
using Kizuna.Network.Sharing;
using static Kizuna.Network.Tests.TestData;

namespace Kizuna.Network.Tests.Nats;

public sealed class NatsConfigGeneratorTests
{
    [Fact]
    public void Generate_Trilateral_ExportsAndImportsOnlyWhatAgreementsAllow()
    {
        var config = NatsConfigGenerator.Generate(Trilateral(), new NatsConfigOptions(4222, "/tmp/js"), passwordSource: n => "pw-" + n.Code);
        var text = config.ConfigText;

        Assert.Contains("{ stream: \"kizuna.USA.JPN.measurements\", accounts: [\"JPN\"] }", text, StringComparison.Ordinal);
        Assert.Contains("{ stream: { account: \"USA\", subject: \"kizuna.USA.JPN.measurements\" } }", text, StringComparison.Ordinal);
        Assert.Contains("{ stream: \"kizuna.JPN.AUS.tracks\", accounts: [\"AUS\"] }", text, StringComparison.Ordinal);
        Assert.DoesNotContain("kizuna.JPN.AUS.measurements", text, StringComparison.Ordinal);
        Assert.DoesNotContain("kizuna.JPN.GBR.", text, StringComparison.Ordinal);
        Assert.Contains("publish: { allow: [\"kizuna.AUS.>\"", text, StringComparison.Ordinal);
        Assert.Equal(4, config.Credentials.Count);
        Assert.Equal("pw-GBR", config.For(Gbr).Password);
    }

    [Fact]
    public void Write_GeneratedPasswords_AreDistinctAndWrittenBesideOwnerOnly()
    {
        var dir = Directory.CreateTempSubdirectory("kizuna-natsconf-");
        try
        {
            var path = Path.Combine(dir.FullName, "coalition.conf");
            var config = NatsConfigGenerator.Write(path, Trilateral(), new NatsConfigOptions(4222, Path.Combine(dir.FullName, "js")));
            var credentials = NatsConfigGenerator.CredentialsPathFor(path);

            Assert.Equal(4, config.Credentials.Select(c => c.Password).Distinct().Count());
            Assert.All(config.Credentials, c => Assert.True(c.Password.Length >= 32));
            Assert.Contains(config.For(Jpn).Password, File.ReadAllText(credentials), StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(credentials));
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
