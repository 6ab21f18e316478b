using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>What a verified tensor file holds, and where each tensor's bytes lie.</summary>
internal sealed record TensorFileLayout(string Metadata, IReadOnlyList<TensorFileLayout.Entry> Entries)
{
    internal sealed record Entry(string Name, ScalarType Dtype, long[] Shape, long Offset, long Length);
}
