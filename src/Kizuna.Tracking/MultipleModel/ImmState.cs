using Kizuna.Tracking.LinearAlgebra;
using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.MultipleModel;

/// <summary>
/// The per-track state of an <see cref="InteractingMultipleModel"/> filter: one model-conditioned
/// Gaussian per model, the mode probabilities μ, the last log-likelihoods and the combined 6-D
/// (position, velocity) estimate, stored as one compact block of doubles. Storage is allocated
/// once, when the state is created; steps allocate nothing.
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> One contiguous block per track: for each model j its mean (nⱼ doubles) and
/// the upper triangle of its covariance, row by row (nⱼ(nⱼ + 1)/2 doubles), then μ (r), ln Λ (r),
/// and the combined mean (6) and covariance upper triangle (21). For the usual NCV / NCV / CT set
/// that is 122 doubles (976 bytes) instead of four 728-byte 9×9 buffers in separate arrays. The
/// <see cref="Trackers.ImmTrackEstimator"/> carves the blocks of consecutive track slots out of
/// one large array, so the predict and update passes of the tracker stream through memory in
/// track-table order.</para>
/// <para><b>Symmetry.</b> Only the upper triangle is stored, which is exact because every model
/// covariance is kept exactly symmetric (every predict, update, mixing and combination ends with an
/// exactly symmetric matrix; see <see cref="InteractingMultipleModel"/>).
/// <see cref="SetModelState"/> symmetrises what it is given.</para>
/// </remarks>
public sealed class ImmState
{
    private readonly double[] _data;
    private readonly int _offset;
    private readonly ImmBlockLayout _layout;

    internal ImmState(ImmBlockLayout layout, double[] data, int offset)
    {
        _layout = layout;
        _data = data;
        _offset = offset;
    }

    /// <summary>Number of models r.</summary>
    public int ModelCount => _layout.Models;

    /// <summary>The block layout (model set) this state was created for.</summary>
    internal ImmBlockLayout Layout => _layout;

    /// <summary>Mode probabilities μⱼ (sum to 1): posterior after an update, predicted after a prediction.</summary>
    public Span<double> ModeProbabilities => _data.AsSpan(_offset + _layout.MuOffset, _layout.Models);

    /// <summary>Per-model log-likelihoods ln Λⱼ of the last update.</summary>
    public Span<double> LogLikelihoods => _data.AsSpan(_offset + _layout.LogLikelihoodOffset, _layout.Models);

    /// <summary>The combined estimate over position and velocity (n = 6): x = Σ μⱼ xʲ, P = Σ μⱼ (Pʲ + (xʲ − x)(xʲ − x)ᵀ).</summary>
    public GaussianState Combined
    {
        get
        {
            var g = default(GaussianState);
            Unpack(_layout.CombinedOffset, 6, ref g);
            return g;
        }
    }

    /// <summary>The estimate x̂ʲ, Pʲ conditioned on model <paramref name="model"/> (a copy, dimension of that model).</summary>
    public GaussianState ModelState(int model)
    {
        var g = default(GaussianState);
        LoadModel(model, ref g);
        return g;
    }

    /// <summary>
    /// Replaces the estimate conditioned on model <paramref name="model"/>; the state's dimension must be the
    /// model's. The covariance is stored symmetrised (½(P + Pᵀ)), as the filter requires.
    /// </summary>
    public void SetModelState(int model, in GaussianState state)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(model);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(model, _layout.Models);
        if (state.Dimension != _layout.Dimensions[model])
        {
            throw new ArgumentException($"State dimension {state.Dimension} does not match model {model}'s dimension {_layout.Dimensions[model]}.", nameof(state));
        }

