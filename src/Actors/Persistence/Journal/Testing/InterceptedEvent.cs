namespace AlgoPerf.Actors.Persistence.Journal.Testing;

/// <summary>An event a <see cref="TestJournal"/> is about to write or replay, as its fault rules see it.</summary>
/// <param name="PersistenceId">The stream.</param>
/// <param name="SequenceNr">The event's sequence number.</param>
/// <param name="Payload">The event.</param>
public sealed record InterceptedEvent(string PersistenceId, long SequenceNr, object Payload);
