using Kizuna.Core;

namespace Kizuna.Network.Picture;

/// <summary>The result of a covariance-intersection fusion.</summary>
/// <param name="State">The fused state (at the first input's time).</param>
/// <param name="Omega">The weight ω of the first input (1 − ω of the second).</param>
public readonly record struct FusionResult(KinematicState State, double Omega);

/// <summary>
/// Covariance intersection (CI): fuses two estimates of one state whose cross-correlation is
/// unknown — the case of tracks from two nodes that may share measurements or earlier reports.
/// </summary>
/// <remarks>
/// <para><b>Equations</b> (Julier &amp; Uhlmann, "A non-divergent estimation algorithm in the presence of
/// unknown correlations", Proc. American Control Conference 1997, eqs. (6)–(7)):</para>
/// <code>
/// P⁻¹ = ω P_a⁻¹ + (1 − ω) P_b⁻¹
/// x̂   = P (ω P_a⁻¹ x̂_a + (1 − ω) P_b⁻¹ x̂_b),      ω ∈ [0, 1]
/// </code>
/// <para>For every ω and every cross-covariance P_ab consistent with the inputs, the estimate is
/// consistent: P ⪰ E[(x − x̂)(x − x̂)ᵀ] (Julier &amp; Uhlmann 1997, Theorem 1).</para>
/// <para><b>Choice of ω.</b> ω minimises det P (Julier &amp; Uhlmann 1997, §4; Hurley, "An information
/// theoretic justification for covariance intersection and its generalization", FUSION 2002). The
/// determinant is unit-invariant — rescaling the velocity axes multiplies det P by a constant — so
/// metres and metres per second need no arbitrary weighting, unlike the trace. ln det P(ω) =
/// −ln det(ω P_a⁻¹ + (1 − ω) P_b⁻¹) is convex in ω (ln det is concave on positive-definite
/// matrices), so a golden-section search (Kiefer 1953) finds the global minimum; 48 iterations
/// shrink the bracket below 10⁻¹⁰. Because ω = 1 and ω = 0 are admissible, det P ≤ min(det P_a, det P_b).</para>
/// <para><b>Block structure.</b> The 6-D covariance is block-diagonal (no position–velocity cross
/// block on the wire), P⁻¹ stays block-diagonal for every ω, so the two 3×3 blocks are fused with one
/// common ω and det P = det P_pp · det P_vv. The second input is first predicted to the first
/// input's time (<see cref="KinematicState.PredictTo"/>). Allocation-free.</para>
/// </remarks>
public static class CovarianceIntersection
{
    private const int Iterations = 48;
    private static readonly double InvPhi = (Math.Sqrt(5) - 1) / 2;

    /// <summary>Fuses <paramref name="a"/> and <paramref name="b"/> with the determinant-minimising ω (remarks).</summary>
    public static FusionResult Fuse(in KinematicState a, in KinematicState b, double processNoise)
    {
        var bb = b.PredictTo(a.Time, processNoise);
        var ipa = a.PositionCovariance.Inverse();
        var iva = a.VelocityCovariance.Inverse();
        var ipb = bb.PositionCovariance.Inverse();
        var ivb = bb.VelocityCovariance.Inverse();

        // Minimise f(ω) = −ln det(ω Ia + (1−ω) Ib) over [0, 1] (convex).
        double lo = 0, hi = 1;
        var x1 = hi - (InvPhi * (hi - lo));
        var x2 = lo + (InvPhi * (hi - lo));
        var f1 = Objective(x1, ipa, iva, ipb, ivb);
        var f2 = Objective(x2, ipa, iva, ipb, ivb);
        for (var i = 0; i < Iterations; i++)
        {
            if (f1 <= f2)
            {
                hi = x2;
                x2 = x1;
                f2 = f1;
                x1 = hi - (InvPhi * (hi - lo));
                f1 = Objective(x1, ipa, iva, ipb, ivb);
            }
            else
            {
                lo = x1;
                x1 = x2;
                f1 = f2;
                x2 = lo + (InvPhi * (hi - lo));
                f2 = Objective(x2, ipa, iva, ipb, ivb);
            }
        }

        var omega = 0.5 * (lo + hi);

        // The ends are admissible too: take them when they are at least as good (e.g. P_a ⪯ P_b exactly).
        var best = Objective(omega, ipa, iva, ipb, ivb);
        var f0 = Objective(0, ipa, iva, ipb, ivb);
        var fOne = Objective(1, ipa, iva, ipb, ivb);
        if (fOne <= best)
        {
            omega = 1;
            best = fOne;
        }

        if (f0 < best)
        {
            omega = 0;
        }

        return new FusionResult(Combine(a, bb, omega, ipa, iva, ipb, ivb), omega);
    }

    /// <summary>Fuses with a given ω ∈ [0, 1] (the equations of the remarks).</summary>
    public static KinematicState FuseWithOmega(in KinematicState a, in KinematicState b, double omega, double processNoise)
    {
        if (!(omega >= 0 && omega <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(omega), omega, "ω must be in [0, 1].");
        }

        var bb = b.PredictTo(a.Time, processNoise);
        return Combine(a, bb, omega, a.PositionCovariance.Inverse(), a.VelocityCovariance.Inverse(), bb.PositionCovariance.Inverse(), bb.VelocityCovariance.Inverse());
    }

    private static double Objective(double w, in Mat3 ipa, in Mat3 iva, in Mat3 ipb, in Mat3 ivb)
    {
        var dp = ((ipa * w) + (ipb * (1 - w))).Determinant;
        var dv = ((iva * w) + (ivb * (1 - w))).Determinant;
        return dp > 0 && dv > 0 ? -(Math.Log(dp) + Math.Log(dv)) : double.PositiveInfinity;
    }

    private static KinematicState Combine(in KinematicState a, in KinematicState b, double w, in Mat3 ipa, in Mat3 iva, in Mat3 ipb, in Mat3 ivb)
    {
        var pp = ((ipa * w) + (ipb * (1 - w))).Inverse().Symmetrize();
        var pv = ((iva * w) + (ivb * (1 - w))).Inverse().Symmetrize();
        var x = pp * ((ipa * a.Position * w) + (ipb * b.Position * (1 - w)));
        var v = pv * ((iva * a.Velocity * w) + (ivb * b.Velocity * (1 - w)));
        return new KinematicState(a.Time, x, v, pp, pv);
    }
}
