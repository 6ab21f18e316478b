using TorchSharp;

namespace AlgoPerf.Trainer.Distributed;

/// <summary>
/// One rank's end of a gang's collectives (PyTorch DDP's process group): every rank of a gang calls the same
/// operations in the same order, each on its own trial thread. <see cref="AverageInPlace"/> is DDP's gradient
/// all-reduce: once per step, with the gradients in the same order and of the same shapes on every rank; when it
/// returns, every rank holds the average over the ranks, so the submission's update sees the gradient of the global
/// batch without knowing about ranks. <see cref="BroadcastInPlace"/> is DDP's buffer broadcast from rank 0, and
/// <see cref="AllReduce"/> agrees on the few numbers the ranks must share: the clock's readings (maximum, the
/// reference's <c>sync_ddp_time</c>), the loop's decisions, and the eval's metric sums.
/// </summary>
public interface IGradientReducer : IDisposable
{
    /// <summary>This rank (0-based).</summary>
    int Rank { get; }

    /// <summary>Ranks in the gang.</summary>
    int WorldSize { get; }

    /// <summary>Averages <paramref name="gradients"/> over the gang's ranks, in place.</summary>
    /// <exception cref="ArgumentException">A gradient that is not a contiguous float32 CPU tensor, or ranks whose gradients differ in size.</exception>
    /// <exception cref="GangFailedException">A rank did not arrive within the gang's timeout (it died or hangs), or the gang failed before.</exception>
    void AverageInPlace(IReadOnlyList<torch.Tensor> gradients);

    /// <summary>Overwrites every rank's <paramref name="tensors"/> with <paramref name="root"/>'s, byte for byte (any dtype).</summary>
    /// <exception cref="ArgumentException">A tensor that is not contiguous on the CPU, or ranks whose tensors differ in size.</exception>
    /// <exception cref="GangFailedException">A rank did not arrive within the gang's timeout, or the gang failed before.</exception>
    void BroadcastInPlace(IReadOnlyList<torch.Tensor> tensors, int root);

    /// <summary>Replaces <paramref name="values"/> on every rank with their element-wise sum or maximum over the ranks (rank order, so every rank gets bit-identical results).</summary>
    /// <exception cref="ArgumentException">Ranks that pass different counts.</exception>
    /// <exception cref="GangFailedException">A rank did not arrive within the gang's timeout, or the gang failed before.</exception>
    void AllReduce(Span<double> values, ReduceOp op);
}

/// <summary>How <see cref="IGradientReducer.AllReduce"/> combines the ranks' values.</summary>
public enum ReduceOp
{
    /// <summary>The sum over the ranks.</summary>
    Sum,

    /// <summary>The maximum over the ranks.</summary>
    Max,
}

/// <summary>A gang's collective failed: a rank died, hung past the timeout, or broke the protocol. The trial resumes from its checkpoint on a new gang.</summary>
public sealed class GangFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GangFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public GangFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public GangFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
