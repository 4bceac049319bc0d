using Kizuna.Core.Geodesy;

namespace Kizuna.Core.Picture;

/// <summary>Life cycle of an early-warning alert.</summary>
public enum AlertState : byte
{
    /// <summary>First issue.</summary>
    Issued = 0,

    /// <summary>Prediction sharpened or changed.</summary>
    Updated = 1,

    /// <summary>Threat ended (intercepted, impacted, or no longer threatening).</summary>
    Cleared = 2,
}

/// <summary>
/// An early warning to one nation about one threat track.
/// </summary>
/// <param name="Id">Alert identifier (stable over the alert's life).</param>
/// <param name="Time">UTC time of this issue.</param>
/// <param name="State">Issued, updated or cleared.</param>
/// <param name="Warned">The nation warned.</param>
/// <param name="Threat">The threat's coalition track number.</param>
/// <param name="Kind">Threat kind.</param>
/// <param name="AssetName">Threatened defended asset ("" for territory only).</param>
/// <param name="PredictedImpact">Predicted impact (or closest-approach) point.</param>
/// <param name="EllipseSemiMajorM">95 % impact ellipse semi-major axis (m).</param>
/// <param name="EllipseSemiMinorM">95 % impact ellipse semi-minor axis (m).</param>
/// <param name="EllipseOrientationRad">Semi-major axis bearing, clockwise from north (rad).</param>
/// <param name="TimeOfImpact">Predicted UTC time of impact or closest approach.</param>
/// <param name="Marking">Release marking.</param>
public sealed record Alert(
    string Id,
    DateTime Time,
    AlertState State,
    Nation Warned,
    TrackNumber Threat,
    TrackKind Kind,
    string AssetName,
    Geodetic PredictedImpact,
    double EllipseSemiMajorM,
    double EllipseSemiMinorM,
    double EllipseOrientationRad,
    DateTime TimeOfImpact,
    Marking Marking);
