using Kizuna.Core;
using Kizuna.Network.Wire;

namespace Kizuna.Network.Sharing;

/// <summary>What a released copy contains, as far as its classification is concerned.</summary>
/// <param name="Type">Message type.</param>
/// <param name="SensorPositions">Detections still carry their sensor sites.</param>
/// <param name="SensorIdentities">Detections or tracks still carry real sensor ids (not pseudonyms, not removed).</param>
/// <param name="PositionRoundingM">Grid step the positions were rounded to (0 = full precision).</param>
public readonly record struct ReleasedContent(MessageType Type, bool SensorPositions, bool SensorIdentities, double PositionRoundingM)
{
    /// <summary>The content of a copy released under <paramref name="agreement"/> (its degradations applied).</summary>
    public static ReleasedContent Under(SharingAgreement agreement, MessageType type)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        return new ReleasedContent(type, agreement.Allows(ShareCategories.SensorPositions), agreement.Allows(ShareCategories.SensorIdentities), agreement.PositionRoundingM);
    }

    /// <summary>The content of an unreleased (original) message of <paramref name="type"/>: everything in, full precision.</summary>
    public static ReleasedContent Full(MessageType type) => new(type, true, true, 0);
}

/// <summary>
/// One nation's classification guide for the data its node puts on the coalition bus: the level of a
/// message follows from what it contains, not from who sends it. Immutable. Configured per nation in
/// the agreements file (<c>classification_guides</c>, docs/network.md "Classification by content").
/// </summary>
/// <remarks>
/// <para>The guide is applied twice. (1) The node marks what it publishes at the level of the full
/// content (<see cref="LevelOf"/> with <see cref="ReleasedContent.Full"/>): track reports at
/// <see cref="Tracks"/>, notices at <see cref="TrackNumbers"/>. (2) The releasing node's
/// <see cref="ReleasePolicy"/> degrades the copy for the receiver first (rounding, sensor ids and
/// sites removed) and then classifies <i>the copy</i> with the originator's guide; the copy's marking
/// carries that level and the agreement's <c>max_classification</c> is checked against it. This is the
/// sanitisation ("tear line") practice of releasable intelligence: the sensitive part of a product
/// (here sensor sites and sensor identities, which reveal capability and deployment, and precise
/// positions) is removed by the originator, and the remainder is marked at the level of what is left
/// (e.g. US DoD Manual 5200.01 Vol. 1 §§ on derivative classification and "classification by
/// compilation"; NATO C-M(2002)49 on originator control). The levels are Kizuna's notional defaults,
/// not any nation's real guide.</para>
/// <para>Only downgrades the guide can justify are made: a message marked above the guide's level for
/// its full content (something beyond the guide's categories made it more sensitive) keeps its marking;
/// a copy is never raised above its original marking. Level of the copy:
/// L = m > G(full) ? m : min(m, G(copy)), m the original marking's level, G the guide.</para>
/// <para>Alerts and engagement status keep the level their producer marked (the defence stage's
/// concern, not this guide's).</para>
/// </remarks>
public sealed record ClassificationGuide
{
    /// <summary>The guide of a nation that configured none: everything SECRET, no downgrade (the conservative default).</summary>
    public static ClassificationGuide Default { get; } = new();

    /// <summary>Detection batches carrying sensor sites (and ids).</summary>
    public Classification Measurements { get; init; } = Classification.Secret;

    /// <summary>Detection batches with sensor sites withheld (radar plots converted to ECEF positions).</summary>
    public Classification MeasurementsWithoutSites { get; init; } = Classification.Secret;

    /// <summary>Track reports carrying contributing sensor ids.</summary>
    public Classification Tracks { get; init; } = Classification.Secret;

    /// <summary>Track reports stripped of sensor ids.</summary>
    public Classification TracksWithoutSensors { get; init; } = Classification.Secret;

    /// <summary>Track reports stripped of sensor ids with positions rounded to at least <see cref="SanitiseRoundingM"/>.</summary>
    public Classification SanitisedTracks { get; init; } = Classification.Secret;

    /// <summary>The coarsest grid (m) that makes a stripped track "sanitised"; +∞ = never.</summary>
    public double SanitiseRoundingM { get; init; } = double.PositiveInfinity;

    /// <summary>Track-number notices (numbers, time and issuer only: no position, no sensor).</summary>
    public Classification TrackNumbers { get; init; } = Classification.Secret;

    /// <summary>The guide's level for <paramref name="content"/>; null for message types the guide does not cover (alerts, engagements).</summary>
    public Classification? LevelOf(ReleasedContent content) => content.Type switch
    {
        MessageType.DetectionBatch => content.SensorPositions ? Measurements : MeasurementsWithoutSites,
        MessageType.TrackReport when content.SensorIdentities => Tracks,
        MessageType.TrackReport => content.PositionRoundingM >= SanitiseRoundingM ? SanitisedTracks : TracksWithoutSensors,
        MessageType.TrackNumberNotice => TrackNumbers,
        _ => null,
    };

    /// <summary>The level of a copy with content <paramref name="copy"/> of a message marked <paramref name="original"/> (rule in the remarks).</summary>
    public Classification LevelOfCopy(Classification original, ReleasedContent copy)
    {
        if (LevelOf(ReleasedContent.Full(copy.Type)) is not { } full || LevelOf(copy) is not { } level || original > full)
        {
            return original;
        }

        return level < original ? level : original;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when the levels do not decrease with the content removed, or the rounding is not positive.</summary>
    public void Validate()
    {
        if (MeasurementsWithoutSites > Measurements || TracksWithoutSensors > Tracks || SanitisedTracks > TracksWithoutSensors)
        {
            throw new ArgumentException("A guide never raises the level when content is removed: measurements_without_sites <= measurements, tracks_without_sensors <= tracks, sanitised_tracks <= tracks_without_sensors.");
        }

        if (!(SanitiseRoundingM > 0))
        {
            throw new ArgumentException($"sanitise_rounding_m must be > 0 metres, not {SanitiseRoundingM}.");
        }
    }
}
