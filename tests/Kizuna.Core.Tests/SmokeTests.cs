using Kizuna.Core;

namespace Kizuna.Core.Tests;

public class NationTests
{
    [Fact]
    public void Parse_LowerCase_NormalisesToUpper() => Assert.Equal(Nation.Japan, Nation.Parse("jpn"));

    [Theory]
    [InlineData("JP")]
    [InlineData("J1N")]
    [InlineData("")]
    public void Parse_Invalid_Throws(string code) => Assert.Throws<FormatException>(() => Nation.Parse(code));
}
