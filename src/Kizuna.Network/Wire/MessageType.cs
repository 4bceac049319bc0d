using Kizuna.Network.Messages;

namespace Kizuna.Network.Wire;

/// <summary>
/// The kinds of coalition message, as carried in the wire envelope (key 1) and as the last token
/// of a NATS subject (<see cref="MessageTypes.SubjectToken"/>). Values are part of the wire schema:
/// never renumber, only append.
/// </summary>
public enum MessageType : byte
{
    /// <summary>Not a message type (decoding placeholder).</summary>
    None = 0,

    /// <summary><see cref="DetectionBatch"/> (measurement sharing).</summary>
    DetectionBatch = 1,

    /// <summary><see cref="TrackReport"/> (track sharing).</summary>
    TrackReport = 2,

    /// <summary><see cref="TrackNumberNotice"/> (track-number management).</summary>
    TrackNumberNotice = 3,

    /// <summary><see cref="AlertMessage"/> (early warning).</summary>
    Alert = 4,

    /// <summary><see cref="EngagementMessage"/> (engagement status).</summary>
    Engagement = 5,
}

/// <summary>Maps domain messages to <see cref="MessageType"/> and subject tokens.</summary>
public static class MessageTypes
{
    /// <summary>Every defined message type, in wire order.</summary>
    public static IReadOnlyList<MessageType> All { get; } =
        [MessageType.DetectionBatch, MessageType.TrackReport, MessageType.TrackNumberNotice, MessageType.Alert, MessageType.Engagement];

    /// <summary>The wire type of a domain message; throws for a type this schema does not know.</summary>
    public static MessageType Of(ICoalitionMessage message) => message switch
    {
        DetectionBatch => MessageType.DetectionBatch,
        TrackReport => MessageType.TrackReport,
        TrackNumberNotice => MessageType.TrackNumberNotice,
        AlertMessage => MessageType.Alert,
        EngagementMessage => MessageType.Engagement,
        null => throw new ArgumentNullException(nameof(message)),
        _ => throw new ArgumentException($"{message.GetType().Name} has no wire schema.", nameof(message)),
    };

    /// <summary>The subject token used in <c>kizuna.&lt;from&gt;.&lt;to&gt;.&lt;token&gt;</c>.</summary>
    public static string SubjectToken(MessageType type) => type switch
    {
        MessageType.DetectionBatch => "measurements",
        MessageType.TrackReport => "tracks",
        MessageType.TrackNumberNotice => "tracknumbers",
        MessageType.Alert => "alerts",
        MessageType.Engagement => "engagements",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a message type"),
    };

    /// <summary>Parses a subject token back to its type.</summary>
    public static bool TryParseSubjectToken(ReadOnlySpan<char> token, out MessageType type)
    {
        type = token switch
        {
            "measurements" => MessageType.DetectionBatch,
            "tracks" => MessageType.TrackReport,
            "tracknumbers" => MessageType.TrackNumberNotice,
            "alerts" => MessageType.Alert,
            "engagements" => MessageType.Engagement,
            _ => MessageType.None,
        };
        return type != MessageType.None;
    }
}
