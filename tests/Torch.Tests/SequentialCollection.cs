namespace AlgoPerf.Torch.Tests;

/// <summary>libtorch tests share process-wide state (threads, seeds, the handle counter), so they run one at a time.</summary>
[CollectionDefinition("Sequential", DisableParallelization = true)]
public sealed class SequentialCollection
{
}
