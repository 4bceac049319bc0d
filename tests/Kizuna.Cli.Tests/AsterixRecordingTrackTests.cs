using Kizuna.Cli.Commands;
using Kizuna.TestSupport;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Cli.Tests;

/// <summary>
/// <c>kizuna track --asterix</c> on the real Croatia Control recordings in ../shared/data/asterix/croatiacontrol
/// (read in place): CAT001 inside ORADIS frames is read by the default framing and tracked; the recordings are too
/// short for any track to be confirmed, and the command says so with the numbers that show why.
/// </summary>
public sealed class AsterixRecordingTrackTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kizuna-asterix-recording-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Out, string Err) Track(TrackCommand.Settings settings)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = TrackAsterix.Execute(settings, output, error, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void TrackAsterix_Cat001OradisCapture_SevenPlotsStartSevenTentativeTracks()
    {
        // Radar 25/201 sends no position (CAT002 has none): the site is ASSUMED, as a user would give it with --site.
        var settings = new TrackCommand.Settings
        {
            Asterix = Paths.SharedData("asterix", "croatiacontrol", "cat_001_002.pcap"),
            Sites = ["25/201=45.5,16.0,200"],
            Out = Path.Combine(_dir, "cat001.csv"),
        };

        var (code, output, err) = Track(settings);

        Assert.True(code == 0, $"exit {code}\n{output}\n{err}");
        // 5 CAT001 blocks with 7 track reports + 1 CAT002 north marker, in 6 ORADIS frames of one UDP packet.
        Assert.Contains("6 blocks (0 rejected); 8 records → 7 detections", output, StringComparison.Ordinal);
        Assert.Contains("1 service messages", output, StringComparison.Ordinal);
        Assert.Contains("Tracked 7 detections (0 late, 0 invalid)", output, StringComparison.Ordinal);
        Assert.Contains("7 tentative track(s) at the end (7 started)", output, StringComparison.Ordinal);
        Assert.Contains("0 tracks confirmed", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TrackAsterix_Cat001WithoutFraming_NothingDecoded()
    {
        // The control for the test above: read as plain blocks, the ORADIS headers make the block rejected.
        var settings = new TrackCommand.Settings
        {
            Asterix = Paths.SharedData("asterix", "croatiacontrol", "cat_001_002.pcap"),
            Sites = ["25/201=45.5,16.0,200"],
            Out = Path.Combine(_dir, "none.csv"),
            Framing = Kizuna.Asterix.IO.AsterixFraming.None,
        };

        var (code, output, _) = Track(settings);

        Assert.Equal(0, code);
        Assert.Contains("0 records → 0 detections", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TrackAsterix_CroatiaCat048ShortCapture_SaysWhyNoneConfirmed()
    {
        var settings = new TrackCommand.Settings
        {
            Asterix = Paths.SharedData("asterix", "croatiacontrol", "cat_034_048.pcap"),
            Out = Path.Combine(_dir, "cat048.csv"),
        };

        var (code, output, err) = Track(settings);

        Assert.True(code == 0, $"exit {code}\n{output}\n{err}");
        // Only radar 25/12 sends its position (I034/120): its 38 plots are tracked, each once.
        Assert.Contains("Tracked 38 detections (0 late, 0 invalid)", output, StringComparison.Ordinal);
        Assert.Contains("0 tracks confirmed, 0 track rows", output, StringComparison.Ordinal);
        Assert.Contains("No track confirmed: confirmation needs 3 updates within 30 s of a track's start", output, StringComparison.Ordinal);
        Assert.Contains("no tentative track got more than 1 update(s)", output, StringComparison.Ordinal);
        Assert.Contains("38 tentative track(s) at the end (38 started)", output, StringComparison.Ordinal);
        Assert.Single(File.ReadLines(settings.Out)); // the header only
    }

    [Fact]
    public void WhyNoneConfirmed_SomeConfirmed_Null()
    {
        var stats = new TrackerStatistics(10, 10, 0, 0, 5, 3, 1, 0, 0);
        var result = new TrackCommand.RunResult(stats, 5, 10, 0, 0, 0) { TentativeAtEnd = 2, MaxTentativeHits = 1, DetectionSpanSeconds = 20 };

        Assert.Null(TrackCommand.WhyNoneConfirmed(result, new TrackerOptions()));
    }

    [Fact]
    public void WhyNoneConfirmed_FrameManagement_NamesMOfN()
    {
        var stats = new TrackerStatistics(4, 4, 0, 0, 2, 4, 0, 0, 0);
        var result = new TrackCommand.RunResult(stats, 2, 0, 0, 0, 0) { TentativeAtEnd = 2, MaxTentativeHits = 2, DetectionSpanSeconds = 1 };

        var why = TrackCommand.WhyNoneConfirmed(result, new TrackerOptions { Management = TrackManagement.Frames, Confirmation = new(3, 4) });

        Assert.NotNull(why);
        Assert.Contains("confirmation needs 3 hits in 4 frames", why, StringComparison.Ordinal);
        Assert.Contains("no tentative track got more than 2 update(s)", why, StringComparison.Ordinal);
    }
}
