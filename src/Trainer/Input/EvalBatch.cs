namespace AlgoPerf.Trainer.Input;

/// <summary>A contiguous range of a split evaluated as one batch.</summary>
/// <param name="Start">Index of the first example.</param>
/// <param name="Count">Real examples in the batch; the last batch may be shorter than the eval batch size.</param>
/// <param name="PaddedSize">The eval batch size: a batch padded to this size carries a mask of <see cref="Count"/> ones.</param>
public readonly record struct EvalBatch(int Start, int Count, int PaddedSize);
