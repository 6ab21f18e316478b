namespace AlgoPerf.Actors.Persistence.Journal;

/// <summary>An event to append (see <see cref="AtomicWrite"/>).</summary>
/// <param name="SequenceNr">The event's sequence number in its stream (from 1).</param>
/// <param name="Payload">The event: an instance of a type registered with the journal's <see cref="AlgoPerf.Contracts.Serialization.IEventSerializer"/>.</param>
/// <param name="Tags">Tags for <c>EventsByTag</c> queries; empty for none.</param>
public sealed record PendingEvent(long SequenceNr, object Payload, IReadOnlyList<string> Tags)
{
    /// <summary>An event without tags.</summary>
    /// <param name="sequenceNr">The event's sequence number.</param>
    /// <param name="payload">The event.</param>
    public PendingEvent(long sequenceNr, object payload)
        : this(sequenceNr, payload, [])
    {
    }
}
