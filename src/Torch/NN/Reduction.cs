namespace AlgoPerf.Torch.NN;

/// <summary>How a loss reduces its per-element values; values are libtorch's <c>at::Reduction</c> codes.</summary>
public enum Reduction
{
    /// <summary>Per-element losses, unreduced.</summary>
    None = 0,

    /// <summary>The mean (for class-index cross-entropy: over non-ignored targets, weighted).</summary>
    Mean = 1,

    /// <summary>The sum.</summary>
    Sum = 2,
}
