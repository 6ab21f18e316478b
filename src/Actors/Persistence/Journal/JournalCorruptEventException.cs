namespace AlgoPerf.Actors.Persistence.Journal;

/// <summary>
/// A stored event (or snapshot) cannot be read: an unknown type tag, a version without an upcaster path, or a payload
/// that is not valid JSON for its type. Recovery fails (Akka's <c>OnRecoveryFailure</c>); nothing is changed in the
/// store. Derives from <see cref="IOException"/> so the CLI reports it as <c>error: ...</c>.
/// </summary>
public sealed class JournalCorruptEventException : IOException
{
    /// <summary>Creates the exception.</summary>
    public JournalCorruptEventException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public JournalCorruptEventException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The serializer's error.</param>
    public JournalCorruptEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one stored record.</summary>
    /// <param name="persistenceId">The stream.</param>
    /// <param name="sequenceNr">The record's sequence number.</param>
    /// <param name="typeTag">The stored type tag.</param>
    /// <param name="typeVersion">The stored schema version.</param>
    /// <param name="reason">What is wrong.</param>
    /// <param name="innerException">The serializer's error, if any.</param>
    public JournalCorruptEventException(string persistenceId, long sequenceNr, string typeTag, int typeVersion, string reason, Exception? innerException)
        : base($"cannot read event '{persistenceId}' sequence number {sequenceNr} (tag '{typeTag}' version {typeVersion}): {reason}", innerException)
    {
        PersistenceId = persistenceId;
        SequenceNr = sequenceNr;
        TypeTag = typeTag;
        TypeVersion = typeVersion;
    }

    /// <summary>The stream, when known.</summary>
    public string? PersistenceId { get; }

    /// <summary>The record's sequence number.</summary>
    public long SequenceNr { get; }

    /// <summary>The stored type tag, when known.</summary>
    public string? TypeTag { get; }

    /// <summary>The stored schema version.</summary>
    public int TypeVersion { get; }
}
