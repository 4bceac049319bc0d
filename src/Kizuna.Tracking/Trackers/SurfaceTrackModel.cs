using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Models;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.Trackers;

/// <summary>
/// How the tracker treats surface tracks (ships): a confirmed ECEF track whose horizontal speed is
/// consistent with at most <see cref="MaxHorizontalSpeed"/> and whose height is consistent with the sea
/// surface becomes a surface candidate, tracked under two hypotheses — on the surface (held there by height
/// and vertical-velocity pseudo-measurements) and airborne (unconstrained) — whose probabilities follow the
/// measurements; the surface estimate is reported until the air hypothesis wins, and again if the evidence
/// turns. Used by the speed-scheduled NCV estimator (which predicts a held candidate with the low process
/// noise <see cref="ProcessNoise"/>) and by the IMM estimator (<see cref="ImmTrackEstimator"/>, every
/// model-conditioned estimate of the surface hypothesis held). <see cref="Track.SurfaceHold"/> says what the
/// reported height means.
/// </summary>
/// <remarks>
/// <para><b>Why.</b> A ship seen only by a radar with coarse elevation accuracy (an airborne radar at
/// 240 km with σ_el = 1° has a vertical error σ ≈ 4 km) keeps a 3-D track kilometres above or below
/// the sea, although its height is known. Surface and air tracks are different environments in
/// surveillance systems; a surface track is held on the surface.</para>
/// <para><b>Surface test.</b> Confirmed, ‖v_h‖ ≤ v_max + k·σ_v with v_h = v − (v·u)u, u the geodetic up
/// unit vector at the track position, σ_v² = v̂_hᵀ P_vv v̂_h the variance of the horizontal speed along
/// its estimated direction and k = <see cref="SpeedSigmas"/>, and the height gate below. v_max = 20 m/s
/// (39 kt) lies above warship speeds and below the stall speed of fixed-wing aircraft; helicopters are
/// separated from ships by the height gate only. Both conditions are hypothesis tests of "this is a
/// surface object" against the track's own uncertainty (one-sided for the speed, two-sided for the
/// height; Bar-Shalom, Li &amp; Kirubarajan 2001 §1.5.3, tests with Gaussian statistics), not tests of the
/// point estimate: a ship seen by a radar with 0.3° azimuth noise at 240 km (1.3 km cross-range) has a
/// two-point velocity error of ≈ 100–180 m/s, so its estimated speed stays above 20 m/s for its first
/// ≈ 100 s; a test of the point estimate kept it off the surface (2–3 km high or low) for those samples,
/// 11 % of the ship's 900 s (issue 3: |height| p95 1,482 m). An airliner (230 m/s) fails the test as
/// soon as its velocity σ is below ≈ 100 m/s, which its confirmation already ensures.</para>
/// <para><b>Height gate.</b> The hold is applied only when the pseudo-measurement's own normalised
/// innovation squared passes a χ²(1) gate, h² / (σ_h² + σ_z²) ≤ γ = <see cref="HeightGate"/> (4: the 95 %
/// gate), with h the ellipsoidal height of the updated, not yet held estimate, σ_h² = uᵀ P_pp u its
/// vertical variance and σ_z = <see cref="HeightStd"/> — the normalised innovation squared test of the
/// constraint treated as a measurement (Bar-Shalom, Li &amp; Kirubarajan 2001 §5.4), so the surface
/// hypothesis is rejected when the track's own height estimate contradicts it, whatever the sensor's
/// accuracy. A ship whose height is poorly known (σ_h of kilometres) passes with probability 0.95 at each
/// update; once held, its NIS stays near 0. An air target at height H with a track σ_h is held at an update
/// with probability Φ(−(H − 2√(σ_h² + σ_z²))/σ_h): a 10 m/s helicopter at 300 m seen by a 3-D radar at
/// 20 km (σ_h ≈ 32 m) never (5 σ), at 35 km (σ_h ≈ 55 m) ≈ 0.3 % of updates (one transient hold in 59
/// updates of the seeded test run, γ = 9 gave 8 %). The former rule |h| ≤ 3σ_h + 200 m (a fixed margin)
/// held the 20 km helicopter again and again (mean height error 81–92 m). A target whose height is not
/// resolved from the surface (σ_h of kilometres) is held: nothing in its data separates it from a ship
/// (reported as <see cref="SurfaceHold.Assumed"/>, below). Passing the gate opens the two hypotheses; from then
/// on the gate is not used: the hypothesis test below decides.</para>
/// <para><b>Revocable hold: two hypotheses.</b> A hold applied once used to be sticky: the held estimate has
/// σ_h of tens of metres, so a 3-D plot of a helicopter 300 m up was gated out of it (a second track) or moved
/// it only part of the way before the next hold pulled it back. Now a candidate carries two estimates: the
/// surface hypothesis S (held) and the air hypothesis A (the same filter without the constraint, started from
/// the unconstrained estimate of the update that opened the candidacy), and the log-odds
/// L = ln P(A)/P(S), with P(S) = <see cref="SurfacePrior"/> (0.9) at the opening. Per prediction, a Markov
/// switch with probability p = <see cref="SwitchProbability"/>; per update, Bayes' rule with each hypothesis'
/// likelihood of the plot under its own predicted estimate:</para>
/// <code>
/// P̄(A) = p + (1 − 2p) P(A)                       (mode-probability prediction, Bar-Shalom, Li &amp; Kirubarajan 2001 §11.6.6)
/// L ← ln P̄(A)/P̄(S) + ln Λ_A − ln Λ_S,  Λ_H = N(ν_H; 0, S_H)   (or the PDA likelihood (1 − P_D P_G) + Σ (P_D/λ) N for a JPDA update)
/// release when L ≥ ln[P_d/(1 − P_d)], hold again when L ≤ −ln[P_d/(1 − P_d)],  P_d = <see cref="DecisionProbability"/> (0.99)
/// </code>
/// <para>This is the mode-probability recursion of the IMM with two modes but without mixing their estimates:
/// a mixed estimate would put a ship of P(A) = 0.1 at 10 % of the air estimate's height error (hundreds of
/// metres under a coarse sensor), neither hypothesis; the hypotheses are near-static (a ship does not become a
/// helicopter), so interaction adds nothing but that blur. The decision is Wald's sequential probability ratio
/// test (A. Wald, "Sequential tests of statistical hypotheses", Ann. Math. Statist. 16(2), 1945) between
/// thresholds ±ln[P_d/(1 − P_d)] (error probabilities ≈ 1 − P_d), with hysteresis; the Markov switch bounds
/// |L| to about ln(1/p) + one update's evidence, so evidence for the surface accumulated over hours cannot
/// delay a release by more than ≈ ln(1/p) + ln[P_d/(1 − P_d)] ≈ 14 nats (the role of the reflecting barrier of
/// Page's CUSUM, E. S. Page, "Continuous inspection schemes", Biometrika 41, 1954). Measured: a 10 m/s helicopter
/// at 300 m held under a coarse radar is released at the first plot of a 3-D radar 20 km away (≈ 18–25 nats per
/// plot; 20 of 20 seeds, NCV and IMM); a ship seen by both radars or by the coarse radar alone for 4 h was
/// never released (0 releases in 10 seeds × 4 h of each, 43,000 updates per filter; <c>SurfaceReleaseTests</c>).</para>
/// <para><b>The surface hypothesis is a surface object.</b> Its estimate is held after the prediction as well as
/// after the update, in height (z = 0, σ_z) and in vertical velocity (ḣ = uᵀv = 0, σ_ḣ = <see cref="VerticalSpeedStd"/>,
/// heave), so the likelihood Λ_S of the next plot is that of an object on the sea. Held after the update only, the
/// surface estimate followed a 3-D radar's plots (σ 35 m &lt; σ_z) and its vertical velocity carried it up: the IMM
/// (whose models' process noise is isotropic: the manoeuvre model spreads ±180 m vertically in 10 s) gave
/// 0–4 nats per plot of the 300 m helicopter and took 5 plots to release it.</para>
/// <para><b>Evidence.</b> An update counts only when it resolves height: its own vertical resolution σ_m, from the
/// information it adds to the air hypothesis' height (1/σ_m² = 1/σ²_after − 1/σ²_before), at most
/// <see cref="EvidenceResolution"/>·σ_z (500 m). A plot with σ_m of kilometres carries ≈ (300/σ_m)²/2 ≈ 0 nats about a
/// 300 m target, while its likelihood ratio is dominated by the two hypotheses' different horizontal estimates
/// (different IMM mode probabilities) and by the Occam factor of a sharp against a diffuse hypothesis
/// (D. V. Lindley, "A statistical paradox", Biometrika 44, 1957), which made a coarse radar "verify" the surface
/// and, in one IMM run of 4 h, release a ship by noise; with the rule, L stays at its prior under a coarse radar.</para>
/// <para><b>What is reported</b> (<see cref="Track.State"/>, also what gating uses): the decided hypothesis'
/// mean x_R, and the mean-square-error matrix of x_R under the two-hypothesis mixture,
/// (1 − μ_O) P_R + μ_O [P_O + (x_O − x_R)(x_O − x_R)ᵀ], μ_O the other hypothesis' probability (the second
/// moment about x_R, cf. the IMM combination, Bar-Shalom, Li &amp; Kirubarajan 2001 §11.6.6 step 4). A ship seen
/// only by a coarse radar keeps its held height (|h| p95 ≈ 1 m) but reports σ_h ≈ √0.1 × the air hypothesis'
/// spread (hundreds of metres, not σ_z), so it does not claim the surface, and a plot of the target 300 m up is
/// inside its gate. <see cref="Track.SurfaceHold"/>: <see cref="SurfaceHold.Assumed"/> while held and either
/// P(S) &lt; P_d or the air hypothesis' vertical σ exceeds 2σ_z (100 m: the height is not resolved, so the surface is
/// a prior, not a finding); <see cref="SurfaceHold.Surface"/> when held with P(S) ≥ P_d and the height resolved;
/// <see cref="SurfaceHold.Released"/> when the air hypothesis is reported; <see cref="SurfaceHold.None"/> for other
/// tracks. The candidacy ends (air estimate reported, one filter again) when the surface estimate's horizontal
/// speed exceeds v_max by more than <see cref="RejectSpeedSigmas"/> σ_v (a ship: probability ≈ 3·10⁻⁵ per update).
/// Air tracks never open a candidacy and are bit-identical with and without the surface treatment.</para>
/// <para><b>Cost.</b> A candidate runs two filters (two IMMs); its per-track data (two estimates, for the IMM a
/// second IMM block) is created on the track object's first candidacy and reused with the pooled object, so
/// steady state allocates nothing.</para>
/// <para><b>Confirming update.</b> The surface test needs a confirmed track (a tentative track's
/// velocity is the initiation prior, σ 300 m/s, which passes any speed test), but the tracker decides
/// confirmation after the update; it therefore tells the estimator (<see cref="ITrackConfirmationObserver"/>),
/// which applies the hold to the state the confirming update produced, so the first confirmed estimate a
/// user sees is already on the surface.</para>
/// <para><b>Pseudo-measurement.</b> z = 0 (the ellipsoid; the simulator puts ships at height 0,
/// σ_z covers geoid undulation of a few tens of metres), h(x) = ellipsoidal height of the position,
/// linearised with H = [uᵀ 0 …]: S = uᵀ P_pp u + σ_z², K = P Hᵀ / S, x ← x + K (0 − h),
/// P ← P − K S Kᵀ — the constraint as a noisy "perfect" measurement (D. Simon, "Kalman filtering with
/// state constraints: a survey of linear and nonlinear algorithms", IET Control Theory &amp; Applications
/// 4(8), 2010, §2.3 "The measurement-augmentation approach"; Bar-Shalom, Li &amp; Kirubarajan 2001 §5.2
/// for the scalar update; <see cref="Models.SurfacePseudoMeasurement"/>). Then ḣ = uᵀv = 0 the same way with
/// H = [0 uᵀ 0 …] and σ_ḣ² (linear for a fixed u; a straight ECEF line at 7 m/s leaves the ellipsoid's tangent by
/// 10⁻⁵ m/s in 10 s).</para>
/// <para><b>Process noise.</b> NCV with q = 0.5 m²/s³: a ship turning at 1°/s at 10 m/s accelerates
/// at 0.17 m/s², and q ≈ a²·T for a revisit T of 2–10 s (Bar-Shalom, Li &amp; Kirubarajan 2001 §6.2.2,
/// choice of the white-noise acceleration intensity); both hypotheses of a held NCV candidate use it (so
/// their likelihoods differ by the constraint only), both use the slow q once released. The IMM keeps its
/// own model set's process noises (the pseudo-measurements after its prediction hold the surface hypothesis).</para>
/// </remarks>
/// <param name="MaxHorizontalSpeed">v_max (m/s), &gt; 0.</param>
/// <param name="ProcessNoise">q of surface tracks (m²/s³), &gt; 0.</param>
/// <param name="HeightStd">σ_z of the surface pseudo-measurement (m), &gt; 0.</param>
/// <param name="HeightGate">γ of the height gate h² ≤ γ (σ_h² + σ_z²) (χ² with 1 degree of freedom; 4 = 95 %), &gt; 0.</param>
/// <param name="SurfacePrior">P(surface) when a track first passes the surface test, in (0, 1) (0.9; see remarks, "Revocable hold").</param>
/// <param name="SwitchProbability">p of the Markov switch between the hypotheses per prediction, in (0, ½) (10⁻⁴; bounds the evidence either way).</param>
/// <param name="DecisionProbability">
/// P_d of the decision rule, in (½, 1): the hold is released when P(air) ≥ P_d, applied again when P(surface) ≥ P_d
/// (hysteresis), and a held track counts as verified (<see cref="SurfaceHold.Surface"/>) when P(surface) ≥ P_d (0.99).
/// </param>
/// <param name="VerticalSpeedStd">σ_ḣ of the vertical-velocity pseudo-measurement ḣ = 0 of the surface hypothesis (m/s), &gt; 0 (1: heave).</param>
public sealed record SurfaceTrackModel(double MaxHorizontalSpeed = 20, double ProcessNoise = 0.5, double HeightStd = 50, double HeightGate = 4,
    double SurfacePrior = 0.9, double SwitchProbability = 1e-4, double DecisionProbability = 0.99, double VerticalSpeedStd = 1)
{
    /// <summary>
    /// k of the one-sided speed test ‖v_h‖ ≤ v_max + k·σ_v (2: a ship is rejected with probability
    /// ≈ 2.3 % when the speed error is Gaussian; see remarks).
    /// </summary>
    public const double SpeedSigmas = 2;

    /// <summary>
    /// k of the test that ends the surface hypothesis of a candidate: ‖v_h‖ &gt; v_max + k·σ_v (4: a ship's
    /// probability of failing it at an update is ≈ 3·10⁻⁵; see remarks).
    /// </summary>
    public const double RejectSpeedSigmas = 4;

    /// <summary>Throws when a parameter is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxHorizontalSpeed);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ProcessNoise);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(HeightStd);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(HeightGate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(VerticalSpeedStd);
        if (!(SurfacePrior > 0 && SurfacePrior < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(SurfacePrior), SurfacePrior, "The surface prior must lie in (0, 1).");
        }

        if (!(SwitchProbability > 0 && SwitchProbability < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(SwitchProbability), SwitchProbability, "The switch probability must lie in (0, 0.5).");
        }

        if (!(DecisionProbability > 0.5 && DecisionProbability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(DecisionProbability), DecisionProbability, "The decision probability must lie in (0.5, 1).");
        }
    }

    /// <summary>
    /// An update counts as evidence between the hypotheses only when its own vertical resolution σ_m is at most
    /// this many σ_z (10: 500 m; see remarks, "Evidence").
    /// </summary>
    public const double EvidenceResolution = 10;

    /// <summary>ln[P_d / (1 − P_d)]: the log-odds threshold of the decision rule.</summary>
    private double DecisionLogOdds => Math.Log(DecisionProbability / (1 - DecisionProbability));

    /// <summary>True when <paramref name="track"/> passes the surface test; returns its up vector and height.</summary>
    internal bool IsSurface(Track track, out Vec3 up, out double height)
    {
        up = default;
        height = 0;
        return track.IsConfirmed && IsSurface(track.State, out up, out height);
    }

    /// <summary>
    /// True when the estimate <paramref name="state"/> (of a confirmed track; position and velocity in
    /// components 0–5, ECEF) passes the speed and height tests of the remarks; returns the geodetic up
    /// vector and the ellipsoidal height at its position.
    /// </summary>
    internal bool IsSurface(in GaussianState state, out Vec3 up, out double height)
    {
        up = default;
        height = 0;
        var p = state.Position;
        var v = state.Velocity;

        // Cheap pre-test with the geocentric up (within 0.2° of the geodetic one): most tracks are fast.
        var r = p.Norm;
        if (!(r > 0))
        {
            return false;
        }

        // The speed bound of the surface test is v_max + k·σ_v (see remarks); σ_v ≤ √(trace P_vv).
        var velocityCovariance = state.VelocityCovariance;
        var trace = velocityCovariance.M00 + velocityCovariance.M11 + velocityCovariance.M22;
        var vr = Vec3.Dot(v, p) / r;
        var slack = (1.01 * MaxHorizontalSpeed) + (SpeedSigmas * Math.Sqrt(Math.Max(trace, 0)));
        if (v.NormSquared - (vr * vr) > slack * slack)
        {
            return false;
        }

        var g = Wgs84.EcefToGeodetic(p);
        var (sinLat, cosLat) = Math.SinCos(g.LatitudeRad);
        var (sinLon, cosLon) = Math.SinCos(g.LongitudeRad);
        up = new Vec3(cosLat * cosLon, cosLat * sinLon, sinLat);
        var vu = Vec3.Dot(v, up);
        var horizontal = v - (up * vu);
        var speed = horizontal.Norm;
        if (speed > MaxHorizontalSpeed)
        {
            // σ_v along the estimated horizontal direction: the speed is consistent with ≤ v_max unless
            // it exceeds v_max by more than SpeedSigmas of its own standard deviation.
            var direction = horizontal * (1 / speed);
            var sigmaV = Math.Sqrt(Math.Max(Vec3.Dot(direction, velocityCovariance * direction), 0));
            if (speed > MaxHorizontalSpeed + (SpeedSigmas * sigmaV))
            {
                return false;
            }
        }

        // Height gate: the normalised innovation squared of the pseudo-measurement, h²/(σ_h² + σ_z²) ≤ γ.
        height = g.HeightM;
        var innovationVariance = Math.Max(Vec3.Dot(up, state.PositionCovariance * up), 0) + (HeightStd * HeightStd);
        return height * height <= HeightGate * innovationVariance;
    }

    /// <summary>
    /// True when the horizontal speed of <paramref name="state"/> exceeds v_max by more than
    /// <see cref="RejectSpeedSigmas"/> of its own standard deviation: the surface hypothesis is refuted.
    /// </summary>
    internal bool IsTooFastForSurface(in GaussianState state, Vec3 up)
    {
        var v = state.Velocity;
        var horizontal = v - (up * Vec3.Dot(v, up));
        var speed = horizontal.Norm;
        if (!(speed > MaxHorizontalSpeed))
        {
            return false;
        }

        var direction = horizontal * (1 / speed);
        var sigmaV = Math.Sqrt(Math.Max(Vec3.Dot(direction, state.VelocityCovariance * direction), 0));
        return speed > MaxHorizontalSpeed + (RejectSpeedSigmas * sigmaV);
    }

    /// <summary>The geodetic up unit vector and the ellipsoidal height at ECEF position <paramref name="position"/>.</summary>
    internal static Vec3 UpAndHeight(Vec3 position, out double height)
    {
        var g = Wgs84.EcefToGeodetic(position);
        var (sinLat, cosLat) = Math.SinCos(g.LatitudeRad);
        var (sinLon, cosLon) = Math.SinCos(g.LongitudeRad);
        height = g.HeightM;
        return new Vec3(cosLat * cosLon, cosLat * sinLon, sinLat);
    }

    /// <summary>
    /// Opens the two hypotheses on a track that has just passed the surface test: both start from the
    /// unconstrained estimate <paramref name="updated"/> (the air hypothesis keeps it; the caller holds the
    /// surface one), P(surface) = <see cref="SurfacePrior"/>.
    /// </summary>
    internal void Open(SurfaceHypotheses hypotheses, in GaussianState updated)
    {
        hypotheses.Active = true;
        hypotheses.Held = true;
        hypotheses.LogOdds = Math.Log((1 - SurfacePrior) / SurfacePrior);
        updated.CopyLeadingTo(ref hypotheses.Surface);
        updated.CopyLeadingTo(ref hypotheses.Air);
    }

    /// <summary>
    /// The Markov switch of the hypothesis probabilities over one prediction:
    /// P̄(air) = p + (1 − 2p) P(air), in log-odds (see remarks).
    /// </summary>
    internal void PredictOdds(SurfaceHypotheses hypotheses)
    {
        var l = hypotheses.LogOdds;
        var air = 1 / (1 + Math.Exp(-l));
        var surface = 1 / (1 + Math.Exp(l));
        var p = SwitchProbability;
        hypotheses.LogOdds = Math.Log(p + ((1 - (2 * p)) * air)) - Math.Log(p + ((1 - (2 * p)) * surface));
    }

    /// <summary>
    /// Bayes' rule for the hypotheses after a sensor update: ln odds(air : surface) += ln Λ_air − ln Λ_surface,
    /// with ln Λ the log-likelihood of the update under each hypothesis' predicted estimate, when the update
    /// resolves height (<see cref="EvidenceResolution"/>; <paramref name="airVerticalVarianceBefore"/> is the air
    /// hypothesis' vertical variance before it); an invalid (non-finite) likelihood leaves the odds as they were.
    /// </summary>
    internal void AddEvidence(SurfaceHypotheses hypotheses, double logLikelihoodSurface, double logLikelihoodAir, double airVerticalVarianceBefore)
    {
        // The update's own vertical resolution, from the information it added to the air hypothesis' height:
        // 1/σ_m² = 1/σ²_after − 1/σ²_before. Coarser than EvidenceResolution·σ_z, it is no evidence about the height.
        var after = VerticalVariance(hypotheses.Air);
        var resolution = EvidenceResolution * HeightStd;
        var informative = (1 / after) - (1 / airVerticalVarianceBefore) >= 1 / (resolution * resolution);
        var evidence = logLikelihoodAir - logLikelihoodSurface;
        if (informative && double.IsFinite(evidence))
        {
            hypotheses.LogOdds += evidence;
        }
    }

    /// <summary>
    /// The decision after the evidence of an update: release the hold when P(air) ≥ P_d, apply it again
    /// when P(surface) ≥ P_d (hysteresis); returns false when the surface hypothesis is refuted by speed
    /// (the caller then ends the candidacy and reports the air estimate).
    /// </summary>
    internal bool Decide(SurfaceHypotheses hypotheses, Vec3 up)
    {
        if (IsTooFastForSurface(hypotheses.Surface, up))
        {
            return false;
        }

        var threshold = DecisionLogOdds;
        if (hypotheses.Held && hypotheses.LogOdds >= threshold)
        {
            hypotheses.Held = false;
        }
        else if (!hypotheses.Held && hypotheses.LogOdds <= -threshold)
        {
            hypotheses.Held = true;
        }

        return true;
    }

    /// <summary>Makes the reported estimate (<see cref="Report(SurfaceHypotheses, ref GaussianState)"/>) <paramref name="track"/>'s state.</summary>
    internal void Report(SurfaceHypotheses hypotheses, Track track)
    {
        var state = track.State;
        Report(hypotheses, ref state);
        track.StoreState(state);
    }

    /// <summary>
    /// Writes the reported estimate into <paramref name="output"/> (leading 6×6 block): the mean of the
    /// decided hypothesis x_R and the mean-square-error matrix of x_R under the two-hypothesis mixture,
    /// (1 − μ_O) P_R + μ_O [P_O + (x_O − x_R)(x_O − x_R)ᵀ], μ_O the other hypothesis' probability; sets the status.
    /// </summary>
    internal void Report(SurfaceHypotheses hypotheses, ref GaussianState output)
    {
        const int s = StateMatrix.Stride;
        var held = hypotheses.Held;
        ref readonly var reported = ref held ? ref hypotheses.Surface : ref hypotheses.Air;
        ref readonly var other = ref held ? ref hypotheses.Air : ref hypotheses.Surface;
        var l = hypotheses.LogOdds;
        var otherProbability = held ? 1 / (1 + Math.Exp(-l)) : 1 / (1 + Math.Exp(l));
        var keep = 1 - otherProbability;
        Span<double> d = stackalloc double[6];
        output.Dimension = 6;
        for (var a = 0; a < 6; a++)
        {
            output.Mean[a] = reported.Mean[a];
            d[a] = other.Mean[a] - reported.Mean[a];
        }

        for (var a = 0; a < 6; a++)
        {
            for (var b = 0; b <= a; b++)
            {
                var value = (keep * reported.Covariance[(a * s) + b]) + (otherProbability * (other.Covariance[(a * s) + b] + (d[a] * d[b])));
                output.Covariance[(a * s) + b] = value;
                output.Covariance[(b * s) + a] = value;
            }
        }

        hypotheses.Status = !held ? SurfaceHold.Released
            : l <= -DecisionLogOdds && IsResolved(hypotheses.Air) ? SurfaceHold.Surface
            : SurfaceHold.Assumed;
    }

    /// <summary>
    /// True when the unconstrained (air) estimate resolves its height from the surface: its vertical σ,
    /// √(uᵀ P_pp u), is at most 2σ_z (100 m), so a low aircraft at 300 m would lie ≥ 3σ from the surface.
    /// </summary>
    private bool IsResolved(in GaussianState air) => VerticalVariance(air) <= 4 * HeightStd * HeightStd;

    /// <summary>uᵀ P_pp u at the estimate's position (m²).</summary>
    internal static double VerticalVariance(in GaussianState state)
    {
        var up = UpAndHeight(state.Position, out _);
        return Math.Max(Vec3.Dot(up, state.PositionCovariance * up), 1e-9);
    }

    /// <summary>Applies the surface pseudo-measurement z = 0 to <paramref name="state"/>, linearised at its own position (see remarks).</summary>
    internal void Constrain(ref GaussianState state, Vec3 up, double height)
    {
        _ = SurfacePseudoMeasurement.Apply(ref state, up, state.Position, height, HeightStd * HeightStd);
        _ = SurfacePseudoMeasurement.ApplyVerticalVelocity(ref state, up, VerticalSpeedStd * VerticalSpeedStd);
    }
}

