namespace AlgoPerf.Seed.Tests;

/// <summary>
/// Tests that read the process-wide live tensor-handle count run alone (no other test class creates or releases
/// tensors meanwhile).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeHandlesCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "native-handles";
}
