using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Network.Sharing;

namespace Kizuna.Network.Node;

/// <summary>
/// The marking of data a node derives from several nations' contributions (a track updated with a
/// partner's plots, a picture entry fused with a partner's report): releasable only to the nations
/// that <i>every</i> contributor allows, so that nothing leaks a third nation's data onward
/// against its originator's wishes. Not thread-safe (one per node).
/// </summary>
/// <remarks>
/// <para>For node N with its own releasable-to set A_N and contributing nations C, the derived
/// releasable-to set is R(C) = A_N ∩ ⋂_{c ∈ C, c ≠ N} O(c), where the onward set of a partner c is
/// O(c) = {c} ∪ (F(c→N) ∩ M(c)): c itself, or a third nation named in the <c>forward_to</c> list of
/// c's agreement with N (docs/network.md, "Agreements") and in the releasable-to sets of every
/// marking N has received on c's data. A track report received from partner p with marking m
/// contributes O(m) = {o} ∪ (F(o→N) ∩ m.ReleasableTo), o = m.Originator, which carries the
/// restrictions p itself derived. This is the "originator control" principle of derived data
/// (the most restrictive caveat of any source carries over to the product), applied to
/// Kizuna's release rule (2): <see cref="ReleasePolicy"/> refuses every destination outside R.</para>
/// <para>Nations are indexed as they appear (at most 64), so a set of contributors is a bit mask
/// and the marking for each mask is computed once and cached; a narrowing of O(c) clears the cache.</para>
/// </remarks>
public sealed class DerivedDataMarking
{
    private readonly Nation _self;
    private readonly Classification _classification;
    private readonly ImmutableSortedSet<Nation> _own;
    private readonly SharingAgreements _agreements;
    private readonly Dictionary<Nation, int> _index = [];
    private readonly List<Nation> _nations = [];
    private readonly Dictionary<Nation, ImmutableSortedSet<Nation>> _onward = [];
    private readonly Dictionary<ulong, Marking> _byMask = [];
    private readonly Dictionary<Marking, ImmutableSortedSet<Nation>> _reportOnward = [];

    /// <summary>Creates the marking rules of node <paramref name="self"/>.</summary>
    /// <param name="self">The node's nation.</param>
    /// <param name="classification">Classification of the node's track products (its guide's level for full track content).</param>
    /// <param name="ownReleasableTo">A_N: where the node's own data may go (the node's nation is removed).</param>
    /// <param name="agreements">The agreements in force (for <c>forward_to</c>).</param>
    public DerivedDataMarking(Nation self, Classification classification, ImmutableSortedSet<Nation> ownReleasableTo, SharingAgreements agreements)
    {
        ArgumentNullException.ThrowIfNull(ownReleasableTo);
        ArgumentNullException.ThrowIfNull(agreements);
        _self = self;
        _classification = classification;
        _own = ownReleasableTo.Remove(self);
        _agreements = agreements;
        Own = new Marking(classification, self, _own);
        IndexOf(self);
    }

    /// <summary>The marking of data derived from the node's own sources only.</summary>
    public Marking Own { get; }

    /// <summary>The bit of <paramref name="nation"/> in a contributor mask (nations beyond the 64th share bit 63).</summary>
    public ulong BitOf(Nation nation) => 1UL << Math.Min(63, IndexOf(nation));

    /// <summary>The nations of <paramref name="mask"/>, in code order.</summary>
    public ImmutableSortedSet<Nation> NationsOf(ulong mask)
    {
        var b = ImmutableSortedSet.CreateBuilder<Nation>();
        for (var i = 0; i < _nations.Count; i++)
        {
            if ((mask & (1UL << Math.Min(63, i))) != 0)
            {
                b.Add(_nations[i]);
            }
        }

        return b.ToImmutable();
    }

    /// <summary>O(c): where partner <paramref name="contributor"/>'s data may go from this node (the node's own nation: A_N).</summary>
    public ImmutableSortedSet<Nation> OnwardOf(Nation contributor)
    {
        if (contributor == _self)
        {
            return _own;
        }

        if (!_onward.TryGetValue(contributor, out var set))
        {
            set = _agreements.TryGet(contributor, _self, out var a) ? a.ForwardTo.Add(contributor) : [contributor];
            _onward[contributor] = set;
        }

        return set;
    }

    /// <summary>Narrows O(originator) by a marking received on the originator's data (a detection batch).</summary>
    public void Restrict(Marking received)
    {
        ArgumentNullException.ThrowIfNull(received);
        var o = received.Originator;
        if (o == _self)
        {
            return;
        }

        var current = OnwardOf(o);
        var narrowed = current.Intersect(received.ReleasableTo.Add(o));
        if (narrowed.Count != current.Count)
        {
            _onward[o] = narrowed;
            _byMask.Clear();
            _reportOnward.Clear();
        }
    }

    /// <summary>The marking of data derived from the nations in <paramref name="contributors"/> (a mask of <see cref="BitOf"/> bits); cached.</summary>
    public Marking ForContributors(ulong contributors)
    {
        if (_byMask.TryGetValue(contributors, out var m))
        {
            return m;
        }

        var set = _own;
        for (var i = 0; i < _nations.Count; i++)
        {
            if ((contributors & (1UL << Math.Min(63, i))) != 0 && _nations[i] != _self)
            {
                set = set.Intersect(OnwardOf(_nations[i]));
            }
        }

        m = set.SetEquals(_own) ? Own : new Marking(_classification, _self, set);
        _byMask[contributors] = m;
        return m;
    }

    /// <summary>O(m): where data received under marking <paramref name="received"/> (a partner's track report) may go from this node.</summary>
    public ImmutableSortedSet<Nation> OnwardOf(Marking received)
    {
        ArgumentNullException.ThrowIfNull(received);
        if (!_reportOnward.TryGetValue(received, out var set))
        {
            var o = received.Originator;
            set = o == _self ? _own : OnwardOf(o).Intersect(received.ReleasableTo.Add(o));
            _reportOnward[received] = set;
        }

        return set;
    }

    /// <summary>The marking of a product whose local part has marking <paramref name="local"/> (null: no local part) and which fuses data received under <paramref name="remotes"/>.</summary>
    public Marking Combine(Marking? local, ReadOnlySpan<Marking> remotes)
    {
        ImmutableSortedSet<Nation>? set = local?.ReleasableTo;
        foreach (var r in remotes)
        {
            var onward = OnwardOf(r);
            set = set is null ? onward.Remove(_self) : set.Intersect(onward);
        }

        if (set is null || (local is not null && set.Count == local.ReleasableTo.Count))
        {
            return local ?? Own;
        }

        return new Marking(_classification, _self, set);
    }

    private int IndexOf(Nation nation)
    {
        if (!_index.TryGetValue(nation, out var i))
        {
            i = _nations.Count;
            _index[nation] = i;
            _nations.Add(nation);
        }

        return i;
    }
}
