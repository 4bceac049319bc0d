using Kizuna.Tracking.Trackers;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Kizuna.Cli.Commands;

/// <summary>Reads a tracker configuration YAML (docs/tracking.md) into <see cref="TrackerSettings"/>.</summary>
internal static class TrackerConfig
{
    /// <summary>Loads <paramref name="path"/>; on error prints <c>file:line:col: message</c> and returns null.</summary>
    public static TrackerSettings? TryLoad(string path, TrackerSettings defaults, TextWriter error)
    {
        if (!File.Exists(path))
        {
            error.WriteLine($"{path}: error: tracker configuration file not found");
            return null;
        }

        try
        {
            // Unknown keys and wrong types are YamlExceptions with the position of the node.
            var deserializer = new DeserializerBuilder()
                .WithNamingConvention(UnderscoredNamingConvention.Instance)
                .Build();
            using var reader = new StreamReader(path);
            var settings = deserializer.Deserialize<TrackerSettings?>(reader) ?? defaults;
            settings.ToOptions().Validate();
            settings.SurfaceModel()?.Validate();

            // The filter parameters (process noises, thresholds, IMM set) are checked by the
            // estimators' constructors: compose the tracker once so a bad value is refused here,
            // with the file named, and not later when a node or command builds it.
            _ = settings.Build();
            return settings;
        }
        catch (YamlException ex)
        {
            error.WriteLine($"{path}:{ex.Start.Line}:{ex.Start.Column}: error: {ex.InnerException?.Message ?? ex.Message}");
            return null;
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"{path}: error: {ex.Message}");
            return null;
        }
    }
}
