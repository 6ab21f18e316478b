namespace AlgoPerf.Actors.Persistence.Journal;

/// <summary>
/// The journal refused a write before storing anything (Akka's <c>OnPersistRejected</c>): a payload that cannot be
/// serialized, a stale writer epoch (<see cref="JournalFencedException"/>), an invalid batch. The writer's state is
/// unchanged and it may continue; rejections are never retried.
/// </summary>
public class JournalRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JournalRejectedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why, naming the persistence id and sequence numbers.</param>
    public JournalRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why, naming the persistence id and sequence numbers.</param>
    /// <param name="innerException">The cause (e.g. the serializer's error).</param>
    public JournalRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
