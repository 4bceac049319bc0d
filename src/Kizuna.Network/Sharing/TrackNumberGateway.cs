using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Kizuna.Core;
using Kizuna.Core.Picture;
using Kizuna.Network.Picture;

namespace Kizuna.Network.Sharing;

/// <summary>Which track numbers an agreement's receiver sees (agreement key <c>track_numbers</c>).</summary>
public enum TrackNumberRelease
{
    /// <summary>The coalition numbers themselves (full partners: one identical number at every node). The default.</summary>
    Coalition = 0,

    /// <summary>
    /// A per-receiver alias from the <see cref="TrackNumberGateway"/>'s block, so that the number does not
    /// tell the receiver which nation's block (hence which nation's reporting) it came from.
    /// </summary>
    Alias = 1,
}

/// <summary>Configuration of the receiver-facing gateway (agreements file key <c>track_number_gateway</c>).</summary>
/// <param name="First">First number of the gateway's alias block.</param>
/// <param name="Last">Last number of the gateway's alias block (inclusive).</param>
/// <param name="Key">Secret key of the alias permutation (at least 16 bytes); held by the releasing nations, never by the receiver.</param>
public sealed record TrackNumberGatewaySettings(int First, int Last, ImmutableArray<byte> Key)
{
    /// <summary>The project's default alias block: 40000–79999 (outside every block of <see cref="TrackNumberPlan.Default"/>).</summary>
    public const int DefaultFirst = 40_000;

    /// <summary>Last number of the default alias block.</summary>
    public const int DefaultLast = 79_999;
}

/// <summary>
/// The receiver-facing gateway of the coalition: maps each coalition track number to a stable
/// per-receiver <i>alias</i> in the gateway's own block, and back. Stateless apart from a cache, so
/// every releasing node (in one process or each in its own, over NATS) gives one coalition number the
/// same alias without coordination. Thread-safe.
/// </summary>
/// <remarks>
/// <para><b>Mapping.</b> For receiver R, the domain is every number of the plan's blocks except R's
/// own (R's own numbers, and numbers in no nation's block such as exercise control's, go to it unchanged), listed in block order: D numbers, index
/// i ∈ [0, D). The alias of the number at index i is <c>First + π_R(i)</c>, π_R a keyed pseudorandom
/// permutation of [0, D): a balanced Feistel network (Luby &amp; Rackoff, SIAM J. Comput. 17(2), 1988)
/// of 10 rounds on 2k-bit values (2^2k ≥ D; each half k bits), round function
/// F_j(x) = HMAC-SHA-256(K_R, j ‖ x) truncated to k bits, restricted to [0, D) by cycle walking
/// (Black &amp; Rogaway, "Ciphers with Arbitrary Finite Domains", CT-RSA 2002, §3): y = E(i); while
/// y ≥ D, y = E(y). The construction is the one of format-preserving encryption (NIST SP 800-38G FF1,
/// which also uses 10 Feistel rounds), with our own round function. K_R = HMAC-SHA-256(K, R's code), K
/// the gateway key: without K the receiver cannot invert π_R, so an alias carries no information
/// about the block (nation) of the coalition number; with a different receiver key each receiver
/// sees unrelated aliases.</para>
/// <para><b>Life.</b> An alias is a function of the coalition number only — not of the reporter — so it
/// is the same whoever holds reporting responsibility, and it lives exactly as long as its coalition
/// number: a Correlate / Decorrelate / Drop notice is released with both numbers mapped the same
/// way, and a coalition number reused after its quarantine gets the same alias back (after the same
/// quarantine).</para>
/// <para><b>Cost.</b> Each receiver holds two int tables of D entries, filled on first use (about
/// 20 HMAC evaluations per number); afterwards a mapping is one table read, no allocation.</para>
/// </remarks>
public sealed class TrackNumberGateway
{
    private const int Rounds = 10;
    private readonly ImmutableDictionary<Nation, ReceiverMap> _receivers;

    private TrackNumberGateway(int first, int last, ImmutableDictionary<Nation, ReceiverMap> receivers)
    {
        First = first;
        Last = last;
        _receivers = receivers;
    }

