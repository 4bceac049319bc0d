using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Kizuna.Cli.Commands;
using Kizuna.Core;
using Kizuna.Network.Sharing;

namespace Kizuna.Cli.Distributed;

/// <summary>
/// Runs a coalition as separate processes: a nats-server with the generated configuration (unless a
/// URL is given) and one <c>kizuna node</c> process per nation; children are killed on failure or
/// cancellation (Ctrl-C). Used by <c>kizuna demo --transport nats</c> and the process tests.
/// </summary>
internal sealed class DistributedCoalition : IAsyncDisposable
{
    private readonly List<Process> _children = [];

    private DistributedCoalition(string directory, string url, IReadOnlyList<Nation> nations)
    {
        Directory = directory;
        Url = url;
        Nations = nations;
    }

    /// <summary>Run folder: <c>nats/</c> (config, credentials, store) and <c>out/</c> (node outputs).</summary>
    public string Directory { get; }

    /// <summary>The server URL.</summary>
    public string Url { get; }

    /// <summary>The nations, one node each.</summary>
    public IReadOnlyList<Nation> Nations { get; }

    /// <summary>Node output folder.</summary>
    public string OutputDirectory => Path.Combine(Directory, "out");

    /// <summary>Writes the configuration and starts nats-server (or uses <paramref name="url"/>; then the credentials must match that server).</summary>
    public static async Task<DistributedCoalition> StartAsync(string scenarioPath, string directory, string? url, CancellationToken ct)
    {
        var scenario = Simulation.Scenario.ScenarioLoader.Load(ScenarioFiles.Resolve(scenarioPath));
        var agreements = scenario.AgreementsPath is { } ap ? AgreementFile.Load(ap) : SharingAgreements.None;
        var port = FreePort();
        var natsDir = Path.Combine(directory, "nats");
        NatsConfigCommand.Write(natsDir, agreements, scenario.Nations.Union(agreements.Nations), port);
        var run = new DistributedCoalition(directory, url ?? $"nats://127.0.0.1:{port}", [.. scenario.Nations.Order()]);
        if (url is null)
        {
            var psi = new ProcessStartInfo(FindNatsServer()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(Path.Combine(natsDir, "nats.conf"));
            var server = run.Start(psi, Path.Combine(directory, "nats-server.log"));
            await WaitListeningAsync(server, port, ct).ConfigureAwait(false);
        }

        return run;
    }

    /// <summary>Starts <paramref name="nation"/>'s node process with extra arguments.</summary>
    public Process StartNode(string scenarioPath, Nation nation, IEnumerable<string> extra)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kizuna.dll"));
        foreach (var a in new[] { "node", ScenarioFiles.Resolve(scenarioPath), "--nation", nation.Code, "--nats", Url, "--creds", NatsConfigCommand.CredentialsFile(Path.Combine(Directory, "nats"), nation), "--out", OutputDirectory })
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var a in extra)
        {
            psi.ArgumentList.Add(a);
        }

        return Start(psi, Path.Combine(Directory, nation.Code + ".log"));
    }

    /// <summary>Waits for <paramref name="process"/> to exit; false (and kills it) after <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitAsync(Process process, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return process.ExitCode == 0;
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            return false;
        }
    }

    /// <summary>Kills a process (and its children) at once, as a crash would.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>
    /// Waits until <paramref name="nation"/>'s node has halted (<c>--halt-after</c>: it wrote <see cref="NodeRunner.HaltedPath"/>,
    /// polled every 100 ms); false when <paramref name="process"/> exits first or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task<bool> WaitForHaltAsync(Nation nation, Process process, TimeSpan timeout, CancellationToken ct)
    {
        var path = NodeRunner.HaltedPath(OutputDirectory, nation);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            while (!File.Exists(path))
            {
                if (process.HasExited)
                {
                    return false;
                }

                await Task.Delay(100, cts.Token).ConfigureAwait(false);
            }

            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits until <paramref name="nation"/>'s picture log holds <paramref name="cycle"/> lines (polled every
    /// 100 ms); false when <paramref name="process"/> exits first or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task<bool> WaitForCycleAsync(Nation nation, long cycle, Process process, TimeSpan timeout, CancellationToken ct)
    {
        var path = NodeRunner.PicturePath(OutputDirectory, nation);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            while (CountLines(path) < cycle)
            {
                if (process.HasExited)
                {
                    return false;
                }

                await Task.Delay(100, cts.Token).ConfigureAwait(false);
            }

            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static long CountLines(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Span<byte> buffer = stackalloc byte[8192];
        long lines = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            lines += buffer[..read].Count((byte)'\n');
        }

        return lines;
    }

    /// <summary>The picture logs of every node.</summary>
    public Dictionary<Nation, SortedDictionary<long, PictureLine>> ReadPictures() =>
        Nations.ToDictionary(n => n, n => PictureAnalysis.Read(NodeRunner.PicturePath(OutputDirectory, n)));

    /// <summary>The summary of <paramref name="nation"/>'s node (after it finished).</summary>
    public NodeRunSummary? ReadSummary(Nation nation)
    {
        var path = NodeRunner.SummaryPath(OutputDirectory, nation);
        return File.Exists(path) ? JsonSerializer.Deserialize<NodeRunSummary>(File.ReadAllText(path), SummaryJson.Options) : null;
    }

    private Process Start(ProcessStartInfo psi, string logPath)
    {
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {psi.FileName}");
        lock (_children)
        {
            _children.Add(process);
        }

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var gate = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is { } d) { lock (gate) { log.WriteLine(d); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } d) { lock (gate) { log.WriteLine(d); } } };
        process.Exited += (_, _) => { lock (gate) { log.Flush(); } };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string FindNatsServer()
    {
        foreach (var dir in new[] { "/usr/sbin", "/usr/bin", "/usr/local/bin" }.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)))
        {
            var candidate = Path.Combine(dir, "nats-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("nats-server not found (looked in /usr/sbin and PATH). Install it: apt-get install nats-server");
    }

    private static async Task WaitListeningAsync(Process server, int port, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"nats-server exited with {server.ExitCode}");
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, ct).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, ct).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"nats-server did not listen on {port}");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Kills every child still running (nodes first, the server last).</summary>
    public ValueTask DisposeAsync()
    {
        Process[] children;
        lock (_children)
        {
            children = [.. _children];
        }

        foreach (var p in children.Reverse())
        {
            Kill(p);
            p.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
