namespace Kizuna.Cli;

/// <summary>The kizuna command line (commands are registered here).</summary>
internal static class KizunaApp
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("kizuna: commands are being assembled; see README.md.");
        return args.Length == 0 ? 0 : 1;
    }
}
