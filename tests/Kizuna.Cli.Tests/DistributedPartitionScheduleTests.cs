using Kizuna.Cli.Distributed;
using Kizuna.Core;

namespace Kizuna.Cli.Tests;

/// <summary>The scheduled partner partition (<c>kizuna node --partner-partition NAT:AT:FOR</c>) that makes the partition test deterministic.</summary>
public sealed class DistributedPartitionScheduleTests
{
    [Fact]
    public void TryParse_NationStartLength_ReadsWindow()
    {
        Assert.True(PartnerPartition.TryParse("JPN:20:60", out var p));
        Assert.Equal(new PartnerPartition(Nation.Japan, 20, 60), p);
    }

    [Theory]
    [InlineData("JPN:20")]
    [InlineData("JPN:20:0")]
    [InlineData("JPN:-1:60")]
    [InlineData("XX:20:60")]
    [InlineData("JPN:a:60")]
    [InlineData("JPN:20:60:1")]
    public void TryParse_Malformed_Refused(string text) => Assert.False(PartnerPartition.TryParse(text, out _));

    [Theory]
    [InlineData(19.999, false)]
    [InlineData(20, true)]
    [InlineData(79.5, true)]
    [InlineData(80, false)]
    public void Covers_CycleTime_SameWindowAsTheCutOffNodeApplies(double simTime, bool covered) =>
        Assert.Equal(covered, new PartnerPartition(Nation.Japan, 20, 60).Covers(simTime));
}
