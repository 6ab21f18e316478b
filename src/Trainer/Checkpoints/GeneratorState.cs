using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>A LibTorch generator's full state as checkpoint state (one byte tensor named <c>state</c>).</summary>
public sealed class GeneratorState(Generator generator) : ICheckpointable
{
    /// <inheritdoc/>
    public void Save(CheckpointWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var state = generator.get_state();
        writer.Bytes("state", TensorBytes.ToBytes(state));
    }

    /// <inheritdoc/>
    public void Load(CheckpointReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var state = reader.Bytes("state");
        try
        {
            using var tensor = torch.tensor(state);
            generator.set_state(tensor);
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            throw reader.Corrupt("state", "not a generator state: " + e.Message);
        }
    }
}