    /// <summary>First number of the alias block.</summary>
    public int First { get; }

    /// <summary>Last number of the alias block (inclusive).</summary>
    public int Last { get; }

    /// <summary>The receivers that get aliases.</summary>
    public IEnumerable<Nation> Receivers => _receivers.Keys.Order();

    /// <summary>
    /// Creates the gateway for <paramref name="receivers"/>. Throws <see cref="ArgumentException"/> when the
    /// block overlaps a block of <paramref name="plan"/>, is too small for a receiver's domain, or the key is
    /// shorter than 16 bytes.
    /// </summary>
    public static TrackNumberGateway Create(TrackNumberGatewaySettings settings, IEnumerable<Nation> receivers, TrackNumberPlan? plan = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(receivers);
        plan ??= TrackNumberPlan.Default;
        if (settings.First < 1 || settings.Last < settings.First || settings.Last > TrackNumberBlock.MaxNumber)
        {
            throw new ArgumentException($"the gateway block must satisfy 1 <= first ({settings.First}) <= last ({settings.Last}) <= {TrackNumberBlock.MaxNumber}");
        }

        if (settings.Key.IsDefault || settings.Key.Length < 16)
        {
            throw new ArgumentException("the gateway key must be at least 16 bytes (32 hex digits)");
        }

        foreach (var (owner, b) in plan.Blocks)
        {
            if (b.First <= settings.Last && settings.First <= b.Last)
            {
                throw new ArgumentException($"the gateway block {settings.First:D5}-{settings.Last:D5} overlaps the track-number block of {owner} ({b.First:D5}-{b.Last:D5})");
            }
        }

        var size = settings.Last - settings.First + 1;
        var maps = ImmutableDictionary.CreateBuilder<Nation, ReceiverMap>();
        foreach (var r in receivers.Distinct())
        {
            var segments = plan.Blocks.Where(kv => kv.Key != r).OrderBy(kv => kv.Value.First).Select(kv => (kv.Value.First, kv.Value.Size)).ToArray();
            var domain = segments.Sum(s => s.Size);
            if (domain > size)
            {
                throw new ArgumentException($"the gateway block holds {size} numbers, fewer than the {domain} coalition numbers it must alias for {r}");
            }

            var key = HMACSHA256.HashData(settings.Key.AsSpan(), Encoding.ASCII.GetBytes(r.Code));
            var own = plan.Blocks.TryGetValue(r, out var ob) ? (ob.First, ob.Last) : (0, -1);
            maps[r] = new ReceiverMap(key, segments, own, domain);
        }

        return new TrackNumberGateway(settings.First, settings.Last, maps.ToImmutable());
    }

    /// <summary>True when <paramref name="receiver"/> gets aliases.</summary>
    public bool Aliases(Nation receiver) => _receivers.ContainsKey(receiver);

    /// <summary>True when <paramref name="number"/> lies in the alias block.</summary>
    public bool IsAlias(TrackNumber number) => number.Value >= First && number.Value <= Last;

    /// <summary>
    /// The number <paramref name="receiver"/> sees for coalition number <paramref name="coalition"/>: its
    /// alias; the number itself when it is None, in the receiver's own block or in no nation's block
    /// (exercise control). False when the receiver is not aliased or the number lies in the alias block
    /// itself (no node allocates there; passing it would collide with an alias: the caller refuses).
    /// </summary>
    public bool TryAlias(Nation receiver, TrackNumber coalition, out TrackNumber alias)
    {
        alias = coalition;
        if (!_receivers.TryGetValue(receiver, out var map))
        {
            return false;
        }

        if (!coalition.IsAssigned)
        {
            return true;
        }

        var index = map.IndexOf(coalition.Value);
        if (index == -2)
        {
            return true; // the receiver's own number
        }

        if (index < 0)
        {
            // In no nation's block (exercise control, 00001-00999): it names no nation and passes
            // unchanged — unless it lies in the alias block, where it would collide with an alias.
            return !IsAlias(coalition);
        }

        var y = Volatile.Read(ref map.Forward[index]) - 1;
        if (y < 0)
        {
            y = map.Permute(index, inverse: false);
            Volatile.Write(ref map.Forward[index], y + 1);
            Volatile.Write(ref map.Inverse[y], index + 1);
        }

        alias = new TrackNumber(First + y);
        return true;
    }

