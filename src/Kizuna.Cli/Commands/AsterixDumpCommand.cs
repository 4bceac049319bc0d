using System.ComponentModel;
using Kizuna.Asterix;
using Kizuna.Asterix.Dump;
using Kizuna.Asterix.IO;
using Spectre.Console.Cli;

namespace Kizuna.Cli.Commands;

/// <summary>
/// <c>kizuna asterix dump &lt;file&gt;</c>: every record of a .ast / pcap / pcapng file (detected by
/// magic) as a JSON line on stdout; rejected blocks as JSON lines with "error" and the file offset on
/// stderr, then a summary on stderr. Exit 0 even with rejected blocks (they are counted), 2 when the
/// file cannot be read.
/// </summary>
internal sealed class AsterixDumpCommand : Command<AsterixDumpCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<file>")]
        [Description("A raw ASTERIX file (.ast), a pcap or a pcapng capture.")]
        public string File { get; init; } = "";

        [CommandOption("--framing <FRAMING>")]
        [Description("Blocks inside UDP payloads: none (default), oradis (6-byte frame header), auto.")]
        [DefaultValue(AsterixFraming.None)]
        public AsterixFraming Framing { get; init; } = AsterixFraming.None;

        [CommandOption("--cat062-edition <EDITION>")]
        [Description("CAT062 edition of the source: 1.19 (default; 1.17 and later) or 1.16.")]
        [DefaultValue("1.19")]
        public string Cat062Edition { get; init; } = "1.19";

        [CommandOption("--cat021-edition <EDITION>")]
        [Description("CAT021 edition of the source: 2.6 (default), 2.1 or 0.26.")]
        [DefaultValue("2.6")]
        public string Cat021Edition { get; init; } = "2.6";

        [CommandOption("--stop-on-bad-length")]
        [Description("Raw files: stop at the first bad block LEN instead of resynchronising.")]
        public bool StopOnBadLength { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Cat062Edition? cat062 = settings.Cat062Edition switch { "1.19" or "1.17" or "1.18" => Asterix.Cat062Edition.Ed1_19, "1.16" => Asterix.Cat062Edition.Ed1_16, _ => null };
        Cat021Edition? cat021 = settings.Cat021Edition switch { "2.6" => Asterix.Cat021Edition.Ed2_6, "2.1" => Asterix.Cat021Edition.Ed2_1, "0.26" => Asterix.Cat021Edition.Ed0_26, _ => null };
        if (cat062 is null || cat021 is null)
        {
            Console.Error.WriteLine($"kizuna: unsupported edition (CAT062 '{settings.Cat062Edition}', CAT021 '{settings.Cat021Edition}').");
            return KizunaApp.InvalidInput;
        }

        var options = new AsterixDumpOptions
        {
            Reader = AsterixReaderOptions.Default with
            {
                Framing = settings.Framing,
                Resync = settings.StopOnBadLength ? ResyncPolicy.Stop : ResyncPolicy.ScanForward,
            },
            Decoder = AsterixDecoderOptions.Default with { Cat062 = cat062.Value, Cat021 = cat021.Value },
        };

        IAsterixPayloadReader reader;
        try
        {
            reader = AsterixFileReader.Open(settings.File, options.Reader);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
        {
            Console.Error.WriteLine($"kizuna: {settings.File}: {ex.Message}");
            return KizunaApp.InvalidInput;
        }

        using (reader)
        {
            var summary = AsterixDump.Run(reader, Console.Out, Console.Error, options);
            Console.Out.Flush();
            summary.WriteTo(Console.Error);
        }

        return 0;
    }
}
