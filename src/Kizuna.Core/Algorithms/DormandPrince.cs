namespace Kizuna.Core.Algorithms;

/// <summary>A second-order system v̇ = a(t, r, v) integrated by <see cref="DormandPrince"/>; implement it on a struct for allocation-free stepping.</summary>
public interface ISecondOrderSystem
{
    /// <summary>Acceleration a(t, r, v).</summary>
    Vec3 Acceleration(double t, Vec3 r, Vec3 v);
}

/// <summary>
/// One step of the embedded Dormand–Prince 5(4) Runge–Kutta pair for the second-order system
/// ṙ = v, v̇ = a(t, r, v), with the local error estimate used for step-size control.
/// </summary>
/// <remarks>
/// Tableau: J. R. Dormand and P. J. Prince, "A family of embedded Runge–Kutta formulae",
/// J. Comput. Appl. Math. 6 (1980) 19–26 (the coefficients are also in E. Hairer, S. P. Nørsett and
/// G. Wanner, "Solving Ordinary Differential Equations I", 2nd ed., 1993, §II.5, table 5.2).
/// The solution is propagated with the 5th-order weights (local extrapolation); the error is the
/// difference with the embedded 4th-order solution. Error norm (Hairer et al. §II.4, eq. 4.11):
/// err = max_i |y5ᵢ − y4ᵢ| / (atol + rtol·max(|yᵢ|, |y5ᵢ|)); a step is accepted when err ≤ 1 and the
/// next step is h·min(5, max(0.2, 0.9·err^(−1/5))). A negative h integrates backwards in time.
/// <para>Moved from Kizuna.Simulation so that threat evaluation propagates tracks with the same
/// integrator as the simulator; the arithmetic is unchanged.</para>
/// </remarks>
public static class DormandPrince
{
    /// <summary>Acceleration a(t, r, v).</summary>
    public delegate Vec3 Acceleration(double t, Vec3 r, Vec3 v);

    private const double C2 = 1.0 / 5, C3 = 3.0 / 10, C4 = 4.0 / 5, C5 = 8.0 / 9;
    private const double A21 = 1.0 / 5;
    private const double A31 = 3.0 / 40, A32 = 9.0 / 40;
    private const double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    private const double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561, A54 = -212.0 / 729;
    private const double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176, A65 = -5103.0 / 18656;
    private const double B1 = 35.0 / 384, B3 = 500.0 / 1113, B4 = 125.0 / 192, B5 = -2187.0 / 6784, B6 = 11.0 / 84;
    private const double E1 = B1 - (5179.0 / 57600), E3 = B3 - (7571.0 / 16695), E4 = B4 - (393.0 / 640), E5 = B5 - (-92097.0 / 339200), E6 = B6 - (187.0 / 2100), E7 = -1.0 / 40;

    /// <summary>Takes one step of size h with a delegate right-hand side; returns the 5th-order state and the scaled error norm.</summary>
    public static double Step(Acceleration f, double t, Vec3 r, Vec3 v, double h, double rtol, double atol, out Vec3 r5, out Vec3 v5) =>
        Step(new DelegateSystem(f), t, r, v, h, rtol, atol, out r5, out v5);

    /// <summary>Takes one step of size h; returns the 5th-order state and the scaled error norm. Allocation-free for struct systems.</summary>
    public static double Step<TSystem>(in TSystem f, double t, Vec3 r, Vec3 v, double h, double rtol, double atol, out Vec3 r5, out Vec3 v5)
        where TSystem : ISecondOrderSystem
    {
        var kr1 = v;
        var kv1 = f.Acceleration(t, r, v);
        var kr2 = v + (h * A21 * kv1);
        var kv2 = f.Acceleration(t + (C2 * h), r + (h * A21 * kr1), kr2);
        var kr3 = v + (h * ((A31 * kv1) + (A32 * kv2)));
        var kv3 = f.Acceleration(t + (C3 * h), r + (h * ((A31 * kr1) + (A32 * kr2))), kr3);
        var kr4 = v + (h * ((A41 * kv1) + (A42 * kv2) + (A43 * kv3)));
        var kv4 = f.Acceleration(t + (C4 * h), r + (h * ((A41 * kr1) + (A42 * kr2) + (A43 * kr3))), kr4);
        var kr5 = v + (h * ((A51 * kv1) + (A52 * kv2) + (A53 * kv3) + (A54 * kv4)));
        var kv5 = f.Acceleration(t + (C5 * h), r + (h * ((A51 * kr1) + (A52 * kr2) + (A53 * kr3) + (A54 * kr4))), kr5);
        var kr6 = v + (h * ((A61 * kv1) + (A62 * kv2) + (A63 * kv3) + (A64 * kv4) + (A65 * kv5)));
        var kv6 = f.Acceleration(t + h, r + (h * ((A61 * kr1) + (A62 * kr2) + (A63 * kr3) + (A64 * kr4) + (A65 * kr5))), kr6);
        r5 = r + (h * ((B1 * kr1) + (B3 * kr3) + (B4 * kr4) + (B5 * kr5) + (B6 * kr6)));
        v5 = v + (h * ((B1 * kv1) + (B3 * kv3) + (B4 * kv4) + (B5 * kv5) + (B6 * kv6)));
        var kr7 = v5;
        var kv7 = f.Acceleration(t + h, r5, v5);
        var er = h * ((E1 * kr1) + (E3 * kr3) + (E4 * kr4) + (E5 * kr5) + (E6 * kr6) + (E7 * kr7));
        var ev = h * ((E1 * kv1) + (E3 * kv3) + (E4 * kv4) + (E5 * kv5) + (E6 * kv6) + (E7 * kv7));
        var err = 0.0;
        for (var i = 0; i < 3; i++)
        {
            err = Math.Max(err, Math.Abs(er[i]) / (atol + (rtol * Math.Max(Math.Abs(r[i]), Math.Abs(r5[i])))));
            err = Math.Max(err, Math.Abs(ev[i]) / (atol + (rtol * Math.Max(Math.Abs(v[i]), Math.Abs(v5[i])))));
        }

        return err;
    }

    /// <summary>Next step size from the error norm of the last step.</summary>
    public static double NextStep(double h, double err) =>
        h * Math.Min(5.0, Math.Max(0.2, 0.9 * Math.Pow(Math.Max(err, 1e-10), -0.2)));

    private readonly struct DelegateSystem(DormandPrince.Acceleration f) : ISecondOrderSystem
    {
        public Vec3 Acceleration(double t, Vec3 r, Vec3 v) => f(t, r, v);
    }
}
