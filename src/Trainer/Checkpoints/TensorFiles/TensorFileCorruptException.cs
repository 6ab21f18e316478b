namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>
/// A tensor file that cannot be trusted: wrong magic, unsupported version, truncated, checksum mismatch or a
/// malformed entry. The message names the file and the field (and the tensor, where one is involved). It is an
/// <see cref="IOException"/> (<see cref="InvalidDataException"/> is sealed), so the CLI reports it as
/// <c>error: ...</c> with a non-zero exit.
/// </summary>
public sealed class TensorFileCorruptException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>, naming the offending <paramref name="field"/>.</summary>
    public TensorFileCorruptException(string filePath, string field, string detail)
        : base($"tensor file '{filePath}': {field}: {detail}")
    {
        FilePath = filePath;
        Field = field;
    }

    /// <summary>Creates an exception with a message only.</summary>
    public TensorFileCorruptException(string message)
        : base(message)
    {
        FilePath = string.Empty;
        Field = string.Empty;
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public TensorFileCorruptException(string message, Exception innerException)
        : base(message, innerException)
    {
        FilePath = string.Empty;
        Field = string.Empty;
    }

    /// <summary>Creates an empty exception.</summary>
    public TensorFileCorruptException()
    {
        FilePath = string.Empty;
        Field = string.Empty;
    }

    /// <summary>The file that failed to load.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong in it, e.g. <c>checksum</c> or <c>tensor 'fc.weight' (#2) shape</c>.</summary>
    public string Field { get; }
}
