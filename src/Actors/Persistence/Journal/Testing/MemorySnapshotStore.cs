using AlgoPerf.Contracts.Serialization;
using AlgoPerf.Actors.Persistence.Journal.Snapshots;

namespace AlgoPerf.Actors.Persistence.Journal.Testing;

/// <summary>
/// An in-memory <see cref="ISnapshotStore"/> for tests. With a serializer every snapshot is round-tripped through it
/// (a snapshot the real store would reject is rejected here too). Thread-safe.
/// </summary>
public sealed class MemorySnapshotStore(IEventSerializer? serializer = null) : ISnapshotStore
{
    private readonly Lock _gate = new();
    private readonly List<SelectedSnapshot> _snapshots = [];

    /// <inheritdoc />
    public Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        object stored;
        try
        {
            ArgumentNullException.ThrowIfNull(snapshot);
            var serialized = serializer?.Serialize(snapshot);
            stored = serialized is null ? snapshot : serializer!.Deserialize(serialized.TypeTag, serialized.TypeVersion, serialized.Utf8Json);
        }
        catch (Exception ex)
        {
            throw new JournalRejectedException($"snapshot of '{metadata.PersistenceId}' at sequence number {metadata.SequenceNr} rejected: {ex.Message}", ex);
        }

        var normalized = metadata with { Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(metadata.Timestamp.ToUnixTimeMilliseconds()) };
        lock (_gate)
        {
            _snapshots.RemoveAll(s => s.Metadata.PersistenceId == metadata.PersistenceId && s.Metadata.SequenceNr == metadata.SequenceNr);
            _snapshots.Add(new SelectedSnapshot(normalized, stored));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        lock (_gate)
        {
            return Task.FromResult(_snapshots
                .Where(s => s.Metadata.PersistenceId == persistenceId && criteria.Matches(s.Metadata))
                .MaxBy(s => s.Metadata.SequenceNr));
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        lock (_gate)
        {
            _snapshots.RemoveAll(s => s.Metadata.PersistenceId == metadata.PersistenceId && s.Metadata.SequenceNr == metadata.SequenceNr);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        lock (_gate)
        {
            _snapshots.RemoveAll(s => s.Metadata.PersistenceId == persistenceId && criteria.Matches(s.Metadata));
        }

        return Task.CompletedTask;
    }
}
