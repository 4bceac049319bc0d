using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Kizuna.Server.Auth;
using Kizuna.Server.Picture;

namespace Kizuna.Server.Feed;

/// <summary>
/// One browser's live feed over a WebSocket: a snapshot on connect, then one change frame per
/// source tick (text frames, compact JSON from <see cref="PictureJson"/>), every object passing
/// the viewer's <see cref="ReleaseGate"/>.
/// </summary>
/// <remarks>
/// Back-pressure: ticks queue in a bounded channel (8 frames). A client too slow to keep up does not
/// grow server memory; when the queue is full the pending changes are discarded and the next frame is
/// a fresh snapshot, so the client's picture is never silently wrong. A seek on the source
/// (<see cref="PictureDelta.Resync"/>) also triggers a snapshot.
/// </remarks>
internal sealed class LiveFeed
{
    private readonly IPictureSource _source;
    private readonly ReleaseCounters _counters;

    public LiveFeed(IPictureSource source, ReleaseCounters counters)
    {
        _source = source;
        _counters = counters;
    }

    public async Task RunAsync(WebSocket socket, Viewer viewer, CancellationToken cancellationToken)
    {
        var gate = new ReleaseGate(viewer.Nation, _counters);
        var queue = Channel.CreateBounded<PictureDelta>(new BoundedChannelOptions(8)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var resync = 0;
        using var subscription = _source.Subscribe(viewer.Nation, d =>
        {
            if (!queue.Writer.TryWrite(d))
            {
                Interlocked.Exchange(ref resync, 1);
            }
        });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receive = DrainIncomingAsync(socket, cts);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var writer = new Utf8JsonWriter(buffer);
        var sent = new HashSet<int>();
        try
        {
            await SendSnapshotAsync().ConfigureAwait(false);
            await foreach (var delta in queue.Reader.ReadAllAsync(cts.Token).ConfigureAwait(false))
            {
                if (delta.Resync || Interlocked.Exchange(ref resync, 0) == 1)
                {
                    while (queue.Reader.TryRead(out _))
                    {
                        // Discard: the snapshot supersedes them.
                    }

                    await SendSnapshotAsync().ConfigureAwait(false);
                    continue;
                }

                buffer.ResetWrittenCount();
                writer.Reset(buffer);
                PictureJson.WriteDelta(writer, delta, _source.Clock, gate, sent);
                await writer.FlushAsync(cts.Token).ConfigureAwait(false);
                await socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Text, true, cts.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Client went away or the server stops.
        }
        catch (WebSocketException)
        {
            // Connection lost.
        }
        finally
        {
            await cts.CancelAsync().ConfigureAwait(false);
            await receive.ConfigureAwait(false);
            if (socket.State == WebSocketState.Open)
            {
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).ConfigureAwait(false);
                }
                catch (WebSocketException)
                {
                    // Already gone.
                }
            }
        }

        async Task SendSnapshotAsync()
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            PictureJson.WriteSnapshot(writer, _source.GetSnapshot(viewer.Nation), _source.Clock, gate, sent);
            await writer.FlushAsync(cts.Token).ConfigureAwait(false);
            await socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Text, true, cts.Token).ConfigureAwait(false);
        }
    }

    private static async Task DrainIncomingAsync(WebSocket socket, CancellationTokenSource stop)
    {
        var scratch = new byte[1024];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var r = await socket.ReceiveAsync(scratch, stop.Token).ConfigureAwait(false);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                // The feed is one-way; anything the client sends is ignored.
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }
}
