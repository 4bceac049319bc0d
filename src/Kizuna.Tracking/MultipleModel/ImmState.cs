using Kizuna.Tracking.Types;

namespace Kizuna.Tracking.MultipleModel;

/// <summary>
/// The per-track state of an <see cref="InteractingMultipleModel"/> filter: one model-conditioned
/// Gaussian per model, the mode probabilities μ, and the combined 6-D (position, velocity)
/// estimate. All buffers are allocated once, when the track is created; steps allocate nothing.
/// </summary>
public sealed class ImmState
{
    internal ImmState(int models)
    {
        ModelStates = new GaussianState[models];
        ModeProbabilities = new double[models];
        LogLikelihoods = new double[models];
    }

    /// <summary>Model-conditioned estimates x̂ʲ, Pʲ (dimension of model j).</summary>
    public GaussianState[] ModelStates { get; }

    /// <summary>Mode probabilities μⱼ (sum to 1): posterior after an update, predicted after a prediction.</summary>
    public double[] ModeProbabilities { get; }

    /// <summary>Per-model log-likelihoods ln Λⱼ of the last update.</summary>
    public double[] LogLikelihoods { get; }

    /// <summary>The combined estimate over position and velocity (n = 6): x = Σ μⱼ xʲ, P = Σ μⱼ (Pʲ + (xʲ − x)(xʲ − x)ᵀ).</summary>
    public GaussianState Combined;

    /// <summary>Mixing buffer for model sets too large to mix on the stack; created on first use (a pooled track keeps it).</summary>
    internal GaussianState[] Scratch => _scratch ??= new GaussianState[ModelStates.Length];

    private GaussianState[]? _scratch;

    /// <summary>Copies the meaningful contents of <paramref name="source"/> (same model set) into this state's buffers.</summary>
    internal void CopyFrom(ImmState source)
    {
        for (var j = 0; j < ModelStates.Length; j++)
        {
            source.ModelStates[j].CopyLeadingTo(ref ModelStates[j]);
        }

        source.ModeProbabilities.AsSpan().CopyTo(ModeProbabilities);
        source.LogLikelihoods.AsSpan().CopyTo(LogLikelihoods);
        source.Combined.CopyLeadingTo(ref Combined);
    }
}
