using Kizuna.Core;
using Kizuna.Network.Messages;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Network.Picture;

/// <summary>
/// The kinematic part of a track as exchanged between nodes: position and velocity in ECEF with
/// their 3×3 covariance blocks (the position–velocity cross block is not carried on the wire).
/// </summary>
/// <remarks>
/// <para><b>Prediction</b> (nearly-constant velocity, Bar-Shalom, Li &amp; Kirubarajan, "Estimation with
/// Applications to Tracking and Navigation" (2001), §6.2.2, white-noise acceleration with spectral
/// density q):</para>
/// <code>
/// p' = p + v Δt        v' = v
/// P_pp' = P_pp + Δt² P_vv + q Δt³/3 · I        P_vv' = P_vv + q Δt · I
/// </code>
/// <para>The cross block P_pv' = Δt P_vv + q Δt²/2 · I that the full model produces is dropped, as on
/// the wire; both diagonal blocks are exact for a state whose cross block was zero.</para>
/// </remarks>
/// <param name="Time">UTC time of the state.</param>
/// <param name="Position">ECEF position (m).</param>
/// <param name="Velocity">ECEF velocity (m/s).</param>
/// <param name="PositionCovariance">Position covariance (m²).</param>
/// <param name="VelocityCovariance">Velocity covariance (m²/s²).</param>
public readonly record struct KinematicState(DateTime Time, Vec3 Position, Vec3 Velocity, Mat3 PositionCovariance, Mat3 VelocityCovariance)
{
    /// <summary>The state a track report carries.</summary>
    public static KinematicState FromReport(TrackReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.Time, report.PositionEcef, report.VelocityEcef, report.PositionCovariance, report.VelocityCovariance);
    }

    /// <summary>The state of a local track (ECEF tracker).</summary>
    public static KinematicState FromTrack(Track track)
    {
        ArgumentNullException.ThrowIfNull(track);
        var s = track.State;
        return new(track.Time, s.Position, s.Velocity, s.PositionCovariance, s.VelocityCovariance);
    }

    /// <summary>The state predicted to <paramref name="time"/> with process noise q = <paramref name="processNoise"/> m²/s³ (remarks); backwards prediction adds no noise.</summary>
    public KinematicState PredictTo(DateTime time, double processNoise)
    {
        var dt = (time - Time).TotalSeconds;
        if (dt == 0)
        {
            return this;
        }

        var adt = Math.Abs(dt);
        var qp = processNoise * adt * adt * adt / 3;
        var qv = processNoise * adt;
        var pp = PositionCovariance + (VelocityCovariance * (dt * dt)) + Mat3.Diagonal(qp, qp, qp);
        var pv = VelocityCovariance + Mat3.Diagonal(qv, qv, qv);
        return new(time, Position + (Velocity * dt), Velocity, pp.Symmetrize(), pv.Symmetrize());
    }

    /// <summary>Track quality 0–15 of the position covariance (<see cref="TrackQuality"/>).</summary>
    public TrackQuality Quality => TrackQuality.FromPositionCovariance(PositionCovariance, Position, ecef: true);
}
