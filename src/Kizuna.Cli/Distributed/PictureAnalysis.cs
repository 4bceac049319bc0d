using System.Text.Json;
using Kizuna.Core;
using Kizuna.Network.Sharing;
using Kizuna.Network.Wire;

namespace Kizuna.Cli.Distributed;

/// <summary>One cycle of a node's picture log.</summary>
/// <param name="Cycle">Cycle index.</param>
/// <param name="SimTime">Simulated time (s).</param>
/// <param name="PublishedMicros">Wall time its batch was acknowledged (µs).</param>
/// <param name="DoneMicros">Wall time its step finished (µs).</param>
/// <param name="Tracks">(track number, truth id or −1) per picture track.</param>
/// <param name="Notices">(kind, kept, retired) per notice issued.</param>
internal sealed record PictureLine(long Cycle, double SimTime, long PublishedMicros, long DoneMicros, IReadOnlyList<(int Number, int Truth)> Tracks, IReadOnlyList<(int Kind, int Kept, int Retired)> Notices)
{
    /// <summary>Aligned with <see cref="Tracks"/>: the marking of the node's own local track on each entry; null where it has none (or the log predates markings).</summary>
    public IReadOnlyList<Marking?> ReportMarkings { get; init; } = [];
}

/// <summary>Coalition consistency over a window: SIAP ambiguity (numbers per tracked object, per node) and commonality (pairs of nodes holding one object under one and the same number).</summary>
/// <remarks>
/// SIAP ambiguity and commonality as in the SIAP Technical Report 2001-001 (§3.3, §3.6), computed per
/// node and cycle over truth-labelled picture tracks. <see cref="Commonality"/> counts every pair of
/// nodes holding an object; <see cref="ReleasedCommonality"/> only the pairs between which the
/// agreements let the object's track flow in at least one direction (the sender's local-track marking
/// passes <see cref="ReleasePolicy.Permits"/>), which is the figure.
/// </remarks>
/// <param name="Ambiguity">Numbers per held object, over nodes and cycles.</param>
/// <param name="Commonality">Agreeing / all holding pairs.</param>
/// <param name="ObjectCycles">(node, object, cycle) triples held.</param>
/// <param name="NodePairs">Holding pairs scored.</param>
/// <param name="ReleasedCommonality">Agreeing / released pairs (NaN when no agreements were given or no pair is released).</param>
/// <param name="ReleasedPairs">Released pairs scored.</param>
internal sealed record CoalitionConsistency(double Ambiguity, double Commonality, long ObjectCycles, long NodePairs, double ReleasedCommonality = double.NaN, long ReleasedPairs = 0);

/// <summary>Reads picture logs and computes the coalition figures of a distributed run.</summary>
internal static class PictureAnalysis
{
    /// <summary>Reads a picture log; when a cycle appears twice (re-executed after a crash), the last line wins.</summary>
    /// <param name="path">The log.</param>
    /// <param name="nation">The node that wrote it (originator of its markings); unset: taken from the file name (<c>NAT.picture.jsonl</c>).</param>
    public static SortedDictionary<long, PictureLine> Read(string path, Nation nation = default)
    {
        if (nation.IsUnset && !Nation.TryParse(Path.GetFileName(path).Split('.')[0], out nation))
        {
            nation = default;
        }

        var result = new SortedDictionary<long, PictureLine>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            var tracks = r.GetProperty("tracks").EnumerateArray().Select(a => (a[0].GetInt32(), a[1].GetInt32())).ToList();
            var markings = r.GetProperty("tracks").EnumerateArray().Select(a => a.GetArrayLength() >= 4 ? ReadMarking(nation, a[2], a[3]) : null).ToList();
            var notices = r.GetProperty("notices").EnumerateArray().Select(a => (a[0].GetInt32(), a[1].GetInt32(), a[2].GetInt32())).ToList();
            var cycle = r.GetProperty("cycle").GetInt64();
            result[cycle] = new PictureLine(cycle, r.GetProperty("t").GetDouble(), r.GetProperty("pub").GetInt64(), r.GetProperty("done").GetInt64(), tracks, notices) { ReportMarkings = markings };
        }

