using Kizuna.Core;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Initiators;

/// <summary>
/// The initiator role (Stone Soup <c>initiator/</c>): turns a detection no track claimed into the
/// initial state of a tentative track.
/// </summary>
public interface ITrackInitiator
{
    /// <summary>
    /// The initial 6-D position/velocity state from <paramref name="detection"/>, in the track frame
    /// (flat for <see cref="MeasurementKind.Cartesian"/>, ECEF otherwise); false when the detection
    /// cannot start a track (e.g. angles-only).
    /// </summary>
    bool TryInitiate(in Detection detection, out GaussianState initial);
}

/// <summary>
/// The confirmation rule of tentative tracks: confirmed once <see cref="Hits"/> of the last
/// <see cref="Window"/> frames (the first frame included) had an update; a tentative track that
/// has not been confirmed within its first <see cref="Window"/> frames is deleted.
/// </summary>
/// <remarks>
/// The M-of-N sliding-window logic of S. S. Blackman &amp; R. Popoli, "Design and Analysis of Modern
/// Tracking Systems" (1999), §6.2 (also Bar-Shalom, Willett &amp; Tian 2011, §3.2). Its false-track
/// probability per clutter plot is ≈ C(N−1, M−1) p^(M−1) with p the chance that clutter falls in
/// the tentative gate; 3 of 4 makes that negligible in the tutorial scenarios at the cost of one
/// extra frame of confirmation delay compared with 2 of 3.
/// </remarks>
/// <param name="Hits">M (≥ 1).</param>
/// <param name="Window">N (M ≤ N ≤ 64).</param>
public readonly record struct MOfNConfirmation(int Hits, int Window)
{
    /// <summary>2 of 3.</summary>
    public static MOfNConfirmation TwoOfThree => new(2, 3);

    /// <summary>3 of 4.</summary>
    public static MOfNConfirmation ThreeOfFour => new(3, 4);

    /// <summary>Throws when out of range.</summary>
    public void Validate()
    {
        if (Hits < 1 || Window < Hits || Window > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(Hits), $"M of N needs 1 ≤ M ≤ N ≤ 64, got {Hits} of {Window}.");
        }
    }

    /// <summary>True when the last N bits of <paramref name="history"/> hold at least M hits.</summary>
    public bool IsMet(ulong history)
    {
        var mask = Window == 64 ? ulong.MaxValue : (1UL << Window) - 1;
        return ulong.PopCount(history & mask) >= (ulong)Hits;
    }
}
