using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Snapshots;

namespace AlgoPerf.Actors.Persistence;

/// <summary>
/// What the persistent actors of one process share (Akka's persistence extension): the journal, the snapshot store,
/// the settings and the <see cref="RecoveryPermitter"/> that throttles concurrent recoveries. Create one per process
/// (the composition root) and pass it to every <see cref="PersistentActor"/>; the permitter only throttles the actors
/// that share it.
/// </summary>
public sealed class PersistenceRuntime
{
    /// <summary>Creates the runtime.</summary>
    /// <param name="journal">The event journal.</param>
    /// <param name="snapshots">The snapshot store; null when snapshots are not used (saves then fail, recovery replays from the start).</param>
    /// <param name="settings">Recovery timeout, recovery permits, replay batch size; null for Akka's defaults.</param>
    /// <param name="timeProvider">Clock of snapshot timestamps and the recovery timeout; null for the system clock.</param>
    public PersistenceRuntime(IJournal journal, ISnapshotStore? snapshots = null, PersistenceSettings? settings = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(journal);
        Journal = journal;
        Snapshots = snapshots;
        Settings = settings ?? PersistenceSettings.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(Settings.MaxConcurrentRecoveries, 1, nameof(settings));
        ArgumentOutOfRangeException.ThrowIfLessThan(Settings.ReplayBatchSize, 1, nameof(settings));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Settings.RecoveryEventTimeout, TimeSpan.Zero, nameof(settings));
        TimeProvider = timeProvider ?? TimeProvider.System;
        Permitter = new RecoveryPermitter(Settings.MaxConcurrentRecoveries);
    }

    /// <summary>The event journal.</summary>
    public IJournal Journal { get; }

    /// <summary>The snapshot store, or null.</summary>
    public ISnapshotStore? Snapshots { get; }

    /// <summary>The settings.</summary>
    public PersistenceSettings Settings { get; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The recovery throttle shared by the actors of this runtime.</summary>
    public RecoveryPermitter Permitter { get; }

    /// <summary>
    /// A runtime over an opened store's journal and snapshot store, each behind its circuit breaker
    /// (<see cref="PersistenceSettings.JournalCircuitBreaker"/>, <see cref="PersistenceSettings.SnapshotStoreCircuitBreaker"/>).
    /// </summary>
    /// <param name="store">The opened database.</param>
    /// <param name="settings">Settings; null for Akka's defaults.</param>
    /// <param name="timeProvider">Clock; null for the system clock.</param>
    /// <returns>The runtime.</returns>
    public static PersistenceRuntime For(PersistenceStore store, PersistenceSettings? settings = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var s = settings ?? PersistenceSettings.Default;
        return new PersistenceRuntime(
            new CircuitBreakingJournal(store.Journal, s.JournalCircuitBreaker, timeProvider),
            new CircuitBreakingSnapshotStore(store.Snapshots, s.SnapshotStoreCircuitBreaker, timeProvider),
            s,
            timeProvider);
    }
}
