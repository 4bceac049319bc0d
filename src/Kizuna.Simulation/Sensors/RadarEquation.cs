namespace Kizuna.Simulation.Sensors;

/// <summary>
/// The notional radar range equation scaled from a reference point, and the Swerling 1
/// single-pulse detection probability that follows from it.
/// </summary>
/// <remarks>
/// <para><b>Mean SNR.</b> The radar range equation gives SNR ∝ σ / R⁴ for a fixed radar (P_t, G,
/// λ, losses, noise figure and bandwidth constant) — M. I. Skolnik, "Introduction to Radar
/// Systems", 3rd ed. (2001), §1.2 eq. (1.10)–(1.11), and §2.1. Scaling from a reference target
/// of mean cross-section σ_ref that gives SNR_ref at range R_ref removes every hardware term:</para>
/// <code>SNR̄(R) = SNR_ref · (σ̄ / σ_ref) · (R_ref / R)⁴</code>
/// <para><b>Swerling 1, single pulse.</b> The cross-section is exponentially distributed (Rayleigh
/// amplitude), constant within a dwell and independent from scan to scan. With square-law
/// detection in complex Gaussian noise, the threshold T that gives a false-alarm probability
/// P_fa = exp(−T) is exceeded by signal plus noise, itself exponentially distributed with mean
/// 1 + SNR̄, with probability</para>
/// <code>P_d = exp(−T / (1 + SNR̄)) = P_fa^(1 / (1 + SNR̄))</code>
/// <para>M. A. Richards, "Fundamentals of Radar Signal Processing", 2nd ed. (2014), §6.3.3 (Swerling
/// models, N = 1: P_D = P_FA^{1/(1+χ̄)}); Skolnik (2001) §2.8, eq. (2.57a).</para>
/// <para>Example: SNR_ref = 13 dB (19.95), P_fa = 10⁻⁶ gives P_d = 0.517 at the reference range
/// and 0.90 at 0.62·R_ref (SNR 21.4 dB). All performance figures in Kizuna are notional.</para>
/// </remarks>
public static class RadarEquation
{
    /// <summary>Converts decibels to a power ratio: 10^(dB/10).</summary>
    public static double DecibelsToRatio(double decibels) => Math.Pow(10, decibels / 10);

    /// <summary>Mean SNR (power ratio, not dB) of a target of mean cross-section <paramref name="rcsM2"/> at <paramref name="rangeM"/>.</summary>
    /// <param name="rangeM">Slant range R (m), &gt; 0.</param>
    /// <param name="rcsM2">Mean radar cross-section σ̄ (m²).</param>
    /// <param name="referenceSnrDb">SNR_ref (dB) of the reference target at the reference range.</param>
    /// <param name="referenceRangeM">Reference range R_ref (m).</param>
    /// <param name="referenceRcsM2">Reference cross-section σ_ref (m²).</param>
    public static double MeanSnr(double rangeM, double rcsM2, double referenceSnrDb, double referenceRangeM, double referenceRcsM2)
    {
        var ratio = referenceRangeM / rangeM;
        var r2 = ratio * ratio;
        return DecibelsToRatio(referenceSnrDb) * (Math.Max(rcsM2, 0) / referenceRcsM2) * r2 * r2;
    }

    /// <summary>Swerling 1 single-pulse detection probability P_d = P_fa^(1/(1+SNR̄)).</summary>
    /// <param name="meanSnr">Mean SNR (power ratio), ≥ 0.</param>
    /// <param name="falseAlarmProbability">P_fa in (0, 1).</param>
    public static double SwerlingOneDetectionProbability(double meanSnr, double falseAlarmProbability) =>
        Math.Exp(Math.Log(falseAlarmProbability) / (1 + Math.Max(meanSnr, 0)));
}
