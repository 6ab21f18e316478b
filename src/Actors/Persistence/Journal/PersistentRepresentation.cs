namespace AlgoPerf.Actors.Persistence.Journal;

/// <summary>A stored event as replayed or queried.</summary>
/// <param name="PersistenceId">The stream.</param>
/// <param name="SequenceNr">Sequence number in the stream (from 1).</param>
/// <param name="Ordering">Global ordering across all streams (from 1; ascending in commit order per writer connection;
/// may have gaps).</param>
/// <param name="Tags">The event's tags.</param>
/// <param name="TypeTag">The stored type tag (<see cref="AlgoPerf.Contracts.Events.EventContractAttribute.Tag"/>).</param>
/// <param name="TypeVersion">The stored schema version (before upcasting).</param>
/// <param name="Payload">The event, deserialized and upcast to its current version.</param>
/// <param name="WriterEpoch">The epoch of the writer that appended it.</param>
/// <param name="Timestamp">When it was appended (the journal's <see cref="TimeProvider"/>), millisecond precision.</param>
public sealed record PersistentRepresentation(
    string PersistenceId,
    long SequenceNr,
    long Ordering,
    IReadOnlyList<string> Tags,
    string TypeTag,
    int TypeVersion,
    object Payload,
    long WriterEpoch,
    DateTimeOffset Timestamp);
