using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Kizuna.Core;
using Kizuna.Network.Nats;
using Kizuna.Network.Sharing;

namespace Kizuna.Network.Tests.Nats;

/// <summary>
/// A real nats-server for one test: finds the binary (/usr/sbin/nats-server or PATH) or fails with
/// the Debian package to install, writes a generated config into a temp directory, listens on a
/// free loopback port, and is killed (and its directory removed) on dispose.
/// </summary>
public sealed class NatsServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NatsServerProcess(Process process, string directory, int port, NatsServerConfig config)
    {
        _process = process;
        Directory = directory;
        Port = port;
        Config = config;
    }

    public string Directory { get; }

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public NatsServerConfig Config { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string FindBinary()
    {
        if (File.Exists("/usr/sbin/nats-server"))
        {
            return "/usr/sbin/nats-server";
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, "nats-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "nats-server not found (looked in /usr/sbin and PATH). Install the Debian package: apt-get install nats-server");
    }

    public static async Task<NatsServerProcess> StartAsync(SharingAgreements agreements, CancellationToken ct)
    {
        var binary = FindBinary();
        var dir = Path.Combine(Path.GetTempPath(), "kizuna-nats-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        var port = FreePort();
        var configPath = Path.Combine(dir, "nats.conf");
        var config = NatsConfigGenerator.Write(configPath, agreements, new NatsConfigOptions(port, Path.Combine(dir, "js")));
        var psi = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(configPath);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start nats-server");
        var server = new NatsServerProcess(process, dir, port, config);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitReadyAsync(ct);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>Readiness, not timing: polls the port until the server accepts (gives up after 10 s with its output).</summary>
    private async Task WaitReadyAsync(CancellationToken ct)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nats-server exited with {_process.ExitCode}:\n{Output}");
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, Port, ct);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, ct);
            }
        }

        throw new InvalidOperationException($"nats-server did not listen on {Port}:\n{Output}");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
