namespace Kizuna.Asterix.Detections;

/// <summary>ASTERIX time of day (seconds since UTC midnight, wrapping at 86,400 s) → UTC <see cref="DateTime"/>.</summary>
/// <remarks>
/// ASTERIX items I048/140, I034/030, I021/071–077 and I062/070 carry only the time of day, LSB 1/128 s
/// (EUROCONTROL ASTERIX Part 1 ed. 2.4, and each category's specification). The date is supplied from outside: the
/// capture timestamp of the packet when there is one, else a configured date. Across midnight the time of day wraps
/// while the reference may still be on the other side, so the day is chosen that puts the result nearest the
/// reference: t = d + tod with d ∈ {D − 1, D, D + 1}, D the reference's date, minimising |t − reference|. This is
/// right whenever the data are less than 12 h from the reference.
/// </remarks>
public static class TimeOfDay
{
    /// <summary>Seconds in a day.</summary>
    public const double SecondsPerDay = 86_400.0;

    /// <summary>The UTC time with time of day <paramref name="secondsOfDay"/> nearest <paramref name="referenceUtc"/>.</summary>
    public static DateTime ToUtc(double secondsOfDay, DateTime referenceUtc)
    {
        var tod = secondsOfDay % SecondsPerDay;
        if (tod < 0)
        {
            tod += SecondsPerDay;
        }

        var candidate = referenceUtc.Date.AddTicks((long)Math.Round(tod * TimeSpan.TicksPerSecond));
        var delta = (candidate - referenceUtc).TotalSeconds;
        if (delta > SecondsPerDay / 2)
        {
            candidate = candidate.AddDays(-1);
        }
        else if (delta < -SecondsPerDay / 2)
        {
            candidate = candidate.AddDays(1);
        }

        return DateTime.SpecifyKind(candidate, DateTimeKind.Utc);
    }

    /// <summary>
    /// Rebuilds a full time from a truncated one (CAT001 I001/141: time of day modulo <paramref name="period"/> s):
    /// the time ≡ <paramref name="truncatedSeconds"/> (mod period) nearest <paramref name="referenceUtc"/>.
    /// </summary>
    public static DateTime FromTruncated(double truncatedSeconds, double period, DateTime referenceUtc)
    {
        var refTod = referenceUtc.TimeOfDay.TotalSeconds;
        var k = Math.Round((refTod - truncatedSeconds) / period);
        return ToUtc(truncatedSeconds + (k * period), referenceUtc);
    }
}
