namespace Kizuna.Cli;

internal static class Program
{
    private static int Main(string[] args) => KizunaApp.Run(args);
}
