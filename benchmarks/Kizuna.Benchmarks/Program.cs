using BenchmarkDotNet.Running;
using Kizuna.Benchmarks.Network;

namespace Kizuna.Benchmarks;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "network")
        {
            return CoalitionNetworkRun.RunAsync(args[1..]).GetAwaiter().GetResult();
        }

        if (args.Length > 0 && args[0] == "recording-cpu")
        {
            return Recording.RecorderCpuPerRow.Run();
        }

        if (args.Length > 0 && args[0] == "scaling")
        {
            return Tracking.ScalingRun.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new KizunaConfig());
        return 0;
    }
}
