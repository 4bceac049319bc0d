using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Network.Picture;

namespace Kizuna.Network.Tests.Picture;

public sealed class TrackNumberAllocatorTests
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Allocate_FreshBlock_CountsUpFromFirstNumber()
    {
        var a = new TrackNumberAllocator(TrackNumberBlock.Create(Nation.Japan, 10_000, 10_009), TimeSpan.FromMinutes(1));
        Assert.Equal(new TrackNumber(10_000), a.Allocate(T0));
        Assert.Equal(new TrackNumber(10_001), a.Allocate(T0));
        Assert.Equal(2, a.LiveCount);
    }

    [Fact]
    public void Allocate_EveryNumberLive_ReturnsFalseAndNeverDuplicates()
    {
        var a = new TrackNumberAllocator(TrackNumberBlock.Create(Nation.Japan, 10_000, 10_004), TimeSpan.Zero);
        var seen = new HashSet<TrackNumber>();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(seen.Add(a.Allocate(T0)));
        }

        Assert.False(a.TryAllocate(T0, out _));
        Assert.Throws<InvalidOperationException>(() => a.Allocate(T0));
    }

    [Fact]
    public void Retire_NumberInQuarantine_IsNotReusedUntilQuarantineEnds()
    {
        var a = new TrackNumberAllocator(TrackNumberBlock.Create(Nation.Usa, 1_000, 1_001), TimeSpan.FromSeconds(60));
        var first = a.Allocate(T0);
        var second = a.Allocate(T0);
        a.Retire(first, T0);
        Assert.False(a.TryAllocate(T0.AddSeconds(59), out _)); // first quarantined, second live
        Assert.Equal(first, a.Allocate(T0.AddSeconds(60)));
        Assert.True(a.IsLive(second));
    }

    [Fact]
    public void Allocate_AfterRetire_PrefersNumbersNeverUsedBeforeWrapping()
    {
        var a = new TrackNumberAllocator(TrackNumberBlock.Create(Nation.Usa, 1_000, 1_002), TimeSpan.Zero);
        var first = a.Allocate(T0);
        a.Retire(first, T0);
        Assert.Equal(new TrackNumber(1_001), a.Allocate(T0));
        Assert.Equal(new TrackNumber(1_002), a.Allocate(T0));
        Assert.Equal(first, a.Allocate(T0)); // only after the cursor went round
    }

    [Fact]
    public void Retire_NumberOutsideBlock_IsIgnored()
    {
        var a = new TrackNumberAllocator(TrackNumberBlock.Create(Nation.Usa, 1_000, 1_000), TimeSpan.FromHours(1));
        a.Retire(new TrackNumber(10_000), T0);
        Assert.Equal(new TrackNumber(1_000), a.Allocate(T0));
    }

    [Fact]
    public void Plan_OverlappingBlocks_Throw()
    {
        Assert.Throws<ArgumentException>(() => TrackNumberPlan.Create(
            TrackNumberBlock.Create(Nation.Usa, 1_000, 2_000),
            TrackNumberBlock.Create(Nation.Japan, 2_000, 3_000)));
    }

    [Fact]
    public void Plan_Default_GivesEachNationItsOwnBlock()
    {
        var plan = TrackNumberPlan.Default;
        Assert.Equal(Nation.Usa, plan.OwnerOf(new TrackNumber(1_000)));
        Assert.Equal(Nation.Japan, plan.OwnerOf(new TrackNumber(17_999)));
        Assert.Equal(Nation.Australia, plan.OwnerOf(new TrackNumber(20_000)));
        Assert.True(plan.OwnerOf(new TrackNumber(500)).IsUnset);
    }
}
