using System.Collections.Immutable;
using System.Diagnostics;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Metrics;
using Kizuna.Network.Node;
using Kizuna.Network.Sharing;
using Kizuna.Simulation.Engine;
using Kizuna.Simulation.Motion;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Cli.Coalition;

/// <summary>One node's figures over a run.</summary>
/// <param name="Nation">The node.</param>
/// <param name="Siap">SIAP of its coalition picture (within coverage).</param>
/// <param name="SoloSiap">SIAP of a solo node of the same nation fed only its own sensors, or null when not computed.</param>
/// <param name="ObjectsWithSeveralNumbers">Objects that at some sample carried two or more numbers at once at this node.</param>
/// <param name="SamplesWithSeveralNumbers">(object, sample) pairs with two or more numbers at this node.</param>
/// <param name="HeldSamples">(object, sample) pairs held by at least one number at this node.</param>
/// <param name="LocalSiap">
/// SIAP of the node's own tracker alone (its confirmed local tracks, fed its own and its measurement
/// partners' plots, before the picture logic: numbering, correlation, fusion of remote reports). It
/// splits a completeness difference between the coalition and the solo node into the part the shared
/// plots cause (solo → local) and the part the picture logic causes (local → picture).
/// </param>
internal sealed record NodeFigures(Nation Nation, SiapResult Siap, SiapResult? SoloSiap, int ObjectsWithSeveralNumbers, int SamplesWithSeveralNumbers, int HeldSamples, SiapResult LocalSiap);

/// <summary>The coalition's figures over a run.</summary>
/// <param name="Nodes">Per node.</param>
/// <param name="Commonality">Commonality across the nodes over every pair of nodes that both hold an object (a superset: it includes pairs between which nothing about the object may flow).</param>
/// <param name="ReleasedCommonality">Commonality over released pairs only: a pair of nodes holding an object counts when the agreements let the object's track flow between them in at least one direction (<see cref="ReleasePolicy.Permits"/> on the sender's report marking, derived-data markings and classification by content included).</param>
/// <param name="ObjectsScored">Objects with at least one truth sample within coverage.</param>
/// <param name="ObjectsHeld">Objects held by at least one node at some sample.</param>
/// <param name="ObjectsWithSeveralNumbersAcrossNodes">Objects that at some sample carried different numbers at different nodes ("one number per object" violated).</param>
/// <param name="SamplesWithSeveralNumbersAcrossNodes">(object, sample) pairs held under more than one distinct number across the nodes.</param>
/// <param name="HeldSamples">(object, sample) pairs held by at least one node.</param>
/// <param name="SoloSeconds">Wall time spent stepping the solo nodes (s).</param>
internal sealed record CoalitionFigures(
    ImmutableArray<NodeFigures> Nodes,
    CommonalityResult Commonality,
    CommonalityResult ReleasedCommonality,
    int ObjectsScored,
    int ObjectsHeld,
    int ObjectsWithSeveralNumbersAcrossNodes,
    int SamplesWithSeveralNumbersAcrossNodes,
    int HeldSamples,
    double SoloSeconds);

/// <summary>
/// The network figures of a coalition run (an <see cref="ICoalitionStage"/>): every
/// <c>sampleInterval</c> seconds it samples truth and every node's picture; at the end it scores
/// each node's picture with SIAP (completeness, ambiguity, spuriousness), the coalition's
/// commonality, and "one number per object"; optionally it runs one solo <see cref="NationalNode"/>
/// per nation, fed only with its own sensors and connected to nobody, to measure the value of the
/// coalition (completeness own-only versus with the coalition).
/// </summary>
/// <remarks>
/// <para>Scoring is "within coverage", as for the single tracker (<c>Pipeline/TrackingSink</c>): an
/// object's truth samples count between the first and the last time any coalition sensor measured
/// its position. The same truth set scores every node and every solo node, so completeness answers
/// "what share of what the coalition could see does this node hold". Track-to-truth association is
/// Stone Soup's <c>TrackToTruth</c> rule (<see cref="TrackToTruthAssociator"/>); SIAP after
/// Votruba et al. 2001; commonality as in <see cref="CommonalityCalculator"/>, over every pair of
/// holding nodes and over released pairs (the figure: a pair counts for an object at a sample
/// when one node's report marking of its local track on the object passes the release policy towards
/// the other — the same rules the bus applies, queried without auditing).</para>
/// <para>"One number per object": at each sample the numbers every node associates with an object
/// (association active at that time) are collected; an object counts when the union over nodes has
/// more than one number, or one node alone holds it under more than one.</para>
/// </remarks>
internal sealed class NetworkFigures : ICoalitionStage
{
    private readonly double _sampleInterval;
    private readonly double _threshold;
    private readonly List<TruthSample> _truth = [];
    private readonly Dictionary<int, (double First, double Last)> _seen = [];
    private readonly SortedDictionary<Nation, List<TrackSample>> _pictures = [];
    private readonly SortedDictionary<Nation, List<TrackSample>> _soloPictures = [];
    private readonly SortedDictionary<Nation, List<TrackSample>> _localTracks = [];
    private readonly SortedDictionary<Nation, NationalNode> _solo = [];
    private readonly TrackerSettings? _soloTracker;
    private readonly List<Detection> _scratch = [];
    private readonly Dictionary<(Nation Nation, double Time, long Number), Marking?> _reportMarkings = [];
    private ReleasePolicy? _policy;
    private long _soloTicks;