    /// <summary>
    /// The coalition number behind <paramref name="number"/> as sent by aliased receiver
    /// <paramref name="receiver"/>: an alias maps back, any other number (the receiver's own) is
    /// returned unchanged. False when the receiver is not aliased, or the alias is outside the domain.
    /// </summary>
    public bool TryResolve(Nation receiver, TrackNumber number, out TrackNumber coalition)
    {
        coalition = number;
        if (!_receivers.TryGetValue(receiver, out var map))
        {
            return false;
        }

        if (!IsAlias(number))
        {
            return true;
        }

        var y = number.Value - First;
        if (y >= map.Domain)
        {
            return false;
        }

        var i = Volatile.Read(ref map.Inverse[y]) - 1;
        if (i < 0)
        {
            i = map.Permute(y, inverse: true);
            Volatile.Write(ref map.Inverse[y], i + 1);
            Volatile.Write(ref map.Forward[i], y + 1);
        }

        coalition = new TrackNumber(map.NumberAt(i));
        return true;
    }

    private sealed class ReceiverMap
    {
        private readonly byte[] _key;
        private readonly (int First, int Size)[] _segments;
        private readonly (int First, int Last) _own;
        private readonly int _half;
        private readonly uint _mask;

        public ReceiverMap(byte[] key, (int First, int Size)[] segments, (int First, int Last) own, int domain)
        {
            _key = key;
            _segments = segments;
            _own = own;
            Domain = domain;
            var bits = 2;
            while ((1L << bits) < domain)
            {
                bits += 2;
            }

            _half = bits / 2;
            _mask = (1u << _half) - 1;
            Forward = new int[domain];
            Inverse = new int[domain];
        }

        public int Domain { get; }

        /// <summary>Index + 1 of each alias offset's coalition number (0: not computed yet).</summary>
        public int[] Inverse { get; }

        /// <summary>Alias offset + 1 of each domain index (0: not computed yet).</summary>
        public int[] Forward { get; }

        /// <summary>Domain index of <paramref name="number"/>; -2 in the receiver's own block, -1 outside every block.</summary>
        public int IndexOf(int number)
        {
            var offset = 0;
            foreach (var (first, size) in _segments)
            {
                if (number >= first && number < first + size)
                {
                    return offset + (number - first);
                }

                offset += size;
            }

            return number >= _own.First && number <= _own.Last ? -2 : -1;
        }

        public int NumberAt(int index)
        {
            foreach (var (first, size) in _segments)
            {
                if (index < size)
                {
                    return first + index;
                }

                index -= size;
            }

            throw new ArgumentOutOfRangeException(nameof(index));
        }

        /// <summary>π (or π⁻¹) by cycle walking over the Feistel permutation of [0, 2^(2k)).</summary>
        public int Permute(int x, bool inverse)
        {
            var v = (uint)x;
            do
            {
                v = inverse ? Decrypt(v) : Encrypt(v);
            }
            while (v >= (uint)Domain);

            return (int)v;
        }

        private uint Encrypt(uint v)
        {
            var l = v >> _half;
            var r = v & _mask;
            for (var j = 0; j < Rounds; j++)
            {
                (l, r) = (r, l ^ Round(j, r));
            }

            return (l << _half) | r;
        }

        private uint Decrypt(uint v)
        {
            var l = v >> _half;
            var r = v & _mask;
            for (var j = Rounds - 1; j >= 0; j--)
            {
                (l, r) = (r ^ Round(j, l), l);
            }

            return (l << _half) | r;
        }

        private uint Round(int j, uint x)
        {
            Span<byte> input = stackalloc byte[5];
            input[0] = (byte)j;
            BinaryPrimitives.WriteUInt32BigEndian(input[1..], x);
            Span<byte> mac = stackalloc byte[32];
            HMACSHA256.HashData(_key, input, mac);
            return BinaryPrimitives.ReadUInt32BigEndian(mac) & _mask;
        }
    }
}
