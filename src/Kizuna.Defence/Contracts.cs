using Kizuna.Core;
using Kizuna.Core.Picture;

namespace Kizuna.Defence;

/// <summary>
/// A threat's predicted path, as produced by threat evaluation (ballistic impact prediction or
/// cruise/aircraft extrapolation) and consumed by engagement planning (windows, WTA).
/// </summary>
public interface IThreatPath
{
    /// <summary>First time the prediction covers (UTC, normally the track time).</summary>
    DateTime Start { get; }

    /// <summary>Predicted end of flight (impact or arrival at the threatened asset), UTC.</summary>
    DateTime End { get; }

    /// <summary>Predicted ECEF position (m) at <paramref name="time"/> in [<see cref="Start"/>, <see cref="End"/>].</summary>
    Vec3 PositionEcefAt(DateTime time);
}

/// <summary>
/// One evaluated threat: the track, its predicted path, the defended asset it threatens and the
/// value at stake. Produced by threat evaluation; the input of weapon–target assignment.
/// </summary>
/// <param name="Track">Coalition track number of the threat.</param>
/// <param name="Kind">Classified kind.</param>
/// <param name="Path">Predicted path to impact / closest approach.</param>
/// <param name="AssetName">Threatened defended asset ("" when only territory).</param>
/// <param name="AssetOwner">Nation owning the asset (or the territory).</param>
/// <param name="Value">Value at stake (asset value × probability the threat hits it), ≥ 0.</param>
/// <param name="Priority">Rank score (higher first); formula in docs/defence.md.</param>
public sealed record Threat(
    TrackNumber Track,
    TrackKind Kind,
    IThreatPath Path,
    string AssetName,
    Nation AssetOwner,
    double Value,
    double Priority)
{
    /// <summary>
    /// 1-σ of the predicted end of flight <see cref="IThreatPath.End"/> (s): for a ballistic threat the
    /// unscented-transform spread of the time of impact (<see cref="Impact.ImpactPrediction.TimeOfImpactSigmaS"/>);
    /// 0 when the path carries no time uncertainty (air threats, tests).
    /// </summary>
    public double EndSigmaS { get; init; }
}
