using Kizuna.Core;
using Kizuna.Core.Picture;

namespace Kizuna.Network.Picture;

/// <summary>
/// The reporting-responsibility (R2) rules as pure functions: which of two claims on one track
/// number wins, when a unit may take a track over, and which side keeps a number on a split.
/// </summary>
/// <remarks>
/// Kizuna's own rules (docs/network.md, "Reporting responsibility"), written after the public
/// description of R2 (one reporter per track number, the one with the best track quality; c2-anchors
/// §2.4–2.5, rules R2-1 … R2-5, C-2, C-5). Thresholds are project defaults, not values of any
/// military standard.
/// </remarks>
public static class ReportingResponsibility
{
    /// <summary>
    /// True when claim (<paramref name="qualityA"/>, <paramref name="a"/>) outranks
    /// (<paramref name="qualityB"/>, <paramref name="b"/>): higher quality wins; on equal quality the
    /// lower nation code (ordinal) wins (R2-5, deterministic tie break, no ping-pong).
    /// </summary>
    public static bool Outranks(int qualityA, Nation a, int qualityB, Nation b) =>
        qualityA != qualityB ? qualityA > qualityB : a.CompareTo(b) < 0;

    /// <summary>True when a local quality beats the holder's by the takeover margin (R2-3, one test).</summary>
    public static bool ClearlyBetter(int localQuality, int holderQuality, int margin) => localQuality >= holderQuality + margin;

    /// <summary>
    /// On a split (decorrelation) or a number conflict between units <paramref name="a"/> and
    /// <paramref name="b"/>: the unit that keeps <paramref name="number"/>. The owner of the number's
    /// block keeps it (C-5); when neither owns it, the lower nation code keeps it. The other unit
    /// renumbers its track from its own block.
    /// </summary>
    public static Nation Keeper(TrackNumber number, Nation a, Nation b, TrackNumberPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var owner = plan.OwnerOf(number);
        if (owner == a || owner == b)
        {
            return owner;
        }

        return a.CompareTo(b) <= 0 ? a : b;
    }

    /// <summary>The number kept when two numbers are found to be one object: the lower (C-2, Kizuna rule).</summary>
    public static TrackNumber KeptOnCorrelation(TrackNumber x, TrackNumber y) => x.Value <= y.Value ? x : y;
}
