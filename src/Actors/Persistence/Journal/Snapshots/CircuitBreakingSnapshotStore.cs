using AlgoPerf.Actors.Pattern;

namespace AlgoPerf.Actors.Persistence.Journal.Snapshots;

/// <summary>
/// A snapshot store behind a <see cref="CircuitBreaker"/> (Akka's snapshot-store breaker: 5 failures, 20 s call
/// timeout, 60 s reset); see <see cref="CircuitBreakingJournal"/> for what counts as a failure.
/// </summary>
public sealed class CircuitBreakingSnapshotStore : ISnapshotStore
{
    private readonly ISnapshotStore _inner;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The snapshot store.</param>
    /// <param name="settings">The breaker's limits; null for Akka's snapshot-store defaults.</param>
    /// <param name="timeProvider">The clock of the timeouts; null for the system clock.</param>
    public CircuitBreakingSnapshotStore(ISnapshotStore inner, CircuitBreakerSettings? settings = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        Breaker = new CircuitBreaker(settings ?? CircuitBreakerSettings.SnapshotStoreDefault, timeProvider, CircuitBreakingJournal.CountsAsFailure);
    }

    /// <summary>The breaker.</summary>
    public CircuitBreaker Breaker { get; }

    /// <inheritdoc />
    public Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default) =>
        Breaker.CallAsync(ct => _inner.SaveAsync(metadata, snapshot, ct), cancellationToken);

    /// <inheritdoc />
    public Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default) =>
        Breaker.CallAsync(ct => _inner.LoadAsync(persistenceId, criteria, ct), cancellationToken);

    /// <inheritdoc />
    public Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default) =>
        Breaker.CallAsync(ct => _inner.DeleteAsync(metadata, ct), cancellationToken);

    /// <inheritdoc />
    public Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default) =>
        Breaker.CallAsync(ct => _inner.DeleteAsync(persistenceId, criteria, ct), cancellationToken);
}
