using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Network.Picture;

namespace Kizuna.Network.Tests.Picture;

public sealed class ReportingResponsibilityTests
{
    [Theory]
    [InlineData(10, "JPN", 9, "AUS", true)]
    [InlineData(9, "AUS", 10, "JPN", false)]
    [InlineData(10, "AUS", 10, "JPN", true)]
    [InlineData(10, "JPN", 10, "AUS", false)]
    public void Outranks_QualityThenLowerNationCode_DecidesDeterministically(int qa, string a, int qb, string b, bool expected) =>
        Assert.Equal(expected, ReportingResponsibility.Outranks(qa, Nation.Parse(a), qb, Nation.Parse(b)));

    [Theory]
    [InlineData(9, 7, true)]
    [InlineData(8, 7, false)]
    [InlineData(7, 7, false)]
    public void ClearlyBetter_MarginTwo_NeedsTwoSteps(int local, int holder, bool expected) =>
        Assert.Equal(expected, ReportingResponsibility.ClearlyBetter(local, holder, 2));

    [Fact]
    public void Keeper_BlockOwnerInvolved_KeepsTheNumber()
    {
        var usaNumber = new TrackNumber(1_500);
        Assert.Equal(Nation.Usa, ReportingResponsibility.Keeper(usaNumber, Nation.Japan, Nation.Usa, TrackNumberPlan.Default));
        Assert.Equal(Nation.Usa, ReportingResponsibility.Keeper(usaNumber, Nation.Usa, Nation.Australia, TrackNumberPlan.Default));
    }

    [Fact]
    public void Keeper_NeitherOwnsTheNumber_LowerCodeKeeps() =>
        Assert.Equal(Nation.Australia, ReportingResponsibility.Keeper(new TrackNumber(1_500), Nation.Japan, Nation.Australia, TrackNumberPlan.Default));

    [Fact]
    public void KeptOnCorrelation_TwoNumbers_KeepsTheLower() =>
        Assert.Equal(new TrackNumber(1_000), ReportingResponsibility.KeptOnCorrelation(new TrackNumber(10_000), new TrackNumber(1_000)));
}
