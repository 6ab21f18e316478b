using TorchSharp;

namespace AlgoPerf.Trainer.Distributed;

/// <summary>
/// One rank's end of a gang's gradient all-reduce (PyTorch DDP's reducer): every rank of a gang calls
/// <see cref="AverageInPlace"/> once per step, on its own trial thread, with its gradients in the same order and of the
/// same shapes; when it returns, every rank holds the average over the ranks, so the submission's update sees the
/// gradient of the global batch without knowing about ranks.
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
