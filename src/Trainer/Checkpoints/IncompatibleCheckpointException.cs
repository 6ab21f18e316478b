namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>
/// A checkpoint that is intact but was written by a build this one cannot resume from (the home-made LibTorch 1.13
/// binding's format 1). It is never passed over for an older checkpoint or a fresh start: the trial fails with this
/// message and the file stays where it is.
/// </summary>
public sealed class IncompatibleCheckpointException : Exception
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public IncompatibleCheckpointException(string filePath, string message)
        : base(message)
    {
        FilePath = filePath;
    }

    /// <summary>The checkpoint file.</summary>
    public string FilePath { get; }
}