    /// <summary>Creates the stage.</summary>
    /// <param name="sampleInterval">Seconds between samples (10 in the demo).</param>
    /// <param name="threshold">Track-to-truth association distance (m).</param>
    /// <param name="soloTracker">Tracker settings of the solo nodes; null: no solo nodes (no value-of-coalition figures).</param>
    public NetworkFigures(double sampleInterval, double threshold, TrackerSettings? soloTracker)
    {
        _sampleInterval = sampleInterval;
        _threshold = threshold;
        _soloTracker = soloTracker;
    }

    /// <inheritdoc />
    public void OnTruth(CoalitionRun run, double time, ReadOnlySpan<TruthRecord> truth)
    {
        if (!IsSampleTime(time))
        {
            return;
        }

        foreach (ref readonly var r in truth)
        {
            if (r.Object.Kind is ObjectKind.GroundSite or ObjectKind.Satellite)
            {
                continue;
            }

            _truth.Add(new TruthSample(time, r.Object.Id, r.State.PositionEcef, r.State.VelocityEcef, r.Object.Icao));
        }
    }

    /// <inheritdoc />
    public void OnDetections(CoalitionRun run, double time, ReadOnlySpan<Detection> detections)
    {
        foreach (ref readonly var d in detections)
        {
            if (d.TruthId > 0 && d.Kind != MeasurementKind.AzimuthElevation)
            {
                var t = (d.Time - run.Scenario.Epoch).TotalSeconds;
                _seen[d.TruthId] = _seen.TryGetValue(d.TruthId, out var s) ? (Math.Min(s.First, t), Math.Max(s.Last, t)) : (t, t);
            }
        }

        if (_soloTracker is null)
        {
            return;
        }

        foreach (var (nation, node) in Solo(run))
        {
            _scratch.Clear();
            foreach (ref readonly var d in detections)
            {
                if (d.Nation == nation)
                {
                    _scratch.Add(d);
                }
            }

            node.ReceiveDetections(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_scratch));
        }
    }

    /// <inheritdoc />
    public void OnCycle(CoalitionRun run, CoalitionCycle cycle)
    {
        var sample = IsSampleTime(cycle.SimTime);
        if (_soloTracker is not null)
        {
            var start = Stopwatch.GetTimestamp();
            foreach (var (nation, node) in Solo(run))
            {
                var solo = node.Step(cycle.Time);
                if (sample)
                {
                    Add(_soloPictures, nation, cycle.SimTime, solo.Picture);
                }
            }

            _soloTicks += Stopwatch.GetTimestamp() - start;
        }

        if (!sample)
        {
            return;
        }

        _policy ??= run.Policy;
        foreach (var (nation, node) in cycle.Nodes)
        {
            Add(_pictures, nation, cycle.SimTime, node.Picture);
            AddLocal(nation, cycle, run.Nodes[nation]);
            for (var i = 0; i < node.Picture.Length && i < node.ReportMarkings.Length; i++)
            {
                _reportMarkings[(nation, cycle.SimTime, node.Picture[i].Number.Value)] = node.ReportMarkings[i];
            }
        }
    }

    /// <summary>Scores what was sampled.</summary>
    /// <param name="scoreFrom">Simulated time (s) from which samples are scored (a settling time); associations still use every sample.</param>
    public CoalitionFigures Compute(double scoreFrom = 0)
    {
        var all = _truth.Where(x => _seen.TryGetValue(x.TruthId, out var s) && x.Time >= s.First && x.Time <= s.Last + _sampleInterval).ToList();
        var truth = all.Where(x => x.Time >= scoreFrom).ToList();
        var associator = new TrackToTruthAssociator(_threshold);
        var nodes = ImmutableArray.CreateBuilder<NodeFigures>();
        var associations = new Dictionary<Nation, IReadOnlyList<TrackTruthAssociation>>();
        foreach (var (nation, tracks) in _pictures)
        {
            var a = associator.Associate(tracks, all);
            associations[nation] = a;
            var siap = SiapCalculator.Compute(tracks.Where(x => x.Time >= scoreFrom), truth, a);
            var solo = _soloPictures.TryGetValue(nation, out var st)
                ? SiapCalculator.Compute(st.Where(x => x.Time >= scoreFrom), truth, associator.Associate(st, all))
                : null;
            var (objects, samples, held) = SeveralNumbers(truth, [a]);
            var local = _localTracks.TryGetValue(nation, out var lt) ? lt : [];
            var localSiap = SiapCalculator.Compute(local.Where(x => x.Time >= scoreFrom), truth, associator.Associate(local, all));
            nodes.Add(new NodeFigures(nation, siap, solo, objects.Count, samples, held, localSiap));
        }

        NodePicture[] scored = [.. _pictures.Select(p => new NodePicture(p.Key.Code, [.. p.Value.Where(x => x.Time >= scoreFrom)]))];
        var commonality = CommonalityCalculator.Compute(scored, truth, associator);
        var released = CommonalityCalculator.Compute(scored, truth, associator, Released);
        var (across, acrossSamples, heldSamples) = SeveralNumbers(truth, [.. associations.Values]);
        var objectsHeld = associations.Values.SelectMany(a => a.Select(x => x.TruthId)).Distinct().Count();
        return new CoalitionFigures(nodes.ToImmutable(), commonality, released, truth.Select(t => t.TruthId).Distinct().Count(), objectsHeld,
            across.Count, acrossSamples, heldSamples, Stopwatch.GetElapsedTime(0, _soloTicks).TotalSeconds);
    }

    /// <summary>A pair counts when the object's track may flow between the two nodes in at least one direction.</summary>
    private bool Released(string a, IReadOnlySet<long> numbersA, string b, IReadOnlySet<long> numbersB, double time)
    {
        var na = Nation.Parse(a);
        var nb = Nation.Parse(b);
        return Flows(na, numbersA, nb, time) || Flows(nb, numbersB, na, time);
    }

    private bool Flows(Nation from, IReadOnlySet<long> numbers, Nation to, double time)
    {
        foreach (var n in numbers)
        {
            if (_policy is not null && _reportMarkings.TryGetValue((from, time, n), out var m) && m is not null
                && _policy.Permits(from, to, m, Network.Wire.MessageType.TrackReport))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Objects (and sample count) held under more than one number at one time, over the given nodes' associations.</summary>
    private static (HashSet<int> Objects, int Samples, int Held) SeveralNumbers(List<TruthSample> truth, IReadOnlyList<IReadOnlyList<TrackTruthAssociation>> perNode)
    {
        var byTruth = perNode.SelectMany(x => x).GroupBy(a => a.TruthId).ToDictionary(g => g.Key, g => g.ToArray());
        var objects = new HashSet<int>();
        var numbers = new HashSet<long>();
        int samples = 0, held = 0;
        foreach (var t in truth)
        {
            if (!byTruth.TryGetValue(t.TruthId, out var list))
            {
                continue;
            }

            numbers.Clear();
            foreach (var a in list)
            {
                if (a.IsActiveAt(t.Time))
                {
                    numbers.Add(a.TrackId);
                }
            }

            if (numbers.Count > 0)
            {
                held++;
            }

            if (numbers.Count > 1)
            {
                samples++;
                objects.Add(t.TruthId);
            }
        }

        return (objects, samples, held);
    }

    private static void Add(SortedDictionary<Nation, List<TrackSample>> into, Nation nation, double time, ImmutableArray<PictureTrack> picture)
    {
        if (!into.TryGetValue(nation, out var list))
        {
            into[nation] = list = [];
        }

        foreach (var p in picture)
        {
            var frame = new EnuFrame(p.Position);
            list.Add(new TrackSample(time, p.Number.Value, frame.OriginEcef, frame.RotateToEcef(p.VelocityEnu), p.Identity, p.Quality));
        }
    }

    /// <summary>The node's confirmed local tracks that the node counts as live (updated within <see cref="PictureRules.StaleAfter"/> of the time its tracker processed up to), predicted to the cycle time (constant velocity).</summary>
    private void AddLocal(Nation nation, CoalitionCycle cycle, NationalNode node)
    {
        if (!_localTracks.TryGetValue(nation, out var list))
        {
            _localTracks[nation] = list = [];
        }

        var stale = PictureRules.Default.StaleAfter;
        var processed = cycle.Time - node.Tracker.Options.OutOfSequenceLag;
        foreach (var t in node.Tracker.Tracks)
        {
            if (t.IsConfirmed && processed - t.LastUpdate <= stale)
            {
                var s = t.State;
                var dt = (cycle.Time - t.Time).TotalSeconds;
                list.Add(new TrackSample(cycle.SimTime, t.Id, s.Position + (s.Velocity * dt), s.Velocity, t.Identity, t.Quality.Value));
            }
        }
    }

    private SortedDictionary<Nation, NationalNode> Solo(CoalitionRun run)
    {
        if (_solo.Count == 0)
        {
            foreach (var nation in run.Nodes.Keys)
            {
                // A solo node is a national node too: the same out-of-sequence lag as the run's nodes.
                _solo[nation] = new NationalNode(new NodeOptions { Nation = nation, Tracker = NodeTrackerLag.Covering(_soloTracker!, run.TrackerLag) });
            }
        }

        return _solo;
    }

    private bool IsSampleTime(double time) => Math.Abs(time - (Math.Round(time / _sampleInterval) * _sampleInterval)) < 1e-6;
}
