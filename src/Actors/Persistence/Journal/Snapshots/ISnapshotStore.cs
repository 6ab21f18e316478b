namespace AlgoPerf.Actors.Persistence.Journal.Snapshots;

/// <summary>
/// Snapshots of persistent actors' state, keyed by (persistence id, sequence number). Recovery loads the newest usable
/// snapshot and replays the events after it.
/// </summary>
/// <remarks>
/// Snapshot payloads go through the same <see cref="AlgoPerf.Contracts.Serialization.IEventSerializer"/> as events, so a snapshot type is a
/// registered, versioned contract too. Saving a snapshot twice for the same (persistence id, sequence number)
/// replaces the first. Snapshot failures never stop a writer: a failed save is reported, a failed load falls back to
/// an older snapshot.
/// </remarks>
public interface ISnapshotStore
{
    /// <summary>Stores a snapshot durably (replacing one with the same persistence id and sequence number).</summary>
    /// <param name="metadata">Persistence id, sequence number of the last event the state includes, timestamp.</param>
    /// <param name="snapshot">The state: an instance of a registered type.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>A task that completes when the snapshot is durable.</returns>
    /// <exception cref="JournalRejectedException">The snapshot cannot be serialized.</exception>
    Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default);

    /// <summary>
    /// Loads the newest snapshot matching <paramref name="criteria"/>. When the newest cannot be read (corrupt, unknown
    /// tag) the next older matching one is tried, up to <c>max-load-attempts</c> (3) snapshots in all, as Akka's local
    /// snapshot store does; when all tried fail, the last error is thrown.
    /// </summary>
    /// <param name="persistenceId">The stream.</param>
    /// <param name="criteria">Which snapshots qualify.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The snapshot, or null when none matches.</returns>
    /// <exception cref="JournalCorruptEventException">Every snapshot tried is unreadable.</exception>
    Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default);

    /// <summary>Deletes one snapshot (no error when it does not exist).</summary>
    /// <param name="metadata">The snapshot's persistence id and sequence number (the timestamp is ignored).</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>A task that completes when the delete is durable.</returns>
    Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default);

    /// <summary>Deletes every snapshot of the stream matching <paramref name="criteria"/>.</summary>
    /// <param name="persistenceId">The stream.</param>
    /// <param name="criteria">Which snapshots to delete.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>A task that completes when the delete is durable.</returns>
    Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default);
}