        var copy = state;
        Dense.Symmetrize(copy.Covariance, copy.Dimension);
        StoreModel(model, copy);
    }

    /// <summary>The whole block (for copying a track's IMM data in one stream).</summary>
    internal Span<double> Block => _data.AsSpan(_offset, _layout.BlockSize);

    /// <summary>Unpacks model j into <paramref name="destination"/> (dimension, mean, full covariance block).</summary>
    internal void LoadModel(int model, ref GaussianState destination) =>
        Unpack(_layout.ModelOffsets[model], _layout.Dimensions[model], ref destination);

    /// <summary>Packs the leading block of an exactly symmetric <paramref name="source"/> as model j.</summary>
    internal void StoreModel(int model, in GaussianState source) =>
        Pack(_layout.ModelOffsets[model], _layout.Dimensions[model], source);

    /// <summary>
    /// Starts every model from the 6-D estimate <paramref name="initial"/>: its mean and its covariance
    /// symmetrised (½(P + Pᵀ), as <see cref="Dense.Symmetrize"/>), extras zero with variance
    /// <paramref name="accelerationVariance"/> or <paramref name="turnRateVariance"/> (by layout) and
    /// no cross-covariance; the combined estimate is the same symmetrised 6-D estimate. Written
    /// straight into the packed block.
    /// </summary>
    internal void StoreInitial(in GaussianState initial, ReadOnlySpan<bool> turnRateExtras, double accelerationVariance, double turnRateVariance)
    {
        const int S = StateMatrix.Stride;
        Span<double> head = stackalloc double[6 + 21];
        ((ReadOnlySpan<double>)initial.Mean)[..6].CopyTo(head);
        ReadOnlySpan<double> p = initial.Covariance;
        var k = 6;
        for (var a = 0; a < 6; a++)
        {
            head[k++] = p[(a * S) + a];
            for (var b = a + 1; b < 6; b++)
            {
                head[k++] = 0.5 * (p[(a * S) + b] + p[(b * S) + a]);
            }
        }

        var block = Block;
        for (var j = 0; j < _layout.Models; j++)
        {
            var n = _layout.Dimensions[j];
            var dst = block.Slice(_layout.ModelOffsets[j], n + (n * (n + 1) / 2));
            dst.Clear();
            head[..6].CopyTo(dst);
            var from = 6;
            var to = n;
            for (var a = 0; a < n; a++)
            {
                if (a < 6)
                {
                    head.Slice(from, 6 - a).CopyTo(dst.Slice(to, 6 - a));
                    from += 6 - a;
                }
                else
                {
                    dst[to] = turnRateExtras[j] ? turnRateVariance : accelerationVariance;
                }

                to += n - a;
            }
        }

        head.CopyTo(block.Slice(_layout.CombinedOffset, 27));
    }

    /// <summary>Packs the combined 6-D estimate (exactly symmetric).</summary>
    internal void StoreCombined(in GaussianState combined) => Pack(_layout.CombinedOffset, 6, combined);

    /// <summary>Copies the contents of <paramref name="source"/> (same model set) into this state's block.</summary>
    internal void CopyFrom(ImmState source) => source.Block.CopyTo(Block);

    private void Unpack(int at, int n, ref GaussianState g)
    {
        const int S = StateMatrix.Stride;
        ReadOnlySpan<double> src = _data.AsSpan(_offset + at, n + (n * (n + 1) / 2));
        g.Dimension = n;
        src[..n].CopyTo(g.Mean);
        Span<double> p = g.Covariance;
        var k = n;
        for (var a = 0; a < n; a++)
        {
            p[(a * S) + a] = src[k++];
            for (var b = a + 1; b < n; b++)
            {
                var v = src[k++];
                p[(a * S) + b] = v;
                p[(b * S) + a] = v;
            }
        }
    }

    private void Pack(int at, int n, in GaussianState g)
    {
        const int S = StateMatrix.Stride;
        var dst = _data.AsSpan(_offset + at, n + (n * (n + 1) / 2));
        ((ReadOnlySpan<double>)g.Mean)[..n].CopyTo(dst);
        ReadOnlySpan<double> p = g.Covariance;
        var k = n;
        for (var a = 0; a < n; a++)
        {
            p.Slice((a * S) + a, n - a).CopyTo(dst.Slice(k, n - a));
            k += n - a;
        }
    }
}

/// <summary>Offsets of the parts of an <see cref="ImmState"/> block for one model set.</summary>
internal sealed class ImmBlockLayout
{
    public ImmBlockLayout(ReadOnlySpan<int> dimensions)
    {
        Models = dimensions.Length;
        Dimensions = dimensions.ToArray();
        ModelOffsets = new int[Models];
        var at = 0;
        for (var j = 0; j < Models; j++)
        {
            ModelOffsets[j] = at;
            at += Packed(Dimensions[j]);
        }

        MuOffset = at;
        LogLikelihoodOffset = at + Models;
        CombinedOffset = at + (2 * Models);
        BlockSize = CombinedOffset + Packed(6);
    }

    public int Models { get; }

    public int[] Dimensions { get; }

    public int[] ModelOffsets { get; }

    public int MuOffset { get; }

    public int LogLikelihoodOffset { get; }

    public int CombinedOffset { get; }

    /// <summary>Doubles per track.</summary>
    public int BlockSize { get; }

    /// <summary>True when <paramref name="other"/> lays out its blocks identically (the same model dimensions in the same order).</summary>
    public bool SameAs(ImmBlockLayout other) =>
        ReferenceEquals(this, other) || ((ReadOnlySpan<int>)Dimensions).SequenceEqual(other.Dimensions);

    /// <summary>A state with its own storage (the standalone API).</summary>
    public ImmState Allocate() => new(this, new double[BlockSize], 0);

    private static int Packed(int n) => n + (n * (n + 1) / 2);
}
