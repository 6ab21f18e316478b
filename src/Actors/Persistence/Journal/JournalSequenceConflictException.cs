namespace AlgoPerf.Actors.Persistence.Journal;

/// <summary>
/// A write's sequence numbers do not follow the stream's highest stored one (a duplicate or a gap): another writer
/// wrote the stream, so this writer's state is stale. Nothing of the batch was stored, but the writer must stop and
/// recover, so this is a <see cref="JournalWriteFailedException"/>, not a rejection.
/// </summary>
public sealed class JournalSequenceConflictException : JournalWriteFailedException
{
    /// <summary>Creates the exception.</summary>
    public JournalSequenceConflictException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The conflict.</param>
    public JournalSequenceConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The conflict.</param>
    /// <param name="innerException">The driver's error.</param>
    public JournalSequenceConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one stream.</summary>
    /// <param name="persistenceId">The stream.</param>
    /// <param name="expectedSequenceNr">The sequence number the stream expected next.</param>
    /// <param name="actualSequenceNr">The first sequence number of the batch.</param>
    public JournalSequenceConflictException(string persistenceId, long expectedSequenceNr, long actualSequenceNr)
        : base($"journal write to '{persistenceId}' conflicts: expected sequence number {expectedSequenceNr}, got {actualSequenceNr} (another writer?)")
    {
        PersistenceId = persistenceId;
        ExpectedSequenceNr = expectedSequenceNr;
        ActualSequenceNr = actualSequenceNr;
    }

    /// <summary>The stream, when known.</summary>
    public string? PersistenceId { get; }

    /// <summary>The sequence number the stream expected next.</summary>
    public long ExpectedSequenceNr { get; }

    /// <summary>The first sequence number of the refused batch.</summary>
    public long ActualSequenceNr { get; }
}
