using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.LinearAlgebra;

namespace Kizuna.Tracking.Models.Transition;

/// <summary>
/// 3-D coordinated turn with the turn rate ω as a state: [x y z vx vy vz ω]. The velocity
/// rotates about the local vertical u at rate ω (positive = anticlockwise seen from above, i.e.
/// a left turn); the velocity component along u is kept (nearly constant vertical speed).
/// </summary>
/// <remarks>
/// <para>The horizontal coordinated-turn model with ω appended to the state (Bar-Shalom, Li &amp;
/// Kirubarajan (2001), §11.7.1–11.7.2, eq. 11.7.1-4), written coordinate-free so that it holds in
/// ECEF: with v∥ = (u·v) u, v⊥ = v − v∥, s = sin ωΔt, c = cos ωΔt,</para>
/// <code>
/// p' = p + v∥ Δt + (s/ω) v⊥ + ((1 − c)/ω) (u × v)
/// v' = v∥ + c v⊥ + s (u × v)
/// ω' = ω
/// </code>
/// <para>(Rodrigues' rotation of v about u, integrated over Δt.) For |ωΔt| &lt; 1e-4 the Taylor
/// series s/ω ≈ Δt − ω²Δt³/6, (1 − c)/ω ≈ ωΔt²/2 are used. The EKF Jacobian is analytic in v and
/// ω; u is held fixed over the step (∂u/∂p neglected, a relative error of order |v|Δt / R⊕).</para>
/// <para>u is the ellipsoid normal at the position for <see cref="Ecef"/> (direction of
/// (x/a², y/a², z/b²), exact on the ellipsoid and within microradians at aircraft heights) and
/// the fixed z axis for <see cref="Flat"/>.</para>
/// <para>Process noise: continuous white-noise acceleration of density q_a on each axis (the NCV
/// Q of §6.2.2) plus a random walk on ω of density q_ω: Q_ωω = q_ω Δt.</para>
/// </remarks>
public readonly record struct CoordinatedTurn : ITransitionModel
{
    private const int S = StateMatrix.Stride;

    private CoordinatedTurn(double accelerationDensity, double turnRateDensity, bool ecef)
    {
        AccelerationDensity = accelerationDensity;
        TurnRateDensity = turnRateDensity;
        IsEcef = ecef;
    }

    /// <summary>q_a (m²/s³): white-noise acceleration density on each axis.</summary>
    public double AccelerationDensity { get; }

    /// <summary>q_ω (rad²/s³): white-noise turn-rate acceleration density.</summary>
    public double TurnRateDensity { get; }

    /// <summary>True: the vertical is the WGS-84 ellipsoid normal (ECEF state); false: the z axis (flat frame).</summary>
    public bool IsEcef { get; }

    /// <inheritdoc/>
    public int Dimension => 7;

    /// <inheritdoc/>
    public StateLayout Layout => StateLayout.PositionVelocityTurnRate;

    /// <inheritdoc/>
    public bool IsLinear => false;

    /// <summary>A coordinated turn for an ECEF state (turns about the local ellipsoid normal).</summary>
    public static CoordinatedTurn Ecef(double accelerationDensity, double turnRateDensity) =>
        new(accelerationDensity, turnRateDensity, true);

    /// <summary>A coordinated turn in a flat frame with z up (turns in the x-y plane).</summary>
    public static CoordinatedTurn Flat(double accelerationDensity, double turnRateDensity) =>
        new(accelerationDensity, turnRateDensity, false);

    /// <summary>The local vertical u used at <paramref name="position"/>.</summary>
    public Vec3 Vertical(Vec3 position)
    {
        if (!IsEcef)
        {
            return new Vec3(0, 0, 1);
        }

        const double ia2 = 1.0 / (Wgs84.A * Wgs84.A);
        const double ib2 = 1.0 / (Wgs84.B * Wgs84.B);
        return new Vec3(position.X * ia2, position.Y * ia2, position.Z * ib2).Normalized;
    }

    /// <inheritdoc/>
    public void Transition(ref StateVector x, double dt)
    {
        var p = new Vec3(x[0], x[1], x[2]);
        var v = new Vec3(x[3], x[4], x[5]);
        var w = x[6];
        var u = Vertical(p);
        var vPar = Vec3.Dot(u, v) * u;
        var vPerp = v - vPar;
        var uxv = Vec3.Cross(u, v);
        Coefficients(w, dt, out var sw, out var cw, out var s, out var c, out _, out _);
        var pn = p + (vPar * dt) + (sw * vPerp) + (cw * uxv);
        var vn = vPar + (c * vPerp) + (s * uxv);
        x[0] = pn.X;
        x[1] = pn.Y;
        x[2] = pn.Z;
        x[3] = vn.X;
        x[4] = vn.Y;
        x[5] = vn.Z;
    }

    /// <inheritdoc/>
    public void Jacobian(in StateVector x, double dt, ref StateMatrix f)
    {
        var p = new Vec3(x[0], x[1], x[2]);
        var v = new Vec3(x[3], x[4], x[5]);
        var w = x[6];
        var u = Vertical(p);
        var vPar = Vec3.Dot(u, v) * u;
        var vPerp = v - vPar;
        var uxv = Vec3.Cross(u, v);
        Coefficients(w, dt, out var sw, out var cw, out var s, out var c, out var dsw, out var dcw);

        // ∂v∥/∂v = u uᵀ, ∂v⊥/∂v = I − u uᵀ, ∂(u×v)/∂v = [u]×.
        Span<double> uu = stackalloc double[9];
        Span<double> k = stackalloc double[9];
        uu[0] = u.X * u.X; uu[1] = u.X * u.Y; uu[2] = u.X * u.Z;
        uu[3] = u.Y * u.X; uu[4] = u.Y * u.Y; uu[5] = u.Y * u.Z;
        uu[6] = u.Z * u.X; uu[7] = u.Z * u.Y; uu[8] = u.Z * u.Z;
        k[0] = 0; k[1] = -u.Z; k[2] = u.Y;
        k[3] = u.Z; k[4] = 0; k[5] = -u.X;
        k[6] = -u.Y; k[7] = u.X; k[8] = 0;
        for (var r = 0; r < 3; r++)
        {
            f[(r * S) + r] = 1;
            for (var col = 0; col < 3; col++)
            {
                var id = r == col ? 1.0 : 0.0;
                var par = uu[(r * 3) + col];
                var perp = id - par;
                f[(r * S) + 3 + col] = (dt * par) + (sw * perp) + (cw * k[(r * 3) + col]);
                f[((r + 3) * S) + 3 + col] = par + (c * perp) + (s * k[(r * 3) + col]);
            }
        }

        var dpw = (dsw * vPerp) + (dcw * uxv);
        var dvw = (-dt * s * vPerp) + (dt * c * uxv);
        f[(0 * S) + 6] = dpw.X;
        f[(1 * S) + 6] = dpw.Y;
        f[(2 * S) + 6] = dpw.Z;
        f[(3 * S) + 6] = dvw.X;
        f[(4 * S) + 6] = dvw.Y;
        f[(5 * S) + 6] = dvw.Z;
        f[(6 * S) + 6] = 1;
    }

    /// <summary>
    /// The EKF prediction x ← f(x), P ← F P Fᵀ + Q in one pass, in closed form: the vertical, the
    /// trigonometric coefficients and F are computed once at the prior mean, and F P Fᵀ is formed
    /// from F's block structure instead of a 9×9 F and Q whose sparsity is discovered per call.
    /// </summary>
    /// <remarks>
    /// <para>With the state [p v ω], F has the block form (see <see cref="Jacobian"/>)</para>
    /// <code>
    /// F = [ I  A  a ]     A = Δt u uᵀ + (s/ω)(I − u uᵀ) + ((1 − c)/ω)[u]×,   a = ∂p'/∂ω
    ///     [ 0  B  b ]     B = u uᵀ + c (I − u uᵀ) + s [u]×,                  b = ∂v'/∂ω
    ///     [ 0  0  1 ]
    /// </code>
    /// <para>so T = F P has rows Tᵢ = Pᵢ + Σₖ Aᵢₖ P₃₊ₖ + aᵢ P₆ (position), Σₖ Bᵢₖ P₃₊ₖ + bᵢ P₆
    /// (velocity), P₆ (turn rate), and P' = T Fᵀ + Q likewise by columns (Q: the NCV block of
    /// Bar-Shalom, Li &amp; Kirubarajan (2001) eq. 6.2.2-13 on p, v and q_ω Δt on ω). Each sum has the
    /// terms of <see cref="Predictors.KalmanPredictor.Propagate"/> in the same ascending order; in the
    /// flat frame (u = z) the structural zeros of A, B, a, b (third row and column of [u]×, I − u uᵀ)
    /// are skipped, in ECEF A and B are full 3×3, and a term skipped there only when its F entry
    /// happens to be exactly zero adds an exact zero here. The result is therefore the same as the
    /// generic predictor's (<c>ImmPredictionEquivalenceTests</c>).</para>
    /// </remarks>
    internal void Predict(ref Types.GaussianState state, double dt)
    {
        if (state.Dimension != 7)
        {
            Predictors.KalmanPredictor.ThrowDimension(state.Dimension, 7);
        }

        ref var x = ref state.Mean;
        var p = new Vec3(x[0], x[1], x[2]);
        var v = new Vec3(x[3], x[4], x[5]);
        var w = x[6];
        var u = Vertical(p);
        var vPar = Vec3.Dot(u, v) * u;
        var vPerp = v - vPar;
        var uxv = Vec3.Cross(u, v);
        Coefficients(w, dt, out var sw, out var cw, out var s, out var c, out var dsw, out var dcw);
        var dpw = (dsw * vPerp) + (dcw * uxv);
        var dvw = (-dt * s * vPerp) + (dt * c * uxv);

        var pn = p + (vPar * dt) + (sw * vPerp) + (cw * uxv);
        var vn = vPar + (c * vPerp) + (s * uxv);
        x[0] = pn.X;
        x[1] = pn.Y;
        x[2] = pn.Z;
        x[3] = vn.X;
        x[4] = vn.Y;
        x[5] = vn.Z;

        var noise = AccelerationDensity;
        var dt2 = dt * dt;
        var qpp = noise * dt2 * dt / 3;
        var qpv = noise * dt2 / 2;
        var qvv = noise * dt;
        var qww = TurnRateDensity * dt;
        Span<double> cov = state.Covariance;
        if (!IsEcef)
        {
            PropagateFlat(cov, sw, cw, s, c, dt, dpw, dvw, qpp, qpv, qvv, qww);
            return;
        }

        // A and B, row-major 3×3, as in Jacobian: Aᵣₖ = Δt (u uᵀ)ᵣₖ + (s/ω)(I − u uᵀ)ᵣₖ + ((1 − c)/ω)[u]×ᵣₖ.
        Span<double> uu = stackalloc double[9];
        Span<double> k = stackalloc double[9];
        uu[0] = u.X * u.X; uu[1] = u.X * u.Y; uu[2] = u.X * u.Z;
        uu[3] = u.Y * u.X; uu[4] = u.Y * u.Y; uu[5] = u.Y * u.Z;
        uu[6] = u.Z * u.X; uu[7] = u.Z * u.Y; uu[8] = u.Z * u.Z;
        k[0] = 0; k[1] = -u.Z; k[2] = u.Y;
        k[3] = u.Z; k[4] = 0; k[5] = -u.X;
        k[6] = -u.Y; k[7] = u.X; k[8] = 0;
        Span<double> fa = stackalloc double[9];
        Span<double> fb = stackalloc double[9];
        for (var r = 0; r < 3; r++)
        {
            for (var col = 0; col < 3; col++)
            {
                var id = r == col ? 1.0 : 0.0;
                var par = uu[(r * 3) + col];
                var perp = id - par;
                fa[(r * 3) + col] = (dt * par) + (sw * perp) + (cw * k[(r * 3) + col]);
                fb[(r * 3) + col] = par + (c * perp) + (s * k[(r * 3) + col]);
            }
        }

        PropagateGeneral(cov, fa, fb, dpw, dvw, qpp, qpv, qvv, qww);
    }

    /// <summary>P ← F P Fᵀ + Q for full A, B (ECEF vertical), terms in ascending column order of F.</summary>
    private static void PropagateGeneral(Span<double> p, ReadOnlySpan<double> fa, ReadOnlySpan<double> fb, Vec3 a, Vec3 b,
        double qpp, double qpv, double qvv, double qww)
    {
        const int n = 7;
        Span<double> t = stackalloc double[n * n];
        Span<double> av = [a.X, a.Y, a.Z];
        Span<double> bv = [b.X, b.Y, b.Z];
        for (var col = 0; col < n; col++)
        {
            var p3 = p[(3 * S) + col];
            var p4 = p[(4 * S) + col];
            var p5 = p[(5 * S) + col];
            var p6 = p[(6 * S) + col];
            for (var i = 0; i < 3; i++)
            {
                t[(i * n) + col] = p[(i * S) + col] + (fa[i * 3] * p3) + (fa[(i * 3) + 1] * p4) + (fa[(i * 3) + 2] * p5) + (av[i] * p6);
                t[((i + 3) * n) + col] = (fb[i * 3] * p3) + (fb[(i * 3) + 1] * p4) + (fb[(i * 3) + 2] * p5) + (bv[i] * p6);
            }

            t[(6 * n) + col] = p6;
        }

        for (var i = 0; i < n; i++)
        {
            var row = t.Slice(i * n, n);
            for (var j = 0; j < 3; j++)
            {
                p[(i * S) + j] = row[j] + (row[3] * fa[j * 3]) + (row[4] * fa[(j * 3) + 1]) + (row[5] * fa[(j * 3) + 2]) + (row[6] * av[j]);
                p[(i * S) + j + 3] = (row[3] * fb[j * 3]) + (row[4] * fb[(j * 3) + 1]) + (row[5] * fb[(j * 3) + 2]) + (row[6] * bv[j]);
            }

            p[(i * S) + 6] = row[6];
        }

        AddNoiseAndSymmetrize(p, qpp, qpv, qvv, qww);
    }

    /// <summary>
    /// P ← F P Fᵀ + Q in the flat frame (u = z): A = [[s/ω, −(1−c)/ω, 0], [(1−c)/ω, s/ω, 0], [0, 0, Δt]],
    /// B = [[c, −s, 0], [s, c, 0], [0, 0, 1]], a = (a_x, a_y, 0), b = (b_x, b_y, 0); only the non-zero
    /// entries of F enter, in ascending column order.
    /// </summary>
    private static void PropagateFlat(Span<double> p, double sw, double cw, double s, double c, double dt, Vec3 a, Vec3 b,
        double qpp, double qpv, double qvv, double qww)
    {
        const int n = 7;
        Span<double> t = stackalloc double[n * n];
        var mcw = -cw;
        var ms = -s;
        for (var col = 0; col < n; col++)
        {
            var p3 = p[(3 * S) + col];
            var p4 = p[(4 * S) + col];
            var p5 = p[(5 * S) + col];
            var p6 = p[(6 * S) + col];
            t[col] = p[col] + (sw * p3) + (mcw * p4) + (a.X * p6);
            t[n + col] = p[S + col] + (cw * p3) + (sw * p4) + (a.Y * p6);
            t[(2 * n) + col] = p[(2 * S) + col] + (dt * p5);
            t[(3 * n) + col] = (c * p3) + (ms * p4) + (b.X * p6);
            t[(4 * n) + col] = (s * p3) + (c * p4) + (b.Y * p6);
            t[(5 * n) + col] = p5;
            t[(6 * n) + col] = p6;
        }

        for (var i = 0; i < n; i++)
        {
            var row = t.Slice(i * n, n);
            var pr = p.Slice(i * S, n);
            pr[0] = row[0] + (row[3] * sw) + (row[4] * mcw) + (row[6] * a.X);
            pr[1] = row[1] + (row[3] * cw) + (row[4] * sw) + (row[6] * a.Y);
            pr[2] = row[2] + (row[5] * dt);
            pr[3] = (row[3] * c) + (row[4] * ms) + (row[6] * b.X);
            pr[4] = (row[3] * s) + (row[4] * c) + (row[6] * b.Y);
            pr[5] = row[5];
            pr[6] = row[6];
        }

        AddNoiseAndSymmetrize(p, qpp, qpv, qvv, qww);
    }

    private static void AddNoiseAndSymmetrize(Span<double> p, double qpp, double qpv, double qvv, double qww)
    {
        for (var i = 0; i < 3; i++)
        {
            p[(i * S) + i] += qpp;
            p[(i * S) + i + 3] += qpv;
            p[((i + 3) * S) + i] += qpv;
            p[((i + 3) * S) + i + 3] += qvv;
        }

        p[(6 * S) + 6] += qww;
        Dense.Symmetrize(p, 7);
    }

    /// <inheritdoc/>
    public void ProcessNoise(in StateVector x, double dt, ref StateMatrix q)
    {
        new NearlyConstantVelocity(AccelerationDensity).ProcessNoise(x, dt, ref q);
        q[(6 * S) + 6] = TurnRateDensity * dt;
    }

    /// <summary>
    /// s/ω, (1 − c)/ω, sin ωΔt, cos ωΔt and the derivatives of the first two with respect to ω,
    /// with Taylor series near ω = 0.
    /// </summary>
    private static void Coefficients(double w, double dt, out double sw, out double cw, out double s, out double c, out double dsw, out double dcw)
    {
        var th = w * dt;
        (s, c) = Math.SinCos(th);
        if (Math.Abs(th) < 1e-4)
        {
            var dt2 = dt * dt;
            var dt3 = dt2 * dt;
            sw = dt - (w * w * dt3 / 6);
            cw = w * dt2 / 2;
            dsw = -w * dt3 / 3;
            dcw = (dt2 / 2) - (w * w * dt3 * dt / 8);
            return;
        }

        sw = s / w;
        cw = (1 - c) / w;
        dsw = ((dt * c * w) - s) / (w * w);
        dcw = ((dt * s * w) - (1 - c)) / (w * w);
    }
}