/// <summary>What a track's height means with respect to the sea surface (<see cref="SurfaceTrackModel"/>).</summary>
public enum SurfaceHold
{
    /// <summary>Not a surface candidate: an air track (or no surface treatment configured); the height is the filter's.</summary>
    None,

    /// <summary>
    /// Held at the surface as a hypothesis the height data do not establish: P(surface) &lt; P_d (e.g. a slow
    /// target seen only with coarse elevation). The reported height covariance includes the air hypothesis,
    /// so σ_h is the honest one (kilometres for a coarse sensor), not the pseudo-measurement's.
    /// </summary>
    Assumed,

    /// <summary>Held at the surface, and the height evidence supports it: P(surface) ≥ P_d.</summary>
    Surface,

    /// <summary>A surface candidate whose hold was released: P(air) reached P_d; the unconstrained (air) estimate is reported.</summary>
    Released,
}

/// <summary>
/// The per-track data of the revocable surface hold: the surface- and air-conditioned estimates (for the
/// IMM, their combined 6-D estimates, with the air hypothesis' model data in <see cref="AirImm"/>), the
/// log-odds of air against surface and the decision. Created on a track object's first hold and reused
/// with the object (pooled), so steady state allocates nothing.
/// </summary>
internal sealed class SurfaceHypotheses
{
    /// <summary>The surface-conditioned estimate (held by the pseudo-measurement after each update).</summary>
    public GaussianState Surface;

    /// <summary>The air-conditioned (unconstrained) estimate.</summary>
    public GaussianState Air;

    /// <summary>True while the track is a surface candidate (both hypotheses run).</summary>
    public bool Active;

    /// <summary>True when the surface hypothesis is the reported one.</summary>
    public bool Held;

    /// <summary>ln[P(air) / P(surface)].</summary>
    public double LogOdds;

    /// <summary>The status of the last report.</summary>
    public SurfaceHold Status;

    /// <summary>The air hypothesis' IMM data (IMM estimator only; the surface hypothesis' are the track's own <see cref="Track.Imm"/>).</summary>
    public MultipleModel.ImmState? AirImm;

    /// <summary>P(surface), or 0 when not a candidate.</summary>
    public double SurfaceProbability => Active ? 1 / (1 + Math.Exp(LogOdds)) : 0;
}
