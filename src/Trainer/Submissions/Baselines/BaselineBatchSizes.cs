namespace AlgoPerf.Trainer.Submissions.Baselines;

/// <summary>
/// The baselines' <c>get_batch_size</c> for the dev suite: one global batch size per base workload (the PyTorch
/// peer benchmark's, so a baseline step is the benchmarked step). Variants are not listed: as in the reference, an
/// unknown name throws <see cref="ArgumentException"/> and the runner asks again with the base name.
/// </summary>
public static class BaselineBatchSizes
{
    private static readonly Dictionary<string, int> s_sizes = new(StringComparer.Ordinal)
    {
        ["fmnist_mlp"] = 128,
        ["fmnist_resnet"] = 128,
        ["fmnist_vit"] = 128,
        ["lm_transformer"] = 32,
        ["dlrm_synth"] = 512,
        ["unet_denoise"] = 64,
    };

    /// <summary>The batch size per base workload name.</summary>
    public static IReadOnlyDictionary<string, int> All => s_sizes;

    /// <summary>The batch size of <paramref name="workloadName"/>.</summary>
    /// <exception cref="ArgumentException">Not a base dev-suite workload (the reference's <c>ValueError</c>).</exception>
    public static int Get(string workloadName)
    {
        ArgumentNullException.ThrowIfNull(workloadName);
        return s_sizes.TryGetValue(workloadName, out var size)
            ? size
            : throw new ArgumentException($"unsupported workload name '{workloadName}' (known: {string.Join(", ", s_sizes.Keys)})", nameof(workloadName));
    }
}
