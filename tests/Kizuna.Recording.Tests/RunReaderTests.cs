using Kizuna.Core;
using Kizuna.Core.Picture;

namespace Kizuna.Recording.Tests;

public sealed class RunReaderTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly RunReader _reader;

    public RunReaderTests()
    {
        var path = _dir.File("run.db");
        SyntheticRun.Write(path);
        _reader = RunReader.Open(path);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void PictureAt_BetweenUpdates_LatestStateOfEachTrackOfThatNation()
    {
        var jpn = _reader.PictureAt(Nation.Japan, SyntheticRun.At(6.5));
        Assert.Equal([101, 102], jpn.Select(t => t.Number.Value));
        Assert.All(jpn, t => Assert.Equal(SyntheticRun.At(6), t.Time));

        var aus = _reader.PictureAt(Nation.Australia, SyntheticRun.At(6.5));
        Assert.Equal([101, 900], aus.Select(t => t.Number.Value));

        // Before TN 102's first update it is not in JPN's picture; exactly at an update time that update counts.
        Assert.Equal([101], _reader.PictureAt(Nation.Japan, SyntheticRun.At(4)).Select(t => t.Number.Value));
        Assert.Equal(SyntheticRun.At(5), _reader.PictureAt(Nation.Japan, SyntheticRun.At(5)).Single(t => t.Number.Value == 102).Time);
        Assert.Empty(_reader.PictureAt(Nation.UnitedKingdom, SyntheticRun.At(5)));
    }

    [Fact]
    public void PictureAt_AfterLastUpdatePlusTimeout_TrackDropped()
    {
        // Last updates at t = 10. Timeout 5 s: present at t = 14.9, gone at t = 15.
        var timeout = TimeSpan.FromSeconds(5);
        Assert.Equal(2, _reader.PictureAt(Nation.Japan, SyntheticRun.At(14.9), timeout).Count);
        Assert.Empty(_reader.PictureAt(Nation.Japan, SyntheticRun.At(15), timeout));
        Assert.Equal(2, _reader.PictureAt(Nation.Japan, SyntheticRun.At(15)).Count);
    }

    [Fact]
    public void AlertsAndEngagements_UpToTime_OnlyThoseAtOrBefore()
    {
        Assert.Equal(["A1"], _reader.AlertsUpTo(SyntheticRun.At(4)).Select(a => a.Id).Distinct());
        Assert.Equal(2, _reader.AlertsUpTo(SyntheticRun.At(4)).Count);
        Assert.Single(_reader.AlertsUpTo(SyntheticRun.At(10), Nation.Australia));
        Assert.Equal(EngagementStatus.Approved, Assert.Single(_reader.EngagementStatesAt(SyntheticRun.At(4.5))).Status);
        Assert.Equal(EngagementStatus.Missed, Assert.Single(_reader.EngagementStatesAt(SyntheticRun.At(10))).Status);
        Assert.Empty(_reader.EngagementsUpTo(SyntheticRun.At(2.9)));
    }

    [Fact]
    public void Replay_FromSeekPoint_EveryRowOnceInTimeOrder()
    {
        var items = _reader.Replay(SyntheticRun.At(9)).ToList();
        Assert.True(items.Zip(items.Skip(1)).All(p => p.First.Time <= p.Second.Time));
        Assert.All(items, i => Assert.True(i.Time >= SyntheticRun.At(9)));

        // t = 9 and 10: truth 2×2, JPN tracks 2×2, AUS tracks 2×2, engagement Missed at 9, impact event at 10.
        Assert.Equal(4, items.Count(i => i.Kind == ReplayItemKind.Truth));
        Assert.Equal(4, items.Count(i => i.Kind == ReplayItemKind.Track && i.Viewer == Nation.Japan));
        Assert.Equal(4, items.Count(i => i.Kind == ReplayItemKind.Track && i.Viewer == Nation.Australia));
        Assert.Equal(EngagementStatus.Missed, Assert.Single(items, i => i.Kind == ReplayItemKind.Engagement).Engagement!.Status);
        Assert.Equal(RunEventKinds.Impact, Assert.Single(items, i => i.Kind == ReplayItemKind.Event).Event!.Kind);
        Assert.Equal(12 + 2, items.Count);

        // Within one time: truth before tracks before events (the documented tie order).
        var at10 = items.Where(i => i.Time == SyntheticRun.At(10)).Select(i => i.Kind).ToList();
        Assert.Equal(at10.Order().ToList(), at10);

        var whole = _reader.Replay(SyntheticRun.Start).Count();
        var bounded = _reader.Replay(SyntheticRun.Start, SyntheticRun.At(8.5)).Count();
        Assert.Equal(whole, bounded + items.Count);
    }
}
