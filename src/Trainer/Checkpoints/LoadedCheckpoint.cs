
namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>A verified checkpoint in memory: its header and a reader over its tensors and scalars. Disposing releases the tensors.</summary>
public sealed class LoadedCheckpoint : IDisposable
{
    private readonly TensorFileContents _contents;

    internal LoadedCheckpoint(string path, CheckpointHeader header, CheckpointReader reader, TensorFileContents contents)
    {
        Path = path;
        Header = header;
        Reader = reader;
        _contents = contents;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The runner's part: trial identity, step, clock state, input position, eval history.</summary>
    public CheckpointHeader Header { get; }

    /// <summary>The tensors and scalars of the model, the optimizer state and the generators.</summary>
    public CheckpointReader Reader { get; }

    /// <summary>Releases the loaded tensors.</summary>
    public void Dispose() => _contents.Dispose();
}
