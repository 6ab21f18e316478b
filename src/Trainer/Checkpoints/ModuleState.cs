using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>
/// A module's parameters and buffers (batch-norm running statistics and counters) as checkpoint state:
/// <c>params.&lt;dotted name&gt;</c> and <c>buffers.&lt;dotted name&gt;</c>. Loading copies in place, so optimizer
/// state holding the same parameter tensors stays attached.
/// </summary>
public sealed class ModuleState(nn.Module module) : ICheckpointable
{
    /// <inheritdoc/>
    public void Save(CheckpointWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var (name, p) in module.named_parameters())
        {
            writer.Tensor("params." + name, p);
        }

        foreach (var (name, b) in module.named_buffers())
        {
            writer.Tensor("buffers." + name, b);
        }
    }

    /// <inheritdoc/>
    public void Load(CheckpointReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var parameters = module.named_parameters().ToList();
        var buffers = module.named_buffers().ToList();

        // Check every field before changing anything, so a checkpoint that does not fit leaves the module as it was.
        foreach (var (name, p) in parameters)
        {
            Check(reader, "params." + name, p);
        }

        foreach (var (name, b) in buffers)
        {
            Check(reader, "buffers." + name, b);
        }

        foreach (var (name, p) in parameters)
        {
            reader.CopyInto("params." + name, p);
        }

        foreach (var (name, b) in buffers)
        {
            reader.CopyInto("buffers." + name, b);
        }
    }

    private static void Check(CheckpointReader reader, string name, Tensor target)
    {
        var source = reader.Tensor(name);
        if (!source.shape.AsSpan().SequenceEqual(target.shape) || source.dtype != target.dtype)
        {
            throw reader.Corrupt(name, $"{source.dtype} [{string.Join(", ", source.shape)}] does not fit {target.dtype} [{string.Join(", ", target.shape)}]");
        }
    }
}
