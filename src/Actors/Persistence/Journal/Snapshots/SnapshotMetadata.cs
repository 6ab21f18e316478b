namespace AlgoPerf.Actors.Persistence.Journal.Snapshots;

/// <summary>Identifies a snapshot.</summary>
/// <param name="PersistenceId">The stream.</param>
/// <param name="SequenceNr">The sequence number of the last event the snapshot's state includes.</param>
/// <param name="Timestamp">When the snapshot was taken (millisecond precision when stored).</param>
public sealed record SnapshotMetadata(string PersistenceId, long SequenceNr, DateTimeOffset Timestamp);
