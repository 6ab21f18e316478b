namespace AlgoPerf.Actors.Persistence.Journal;

/// <summary>
/// A write carried a writer epoch lower than the highest epoch the stream has accepted: a newer lease holder owns the
/// stream, so this writer is fenced off. Nothing was stored. The fenced writer should give up the stream (its lease
/// is gone); retrying with the same epoch is rejected again.
/// </summary>
public sealed class JournalFencedException : JournalRejectedException
{
    /// <summary>Creates the exception.</summary>
    public JournalFencedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why.</param>
    public JournalFencedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why.</param>
    /// <param name="innerException">The cause.</param>
    public JournalFencedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one stream.</summary>
    /// <param name="persistenceId">The stream.</param>
    /// <param name="writerEpoch">The refused writer's epoch.</param>
    /// <param name="currentEpoch">The stream's current (highest accepted) epoch.</param>
    public JournalFencedException(string persistenceId, long writerEpoch, long currentEpoch)
        : base($"journal write to '{persistenceId}' fenced: writer epoch {writerEpoch} is lower than the stream's epoch {currentEpoch}")
    {
        PersistenceId = persistenceId;
        WriterEpoch = writerEpoch;
        CurrentEpoch = currentEpoch;
    }

    /// <summary>The stream, when known.</summary>
    public string? PersistenceId { get; }

    /// <summary>The refused writer's epoch.</summary>
    public long WriterEpoch { get; }

    /// <summary>The stream's current epoch.</summary>
    public long CurrentEpoch { get; }
}
