using Kizuna.Cli.Distributed;
using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Network.Messages;

namespace Kizuna.Cli.Tests;

/// <summary>The re-join cycle's arithmetic and message shapes (<see cref="RejoinRules"/>, <see cref="NodeRunner.Control"/>).</summary>
public sealed class DistributedRejoinRulesTests
{
    private static readonly DateTime Epoch = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(5, 1, 5)]
    [InlineData(4.5, 1, 5)]
    [InlineData(10, 0.5, 20)]
    [InlineData(1, 1, 3)]
    [InlineData(0.1, 1, 3)]
    [InlineData(3, 1, 3)]
    public void SlotCycles_SecondsAndCycleLength_CeilingWithThreeCycleFloor(double seconds, double cycle, long expected) =>
        Assert.Equal(expected, RejoinRules.SlotCycles(seconds, cycle));

    /// <summary>
    /// Two holders in lock step hold a partner one cycle apart at most (a batch and the next mark); each announces
    /// its slot before its mark of the hold cycle, so the other has it one cycle later — before either reaches the
    /// later slot, whichever holds first — and both take the larger one.
    /// </summary>
    [Theory]
    [InlineData(26L, 26L)]
    [InlineData(26L, 27L)]
    [InlineData(27L, 26L)]
    public void Agree_HoldersOneCycleApart_SameSlotKnownBeforeEitherReachesIt(long heldAtP, long heldAtQ)
    {
        var w = RejoinRules.MinimumSlotCycles;
        var slotP = RejoinRules.Agree(heldAtP + w, heldAtQ + w);
        var slotQ = RejoinRules.Agree(heldAtQ + w, heldAtP + w);

        Assert.Equal(slotP, slotQ);
        // Q's announcement reaches P by P's cycle heldAtQ + 1, and P's reaches Q by heldAtP + 1: both before the slot.
        Assert.True(heldAtQ + 1 < slotP);
        Assert.True(heldAtP + 1 < slotQ);
    }

    [Fact]
    public void Control_ShapedAsMarkOfFirstCycle_IsNotTakenForACycleMark()
    {
        var marking = new Marking(Classification.Unclassified, Nation.Usa, [Nation.Japan, Nation.Australia]);
        var hold = NodeRunner.Control(Nation.Usa, Epoch, marking, LockStepControl.Hold(Nation.Japan, 31));
        var mark = NodeRunner.CycleMark(Nation.Usa, Epoch, marking);

        Assert.False(NodeRunner.IsCycleMark(hold, out _));
        Assert.True(NodeRunner.IsCycleMark(mark, out var t));
        Assert.Equal(Epoch, t);
        // What a node of the previous payload sees (the control dropped): a mark of the first cycle, already held.
        Assert.Equal(mark, hold with { Control = null });
        Assert.Equal(TrackNumber.None, hold.Kept);
    }
}
