using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Query;
using AlgoPerf.Actors.Persistence.Journal.Snapshots;

namespace AlgoPerf.Actors.Tests.Persistence.Journal;

/// <summary>The snapshot store contract (Akka's SnapshotStoreSpec).</summary>
public abstract partial class JournalConformanceTests
{
    private SnapshotMetadata Meta(string persistenceId, long seq, int secondsAfterStart = 0)
        => new(persistenceId, seq, Time.GetUtcNow().AddSeconds(secondsAfterStart));

    [StoreFact]
    public async Task LoadSnapshot_None_ReturnsNull()
    {
        Assert.Null(await Snapshots.LoadAsync("s-1", SnapshotSelectionCriteria.Latest));
    }

    [StoreFact]
    public async Task LoadSnapshot_Latest_ReturnsNewestWithMetadata()
    {
        await Snapshots.SaveAsync(Meta("s-1", 10, 1), new CounterState(10));
        await Snapshots.SaveAsync(Meta("s-1", 20, 2), new CounterState(20));
        await Snapshots.SaveAsync(Meta("s-2", 30, 3), new CounterState(30));

        var loaded = await Snapshots.LoadAsync("s-1", SnapshotSelectionCriteria.Latest);

        Assert.NotNull(loaded);
        Assert.Equal(Meta("s-1", 20, 2), loaded.Metadata);
        Assert.Equal(new CounterState(20), loaded.Snapshot);
    }

    [StoreFact]
    public async Task LoadSnapshot_Criteria_ReturnsNewestMatching()
    {
        await Snapshots.SaveAsync(Meta("s-1", 10, 1), new CounterState(10));
        await Snapshots.SaveAsync(Meta("s-1", 20, 2), new CounterState(20));
        await Snapshots.SaveAsync(Meta("s-1", 30, 3), new CounterState(30));

        Assert.Equal(new CounterState(20), (await Snapshots.LoadAsync("s-1", SnapshotSelectionCriteria.UpTo(25)))?.Snapshot);
        Assert.Equal(new CounterState(10), (await Snapshots.LoadAsync("s-1", new SnapshotSelectionCriteria(long.MaxValue, Time.GetUtcNow().AddSeconds(1))))?.Snapshot);
        Assert.Null(await Snapshots.LoadAsync("s-1", SnapshotSelectionCriteria.None));
    }

    [StoreFact]
    public async Task SaveSnapshot_SameSequenceNr_Replaces()
    {
        await Snapshots.SaveAsync(Meta("s-1", 10), new CounterState(1));
        await Snapshots.SaveAsync(Meta("s-1", 10), new CounterState(2));
        Assert.Equal(new CounterState(2), (await Snapshots.LoadAsync("s-1", SnapshotSelectionCriteria.Latest))?.Snapshot);
    }

    [StoreFact]
    public async Task SaveSnapshot_Unserializable_IsRejected()
    {
        await Assert.ThrowsAsync<JournalRejectedException>(() => Snapshots.SaveAsync(Meta("s-1", 1), new Unregistered(1)));
        Assert.Null(await Snapshots.LoadAsync("s-1", SnapshotSelectionCriteria.Latest));
    }

    [StoreFact]
    public async Task LoadSnapshot_NewestUnreadable_FallsBackToOlder()
    {
        await Snapshots.SaveAsync(Meta("s-1", 10), new AlgoPerf.Contracts.Events.TrialStarted(new("sub", "wl", 0, 1), 0, 0));
        await Snapshots.SaveAsync(Meta("s-1", 20), new Counted("newest", 20));
        var reader = await OpenAsync(TestSerializers.ContractsOnly, Time, QueryOptions.Default);

        var loaded = await reader.Snapshots.LoadAsync("s-1", SnapshotSelectionCriteria.Latest);

        Assert.NotNull(loaded);
        Assert.Equal(10, loaded.Metadata.SequenceNr);
    }

    [StoreFact]
    public async Task LoadSnapshot_AllUnreadable_ThrowsNamingTheSnapshot()
    {
        await Snapshots.SaveAsync(Meta("s-1", 10), new CounterState(10));
        var reader = await OpenAsync(TestSerializers.ContractsOnly, Time, QueryOptions.Default);

        var error = await Assert.ThrowsAsync<JournalCorruptEventException>(() => reader.Snapshots.LoadAsync("s-1", SnapshotSelectionCriteria.Latest));

        Assert.Equal("s-1", error.PersistenceId);
        Assert.Equal(10, error.SequenceNr);
        Assert.Equal("test-counter-state", error.TypeTag);
    }

    [StoreFact]
    public async Task DeleteSnapshot_One_LeavesOthers()
    {
        await Snapshots.SaveAsync(Meta("s-1", 10), new CounterState(10));
        await Snapshots.SaveAsync(Meta("s-1", 20), new CounterState(20));

        await Snapshots.DeleteAsync(Meta("s-1", 20));

        Assert.Equal(10, (await Snapshots.LoadAsync("s-1", SnapshotSelectionCriteria.Latest))?.Metadata.SequenceNr);
    }

    [StoreFact]
    public async Task DeleteSnapshots_Criteria_DeletesMatchingOnly()
    {
        await Snapshots.SaveAsync(Meta("s-1", 10), new CounterState(10));
        await Snapshots.SaveAsync(Meta("s-1", 20), new CounterState(20));
        await Snapshots.SaveAsync(Meta("s-1", 30), new CounterState(30));

        await Snapshots.DeleteAsync("s-1", SnapshotSelectionCriteria.UpTo(20));

        Assert.Equal(30, (await Snapshots.LoadAsync("s-1", SnapshotSelectionCriteria.Latest))?.Metadata.SequenceNr);
        Assert.Null(await Snapshots.LoadAsync("s-1", SnapshotSelectionCriteria.UpTo(29)));
    }
}
