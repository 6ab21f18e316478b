using AlgoPerf.Torch;

namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>A libtorch generator's full state as checkpoint state (one byte tensor named <c>state</c>).</summary>
public sealed class GeneratorState(Generator generator) : ICheckpointable
{
    /// <inheritdoc/>
    public void Save(CheckpointWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Bytes("state", generator.GetState());
    }

    /// <inheritdoc/>
    public void Load(CheckpointReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var state = reader.Bytes("state");
        try
        {
            generator.SetState(state);
        }
        catch (TorchException e)
        {
            throw reader.Corrupt("state", "not a generator state: " + e.Message);
        }
    }
}
