using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Workloads;

/// <summary>
/// One batch: the model's input tensors, the targets, and an optional per-example weight mask (1 = real example,
/// 0 = padding), as the reference's batch dict (<c>inputs</c>, <c>targets</c>, <c>weights</c>). Disposing it releases
/// the tensors (also when a dispose scope already did).
/// </summary>
public sealed class Batch : IDisposable
{
    private readonly Tensor[] _inputs;

    /// <summary>Wraps the tensors; the batch owns them.</summary>
    public Batch(Tensor[] inputs, Tensor targets, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        _inputs = inputs;
        Targets = targets;
        Mask = mask;
    }

    /// <summary>The model inputs (images; tokens; dense features and category ids).</summary>
    public IReadOnlyList<Tensor> Inputs => _inputs;

    /// <summary>Class indices, token ids, click labels or clean images.</summary>
    public Tensor Targets { get; }

    /// <summary>Per-example weights, or null when every example counts.</summary>
    public Tensor? Mask { get; }

    /// <summary>Examples in the batch (the first dimension of the targets).</summary>
    public long Count => Targets.size(0);

    /// <summary>
    /// The batch on <paramref name="device"/>: this batch itself when its tensors are there already, else a new batch
    /// holding copies there (this one is disposed).
    /// </summary>
    public Batch To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (Targets.IsOn(device))
        {
            return this;
        }

        var moved = new Batch([.. _inputs.Select(t => t.to(device).DetachFromDisposeScope())], Targets.to(device).DetachFromDisposeScope(), Mask?.to(device).DetachFromDisposeScope());
        Dispose();
        return moved;
    }

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        foreach (var t in _inputs)
        {
            t.Dispose();
        }

        Targets.Dispose();
        Mask?.Dispose();
    }
}
