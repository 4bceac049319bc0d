using System.Collections.Immutable;
using System.Globalization;
using Kizuna.Core;
using Kizuna.Network.Messages;
using Kizuna.Network.Wire;

namespace Kizuna.Network.Sharing;

/// <summary>What an agreement lets flow from one nation to another (flags; <see cref="None"/> = nothing).</summary>
[Flags]
public enum ShareCategories
{
    /// <summary>Nothing (the default: default deny).</summary>
    None = 0,

    /// <summary>Detections (<see cref="DetectionBatch"/>): measurement sharing, CEC-like.</summary>
    Measurements = 1,

    /// <summary>Tracks (<see cref="TrackReport"/>) and track-number notices: track sharing, Link 16-like.</summary>
    Tracks = 2,

    /// <summary>Identities: cooperative identity (ICAO address), affiliation, and the civil-aircraft kind derived from them.</summary>
    Identities = 4,

    /// <summary>Sensor positions (the site in each detection).</summary>
    SensorPositions = 8,

    /// <summary>Sensor identities (sensor ids in detections and tracks).</summary>
    SensorIdentities = 16,

    /// <summary>Engagement status (<see cref="EngagementMessage"/>).</summary>
    EngagementStatus = 32,

    /// <summary>Early-warning alerts (<see cref="AlertMessage"/>).</summary>
    Alerts = 64,
}

/// <summary>
/// What nation <see cref="From"/> releases to nation <see cref="To"/>, at what precision, and to whom
/// <see cref="To"/> may forward it. One agreement per ordered pair; a pair without one shares nothing.
/// </summary>
/// <remarks>
/// Rounding to a grid of step q adds a quantisation error uniform on [−q/2, q/2] per axis, of variance
/// q²/12 (B. Widrow, I. Kollár, "Quantization Noise", Cambridge University Press 2008, §4.3); the
/// release policy adds it to the released covariance so the receiver's filters stay consistent.
/// </remarks>
public sealed record SharingAgreement
{
    private SharingAgreement(
        Nation from,
        Nation to,
        ShareCategories share,
        double positionRoundingM,
        Classification maxClassification,
        ImmutableSortedSet<Nation> forwardTo,
        TrackNumberRelease trackNumbers)
    {
        From = from;
        To = to;
        Share = share;
        PositionRoundingM = positionRoundingM;
        MaxClassification = maxClassification;
        ForwardTo = forwardTo;
        TrackNumbers = trackNumbers;
        Degradations = Describe(share, positionRoundingM);
    }

    /// <summary>Releasing nation.</summary>
    public Nation From { get; }

    /// <summary>Receiving nation.</summary>
    public Nation To { get; }

    /// <summary>What may flow.</summary>
    public ShareCategories Share { get; }

    /// <summary>Position grid step (m) applied to released positions; 0 = full precision.</summary>
    public double PositionRoundingM { get; }

    /// <summary>Highest classification released.</summary>
    public Classification MaxClassification { get; }

    /// <summary>Third nations <see cref="To"/> may forward <see cref="From"/>'s data to (still subject to the marking and to To's own agreements).</summary>
    public ImmutableSortedSet<Nation> ForwardTo { get; }

    /// <summary>Whether <see cref="To"/> sees coalition track numbers or per-receiver aliases (<see cref="TrackNumberGateway"/>).</summary>
    public TrackNumberRelease TrackNumbers { get; }

    /// <summary>A one-line summary of the degradations this agreement applies (for the audit log).</summary>
    public string Degradations { get; }

    /// <summary>Creates an agreement.</summary>
    /// <exception cref="ArgumentException">Unset or equal nations, a negative or non-finite rounding, or a forward target equal to either party.</exception>
    public static SharingAgreement Create(
        Nation from,
        Nation to,
        ShareCategories share,
        double positionRoundingM = 0,
        Classification maxClassification = Classification.Secret,
        IEnumerable<Nation>? forwardTo = null,
        TrackNumberRelease trackNumbers = TrackNumberRelease.Coalition)
    {
        if (from.IsUnset || to.IsUnset)
        {
            throw new ArgumentException("An agreement needs both nations.");
        }

        if (from == to)
        {
            throw new ArgumentException($"An agreement is between two different nations, not {from} and itself.");
        }

        if (!double.IsFinite(positionRoundingM) || positionRoundingM < 0)
        {
            throw new ArgumentException($"position rounding must be a finite number of metres >= 0, not {positionRoundingM}.", nameof(positionRoundingM));
        }

        var forward = forwardTo is null ? ImmutableSortedSet<Nation>.Empty : ImmutableSortedSet.CreateRange(forwardTo);
        if (forward.Contains(from) || forward.Contains(to))
        {
            throw new ArgumentException("forward_to names third nations only, not the parties of the agreement.", nameof(forwardTo));
        }

        if (!Enum.IsDefined(trackNumbers))
        {
            throw new ArgumentOutOfRangeException(nameof(trackNumbers), trackNumbers, "not a track-number release mode");
        }

        return new SharingAgreement(from, to, share, positionRoundingM, maxClassification, forward, trackNumbers);
    }

    /// <summary>True when the agreement allows every flag in <paramref name="category"/>.</summary>
    public bool Allows(ShareCategories category) => (Share & category) == category;

    /// <summary>The category a message type needs.</summary>
    public static ShareCategories RequiredFor(MessageType type) => type switch
    {
        MessageType.DetectionBatch => ShareCategories.Measurements,
        MessageType.TrackReport or MessageType.TrackNumberNotice => ShareCategories.Tracks,
        MessageType.Alert => ShareCategories.Alerts,
        MessageType.Engagement => ShareCategories.EngagementStatus,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a message type"),
    };

