namespace AlgoPerf.Actors.Persistence.Journal;

/// <summary>
/// A journal write failed and its outcome is unknown: the batch may or may not be stored. The writer must stop
/// (Akka's <c>OnPersistFailure</c>); a backoff supervisor restarts it and recovery shows what landed.
/// </summary>
public class JournalWriteFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JournalWriteFailedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the persistence id and sequence numbers.</param>
    public JournalWriteFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the persistence id and sequence numbers.</param>
    /// <param name="innerException">The driver's error.</param>
    public JournalWriteFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
