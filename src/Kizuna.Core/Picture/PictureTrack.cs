using System.Collections.Immutable;
using Kizuna.Core.Geodesy;

namespace Kizuna.Core.Picture;

/// <summary>
/// One track of a nation's coalition air picture as it leaves the network layer: the shared
/// vocabulary of Network (producer), Defence (consumer), Recording and Server (per-nation views).
/// </summary>
/// <param name="Number">Coalition track number (the same at every node).</param>
/// <param name="Time">UTC time of the state.</param>
/// <param name="Position">Geodetic position.</param>
/// <param name="VelocityEnu">Velocity in the local east/north/up frame at <paramref name="Position"/> (m/s).</param>
/// <param name="PositionSigmaM">1-σ horizontal position uncertainty (m), e.g. √(λmax) of the position covariance.</param>
/// <param name="Quality">Track quality 0–15 (docs/network.md).</param>
/// <param name="Kind">Classified kind.</param>
/// <param name="Affiliation">Standard identity.</param>
/// <param name="ReportingNation">The nation holding reporting responsibility.</param>
/// <param name="Marking">Classification and release marking.</param>
/// <param name="Sensors">Contributing sensors as released to the viewer (empty when hidden).</param>
/// <param name="Identity">ICAO 24-bit address from ADS-B / Mode S, 0 when none.</param>
public sealed record PictureTrack(
    TrackNumber Number,
    DateTime Time,
    Geodetic Position,
    Vec3 VelocityEnu,
    double PositionSigmaM,
    int Quality,
    TrackKind Kind,
    Affiliation Affiliation,
    Nation ReportingNation,
    Marking Marking,
    ImmutableArray<string> Sensors,
    uint Identity = 0);