    private static string Describe(ShareCategories share, double q)
    {
        var parts = new List<string>();
        if (q > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"positions rounded to {q:0.###} m"));
        }

        if ((share & ShareCategories.Identities) == 0)
        {
            parts.Add("identities withheld");
        }

        if ((share & ShareCategories.SensorIdentities) == 0)
        {
            parts.Add("sensor ids hidden");
        }

        if ((share & ShareCategories.SensorPositions) == 0)
        {
            parts.Add("sensor positions withheld");
        }

        return parts.Count == 0 ? "full precision" : string.Join("; ", parts);
    }
}

/// <summary>
/// The set of agreements in force (at most one per ordered (from, to) pair) and each nation's
/// <see cref="ClassificationGuide"/>. Immutable.
/// </summary>
public sealed class SharingAgreements
{
    private readonly Dictionary<(Nation From, Nation To), SharingAgreement> _byPair;
    private readonly ImmutableSortedDictionary<Nation, ClassificationGuide> _guides;

    private SharingAgreements(Dictionary<(Nation, Nation), SharingAgreement> byPair, ImmutableSortedSet<Nation> nations, ImmutableSortedDictionary<Nation, ClassificationGuide> guides, TrackNumberGatewaySettings? gatewaySettings, TrackNumberGateway? gateway)
    {
        _byPair = byPair;
        Nations = nations;
        _guides = guides;
        GatewaySettings = gatewaySettings;
        Gateway = gateway;
    }

    /// <summary>No agreements: nothing flows.</summary>
    public static SharingAgreements None { get; } = new([], [], ImmutableSortedDictionary<Nation, ClassificationGuide>.Empty, null, null);

    /// <summary>The gateway configuration given at creation (pass it on when rebuilding the set from <see cref="All"/>); null when none.</summary>
    public TrackNumberGatewaySettings? GatewaySettings { get; }

    /// <summary>The receiver-facing track-number gateway; null when no agreement releases aliases.</summary>
    public TrackNumberGateway? Gateway { get; }

    /// <summary>The nations that configured a classification guide, with their guides.</summary>
    public ImmutableSortedDictionary<Nation, ClassificationGuide> Guides => _guides;

    /// <summary>The classification guide of <paramref name="nation"/>; <see cref="ClassificationGuide.Default"/> (everything SECRET) when it configured none.</summary>
    public ClassificationGuide GuideOf(Nation nation) => _guides.TryGetValue(nation, out var g) ? g : ClassificationGuide.Default;

    /// <summary>Every nation named by an agreement (as a party or a forward target).</summary>
    public ImmutableSortedSet<Nation> Nations { get; }

    /// <summary>All agreements, ordered by (from, to).</summary>
    public IEnumerable<SharingAgreement> All => _byPair.Values.OrderBy(a => a.From).ThenBy(a => a.To);

    /// <summary>
    /// Builds the set; throws <see cref="ArgumentException"/> on a duplicate pair, an invalid guide, a receiver
    /// that some partners release aliases to and others coalition numbers (it would hold one object under
    /// two numbers), or aliases without a <paramref name="gateway"/>.
    /// </summary>
    /// <param name="agreements">One per ordered pair.</param>
    /// <param name="guides">Classification guides by nation; a nation without one gets <see cref="ClassificationGuide.Default"/>.</param>
    /// <param name="gateway">The alias gateway (block and key); required when an agreement has <see cref="TrackNumberRelease.Alias"/>.</param>
    public static SharingAgreements Create(IEnumerable<SharingAgreement> agreements, IReadOnlyDictionary<Nation, ClassificationGuide>? guides = null, TrackNumberGatewaySettings? gateway = null)
    {
        ArgumentNullException.ThrowIfNull(agreements);
        var guideMap = ImmutableSortedDictionary.CreateBuilder<Nation, ClassificationGuide>();
        foreach (var (nation, guide) in guides ?? ImmutableSortedDictionary<Nation, ClassificationGuide>.Empty)
        {
            ArgumentNullException.ThrowIfNull(guide);
            guide.Validate();
            guideMap[nation] = guide;
        }

        var map = new Dictionary<(Nation, Nation), SharingAgreement>();
        var nations = ImmutableSortedSet.CreateBuilder<Nation>();
        foreach (var a in agreements)
        {
            if (!map.TryAdd((a.From, a.To), a))
            {
                throw new ArgumentException($"two agreements for {a.From} -> {a.To}.", nameof(agreements));
            }

            nations.Add(a.From);
            nations.Add(a.To);
            nations.UnionWith(a.ForwardTo);
        }

        var aliased = map.Values.Where(a => a.TrackNumbers == TrackNumberRelease.Alias).Select(a => a.To).ToImmutableSortedSet();
        foreach (var a in map.Values)
        {
            if (aliased.Contains(a.To) && a.TrackNumbers != TrackNumberRelease.Alias && a.Allows(ShareCategories.Tracks))
            {
                throw new ArgumentException($"{a.From} -> {a.To} releases coalition track numbers but another partner releases aliases to {a.To}: every agreement towards one receiver must use the same track_numbers.", nameof(agreements));
            }
        }

        if (!aliased.IsEmpty && gateway is null)
        {
            throw new ArgumentException($"agreements release track-number aliases to {string.Join(", ", aliased)} but no track-number gateway (block and key) is configured.", nameof(gateway));
        }

        var gw = aliased.IsEmpty ? null : TrackNumberGateway.Create(gateway!, aliased);
        return new SharingAgreements(map, nations.ToImmutable(), guideMap.ToImmutable(), gateway, gw);
    }

    /// <summary>The agreement for (from, to), if any.</summary>
    public bool TryGet(Nation from, Nation to, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SharingAgreement? agreement) =>
        _byPair.TryGetValue((from, to), out agreement);
}
