namespace AlgoPerf.Actors.Persistence.Journal.Query;

/// <summary>
/// Read-side queries over the journal (Akka.Persistence.Query's <c>EventsByPersistenceId</c>, <c>AllEvents</c> and
/// <c>EventsByTag</c>), for projections such as the scorer.
/// </summary>
/// <remarks>
/// <para><b>Offsets.</b> The offset is a global ordering; a query returns events with ordering strictly greater than
/// the offset, ascending. Pass the last delivered event's <see cref="PersistentRepresentation.Ordering"/> to resume.</para>
/// <para><b>Gaps.</b> Concurrent writers (several PostgreSQL connections) may commit orderings out of order, so
/// ordering n + 1 can become visible before n. A query never skips past a missing ordering at once: it stops before the
/// gap and re-reads, and only after the gap persisted for <see cref="QueryOptions.MaxGapTries"/> reads spaced
/// <see cref="QueryOptions.PollInterval"/> apart (a rolled-back or deleted ordering never appears) does it skip it, as
/// Akka's journal-sequence gap detection does. Every event is delivered exactly once, in ordering order.</para>
/// <para><b>Live.</b> With <see cref="QueryMode.Live"/> the sequence never ends on its own: after the stored events
/// it waits for new ones (PostgreSQL: LISTEN/NOTIFY, with polling as the fallback; SQLite: polling every
/// <see cref="QueryOptions.PollInterval"/> on the journal's <see cref="TimeProvider"/>). Cancel the token to stop it.
/// With <see cref="QueryMode.Current"/> it ends at the events visible when it started (after waiting out gaps).</para>
/// </remarks>
public interface IEventQueries
{
    /// <summary>Every event (of every stream) after <paramref name="afterOrdering"/>.</summary>
    /// <param name="afterOrdering">Exclusive lower bound; 0 for all.</param>
    /// <param name="mode">Current (ends) or live (tails).</param>
    /// <param name="cancellationToken">Stops the query.</param>
    /// <returns>The events in ordering order.</returns>
    IAsyncEnumerable<PersistentRepresentation> AllEventsAsync(long afterOrdering, QueryMode mode, CancellationToken cancellationToken = default);

    /// <summary>The events carrying <paramref name="tag"/> after <paramref name="afterOrdering"/>.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="afterOrdering">Exclusive lower bound; 0 for all.</param>
    /// <param name="mode">Current (ends) or live (tails).</param>
    /// <param name="cancellationToken">Stops the query.</param>
    /// <returns>The events in ordering order.</returns>
    IAsyncEnumerable<PersistentRepresentation> EventsByTagAsync(string tag, long afterOrdering, QueryMode mode, CancellationToken cancellationToken = default);

    /// <summary>The highest ordering currently stored (0 when the journal is empty).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The highest ordering.</returns>
    Task<long> ReadHighestOrderingAsync(CancellationToken cancellationToken = default);
}
