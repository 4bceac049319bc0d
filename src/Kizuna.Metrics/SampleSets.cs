namespace Kizuna.Metrics;

/// <summary>
/// Groups samples by object and time. When one object has several samples at the same time the
/// last one in input order wins (as Stone Soup's <c>last_timestamp_generator</c>). Times are
/// compared exactly.
/// </summary>
internal static class SampleSets
{
    public static SortedDictionary<int, TruthSample[]> TruthsById(IEnumerable<TruthSample> truths) =>
        Group(truths, s => s.TruthId, s => s.Time);

    public static SortedDictionary<long, TrackSample[]> TracksById(IEnumerable<TrackSample> tracks) =>
        Group(tracks, s => s.TrackId, s => s.Time);

    /// <summary>Index of the sample at exactly <paramref name="time"/> in a time-sorted array, or −1.</summary>
    public static int IndexAt<T>(T[] sorted, double time, Func<T, double> timeOf)
    {
        int lo = 0, hi = sorted.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            var t = timeOf(sorted[mid]);
            if (t == time)
            {
                return mid;
            }

            if (t < time)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    private static SortedDictionary<TKey, T[]> Group<T, TKey>(IEnumerable<T> samples, Func<T, TKey> key, Func<T, double> time)
        where TKey : notnull
    {
        var byKey = new Dictionary<TKey, SortedDictionary<double, T>>();
        foreach (var s in samples)
        {
            var t = time(s);
            if (!double.IsFinite(t))
            {
                throw new ArgumentException($"Sample time {t} is not finite.", nameof(samples));
            }

            if (!byKey.TryGetValue(key(s), out var list))
            {
                list = [];
                byKey[key(s)] = list;
            }

            list[t] = s;
        }

        var result = new SortedDictionary<TKey, T[]>();
        foreach (var (k, list) in byKey)
        {
            result[k] = [.. list.Values];
        }

        return result;
    }
}
