using Kizuna.Core;

namespace Kizuna.Defence.Weapons;

/// <summary>
/// The feasible intercept opportunity of one battery against one threat: earliest and latest
/// intercept time of the first contiguous run of feasible path points, the launch time for the
/// earliest intercept, and the launch-by time (the last launch that still intercepts).
/// </summary>
/// <param name="IsFeasible">False when no sampled path point is feasible (all other fields are default).</param>
/// <param name="EarliestIntercept">First feasible intercept time (UTC).</param>
/// <param name="LatestIntercept">Last feasible intercept time of the same run (UTC).</param>
/// <param name="EarliestInterceptPoint">Predicted ECEF intercept point (m) at <paramref name="EarliestIntercept"/>.</param>
/// <param name="LaunchForEarliest">Launch time for the earliest intercept: t − r/v̄.</param>
/// <param name="LaunchBy">Latest launch time that still reaches a feasible point of the run: max over the run of t − r(t)/v̄.</param>
public readonly record struct EngagementWindow(
    bool IsFeasible,
    DateTime EarliestIntercept,
    DateTime LatestIntercept,
    Vec3 EarliestInterceptPoint,
    DateTime LaunchForEarliest,
    DateTime LaunchBy)
{
    /// <summary>The absent window.</summary>
    public static EngagementWindow None => default;

    /// <summary>Flyout time of the earliest intercept.</summary>
    public TimeSpan FlyoutForEarliest => EarliestIntercept - LaunchForEarliest;
}

/// <summary>Computes engagement windows from a sampled threat path.</summary>
/// <remarks>
/// A path sample (t, p, h) is a feasible intercept for a battery at b with weapon W when
/// <list type="number">
/// <item>W.MinInterceptAltitude ≤ h ≤ W.MaxInterceptAltitude (geodetic height of p);</item>
/// <item>W.MinRange ≤ r ≤ W.MaxRange with r = |p − b| (slant range, ECEF);</item>
/// <item>the interceptor can get there: launch time L = t − r / v̄ ≥ L₀, the earliest allowed launch
/// (decision time or reload, plus reaction time; for a shoot-look-shoot second shot, the first
/// intercept plus kill-assessment time).</item>
/// </list>
/// The kinematic flyout is a straight line at the average speed v̄ (research/c2-anchors.md §3.2 item 7:
/// t_launch + t_flight ≤ t_intercept_window_end). The window is the first contiguous run of feasible
/// samples, so boundaries are exact to one sampling step and conservative (only verified points are
/// inside). Pairs whose path height range misses the altitude envelope, or whose path bounding sphere
/// lies wholly outside the range annulus, are rejected before the scan. Allocation-free: called per battery per threat per plan.
/// </remarks>
public static class EngagementWindows
{
    /// <summary>Window of <paramref name="battery"/> against the sampled path, with launches not before <paramref name="notBeforeLaunch"/>.</summary>
    public static EngagementWindow Compute(Battery battery, ThreatPathSamples path, DateTime notBeforeLaunch)
    {
        var w = battery.Weapon;
        var minR = w.MinRange.Metres;
        var maxR = w.MaxRange.Metres;
        var minR2 = minR * minR;
        var maxR2 = maxR * maxR;
        var minH = w.MinInterceptAltitude.Metres;
        var maxH = w.MaxInterceptAltitude.Metres;
        var v = w.FlyoutSpeed.MetresPerSecond;
        var b = battery.PositionEcef;
        if (path.Count == 0 || path.MaxHeight < minH || path.MinHeight > maxH)
        {
            return EngagementWindow.None;
        }

        // Bounding-sphere rejection: every sample is within BoundingRadius of the centre, so if the
        // sphere lies wholly beyond MaxRange (or wholly inside MinRange) no sample can be feasible.
        var dc = (path.BoundingCentre - b).Norm;
        if (dc - path.BoundingRadius > maxR || dc + path.BoundingRadius < minR)
        {
            return EngagementWindow.None;
        }

        var found = false;
        var first = 0;
        var last = 0;
        DateTime firstLaunch = default;
        DateTime launchBy = default;
        Vec3 firstPoint = default;
        var n = path.Count;
        for (var k = 0; k < n; k++)
        {
            var h = path.HeightAt(k);
            var ok = h >= minH && h <= maxH;
            DateTime launch = default;
            Vec3 p = default;
            if (ok)
            {
                p = path.PositionAt(k);
                var r2 = (p - b).NormSquared;
                ok = r2 >= minR2 && r2 <= maxR2;
                if (ok)
                {
                    var t = path.TimeAt(k);
                    launch = t - TimeSpan.FromSeconds(Math.Sqrt(r2) / v);
                    ok = launch >= notBeforeLaunch;
                }
            }

            if (ok)
            {
                if (!found)
                {
                    found = true;
                    first = k;
                    firstLaunch = launch;
                    firstPoint = p;
                    launchBy = launch;
                }

                last = k;
                if (launch > launchBy)
                {
                    launchBy = launch;
                }
            }
            else if (found)
            {
                break;
            }
        }

        return found
            ? new EngagementWindow(true, path.TimeAt(first), path.TimeAt(last), firstPoint, firstLaunch, launchBy)
            : EngagementWindow.None;
    }

    /// <summary>Window for a fire decision taken at <paramref name="now"/> (launch not before <see cref="Battery.EarliestLaunch"/>).</summary>
    public static EngagementWindow ForDecisionAt(Battery battery, ThreatPathSamples path, DateTime now) =>
        Compute(battery, path, battery.EarliestLaunch(now));
}