        return result;
    }

    /// <summary>Ambiguity and commonality over cycles with simulated time in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    /// <param name="pictures">Each node's picture log.</param>
    /// <param name="from">First simulated time scored (s).</param>
    /// <param name="to">Last simulated time scored (s).</param>
    /// <param name="agreements">The agreements in force; when given, the released-pair commonality is computed too.</param>
    public static CoalitionConsistency Consistency(IReadOnlyDictionary<Nation, SortedDictionary<long, PictureLine>> pictures, double from, double to = double.MaxValue, SharingAgreements? agreements = null)
    {
        var policy = agreements is null ? null : new ReleasePolicy(agreements, new InMemoryReleaseAuditLog(), TimeProvider.System);
        long numbers = 0, objects = 0, agree = 0, pairs = 0, releasedAgree = 0, releasedPairs = 0;
        var cycles = pictures.Values.SelectMany(p => p.Keys).Distinct().Order();
        foreach (var k in cycles)
        {
            var perNode = new List<(Nation Nation, Dictionary<int, HashSet<int>> Numbers, Dictionary<int, List<Marking>> Markings)>();
            foreach (var (nation, p) in pictures)
            {
                if (!p.TryGetValue(k, out var line) || line.SimTime < from || line.SimTime > to)
                {
                    continue;
                }

                var m = new Dictionary<int, HashSet<int>>();
                var marks = new Dictionary<int, List<Marking>>();
                for (var i = 0; i < line.Tracks.Count; i++)
                {
                    var (number, truth) = line.Tracks[i];
                    if (truth > 0)
                    {
                        (m.TryGetValue(truth, out var s) ? s : m[truth] = []).Add(number);
                        if (i < line.ReportMarkings.Count && line.ReportMarkings[i] is { } mk)
                        {
                            (marks.TryGetValue(truth, out var l) ? l : marks[truth] = []).Add(mk);
                        }
                    }
                }

                foreach (var s in m.Values)
                {
                    numbers += s.Count;
                    objects++;
                }

                perNode.Add((nation, m, marks));
            }

            for (var i = 0; i < perNode.Count; i++)
            {
                for (var j = i + 1; j < perNode.Count; j++)
                {
                    foreach (var (truth, a) in perNode[i].Numbers)
                    {
                        if (perNode[j].Numbers.TryGetValue(truth, out var b))
                        {
                            var same = a.Count == 1 && a.SetEquals(b);
                            pairs++;
                            agree += same ? 1 : 0;
                            if (policy is not null && (Flows(policy, perNode[i].Nation, perNode[i].Markings, perNode[j].Nation, truth)
                                || Flows(policy, perNode[j].Nation, perNode[j].Markings, perNode[i].Nation, truth)))
                            {
                                releasedPairs++;
                                releasedAgree += same ? 1 : 0;
                            }
                        }
                    }
                }
            }
        }

        return new CoalitionConsistency(objects == 0 ? double.NaN : (double)numbers / objects, pairs == 0 ? double.NaN : (double)agree / pairs, objects, pairs,
            releasedPairs == 0 ? double.NaN : (double)releasedAgree / releasedPairs, releasedPairs);
    }

    /// <summary>True when one of <paramref name="from"/>'s local-track markings on <paramref name="truth"/> may be released to <paramref name="to"/>.</summary>
    private static bool Flows(ReleasePolicy policy, Nation from, Dictionary<int, List<Marking>> markings, Nation to, int truth) =>
        markings.TryGetValue(truth, out var list) && list.Exists(m => policy.Permits(from, to, m, MessageType.TrackReport));

    private static Marking? ReadMarking(Nation nation, JsonElement classification, JsonElement releasableTo)
    {
        if (nation.IsUnset)
        {
            return null;
        }

        var to = releasableTo.EnumerateArray().Select(e => Nation.Parse(e.GetString()!));
        return new Marking((Classification)classification.GetInt32(), nation, [.. to]);
    }

    /// <summary>
    /// Detection → partner picture latency (ms): for each cycle and each ordered pair (sender, measurement
    /// receiver), the receiver's step-finished time minus the sender's batch-acknowledged time.
    /// </summary>
    public static List<double> Latencies(IReadOnlyDictionary<Nation, SortedDictionary<long, PictureLine>> pictures, IEnumerable<(Nation From, Nation To)> measurementFlows)
    {
        var result = new List<double>();
        foreach (var (from, to) in measurementFlows)
        {
            if (!pictures.TryGetValue(from, out var a) || !pictures.TryGetValue(to, out var b))
            {
                continue;
            }

            foreach (var (k, line) in a)
            {
                if (line.PublishedMicros > 0 && b.TryGetValue(k, out var other) && other.DoneMicros >= line.PublishedMicros)
                {
                    result.Add((other.DoneMicros - line.PublishedMicros) / 1000.0);
                }
            }
        }

        result.Sort();
        return result;
    }

    /// <summary>The q-quantile of sorted values (nearest rank).</summary>
    public static double Quantile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
    /// <summary>
    /// Commonality of one node with every other node at cycle <paramref name="cycle"/>: of the
    /// (object, partner) pairs both hold, how many carry one and the same single number
    /// (SIAP commonality, SIAP Technical Report 2001-001 §3.6, restricted to one node's pairs).
    /// </summary>
    public static (long Agree, long Pairs) NodeCommonality(IReadOnlyDictionary<Nation, SortedDictionary<long, PictureLine>> pictures, Nation nation, long cycle)
    {
        if (!pictures.TryGetValue(nation, out var own) || !own.TryGetValue(cycle, out var line))
        {
            return (0, 0);
        }

        var mine = ByTruth(line);
        long agree = 0, pairs = 0;
        foreach (var (other, picture) in pictures)
        {
            if (other == nation || !picture.TryGetValue(cycle, out var theirs))
            {
                continue;
            }

            var m = ByTruth(theirs);
            foreach (var (truth, a) in mine)
            {
                if (m.TryGetValue(truth, out var b))
                {
                    pairs++;
                    agree += a.Count == 1 && a.SetEquals(b) ? 1 : 0;
                }
            }
        }

        return (agree, pairs);
    }

    /// <summary>SIAP ambiguity of one node's picture line: numbers per truth-labelled object (1 when every object has one number).</summary>
    public static double Ambiguity(PictureLine line)
    {
        var m = ByTruth(line);
        return m.Count == 0 ? 1 : m.Values.Sum(s => s.Count) / (double)m.Count;
    }

    /// <summary>
    /// The object each number of <paramref name="block"/> stood for in cycles [<paramref name="from"/>, <paramref name="to"/>]
    /// of one node's picture: the truth label it carried most often (labels are nearest-truth, so a
    /// crossing can flip a few cycles; the majority is the object).
    /// </summary>
    public static Dictionary<int, int> NumberObjects(SortedDictionary<long, PictureLine> picture, Func<int, bool> block, long from, long to)
    {
        var votes = new Dictionary<int, Dictionary<int, int>>();
        foreach (var (k, line) in picture)
        {
            if (k < from || k > to)
            {
                continue;
            }

            foreach (var (number, truth) in line.Tracks)
            {
                if (truth > 0 && block(number))
                {
                    var v = votes.TryGetValue(number, out var d) ? d : votes[number] = [];
                    v[truth] = v.GetValueOrDefault(truth) + 1;
                }
            }
        }

        return votes.ToDictionary(kv => kv.Key, kv => kv.Value.MaxBy(e => (e.Value, -e.Key)).Key);
    }

    private static Dictionary<int, HashSet<int>> ByTruth(PictureLine line)
    {
        var m = new Dictionary<int, HashSet<int>>();
        foreach (var (number, truth) in line.Tracks)
        {
            if (truth > 0)
            {
                (m.TryGetValue(truth, out var s) ? s : m[truth] = []).Add(number);
            }
        }

        return m;
    }
}
