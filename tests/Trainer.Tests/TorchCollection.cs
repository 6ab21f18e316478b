namespace AlgoPerf.Trainer.Tests;

/// <summary>Tests that call libtorch share process-wide state (threads, grad mode per thread, handle counts): one at a time.</summary>
[CollectionDefinition("Torch", DisableParallelization = true)]
public sealed class TorchCollection
{
}
