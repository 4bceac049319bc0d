using System.Net;
using Kizuna.Cli.Commands;
using Kizuna.Network.Sharing;
using Kizuna.Recording;
using Kizuna.Server;
using Kizuna.Simulation.Scenario;
using Spectre.Console;

namespace Kizuna.Cli.Coalition;

/// <summary>
/// The web and recording half of <c>kizuna demo</c>: creates the recording stage
/// (<c>runs/&lt;scenario&gt;-&lt;utc stamp&gt;.db</c> unless <c>--no-record</c>), the live picture and its
/// server (unless <c>--no-web</c> / <c>--headless</c>), and after the run serves the recording as a
/// replay until Ctrl-C.
/// </summary>
internal sealed class LivePictureDemo : IAsyncDisposable
{
    private readonly DemoCommand.Settings _settings;
    private RunRecorder? _recorder;
    private KizunaServer? _server;
    private bool _recorderClosed;

    private LivePictureDemo(DemoCommand.Settings settings, IReleaseAuditLog audit)
    {
        _settings = settings;
        Audit = audit;
    }

    /// <summary>The audit log the coalition writes (the recording stage when recording).</summary>
    public IReleaseAuditLog Audit { get; private set; }

    /// <summary>Stages to pass to the coalition run.</summary>
    public List<ICoalitionStage> Stages { get; } = [];

    /// <summary>The live picture, when served.</summary>
    public LivePictureSource? Live { get; private set; }

    /// <summary>The recording file, when recording.</summary>
    public string? RecordingPath { get; private set; }

    /// <summary>Sets up recording and the live web picture; null (after a message on stderr) when the port or file cannot be used.</summary>
    public static async Task<LivePictureDemo?> StartAsync(DemoCommand.Settings settings, ScenarioDefinition scenario, SharingAgreements agreements,
        double speed, IReleaseAuditLog audit, IDefenceView defence, CancellationToken cancellationToken)
    {
        var demo = new LivePictureDemo(settings, audit);
        if (!settings.NoRecord)
        {
            var path = settings.Record ?? Path.Combine("runs", $"{Slug(scenario.Name)}-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}.db");
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                demo._recorder = RunRecorder.Create(path, RecordingStage.Metadata(scenario, settings.Scenario));
            }
            catch (IOException ex)
            {
                await Console.Error.WriteLineAsync($"kizuna: cannot record to {path}: {ex.Message}").ConfigureAwait(false);
                return null;
            }

            foreach (var a in RecordingStage.Assets(scenario))
            {
                demo._recorder.RecordAsset(a);
            }

            var recording = new RecordingStage(demo._recorder, scenario.Epoch, defence, audit);
            demo.Stages.Add(recording);
            demo.Audit = recording;
            demo.RecordingPath = path;
            AnsiConsole.MarkupLineInterpolated($"Recording to [bold]{path}[/] (replay: ./kizuna replay {path}; report: ./kizuna report {path} --out report/).");
        }

        if (settings.Web)
        {
            var end = scenario.Epoch.AddSeconds(Math.Min(settings.Duration ?? scenario.Duration, scenario.Duration));
            var live = new LivePictureSource(scenario.Epoch, end, LivePictureSites.FromScenario(scenario, agreements), defence, speed, TimeProvider.System);
            try
            {
                demo._server = await KizunaServer.StartAsync(new KizunaServerOptions(IPAddress.Loopback, settings.Port), live, live, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                await Console.Error.WriteLineAsync($"kizuna: cannot serve on 127.0.0.1:{settings.Port}: {ex.Message} (choose another with --port, or --no-web)").ConfigureAwait(false);
                await demo.DisposeAsync().ConfigureAwait(false);
                return null;
            }

            demo.Live = live;
            demo.Stages.Add(live);
            var pace = speed > 0 ? $"{speed:0.##}× real time ({(end - scenario.Epoch).TotalSeconds / speed / 60:0.#} min for the run)" : "as fast as possible";
            AnsiConsole.MarkupLineInterpolated($"Web picture at [link]{demo._server.BaseAddress}[/] — log in as a nation and role. The run plays at {pace}; pause or change speed in the timeline.");
        }

        return demo;
    }

    /// <summary>The run ended: stop the live clock and close the recording (everything committed, one file).</summary>
    public async Task RunFinishedAsync()
    {
        Live?.Finish();
        if (_recorder is not null)
        {
            await _recorder.DisposeAsync().ConfigureAwait(false);
            _recorderClosed = true;
            AnsiConsole.MarkupLineInterpolated($"Recorded {_recorder.RowsWritten:N0} rows in {_recorder.Transactions:N0} transactions to {RecordingPath}.");
        }
    }

    /// <summary>With the web picture: serves the finished run (its recording as a replay, or the final live picture) until Ctrl-C. Returns the exit code.</summary>
    public async Task<int> ServeReplayAsync(CancellationToken cancellationToken)
    {
        if (_server is null)
        {
            return 0;
        }

        if (RecordingPath is null)
        {
            AnsiConsole.MarkupLineInterpolated($"Run finished. Still serving its final picture at [link]{_server.BaseAddress}[/] until Ctrl-C (no recording: no replay).");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }

            return 0;
        }

        await _server.DisposeAsync().ConfigureAwait(false);
        _server = null;
        using var reader = RunReader.Open(RecordingPath);
        var replay = new ReplayPictureSource(reader, _settings.Speed is > 0 and var s ? s : 20, playing: false);
        replay.Control(Server.Picture.ClockCommand.Seek(replay.Range.End), out _);
        return await ReplayCommand.ServeAsync(replay, replay, _settings.Port, "Run finished. Serving it as a replay (paused at the end; seek or play from the start)", cancellationToken)
            .ConfigureAwait(false);
    }

    private static string Slug(string name) =>
        new([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        if (_recorder is not null && !_recorderClosed)
        {
            await _recorder.DisposeAsync().ConfigureAwait(false);
        }
    }
}
