namespace AlgoPerf.Actors.Persistence.Journal.Snapshots;

/// <summary>A loaded snapshot.</summary>
/// <param name="Metadata">Which snapshot.</param>
/// <param name="Snapshot">The state, deserialized and upcast to its current version.</param>
public sealed record SelectedSnapshot(SnapshotMetadata Metadata, object Snapshot);
